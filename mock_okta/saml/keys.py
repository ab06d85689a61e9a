"""Okta's per-app SAML signing key and certificate.

Shaped like Okta's (docs/fidelity/okta-saml.md#okta-saml-signing-certificate): RSA-2048, self-signed,
``sha256WithRSAEncryption``, subject = issuer = ``C=US, ST=California, L=San Francisco, O=Okta,
OU=SSOProvider, CN=<org subdomain>, emailAddress=info@okta.com``, serial = the creation time in
epoch milliseconds, valid 10 years + 1 minute, no extensions. Derived from the org and the app
(the "creation time" too), so the same world file always yields the same certificate.
"""
from __future__ import annotations

import datetime as _dt
import functools
import hashlib

from world_common import keys

_NOT_BEFORE = _dt.datetime(2025, 1, 1, tzinfo=_dt.timezone.utc)


@functools.lru_cache(maxsize=256)
def signing_key_and_cert(org_url: str, app_id: str):
    subdomain = org_url.split("//", 1)[-1].split(".", 1)[0]
    key = keys.rsa_key(f"okta-saml-signing:{org_url}:{app_id}")
    subject = keys.name(C="US", ST="California", L="San Francisco", O="Okta", OU="SSOProvider",
                        CN=subdomain, EMAIL="info@okta.com")
    # A stable "creation time" within 2025 for this app, so serials differ between apps.
    seconds = int.from_bytes(hashlib.sha256(f"{org_url}:{app_id}".encode()).digest()[:4], "big") % (365 * 86400)
    created = _NOT_BEFORE + _dt.timedelta(seconds=seconds)
    cert = keys.self_signed(key, subject, serial=int(created.timestamp() * 1000), not_before=created,
                            not_after=created.replace(year=created.year + 10) + _dt.timedelta(minutes=1))
    return key, cert
