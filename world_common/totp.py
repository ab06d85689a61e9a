"""RFC 6238 time-based one-time passwords (HMAC-SHA1, 6 digits, 30-second steps), as Google
Authenticator and Okta Verify compute them for a ``token:software:totp`` factor.

    code(secret_base32, at=clock.time())   # "123456"
    matches(secret_base32, "123456", at=clock.time(), window=1)
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import struct

STEP = 30
DIGITS = 6


def _key(secret: str) -> bytes:
    cleaned = secret.replace(" ", "").upper()
    return base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))


def code(secret: str, at: float, step_offset: int = 0) -> str:
    counter = int(at // STEP) + step_offset
    digest = hmac.new(_key(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10 ** DIGITS).zfill(DIGITS)


def matches(secret: str, candidate: str, at: float, window: int = 1) -> bool:
    """``candidate`` is the code of a step within ``window`` steps of ``at`` (clock skew)."""
    candidate = (candidate or "").strip()
    return any(hmac.compare_digest(code(secret, at, k), candidate) for k in range(-window, window + 1))


def valid_secret(secret: str) -> bool:
    try:
        return len(_key(secret)) >= 10
    except (ValueError, TypeError):
        return False
