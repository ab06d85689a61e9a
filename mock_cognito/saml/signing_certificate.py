"""The user pool's SAML signing key and certificate (docs/fidelity/cognito-federation.md#cognito-federation-user-pool-saml-signing-certificate: one per pool, X.509, 10-year validity; "Signed AuthnRequests"; "Signing scope":
all SLO requests are signed). Deterministic per pool id, so an IdP configured with it once
keeps working across runs of the same world."""
from __future__ import annotations

import datetime as _dt
import functools

from world_common import keys


@functools.lru_cache(maxsize=64)
def signing_key(pool_id: str):
    return keys.rsa_key(f"cognito-saml-signing:{pool_id}")


@functools.lru_cache(maxsize=64)
def signing_certificate(pool_id: str):
    # Subject shape of the real certificate: unconfirmed.
    return keys.self_signed(signing_key(pool_id), keys.name(C="US", O="Amazon Cognito", CN=pool_id), serial=1,
                            not_before=_dt.datetime(2024, 1, 1, tzinfo=_dt.timezone.utc), days=3650)


def certificate_b64(pool_id: str) -> str:
    """As GetSigningCertificate returns it: the base64 DER body."""
    return keys.cert_body_b64(signing_certificate(pool_id))


@functools.lru_cache(maxsize=64)
def encryption_key(pool_id: str, provider_name: str):
    """docs/fidelity/cognito-federation.md#cognito-federation-encrypted-assertions: the per-IdP RSA key Cognito generates."""
    return keys.rsa_key(f"cognito-saml-encryption:{pool_id}:{provider_name}")


@functools.lru_cache(maxsize=64)
def encryption_certificate(pool_id: str, provider_name: str):
    """``ProviderDetails.ActiveEncryptionCertificate`` (DescribeIdentityProvider)."""
    return keys.self_signed(encryption_key(pool_id, provider_name),
                            keys.name(C="US", O="Amazon Cognito", CN=f"{pool_id}:{provider_name}"), serial=2,
                            not_before=_dt.datetime(2024, 1, 1, tzinfo=_dt.timezone.utc), days=3650)
