"""The user claims a scope releases (docs/fidelity/okta-oidc-api.md#okta-oidc-api-scope-dependent-claims, docs/fidelity/okta-oidc-api.md#okta-oidc-api-groups-claim).

profile → name, preferred_username (the Okta login), nickname, given_name, middle_name,
family_name, profile, zoneinfo, locale, updated_at; email → email, email_verified; address →
address{…}; phone → phone_number; groups → the app's groups claim.
"""
from __future__ import annotations

from world_common.world_model import OktaApp

from ..group_filter import group_matches
from . import errors

# OKAPI-OIDC's /userinfo sample shows these for a user who never set them; the values are
# Okta's profile defaults (unconfirmed for every org).
_DEFAULT_ZONEINFO = "America/Los_Angeles"
_DEFAULT_LOCALE = "en-US"
# docs/fidelity/okta-oidc-api.md#okta-oidc-api-groups-claim: more than 100 matching groups fail the request.
MAX_GROUPS = 100


def _profile_claims(user, updated_at: int) -> dict:
    p = user.profile
    name = p.get("displayName") or " ".join(x for x in (p.get("firstName"), p.get("lastName")) if x) or None
    claims = {
        "name": name,
        "preferred_username": user.login,
        "nickname": p.get("nickName"),
        "given_name": p.get("firstName"),
        "middle_name": p.get("middleName"),
        "family_name": p.get("lastName"),
        "profile": p.get("profileUrl"),
        "zoneinfo": p.get("timezone") or _DEFAULT_ZONEINFO,
        "locale": p.get("locale") or _DEFAULT_LOCALE,
        "updated_at": updated_at,
    }
    # Unset attributes are left out (the ID token sample of docs/fidelity/okta-oidc-api.md#okta-oidc-api-id-token-example carries none of them).
    return {k: v for k, v in claims.items() if v is not None}


def _address_claims(user) -> dict:
    p = user.profile
    address = {"street_address": p.get("streetAddress"), "locality": p.get("city"), "region": p.get("state"),
               "postal_code": p.get("zipCode"), "country": p.get("countryCode")}
    address = {k: v for k, v in address.items() if v}
    return {"address": address} if address else {}


def _phone_claims(user) -> dict:
    phone = user.profile.get("mobilePhone") or user.profile.get("primaryPhone")
    return {"phone_number": phone} if phone else {}


def groups_claim(app: OktaApp, user) -> dict:
    """The app's groups claim for ``user`` (empty when the app has none configured)."""
    config = app.oidc.groups_claim
    if config is None or config.type != "FILTER":
        # EXPRESSION groups claims need Okta Expression Language: not imitated.
        return {}
    names = [g for g in user.groups if group_matches(config.filter_type, config.value, g)]
    if len(names) > MAX_GROUPS:
        raise errors.too_many_groups()
    return {config.name or "groups": names}


def user_claims(scopes, user, app: OktaApp, updated_at: int) -> dict:
    """The claims the granted ``scopes`` release about ``user``."""
    claims: dict = {}
    if "profile" in scopes:
        claims.update(_profile_claims(user, updated_at))
    if "email" in scopes and user.profile.get("email"):
        claims["email"] = user.profile["email"]
        claims["email_verified"] = True
    if "address" in scopes:
        claims.update(_address_claims(user))
    if "phone" in scopes:
        claims.update(_phone_claims(user))
    if "groups" in scopes:
        claims.update(groups_claim(app, user))
    return claims
