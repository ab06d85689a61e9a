"""Random identifiers in the shapes the imitated services use.

:func:`uuid4` is ``str(uuid.uuid4())``, made without the :class:`uuid.UUID` object: the same 16
random bytes from ``os.urandom`` with the same version (4) and variant (RFC 4122) bits, formatted
8-4-4-4-12 in lower-case hex (~0.9 us instead of ~2 us; a Cognito sign-in makes six: codes,
token ``jti``/``origin_jti``/``event_id``, the refresh token's ``jti``).
"""
from __future__ import annotations

import os


def uuid4() -> str:
    """A random (version 4) UUID as text, e.g. ``"1b4e28ba-2fa1-41d2-883f-0016d3cca427"``."""
    raw = bytearray(os.urandom(16))
    raw[6] = raw[6] & 0x0F | 0x40   # version 4
    raw[8] = raw[8] & 0x3F | 0x80   # variant: RFC 4122
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
