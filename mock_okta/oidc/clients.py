"""OIDC client apps and how they authenticate at /token, /introspect and /revoke
(docs/fidelity/okta-oidc-api.md#okta-oidc-api-token-client-auth, docs/fidelity/okta-oidc-api.md#okta-oidc-api-token-auth-errors-401).

An OIDC client is an ``OPENID_CONNECT`` app of the world file (its ``oidc`` block: client_id,
client_secret, redirect_uris, grant_types, token_endpoint_auth_method, pkce_required,
groups_claim). Only the app's own ``token_endpoint_auth_method`` is accepted.
"""
from __future__ import annotations

import base64
import binascii
import hmac
from urllib.parse import unquote

from world_common.world_model import OktaApp

from ..org import Org
from . import errors


def find(org: Org, client_id: str | None) -> OktaApp | None:
    """The active OIDC app with this client id, or None."""
    if not client_id:
        return None
    app = org.app_by_client_id(client_id)
    if app is None or app.status != "ACTIVE":
        return None
    return app


def requires_pkce(app: OktaApp) -> bool:
    # A public client (auth method ``none``) can only prove itself with PKCE (docs/fidelity/okta-oidc-api.md#okta-oidc-api-oidc
    # "/token client auth": "none (PKCE)").
    return bool(app.oidc.pkce_required) or app.oidc.token_endpoint_auth_method == "none"


def _secret_matches(app: OktaApp, secret: str) -> bool:
    expected = app.oidc.client_secret or ""
    return bool(expected) and hmac.compare_digest(expected.encode(), (secret or "").encode())


def _parse_basic(header: str) -> tuple[str, str]:
    try:
        decoded = base64.b64decode(header.split(" ", 1)[1].strip(), validate=True).decode("utf-8")
    except (IndexError, ValueError, binascii.Error, UnicodeDecodeError):
        raise errors.invalid_basic_auth() from None
    client_id, sep, secret = decoded.partition(":")
    if not sep or not client_id:
        raise errors.invalid_basic_auth()
    # RFC 6749 §2.3.1: both parts are form-urlencoded before they are joined.
    return unquote(client_id), unquote(secret)


def authenticate(org, authorization: str | None, form, query):
    """The app that authenticated this request, or an :class:`errors.OAuthError`.

    ``form`` and ``query`` are mappings of the body and the query string.
    """
    if any(k in query for k in ("client_secret", "client_assertion")):
        raise errors.client_credentials_in_query()
    authorization = authorization or ""
    uses_basic = authorization[:6].lower() == "basic "
    body_secret = form.get("client_secret")
    if uses_basic and (body_secret is not None or form.get("client_assertion") is not None):
        raise errors.multiple_client_credentials()
    if uses_basic:
        client_id, secret = _parse_basic(authorization)
        app = find(org, client_id)
        if (app is None or app.oidc.token_endpoint_auth_method != "client_secret_basic"
                or not _secret_matches(app, secret)
                or (form.get("client_id") not in (None, client_id))):
            raise errors.InvalidClient()
        return app
    if body_secret is not None:
        app = find(org, form.get("client_id"))
        if (app is None or app.oidc.token_endpoint_auth_method != "client_secret_post"
                or not _secret_matches(app, body_secret)):
            raise errors.InvalidClient()
        return app
    if form.get("client_assertion") is not None:
        # client_secret_jwt / private_key_jwt are not imitated: the client is refused as a
        # client that cannot authenticate (unconfirmed which of Okta's texts would apply).
        raise errors.InvalidClient()
    if form.get("client_id"):
        app = find(org, form.get("client_id"))
        if app is None:
            raise errors.invalid_client_id()
        if app.oidc.token_endpoint_auth_method == "none":
            return app
        raise errors.missing_client_credentials()
    raise errors.missing_client_credentials()
