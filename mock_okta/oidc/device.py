"""What Identity Engine CLI clients use (docs/fidelity/okta-mfa-idx.md#okta-mfa-idx-device-grant,
#okta-mfa-idx-web-sso-token): the device authorization grant and the token exchange to a
``web_sso_token`` that ``/login/token/sso`` turns into a browser session for an app.

* ``POST /oauth2/v1/device/authorize`` (``client_id``, ``scope``) -> ``device_code``, an
  8-letter ``user_code``, ``verification_uri`` ``<org>/activate`` (+ ``_complete`` with the
  code), ``expires_in`` 600, ``interval`` 5.
* The user opens ``/activate?user_code=...`` in a browser, signs in: the device is approved.
* ``POST /oauth2/v1/token`` ``grant_type=urn:ietf:params:oauth:grant-type:device_code``:
  ``authorization_pending`` until then, tokens once (the code is single use).
* ``grant_type=urn:ietf:params:oauth:grant-type:token-exchange`` with the access token as
  ``actor_token``, the ID token as ``subject_token``, ``audience=urn:okta:apps:<app id>`` and
  ``requested_token_type=urn:okta:oauth:token-type:web_sso_token`` -> a one-time token for
  ``/login/token/sso``.
"""
from __future__ import annotations

import secrets
import threading
import uuid
from dataclasses import dataclass

from world_common.world_model import OktaApp

from . import clients, errors, tokens
from .store import Grant

DEVICE_CODE = "urn:ietf:params:oauth:grant-type:device_code"
TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange"
WEB_SSO_TOKEN = "urn:okta:oauth:token-type:web_sso_token"
ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token"
ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token"
DEVICE_CODE_LIFETIME = 600          # "The unique user code is valid for 10 minutes"
POLL_INTERVAL = 5
WEB_SSO_TOKEN_LIFETIME = 300        # one-time, short-lived (inferred: the lifetime is not published)
_USER_CODE_LETTERS = "BCDFGHJKLMNPQRSTVWXZ"   # consonants, as in "MHXTFRPK" (inferred alphabet)


class AuthorizationPending(errors.OAuthError):
    error = "authorization_pending"
    description = "The device authorization is pending. Please try again later."


class ExpiredToken(errors.OAuthError):
    error = "expired_token"
    description = "The device code has expired."   # inferred wording (RFC 8628 names only the code)


@dataclass
class DeviceAuthorization:
    device_code: str
    user_code: str
    client_id: str
    scopes: list[str]
    expires_at: float
    user: object = None
    amr: tuple = ("pwd",)
    done: bool = False


@dataclass
class WebSsoToken:
    value: str
    user: object
    app_id: str
    expires_at: float
    amr: list = None


class DeviceStore:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_device: dict[str, DeviceAuthorization] = {}
        self._web_sso: dict[str, WebSsoToken] = {}

    def start(self, client_id: str, scopes: list[str], now: float) -> DeviceAuthorization:
        auth = DeviceAuthorization(str(uuid.uuid4()), "".join(secrets.choice(_USER_CODE_LETTERS) for _ in range(8)),
                                   client_id, scopes, now + DEVICE_CODE_LIFETIME)
        with self._lock:
            self._by_device[auth.device_code] = auth
        return auth

    def by_user_code(self, user_code: str, now: float) -> DeviceAuthorization | None:
        wanted = (user_code or "").replace("-", "").strip().upper()
        with self._lock:
            found = next((a for a in self._by_device.values() if a.user_code == wanted), None)
        return found if found is not None and found.expires_at > now and not found.done else None

    def by_device_code(self, device_code: str) -> DeviceAuthorization | None:
        with self._lock:
            return self._by_device.get(device_code or "")

    def add_web_sso(self, token: WebSsoToken) -> None:
        with self._lock:
            self._web_sso[token.value] = token

    def redeem_web_sso(self, value: str, now: float) -> WebSsoToken | None:
        with self._lock:
            token = self._web_sso.pop(value or "", None)
        return token if token is not None and token.expires_at > now else None


