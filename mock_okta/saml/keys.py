"""Okta's per-app SAML signing key and certificate.

Shaped like Okta's (okta-aws.md §1): RSA-2048, self-signed, subject
``C=US, ST=California, L=San Francisco, O=Okta, OU=SSOProvider, CN=<org subdomain>,
emailAddress=info@okta.com``, ten years. Derived from the org and the app, so the same world
file always yields the same certificate.
"""
from __future__ import annotations

import datetime as _dt
import functools

from world_common import keys

_NOT_BEFORE = _dt.datetime(2025, 1, 1, tzinfo=_dt.timezone.utc)


@functools.lru_cache(maxsize=256)
def signing_key_and_cert(org_url: str, app_id: str):
    subdomain = org_url.split("//", 1)[-1].split(".", 1)[0]
    key = keys.rsa_key(f"okta-saml-signing:{org_url}:{app_id}")
    subject = keys.name(C="US", ST="California", L="San Francisco", O="Okta", OU="SSOProvider",
                        CN=subdomain, EMAIL="info@okta.com")
    serial = int.from_bytes(app_id.encode()[:8].ljust(8, b"\0"), "big") or 1
    cert = keys.self_signed(key, subject, serial=serial, not_before=_NOT_BEFORE, days=3650)
    return key, cert
