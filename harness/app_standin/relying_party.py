"""The stand-in app as an OpenID Connect relying party of the user pool, with no Flask in it.

It signs in the way a real app does: ``/oauth2/authorize`` with state, nonce and PKCE S256; the
code exchanged at ``/oauth2/token`` with the client secret; the ID token verified against the
pool's JWKS with PyJWT (iss, aud, token_use, exp, nonce:
docs/fidelity/cognito-tokens.md#cognito-tokens-token-validation-rules-for-consumers); sign-out
through Cognito's ``/logout`` (docs/fidelity/cognito-tokens.md#cognito-tokens-logout).
"""
from __future__ import annotations

import base64
import hashlib
import secrets
import threading
from urllib.parse import urlencode

import jwt

from world_common.services import Services
from world_common.world_model import ClientApp

PENDING_LIMIT = 1000
# What a caller of /login may pass on to Cognito's /oauth2/authorize.
FORWARDED = ("identity_provider", "idp_identifier", "prompt", "login_hint")


class SignInFailed(Exception):
    """What the app shows instead of the claims: the ``error`` code, its description, the status."""

    def __init__(self, code: str, description: str | None, status: int = 400) -> None:
        super().__init__(description or code)
        self.code, self.description, self.status = code, description, status


class RelyingParty:
    """One stand-in app: its clients of one user pool, the sign-ins it started (by ``state``)
    and the pool's JWKS. Kept per app in ``app.extensions["app_standin"]``."""

    def __init__(self, app_record: ClientApp, world, services: Services) -> None:
        self.base = app_record.url.rstrip("/")
        self.callback = f"{self.base}/callback"
        self.pool = world.user_pool(app_record.user_pool)
        self.clients = {name: world.client(self.pool.PoolName, name) for name in app_record.clients}
        self.http, self.clock = services.http, services.clock
        self._pending: dict[str, dict] = {}
        self._lock = threading.Lock()
        self._jwks: dict[str, jwt.PyJWKSet] = {}

    def client(self, name: str | None):
        """(name, client record); :class:`SignInFailed` for a name this app does not have."""
        if name is None:
            name = next(iter(self.clients), "")
        client = self.clients.get(name)
        if client is None:
            raise SignInFailed("unknown_client", f"This app has no client named {name!r}")
        return name, client

    def authorize_url(self, client_name: str | None, extras: dict) -> str:
        """Start a sign-in: the pool's ``/oauth2/authorize`` URL, with ``extras`` among
        :data:`FORWARDED` passed on."""
        name, client = self.client(client_name)
        state, nonce, verifier = secrets.token_urlsafe(24), secrets.token_urlsafe(24), secrets.token_urlsafe(48)
        with self._lock:
            if len(self._pending) > PENDING_LIMIT:
                self._pending.clear()
            self._pending[state] = {"client": name, "nonce": nonce, "verifier": verifier}
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        params = {"response_type": "code", "client_id": client.ClientId, "redirect_uri": self.callback,
                  "scope": " ".join(client.AllowedOAuthScopes or ["openid"]), "state": state, "nonce": nonce,
                  "code_challenge": challenge, "code_challenge_method": "S256"}
        params.update({k: extras[k] for k in FORWARDED if extras.get(k)})
        return f"{self.pool.domain_url}/oauth2/authorize?{urlencode(params)}"

    def _started(self, args) -> dict:
        if "state" not in args and args.get("code"):
            # IdP-initiated sign-in (docs/fidelity/cognito-federation.md#cognito-federation-idp-initiated-post-body): Cognito sends a code
            # with no state of this app's, so there is no nonce or PKCE verifier to check; the
            # code belongs to the first client this app lists.
            return {"client": next(iter(self.clients)), "nonce": None, "verifier": None}
        with self._lock:
            started = self._pending.pop(args.get("state", ""), None)
        if started is None:
            raise SignInFailed("invalid_state", "The state does not match a sign-in this app started")
        return started

    def finish(self, args) -> tuple[str, dict]:
        """``/callback``: (the client's name, the verified ID token's claims), or :class:`SignInFailed`."""
        if args.get("error"):
            raise SignInFailed(args["error"], args.get("error_description"))
        started = self._started(args)
        client = self.clients[started["client"]]
        form = {"grant_type": "authorization_code", "client_id": client.ClientId, "code": args.get("code", ""),
                "redirect_uri": self.callback}
        if started["verifier"]:
            form["code_verifier"] = started["verifier"]
        auth = (client.ClientId, client.ClientSecret) if client.ClientSecret else None
        response = self.http.post(f"{self.pool.domain_url}/oauth2/token", data=form, auth=auth, timeout=10)
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.status_code != 200 or "id_token" not in body:
            # A code Cognito refuses (invalid_grant...) is the caller's bad input: 400; only a
            # failure of Cognito itself makes this app a failing gateway.
            status = 502 if response.status_code >= 500 else 400
            raise SignInFailed(body.get("error", f"http_{response.status_code}"), "The token request failed", status)
        try:
            claims = verify_id_token(body["id_token"], self.signing_key, self.pool.issuer, client.ClientId,
                                     started["nonce"], self.clock.time())
        except jwt.PyJWTError as exc:
            raise SignInFailed("invalid_id_token", str(exc), 502) from None
        return started["client"], claims

    def logout_url(self, client_name: str | None) -> str:
        """Cognito's ``/logout`` with the client id and a ``logout_uri`` from the client's
        LogoutURLs (the app keeps no session beyond the page)."""
        _name, client = self.client(client_name)
        params = {"client_id": client.ClientId, "logout_uri": (client.LogoutURLs or [f"{self.base}/"])[0]}
        return f"{self.pool.domain_url}/logout?{urlencode(params)}"

    def signing_key(self, kid: str):
        """The pool's key named ``kid``; the JWKS is fetched again once for a kid not yet seen."""
        for attempt in range(2):
            if attempt or "keys" not in self._jwks:
                document = self.http.get(f"{self.pool.issuer}/.well-known/jwks.json", timeout=10).json()
                self._jwks["keys"] = jwt.PyJWKSet.from_dict(document)
            for key in self._jwks["keys"].keys:
                if key.key_id == kid:
                    return key.key
        raise jwt.InvalidTokenError(f"no key with kid {kid} in the pool's JWKS")


def verify_id_token(token: str, key_for_kid, issuer: str, client_id: str, nonce: str | None, now: float) -> dict:
    """AWS's consumer checks (docs/fidelity/cognito-tokens.md#cognito-tokens-token-validation-rules-for-consumers): signature
    with the JWKS key named by ``kid``, ``iss``, ``aud`` = client id, ``token_use`` = ``id``,
    ``exp`` against the world's clock, and the ``nonce`` this app sent."""
    header = jwt.get_unverified_header(token)
    claims = jwt.decode(token, key_for_kid(header.get("kid")), algorithms=["RS256"], audience=client_id,
                        issuer=issuer, options={"verify_exp": False, "verify_iat": False, "verify_nbf": False})
    if claims.get("token_use") != "id":
        raise jwt.InvalidTokenError(f"token_use is {claims.get('token_use')!r}, not 'id'")
    if claims.get("exp", 0) <= now:
        raise jwt.ExpiredSignatureError("the ID token has expired")
    if nonce is not None and claims.get("nonce") != nonce:
        raise jwt.InvalidTokenError("the nonce does not match the one this app sent")
    return claims
