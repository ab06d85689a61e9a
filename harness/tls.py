"""The harness's own certificate authority and the one server certificate for a world's hosts.

The CA is made once per machine (cached under the harness cache directory) and exported with
``harness env``; a leaf certificate covering every host of a world is cached by its host list.
EC P-256 keys: a few hundred microseconds to make, and every client here speaks ECDSA.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import os
import pathlib
import ssl
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID

from world_common.keys import cache_dir, name, pem_cert, pem_private


@dataclass
class ServerCredentials:
    ca_file: str
    cert_file: str
    key_file: str
    spki_sha256_b64: str

    def server_context(self) -> ssl.SSLContext:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(self.cert_file, self.key_file)
        ctx.set_alpn_protocols(["http/1.1"])
        return ctx


def _write(path: pathlib.Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + f".{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _ca(directory: pathlib.Path):
    cert_path, key_path = directory / "ca.pem", directory / "ca.key"
    if cert_path.exists() and key_path.exists():
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        if cert.not_valid_after_utc > _dt.datetime.now(_dt.timezone.utc) + _dt.timedelta(days=30):
            return cert, key
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
    _write(key_path, pem_private(key))
    _write(cert_path, pem_cert(cert))
    return cert, key


def credentials_for(hosts: list[str]) -> ServerCredentials:
    """The CA file and a server certificate (cached) valid for every name in ``hosts``."""
    directory = cache_dir() / "tls"
    ca_cert, ca_key = _ca(directory)
    digest = hashlib.sha256(("\n".join(sorted(hosts)) + ca_cert.fingerprint(hashes.SHA256()).hex()).encode()).hexdigest()[:24]
    cert_path, key_path = directory / f"server-{digest}.pem", directory / f"server-{digest}.key"
    if not (cert_path.exists() and key_path.exists()):
        key = ec.generate_private_key(ec.SECP256R1())
        now = _dt.datetime.now(_dt.timezone.utc) - _dt.timedelta(days=1)
        sans = [x509.DNSName(h) for h in sorted(set(hosts))]
        import ipaddress

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
        _write(key_path, pem_private(key))
        _write(cert_path, pem_cert(cert))
    else:
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    import base64

    spki = cert.public_key().public_bytes(serialization.Encoding.DER,
                                          serialization.PublicFormat.SubjectPublicKeyInfo)
    return ServerCredentials(
        ca_file=str(directory / "ca.pem"), cert_file=str(cert_path), key_file=str(key_path),
        spki_sha256_b64=base64.b64encode(hashlib.sha256(spki).digest()).decode(),
    )
