"""Cognito's token signing keys and JWKS (docs/fidelity/cognito-tokens.md#cognito-tokens-jwt-header, docs/fidelity/cognito-tokens.md#cognito-tokens-discovery-jwks).

Two RS256 keys per pool (ID and access tokens use different ``kid``s), derived from the pool id
so a JWKS URL cached by an app stays valid across runs of the same world.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import json

import jwt
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from world_common import keys
from world_common.ids import uuid4

from .triggers.pre_token import apply_access, apply_id


def _b64(n: int) -> str:
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@functools.lru_cache(maxsize=64)
def signing_keys(pool_id: str) -> dict:
    """{"id": (kid, key), "access": (kid, key)}."""
    out = {}
    for use in ("id", "access"):
        key = keys.rsa_key(f"cognito-token:{pool_id}:{use}")
        # Cognito's kids are base64 strings of a SHA-256 (44 characters ending in "=").
        kid = base64.b64encode(hashlib.sha256(f"{pool_id}:{use}".encode()).digest()).decode()
        out[use] = (kid, key)
    return out


def jwks_for_pool(pool_id: str) -> dict:
    entries = []
    for kid, key in signing_keys(pool_id).values():
        numbers = key.public_key().public_numbers()
        entries.append({"alg": "RS256", "e": _b64(numbers.e), "kid": kid, "kty": "RSA",
                        "n": _b64(numbers.n), "use": "sig"})
    return {"keys": entries}


# ---- issuing (docs/fidelity/cognito-tokens.md#cognito-tokens-id-token-claims, docs/fidelity/cognito-tokens.md#cognito-tokens-access-token-claims) ----------------------------

def _pem(pool_id: str, use: str):
    return signing_keys(pool_id)[use]


def _b64url(data: bytes) -> bytes:
    return base64.urlsafe_b64encode(data).rstrip(b"=")


@functools.lru_cache(maxsize=128)
def _encoded_header(kid: str) -> bytes:
    # docs/fidelity/cognito-tokens.md#cognito-tokens-jwt-header: {"kid": …, "alg": "RS256"} (with
    # "typ": "JWT", sorted, as PyJWT wrote it before this module did the JWS itself).
    return _b64url(json.dumps({"alg": "RS256", "kid": kid, "typ": "JWT"}, separators=(",", ":"),
                              sort_keys=True).encode())


def _sign(claims: dict, pool_id: str, use: str) -> str:
    """The RS256 JWS compact serialization of ``claims`` (RFC 7515 §7.1), byte for byte what
    ``jwt.encode(claims, key, "RS256", headers={"kid": kid})`` returns (tests compare them):
    the header is encoded once per key and the claims once, without PyJWT's per-call key checks
    (~0.1 ms a token, two tokens a sign-in)."""
    kid, key = _pem(pool_id, use)
    signing_input = _encoded_header(kid) + b"." + _b64url(json.dumps(claims, separators=(",", ":")).encode())
    signature = key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
    return (signing_input + b"." + _b64url(signature)).decode()


def at_hash(access_token: str) -> str:
    """OIDC Core §3.1.3.6: left half of SHA-256 of the access token, base64url."""
    digest = hashlib.sha256(access_token.encode()).digest()
    return base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode()


def issue(*, issuer: str, pool_id: str, client_id: str, user: dict, scopes: list[str], auth_time: int,
          now: int, origin_jti: str, event_id: str, nonce: str | None, id_seconds: int,
          access_seconds: int, readable: list[str] | None, custom=None) -> dict:
    """{"access_token", "id_token"?}: the ID token only with the ``openid`` scope (docs/fidelity/cognito-tokens.md#cognito-tokens-scope-semantics). ``custom``: a pre token generation trigger's changes
    (:class:`mock_cognito.triggers.pre_token.Customization`)."""
    groups = user.get("groups") or []
    access = {"sub": user["sub"], "iss": issuer, "client_id": client_id, "origin_jti": origin_jti,
              "event_id": event_id, "token_use": "access", "scope": " ".join(scopes), "auth_time": auth_time,
              "exp": now + access_seconds, "iat": now, "jti": uuid4(), "username": user["username"]}
    if groups:
        access["cognito:groups"] = list(groups)
    # "version": 2 is seen in API Gateway authorizer claims; unconfirmed in the docs (docs/fidelity/cognito-tokens.md#cognito-tokens-federated-user).
    access["version"] = 2
    out = {"access_token": _sign(apply_access(access, custom), pool_id, "access")}
    if "openid" in scopes:
        claims = id_claims(issuer=issuer, client_id=client_id, user=user, auth_time=auth_time, now=now,
                           origin_jti=origin_jti, event_id=event_id, nonce=nonce, seconds=id_seconds,
                           readable=readable, access_token=out["access_token"])
        out["id_token"] = _sign(apply_id(claims, custom), pool_id, "id")
    return out


def id_claims(*, issuer, client_id, user, auth_time, now, origin_jti, event_id, nonce, seconds, readable,
              access_token=None) -> dict:
    attributes = dict(user.get("attributes") or {})
    claims: dict = {}
    if access_token:
        claims["at_hash"] = at_hash(access_token)
    claims["sub"] = user["sub"]
    if user.get("groups"):
        claims["cognito:groups"] = list(user["groups"])
    if user.get("group_roles"):   # docs/fidelity/cognito-tokens.md#cognito-tokens-group-derived-claims
        claims["cognito:roles"] = list(user["group_roles"])
        claims["cognito:preferred_role"] = user["group_roles"][0]
    # docs/fidelity/cognito-federation.md#cognito-federation-email-verified: federated emails are unverified unless email_verified is mapped.
    if "email" in attributes:
        claims["email_verified"] = str(attributes.get("email_verified", "false")).lower() == "true"
    claims["iss"] = issuer
    claims["cognito:username"] = user["username"]
    if nonce:
        claims["nonce"] = nonce
    claims["origin_jti"] = origin_jti
    claims["aud"] = client_id
    claims["event_id"] = event_id
    claims["token_use"] = "id"
    claims["auth_time"] = auth_time
    claims["exp"] = now + seconds
    claims["iat"] = now
    claims["jti"] = uuid4()
    for name, value in attributes.items():
        if name in ("sub", "email_verified"):
            continue
        if readable is not None and name not in readable and name != "identities":
            continue
        if name == "identities":
            # docs/fidelity/cognito-tokens.md#cognito-tokens-identities-claim-in-id-token: objects with string-typed values.
            try:
                claims["identities"] = [{k: (str(v).lower() if isinstance(v, bool) else
                                             (None if v is None else str(v))) for k, v in entry.items()}
                                        for entry in json.loads(value)]
            except (ValueError, TypeError, AttributeError):
                continue
            continue
        claims[name] = value   # docs/fidelity/cognito-tokens.md#cognito-tokens-custom-attributes-in-id-token: always strings
    return claims


def verify_access_token(token: str, pool_id: str, issuer: str, now: float) -> dict | None:
    """The claims of an access token this pool issued and that has not expired, else None."""
    kid, key = _pem(pool_id, "access")
    try:
        claims = jwt.decode(token, key.public_key(), algorithms=["RS256"], issuer=issuer,
                            options={"verify_exp": False, "verify_aud": False})
    except jwt.PyJWTError:
        return None
    if claims.get("token_use") != "access" or claims.get("exp", 0) <= now:
        return None
    return claims
