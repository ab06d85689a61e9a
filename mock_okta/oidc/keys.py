"""Each authorization server's signing keys and its JWKS (docs/fidelity/okta-oidc-api.md#okta-oidc-api-jwks, docs/fidelity/okta-oidc-api.md#okta-oidc-api-id-token-header).

Okta publishes two or three RS256 keys per server, any of which may sign; clients must pick the
key by ``kid``. A server here holds a current signing key and the next one, and after a
rotation also the previous one (so tokens signed before the rotation still verify), which
gives the 2–3 keys of the reference row. Keys are derived from the org, the server and a
generation number, so a JWKS cached by a client stays valid across runs of the same world.

The ``kid`` is the key's RFC 7638 JWK thumbprint: 43 base64url characters, the shape of the
kids Okta publishes (how Okta derives them is unconfirmed).
"""
from __future__ import annotations

import base64
import functools
import hashlib
import json
import threading
from dataclasses import dataclass

from world_common import keys as common_keys


def _b64(n: int) -> str:
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_key: object

    @property
    def public_key(self):
        return self.private_key.public_key()

    def jwk(self) -> dict:
        # Member order as in docs/fidelity/okta-oidc-api.md#okta-oidc-api-jwks.
        numbers = self.public_key.public_numbers()
        return {"alg": "RS256", "e": _b64(numbers.e), "n": _b64(numbers.n), "kid": self.kid,
                "kty": "RSA", "use": "sig"}


@functools.lru_cache(maxsize=256)
def _signing_key(seed: str) -> SigningKey:
    private = common_keys.rsa_key(seed)
    numbers = private.public_key().public_numbers()
    canonical = json.dumps({"e": _b64(numbers.e), "kty": "RSA", "n": _b64(numbers.n)},
                           separators=(",", ":"), sort_keys=True)
    kid = base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest()).rstrip(b"=").decode()
    return SigningKey(kid, private)


class KeyRing:
    """The keys of one authorization server: [previous], current (signs), next."""

    def __init__(self, seed: str) -> None:
        self._seed = seed
        self._lock = threading.Lock()
        self.generation = 0

    def _key(self, generation: int) -> SigningKey:
        return _signing_key(f"okta-oidc:{self._seed}:{generation}")

    @property
    def current(self) -> SigningKey:
        return self._key(self.generation)

    def published(self) -> list[SigningKey]:
        generation = self.generation
        gens = ([generation - 1] if generation > 0 else []) + [generation, generation + 1]
        return [self._key(g) for g in gens]

    def by_kid(self, kid: str) -> SigningKey | None:
        return next((k for k in self.published() if k.kid == kid), None)

    def rotate(self) -> SigningKey:
        """The next key becomes the signing key; the old one stays published for verification."""
        with self._lock:
            self.generation += 1
        return self.current

    def jwks(self) -> dict:
        return {"keys": [k.jwk() for k in self.published()]}
