"""Cognito's token signing keys and JWKS (cognito.md §4 "JWT header", "Discovery / JWKS").

Two RS256 keys per pool (ID and access tokens use different ``kid``s), derived from the pool id
so a JWKS URL cached by an app stays valid across runs of the same world.
"""
from __future__ import annotations

import base64
import functools
import hashlib

from world_common import keys


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


def jwks_for_pool(aws, pool) -> dict:
    entries = []
    for kid, key in signing_keys(pool.Id).values():
        numbers = key.public_key().public_numbers()
        entries.append({"alg": "RS256", "e": _b64(numbers.e), "kid": kid, "kty": "RSA",
                        "n": _b64(numbers.n), "use": "sig"})
    return {"keys": entries}
