"""Keys and certificates that are the same every time the same world is loaded.

An Okta signing certificate pasted once into IaC must stay valid, so keys are derived from a
seed (the world's identity plus the key's purpose): primes come from a deterministic generator
(SHA-256 in counter mode, Miller-Rabin with GMP's modular exponentiation through gmpy2: about
10x faster than Python's own ``pow``, and the same primes), then the key is cached on disk so
later starts cost a file read (~0.1 ms). One seed is derived once: a lock per seed, across
threads and processes (:mod:`world_common.disk_cache`).
"""
from __future__ import annotations

import base64
import datetime as _dt
import functools
import hashlib
import threading

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from .disk_cache import cache_dir, locked, write_atomic

__all__ = ["cache_dir", "rsa_key", "ec_key", "pem_private", "pem_cert", "cert_body_b64", "name", "self_signed"]

_SMALL_PRIMES = [p for p in range(3, 2000) if all(p % d for d in range(2, int(p**0.5) + 1))]
_lock = threading.Lock()
_memo: dict[tuple, object] = {}


class _Stream:
    """SHA-256 in counter mode: a reproducible stream of random bits from a seed."""

    def __init__(self, seed: str) -> None:
        self._seed = seed.encode()
        self._counter = 0

    def bits(self, n: int) -> int:
        out = b""
        while len(out) * 8 < n:
            out += hashlib.sha256(self._seed + self._counter.to_bytes(8, "big")).digest()
            self._counter += 1
        return int.from_bytes(out, "big") >> (len(out) * 8 - n)


def _probably_prime(n: int, stream: _Stream, rounds: int = 40) -> bool:
    """Whether ``n`` is prime, consuming the stream exactly as the original derivation did
    (Miller-Rabin with ``rounds`` witnesses drawn from the stream: a composite fails at the first
    witness, a prime passes all), so every key stays the one it always was. The decision itself
    is GMP's Baillie-PSW test, a few modular exponentiations instead of forty."""
    gmpy2 = _gmpy2()
    if gmpy2.gcd(n, _small_product()) != 1:
        return n in _SMALL_PRIMES
    prime = gmpy2.is_bpsw_prp(n)
    for _ in range(rounds if prime else 1):
        stream.bits(n.bit_length())
    return bool(prime)


@functools.lru_cache(maxsize=1)
def _gmpy2():
    import gmpy2  # lazy: only deriving a key needs it (a cache miss), and it costs ~10 ms to import

    return gmpy2


@functools.lru_cache(maxsize=1)
def _small_product():
    product = _gmpy2().mpz(1)
    for p in _SMALL_PRIMES:
        product *= p
    return product


def _prime(bits: int, stream: _Stream, e: int) -> int:
    while True:
        candidate = stream.bits(bits) | (1 << (bits - 1)) | (1 << (bits - 2)) | 1
        if (candidate - 1) % e and _probably_prime(candidate, stream):
            return candidate


def _derive_rsa(seed: str, bits: int) -> rsa.RSAPrivateKey:
    stream = _Stream(seed)
    e = 65537
    while True:
        p = _prime(bits // 2, stream, e)
        q = _prime(bits // 2, stream, e)
        if p != q and (p * q).bit_length() == bits:
            break
    if p < q:
        p, q = q, p
    n = p * q
    d = pow(e, -1, (p - 1) * (q - 1))
    numbers = rsa.RSAPrivateNumbers(
        p=p, q=q, d=d, dmp1=d % (p - 1), dmq1=d % (q - 1), iqmp=pow(q, -1, p),
        public_numbers=rsa.RSAPublicNumbers(e, n),
    )
    return numbers.private_key()


def rsa_key(seed: str, bits: int = 2048) -> rsa.RSAPrivateKey:
    """The RSA key for ``seed``: the same key on every machine, loaded once per process and
    derived at most once per machine, however many threads and processes ask at once."""
    memo_key = ("rsa", seed, bits)
    with _lock:
        if memo_key in _memo:
            return _memo[memo_key]  # type: ignore[return-value]
    name = hashlib.sha256(f"rsa{bits}:{seed}".encode()).hexdigest()[:32] + ".pem"
    path = cache_dir() / "keys" / name
    with locked(path):
        with _lock:
            if memo_key in _memo:  # another thread derived it while this one waited
                return _memo[memo_key]  # type: ignore[return-value]
        key = _load_cached(path, bits)
        if key is None:
            key = _derive_rsa(seed, bits)
            write_atomic(path, pem_private(key))
        with _lock:
            _memo[memo_key] = key
    return key


def _load_cached(path, bits: int) -> rsa.RSAPrivateKey | None:
    """The cached key, or None when it is missing or not a whole RSA key of the right size."""
    try:
        # We wrote this file ourselves; re-validating the primes costs ~40 ms a key.
        key = serialization.load_pem_private_key(path.read_bytes(), password=None,
                                                 unsafe_skip_rsa_key_validation=True)
    except (OSError, ValueError, TypeError):
        return None
    if not isinstance(key, rsa.RSAPrivateKey) or key.key_size != bits:
        return None
    return key


def ec_key() -> ec.EllipticCurvePrivateKey:
    """A fresh P-256 key (cheap: ~0.1 ms); used where stability across runs does not matter."""
    return ec.generate_private_key(ec.SECP256R1())


def pem_private(key) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def pem_cert(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def cert_body_b64(cert: x509.Certificate) -> str:
    """The base64 DER body, as it stands in <ds:X509Certificate> and in SAML metadata."""
    return base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()


def name(**parts: str) -> x509.Name:
    oids = {
        "C": NameOID.COUNTRY_NAME, "ST": NameOID.STATE_OR_PROVINCE_NAME, "L": NameOID.LOCALITY_NAME,
        "O": NameOID.ORGANIZATION_NAME, "OU": NameOID.ORGANIZATIONAL_UNIT_NAME,
        "CN": NameOID.COMMON_NAME, "EMAIL": NameOID.EMAIL_ADDRESS,
    }
    return x509.Name([x509.NameAttribute(oids[k], v) for k, v in parts.items()])


def self_signed(key, subject: x509.Name, *, serial: int, not_before: _dt.datetime,
                days: int = 3650, sha1: bool = False, not_after: _dt.datetime | None = None) -> x509.Certificate:
    """A self-signed certificate whose bytes depend only on its inputs (deterministic)."""
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(not_before)
        .not_valid_after(not_after or not_before + _dt.timedelta(days=days))
    )
    # RSA PKCS#1 v1.5 signatures are deterministic, so the same key gives the same cert bytes.
    return builder.sign(key, hashes.SHA1() if sha1 else hashes.SHA256())