def authorize_response(provider, server, form) -> dict:
    """``/device/authorize``: the client must be a native app allowed the device grant."""
    app = clients.find(provider.org, form.get("client_id"))
    if app is None:
        raise errors.invalid_client_id()
    if DEVICE_CODE not in app.oidc.grant_types:
        raise errors.grant_type_not_configured(app.oidc.grant_types)
    scopes = (form.get("scope") or "").split()
    if not scopes:
        raise errors.missing_scopes()
    unknown = [s for s in scopes if s not in server.scopes]
    if unknown:
        raise errors.bad_scope()
    auth = provider.devices.start(app.oidc.client_id, scopes, provider.clock.time())
    activate = f"{provider.org_url}/activate"
    return {"device_code": auth.device_code, "user_code": auth.user_code, "verification_uri": activate,
            "verification_uri_complete": f"{activate}?user_code={auth.user_code}",
            "expires_in": DEVICE_CODE_LIFETIME, "interval": POLL_INTERVAL}


def device_code_grant(provider, server, app: OktaApp, form, mint) -> dict:
    auth = provider.devices.by_device_code(form.get("device_code"))
    if auth is None or auth.client_id != app.oidc.client_id or auth.done:
        raise errors.InvalidGrant("The device code is invalid or has expired.")   # inferred wording
    if auth.expires_at <= provider.clock.time():
        raise ExpiredToken()
    if auth.user is None:
        raise AuthorizationPending()
    auth.done = True
    grant = Grant(server.key, app.oidc.client_id, auth.user.id, list(auth.scopes), int(provider.clock.time()),
                  list(auth.amr))
    return mint(provider, server, app, grant, auth.user, nonce=None, new_refresh=True)


def token_exchange(provider, server, app: OktaApp, form) -> dict:
    """``actor_token`` (access token) + ``subject_token`` (ID token) of this client, for the app
    named by ``audience``, with ``okta.apps.sso`` granted -> a web SSO token."""
    for name in ("actor_token", "subject_token", "audience", "requested_token_type"):
        if not form.get(name):
            raise errors.missing_parameter(name)
    if form.get("requested_token_type") != WEB_SSO_TOKEN or form.get("subject_token_type") != ID_TOKEN_TYPE \
            or form.get("actor_token_type") != ACCESS_TOKEN_TYPE:
        raise errors.InvalidRequest("The token exchange request has an unsupported token type.")   # inferred
    try:
        access = tokens.read_access_token(form["actor_token"], server, provider.keyring(server), provider.clock.time(),
                                          provider.store.is_revoked)
    except tokens.TokenRejected:
        raise InvalidToken() from None
    subject = tokens.read_id_token_hint(form["subject_token"], server, provider.keyring(server))
    if subject is None or subject.get("sub") != access.get("uid") or access.get("cid") != app.oidc.client_id:
        raise InvalidToken()
    if "okta.apps.sso" not in access.get("scp", []):
        raise errors.InvalidScope("The access token does not have the 'okta.apps.sso' scope.")   # inferred
    target_id = form["audience"].removeprefix("urn:okta:apps:")
    target = provider.org.app_by_id(target_id)
    user = provider.org.user_by_id(access["uid"])
    if target is None or user is None or not form["audience"].startswith("urn:okta:apps:"):
        raise errors.InvalidRequest("The 'audience' parameter is invalid.")   # inferred wording
    if not provider.org.is_assigned(target, user):
        raise errors.user_not_assigned()
    value = secrets.token_urlsafe(32)
    provider.devices.add_web_sso(WebSsoToken(value, user, target.id, provider.clock.time() + WEB_SSO_TOKEN_LIFETIME,
                                             list(subject.get("amr") or ["pwd"])))
    return {"access_token": value, "issued_token_type": WEB_SSO_TOKEN, "token_type": "N_A",
            "expires_in": WEB_SSO_TOKEN_LIFETIME}


class InvalidToken(errors.OAuthError):
    """What okta-aws-cli reports for a refused exchange: "The 'web_sso_token' is invalid."
    (okta/okta-aws-cli; docs/fidelity/okta-mfa-idx.md#okta-mfa-idx-web-sso-token; the same text for a bad
    actor or subject token is inferred)."""
    error = "invalid_token"
    description = "The 'web_sso_token' is invalid."
