"""A JWT's header and claims read without verifying it: what a report, a probe or an explanation
shows of a token the harness has already checked (or only describes). The one place that
decodes a compact JWT by hand."""
from __future__ import annotations

import base64
import binascii
import json
import re

JWT_RE = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")


def jwt_parts(token: str) -> tuple[dict, dict] | None:
    """(header, claims) of a JWT, unverified; None when it is not one."""
    if not JWT_RE.match(token or ""):
        return None
    try:
        header, claims = (json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)))
                          for p in token.split(".")[:2])
    except (binascii.Error, ValueError):
        return None
    return (header, claims) if isinstance(header, dict) and isinstance(claims, dict) else None
