"""The harness's own certificate authority and the one server certificate for a world's hosts.

The CA is made once per machine (cached under the harness cache directory) and exported with
``harness env``; a leaf certificate covering every host of a world is cached by its host list
and the CA (and made again if its names are not those hosts). Names may be wildcards
(``*.auth.<region>.amazoncognito.com``: prefix domains created after start). Both are created
under a file lock and written atomically, and a cached pair whose key does not match its
certificate (or a leaf the CA did not sign) is made again, so worlds started at the same
moment by several processes always agree on one CA.
EC P-256 keys: a few hundred microseconds to make, and every client here speaks ECDSA.
"""
from __future__ import annotations

import base64
import datetime as _dt
import hashlib
import ipaddress
import pathlib
import ssl
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID

from world_common.disk_cache import cache_dir, locked, write_atomic
from world_common.keys import name, pem_cert, pem_private


@dataclass
class ServerCredentials:
    ca_file: str
    cert_file: str
    key_file: str
    spki_sha256_b64: str
    ca_fingerprint_sha256: str = ""

    def server_context(self) -> ssl.SSLContext:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(self.cert_file, self.key_file)
        ctx.set_alpn_protocols(["http/1.1"])
        return ctx


def _load_pair(cert_path: pathlib.Path, key_path: pathlib.Path):
    """The cached certificate and key, or None when either is missing, unreadable, expiring
    within 30 days, or the key does not belong to the certificate (a pair left by an
    interrupted or racing writer)."""
    try:
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError):
        return None
    if cert.not_valid_after_utc <= _dt.datetime.now(_dt.timezone.utc) + _dt.timedelta(days=30):
        return None
    if cert.public_key().public_bytes(*_SPKI) != key.public_key().public_bytes(*_SPKI):
        return None
    return cert, key


_SPKI = (serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def _ca(directory: pathlib.Path):
    cert_path, key_path = directory / "ca.pem", directory / "ca.key"
    with locked(cert_path):
        pair = _load_pair(cert_path, key_path)
        if pair is not None:
            return pair
        key = ec.generate_private_key(ec.SECP256R1())
        subject = name(O="okta-aws-harness", CN="okta-aws-harness local CA")
        now = _dt.datetime.now(_dt.timezone.utc) - _dt.timedelta(days=1)
        cert = (
            x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + _dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                         content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False,
                                         encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256())
        )
        # Key first: a reader that finds a new certificate always finds its key (and the
        # pair check above catches anything else).
        write_atomic(key_path, pem_private(key))
        write_atomic(cert_path, pem_cert(cert), mode=0o644)
        return cert, key


def _leaf(directory: pathlib.Path, hosts: list[str], ca_cert, ca_key):
    digest = hashlib.sha256(("\n".join(sorted(hosts)) + ca_cert.fingerprint(hashes.SHA256()).hex()).encode()).hexdigest()[:24]
    cert_path, key_path = directory / f"server-{digest}.pem", directory / f"server-{digest}.key"
    with locked(cert_path):
        pair = _load_pair(cert_path, key_path)
        if pair is not None and pair[0].issuer == ca_cert.subject and _dns_names(pair[0]) == sorted(set(hosts)):
            try:
                pair[0].verify_directly_issued_by(ca_cert)
                return cert_path, key_path, pair[0]
            except (ValueError, TypeError, InvalidSignature):
                pass
        key = ec.generate_private_key(ec.SECP256R1())
        now = _dt.datetime.now(_dt.timezone.utc) - _dt.timedelta(days=1)
        sans = [x509.DNSName(h) for h in sorted(set(hosts))]
        sans.append(x509.IPAddress(ipaddress.ip_address("127.0.0.1")))
        cert = (
            x509.CertificateBuilder().subject_name(name(CN=sorted(hosts)[0]))
            .issuer_name(ca_cert.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + _dt.timedelta(days=397))
            .add_extension(x509.SubjectAlternativeName(sans), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256())
        )
        write_atomic(key_path, pem_private(key))
        write_atomic(cert_path, pem_cert(cert), mode=0o644)
        return cert_path, key_path, cert


def _dns_names(cert) -> list[str]:
    try:
        names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return []
    return sorted(names.get_values_for_type(x509.DNSName))


def credentials_for(hosts: list[str]) -> ServerCredentials:
    """The CA file and a server certificate (cached) valid for every name in ``hosts``."""
    directory = cache_dir() / "tls"
    ca_cert, ca_key = _ca(directory)
    cert_path, key_path, cert = _leaf(directory, hosts, ca_cert, ca_key)
    spki = cert.public_key().public_bytes(*_SPKI)
    return ServerCredentials(
        ca_file=str(directory / "ca.pem"), cert_file=str(cert_path), key_file=str(key_path),
        spki_sha256_b64=base64.b64encode(hashlib.sha256(spki).digest()).decode(),
        ca_fingerprint_sha256=ca_cert.fingerprint(hashes.SHA256()).hex(),
    )
