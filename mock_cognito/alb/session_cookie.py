"""The ALB's authentication session cookie (docs/fidelity/alb.md#alb-cookies).

The session (tokens and claims) travels in the browser's cookie, encrypted, split into
``<SessionCookieName>-0``, ``-1``, … shards of at most 4 KB, 4 shards (16 KB) at most; more
than 11 KB of claims and token is refused with HTTP 500 ``ELBAuthUserClaimsSizeExceeded``.
"""
from __future__ import annotations

import base64
import hashlib
import json
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

SHARD_SIZE = 4000          # below the 4 KB cookie limit, with room for the name and attributes
MAX_SHARDS = 4             # "max 16 KB, 4 shards"
CLAIMS_LIMIT = 11 * 1024   # "claims+token > 11 KB → HTTP 500 + ELBAuthUserClaimsSizeExceeded"


class ClaimsTooLarge(Exception):
    pass


def _key(lb_arn: str) -> bytes:
    return hashlib.sha256(f"alb-session:{lb_arn}".encode()).digest()


def encode(session: dict, lb_arn: str, cookie_name: str) -> list[tuple[str, str]]:
    claims_size = len(json.dumps(session.get("claims", {}))) + len(session.get("access_token", ""))
    if claims_size > CLAIMS_LIMIT:
        raise ClaimsTooLarge(claims_size)
    nonce = os.urandom(12)
    blob = base64.urlsafe_b64encode(nonce + AESGCM(_key(lb_arn)).encrypt(
        nonce, json.dumps(session, separators=(",", ":")).encode(), None)).decode()
    shards = [blob[i:i + SHARD_SIZE] for i in range(0, len(blob), SHARD_SIZE)]
    if len(shards) > MAX_SHARDS:
        raise ClaimsTooLarge(len(blob))
    return [(f"{cookie_name}-{i}", shard) for i, shard in enumerate(shards)]


def decode(cookies: dict, lb_arn: str, cookie_name: str) -> dict | None:
    shards = []
    for i in range(MAX_SHARDS):
        value = cookies.get(f"{cookie_name}-{i}")
        if value is None:
            break
        shards.append(value)
    if not shards:
        return None
    try:
        raw = base64.urlsafe_b64decode("".join(shards))
        return json.loads(AESGCM(_key(lb_arn)).decrypt(raw[:12], raw[12:], None))
    except Exception:  # tampered, truncated or from another load balancer
        return None
