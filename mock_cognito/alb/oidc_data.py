"""The ``x-amzn-oidc-data`` header exactly as the ALB makes it (docs/fidelity/alb.md#alb-authenticate-cognito).

* ES256, header ``{"typ":"JWT","kid":"<uuid>","alg":"ES256","iss":…,"client":…,"signer":<ALB ARN>,
  "exp":…}`` — the metadata lives in the protected header (row "x-amzn-oidc-data header").
* Payload: the userInfo claims plus ``exp`` and ``iss`` (row "x-amzn-oidc-data payload").
* base64url segments WITH ``=`` padding, the signature computed over the padded segments, the
  64-byte raw R‖S signature also padded (row "Encoding quirk"): standard JWT libraries reject it.
* The public key, PEM, at ``https://public-keys.auth.elb.<region>.amazonaws.com/<kid>`` (row
  "Public key URL").
"""
from __future__ import annotations

import base64
import functools
import hashlib
import json
import uuid

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature


def _b64_padded(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode()


@functools.lru_cache(maxsize=64)
def signing_key(region: str, lb_arn: str) -> tuple[str, ec.EllipticCurvePrivateKey]:
    """(kid, key): a P-256 key derived from the load balancer (stable across runs, ~0.1 ms)."""
    seed = hashlib.sha256(f"alb-oidc-data:{region}:{lb_arn}".encode()).digest()
    order = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
    key = ec.derive_private_key(int.from_bytes(seed, "big") % (order - 1) + 1, ec.SECP256R1())
    kid = str(uuid.UUID(bytes=hashlib.sha256(seed).digest()[:16], version=4))
    return kid, key


def public_key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo)


def encode(claims: dict, *, kid: str, key: ec.EllipticCurvePrivateKey, issuer: str, client_id: str,
           signer: str, exp: int) -> str:
    header = {"typ": "JWT", "kid": kid, "alg": "ES256", "iss": issuer, "client": client_id,
              "signer": signer, "exp": exp}
    payload = dict(claims, exp=exp, iss=issuer)
    signing_input = (_b64_padded(json.dumps(header, separators=(",", ":")).encode()) + "."
                     + _b64_padded(json.dumps(payload, separators=(",", ":")).encode()))
    r, s = decode_dss_signature(key.sign(signing_input.encode(), ec.ECDSA(hashes.SHA256())))
    signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    return signing_input + "." + _b64_padded(signature)


def decode(token: str, public_pem: bytes) -> tuple[dict, dict]:
    """Verify as AWS documents for consumers: ES256 over the padded segments. Raises ValueError."""
    try:
        head_b64, payload_b64, sig_b64 = token.split(".")
        signature = base64.urlsafe_b64decode(sig_b64)
        public = serialization.load_pem_public_key(public_pem)
        der = encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))
        public.verify(der, f"{head_b64}.{payload_b64}".encode(), ec.ECDSA(hashes.SHA256()))
        return (json.loads(base64.urlsafe_b64decode(head_b64)), json.loads(base64.urlsafe_b64decode(payload_b64)))
    except Exception as exc:  # any malformed or unverifiable token
        raise ValueError(f"x-amzn-oidc-data does not verify: {exc}") from None
