"""``/v1/token``: the ``authorization_code`` and ``refresh_token`` grants, and the device and token-exchange grants of
:mod:`mock_okta.oidc.device` (docs/fidelity/okta-oidc-api.md#okta-oidc-api-token-client-auth, docs/fidelity/okta-oidc-api.md#okta-oidc-api-token-auth-errors-401, docs/fidelity/okta-oidc-api.md#okta-oidc-api-token-grant-errors-400, docs/fidelity/okta-oidc-api.md#okta-oidc-api-token-success, docs/fidelity/okta-oidc-api.md#okta-oidc-api-lifetimes).

Client authentication comes first (``clients.authenticate``); then the grant type must be one
the app is configured for; then the grant itself. Codes are single use and expire after 300 s
on the world's clock; a refresh token is issued only when ``offline_access`` was granted and
the app allows the ``refresh_token`` grant.
"""
from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac

from world_common.world_model import OktaApp

from . import clients, device, errors, tokens
from .servers import REFRESH_TOKEN_LIFETIME
from .store import RefreshToken, opaque_token

_KNOWN_GRANTS = ("authorization_code", "refresh_token", "implicit", "client_credentials", "password",
                 "urn:ietf:params:oauth:grant-type:device_code", "urn:ietf:params:oauth:grant-type:token-exchange",
                 "urn:ietf:params:oauth:grant-type:saml2-bearer", "urn:ietf:params:oauth:grant-type:jwt-bearer",
                 "interaction_code")
_IMPLEMENTED = ("authorization_code", "refresh_token", device.DEVICE_CODE, device.TOKEN_EXCHANGE)


def s256(verifier: str) -> str:
    """RFC 7636 §4.2: BASE64URL(SHA256(ASCII(code_verifier)))."""
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii", "replace")).digest()).rstrip(b"=").decode()


def handle(provider, server, authorization: str | None, form, query) -> dict:
    """The token response body, or an :class:`errors.OAuthError`."""
    app = clients.authenticate(provider.org, authorization, form, query)
    configured = list(app.oidc.grant_types)
    grant_type = form.get("grant_type")
    if not grant_type:
        raise errors.missing_grant_type(configured)
    if grant_type not in _KNOWN_GRANTS:
        raise errors.unsupported_grant_type(configured)
    if grant_type not in configured:
        raise errors.grant_type_not_configured(configured)
    if grant_type == "authorization_code":
        return _authorization_code(provider, server, app, form)
    if grant_type == "refresh_token":
        return _refresh_token(provider, server, app, form)
    if grant_type == device.DEVICE_CODE:
        return device.device_code_grant(provider, server, app, form, _mint)
    if grant_type == device.TOKEN_EXCHANGE:
        return device.token_exchange(provider, server, app, form)
    # Grants the app may be configured for but the harness does not imitate.
    raise errors.unsupported_grant_type([g for g in configured if g in _IMPLEMENTED])


def _authorization_code(provider, server, app: OktaApp, form) -> dict:
    code = provider.store.redeem_code(form.get("code"), provider.clock.time())
    if code is None:
        raise errors.invalid_code()
    if code.grant.server_key != server.key:
        raise errors.mismatched_authorization_server()
    if code.grant.client_id != app.oidc.client_id:
        raise errors.mismatched_client()
    if form.get("redirect_uri") != code.redirect_uri:
        raise errors.mismatched_redirect_uri()
    verifier = form.get("code_verifier")
    if code.code_challenge is not None:
        if not verifier:
            raise errors.pkce_missing_verifier()
        if not hmac.compare_digest(s256(verifier), code.code_challenge):
            raise errors.pkce_verification_failed()
    elif verifier:
        # OK-OAUTHERR pkce_missing_challenge_verifier_present
        raise errors.InvalidRequest("PKCE code challenge should be specified in the authorize request for code "
                                    "verification.")
    user = provider.org.user_by_id(code.grant.user_id)
    if user is None:
        raise errors.invalid_code()
    return _mint(provider, server, app, code.grant, user, nonce=code.nonce, new_refresh=True)


def _refresh_token(provider, server, app: OktaApp, form) -> dict:
    token = provider.store.refresh_token(form.get("refresh_token"), provider.clock.time())
    if token is None or token.grant.client_id != app.oidc.client_id or token.grant.server_key != server.key:
        raise errors.invalid_refresh_token()
    grant = token.grant
    requested = (form.get("scope") or "").split()
    if requested:
        denied = [s for s in requested if s not in grant.scopes]
        if denied:
            # OK-OAUTHERR refresh_scopes_denied (how Okta joins several scopes: unconfirmed).
            raise errors.AccessDenied("Some of the scopes requested for the refresh request were not granted in "
                                      f"the original authorize request. Denied scopes: {', '.join(denied)}.")
        grant = dataclasses.replace(grant, scopes=requested)
    user = provider.org.user_by_id(grant.user_id)
    if user is None or user.status != "ACTIVE":
        raise errors.invalid_refresh_token()
    body = _mint(provider, server, app, grant, user, nonce=None, new_refresh=False)
    # The refresh token stays the same (Okta's "persistent" refresh token behaviour for web apps;
    # rotation is an app setting the world file does not model: unconfirmed default).
    if "offline_access" in grant.scopes:
        body["refresh_token"] = token.value
        body = _ordered(body)
    return body


def _ordered(body: dict) -> dict:
    order = ("access_token", "token_type", "expires_in", "scope", "refresh_token", "id_token")
    return {k: body[k] for k in order if k in body}


def _mint(provider, server, app: OktaApp, grant, user, *, nonce, new_refresh: bool) -> dict:
    now = provider.now()
    key = provider.keyring(server).current
    access, access_claims = tokens.access_token(server, grant, user, now, key)
    body = {"access_token": access, "token_type": "Bearer", "expires_in": access_claims["exp"] - now,
            "scope": " ".join(grant.scopes)}
    if new_refresh and "offline_access" in grant.scopes and "refresh_token" in app.oidc.grant_types:
        refresh = RefreshToken(opaque_token(), grant, provider.clock.time() + REFRESH_TOKEN_LIFETIME)
        provider.store.add_refresh_token(refresh)
        body["refresh_token"] = refresh.value
    if "openid" in grant.scopes:
        body["id_token"] = tokens.id_token(server, grant, user, app, now, key, org_id=provider.org_id,
                                           nonce=nonce, access=access, updated_at=provider.profiles_updated_at)
    return _ordered(body)
