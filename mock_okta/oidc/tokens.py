"""Okta's ID and access tokens: claims, signing, and reading our own access tokens back
(docs/fidelity/okta-oidc-api.md#okta-oidc-api-id-token-header, docs/fidelity/okta-oidc-api.md#okta-oidc-api-id-token-base-claims, docs/fidelity/okta-oidc-api.md#okta-oidc-api-access-token, docs/fidelity/okta-oidc-api.md#okta-oidc-api-lifetimes, docs/fidelity/okta-oidc-api.md#okta-oidc-api-id-token-example).

ID token: ``ver`` 1, ``sub`` = the user id (``00u…``), ``iss``, ``aud`` = client id, ``iat``,
``exp`` = iat + 3600, ``jti`` ``ID.…``, ``amr``, ``idp`` (the org id ``00o…``), ``nonce`` when
sent, ``auth_time``, ``at_hash`` when an access token is issued alongside, then the claims the
scopes release. Access token: ``ver``, ``jti`` ``AT.…``, ``iss``, ``aud``, ``iat``, ``exp``,
``cid``, ``uid``, ``scp``, ``auth_time``, ``sub`` = the login. Header ``{"alg":"RS256","kid":…}``.
"""
from __future__ import annotations

import base64
import hashlib
import secrets
import string

import jwt

from world_common.world_model import OktaApp

from . import claims as user_claims
from .servers import ACCESS_TOKEN_LIFETIME, ID_TOKEN_LIFETIME

_ALNUM = string.ascii_letters + string.digits


def _jti(prefix: str) -> str:
    # docs/fidelity/okta-oidc-api.md#okta-oidc-api-id-token-example sample: "ID.4eAWJOCMB3SX8XewDfVR" (20 characters after the prefix).
    return prefix + "".join(secrets.choice(_ALNUM) for _ in range(20))


def at_hash(access_token: str) -> str:
    """OIDC Core §3.1.3.6: left half of SHA-256 of the access token, base64url."""
    digest = hashlib.sha256(access_token.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest[: len(digest) // 2]).rstrip(b"=").decode()


def sign(payload: dict, signing_key) -> str:
    # Okta's header carries alg and kid only (no typ).
    return jwt.encode(payload, signing_key.private_key, algorithm="RS256",
                      headers={"kid": signing_key.kid, "typ": None})


def access_token(server, grant, user, now: int, signing_key) -> tuple[str, dict]:
    payload = {
        "ver": 1,
        "jti": _jti("AT."),
        "iss": server.issuer,
        "aud": server.access_token_audience,
        "iat": now,
        "exp": now + ACCESS_TOKEN_LIFETIME,
        "cid": grant.client_id,
        "uid": user.id,
        "scp": list(grant.scopes),
        "auth_time": grant.auth_time,
        "sub": user.login,
    }
    return sign(payload, signing_key), payload


def id_token(server, grant, user, app: OktaApp, now: int, signing_key, *, org_id: str, nonce: str | None,
             access: str | None, updated_at: int) -> str:
    payload = {
        "ver": 1,
        "sub": user.id,
        "iss": server.issuer,
        "aud": grant.client_id,
        "iat": now,
        "exp": now + ID_TOKEN_LIFETIME,
        "jti": _jti("ID."),
        "amr": list(grant.amr),
        "idp": org_id,
    }
    if nonce is not None:
        payload["nonce"] = nonce
    payload["auth_time"] = grant.auth_time
    if access is not None:
        payload["at_hash"] = at_hash(access)
    payload.update(user_claims.user_claims(grant.scopes, user, app, updated_at))
    return sign(payload, signing_key)


class TokenRejected(Exception):
    """An access token we did not issue, or one no longer valid."""


def read_access_token(token: str, server, keyring, now: float, is_revoked) -> dict:
    """The claims of an access token this server issued and still honours."""
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise TokenRejected("malformed") from None
    if header.get("alg") != "RS256":
        raise TokenRejected("alg")
    key = keyring.by_kid(header.get("kid") or "")
    if key is None:
        raise TokenRejected("kid")
    try:
        payload = jwt.decode(token, key.public_key, algorithms=["RS256"], issuer=server.issuer,
                             options={"verify_aud": False, "verify_exp": False, "verify_iat": False,
                                      "verify_nbf": False})
    except jwt.PyJWTError:
        raise TokenRejected("signature") from None
    if not str(payload.get("jti", "")).startswith("AT."):
        raise TokenRejected("not an access token")
    if not isinstance(payload.get("exp"), int) or now >= payload["exp"]:
        raise TokenRejected("expired")
    if is_revoked(payload["jti"]):
        raise TokenRejected("revoked")
    return payload


def read_id_token_hint(token: str, server, keyring) -> dict | None:
    """The claims of an ID token this server signed (expired ones included, as a logout hint
    may be old), or None."""
    try:
        header = jwt.get_unverified_header(token)
        key = keyring.by_kid(header.get("kid") or "")
        if key is None or header.get("alg") != "RS256":
            return None
        return jwt.decode(token, key.public_key, algorithms=["RS256"], issuer=server.issuer,
                          options={"verify_aud": False, "verify_exp": False, "verify_iat": False})
    except jwt.PyJWTError:
        return None
