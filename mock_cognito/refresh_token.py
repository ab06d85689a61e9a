"""Cognito's refresh token: an encrypted JWT (JWE compact serialization, RFC 7516 §7.1).

Five base64url segments ``header.encrypted_key.iv.ciphertext.tag`` with the protected header
``{"cty":"JWT","enc":"A256GCM","alg":"RSA-OAEP"}``: opaque to clients, readable only by the
pool (docs/fidelity/cognito-triggers.md#cognito-triggers-refresh-token-shape). The key is the
pool's own (derived from its id, like the signing keys); the store, not the content, decides
whether a token is valid.
"""
from __future__ import annotations

import base64
import functools
import json
import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from world_common import keys

HEADER = {"cty": "JWT", "enc": "A256GCM", "alg": "RSA-OAEP"}
_OAEP = padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA1()), algorithm=hashes.SHA1(), label=None)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


_PROTECTED = _b64(json.dumps(HEADER, separators=(",", ":")).encode())   # the same for every token


@functools.lru_cache(maxsize=64)
def pool_key(pool_id: str):
    return keys.rsa_key(f"cognito-refresh:{pool_id}")


@functools.lru_cache(maxsize=64)
def _public_key(pool_id: str):
    return pool_key(pool_id).public_key()


def encrypt(pool_id: str, claims: dict) -> str:
    protected = _PROTECTED
    cek, iv = AESGCM.generate_key(bit_length=256), os.urandom(12)
    sealed = AESGCM(cek).encrypt(iv, json.dumps(claims, separators=(",", ":")).encode(), protected.encode())
    encrypted_key = _public_key(pool_id).encrypt(cek, _OAEP)
    return ".".join((protected, _b64(encrypted_key), _b64(iv), _b64(sealed[:-16]), _b64(sealed[-16:])))

