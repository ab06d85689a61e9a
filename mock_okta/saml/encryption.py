"""``EncryptedAssertion`` as Okta writes it (docs/fidelity/okta-saml.md#okta-saml-encrypted-assertion):
``xenc:EncryptedData Type="…#Element"`` with the block cipher, a ``ds:RetrievalMethod`` to a
sibling ``xenc:EncryptedKey`` (RSA-OAEP MGF1P, DigestMethod SHA-1, or RSA 1.5) that carries the
SP's certificate in its KeyInfo; the Response signature stays outside.

XML Encryption 1.1 §5.2: CBC ciphertext is IV || ciphertext with the spec's padding; GCM is
IV (12 bytes) || ciphertext || tag.
"""
from __future__ import annotations

import base64
import functools
import os

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree

from world_common.saml_xml import DS, SAML, XENC

XENC11 = "http://www.w3.org/2009/xmlenc11#"

BLOCK_CIPHERS = {   # world-file name -> (URI, key bytes, GCM?)
    "AES256_CBC": (XENC + "aes256-cbc", 32, False),
    "AES128_CBC": (XENC + "aes128-cbc", 16, False),
    "AES256_GCM": (XENC11 + "aes256-gcm", 32, True),
    "AES128_GCM": (XENC11 + "aes128-gcm", 16, True),
}
KEY_TRANSPORTS = {
    "RSA_OAEP": XENC + "rsa-oaep-mgf1p",
    "RSA_15": XENC + "rsa-1_5",
}


class EncryptionError(ValueError):
    pass


@functools.lru_cache(maxsize=64)
def _certificate(pem: str):
    try:
        cert = x509.load_pem_x509_certificate(pem.encode() if "-----BEGIN" in pem else
                                              b"-----BEGIN CERTIFICATE-----\n" + pem.strip().encode()
                                              + b"\n-----END CERTIFICATE-----\n")
    except ValueError as exc:
        raise EncryptionError(f"the encryption certificate is not a PEM certificate: {exc}") from None
    return cert, base64.b64encode(cert.public_bytes(Encoding.DER)).decode()


def encrypted_assertion(assertion, cert_pem: str | None, cipher: str = "AES256_CBC",
                        key_transport: str = "RSA_OAEP"):
    if not cert_pem:
        raise EncryptionError("Assertion Encryption is on but no Encryption Certificate is configured")
    cert, cert_b64 = _certificate(cert_pem)
    uri, key_len, gcm = BLOCK_CIPHERS[cipher]
    key = os.urandom(key_len)
    plaintext = etree.tostring(assertion)
    if gcm:
        iv = os.urandom(12)
        ciphertext = iv + AESGCM(key).encrypt(iv, plaintext, None)
    else:
        iv = os.urandom(16)
        pad = 16 - len(plaintext) % 16
        padded = plaintext + os.urandom(pad - 1) + bytes([pad])
        encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
        ciphertext = iv + encryptor.update(padded) + encryptor.finalize()
    if key_transport == "RSA_15":
        wrapped = cert.public_key().encrypt(key, padding.PKCS1v15())
        digest = ""
    else:
        wrapped = cert.public_key().encrypt(
            key, padding.OAEP(mgf=padding.MGF1(hashes.SHA1()), algorithm=hashes.SHA1(), label=None))
        digest = f'<ds:DigestMethod Algorithm="{DS}sha1"/>'
    data_id = "_" + os.urandom(16).hex()
    key_id = "_" + os.urandom(16).hex()
    return etree.fromstring(
        f'<saml2:EncryptedAssertion xmlns:saml2="{SAML}">'
        f'<xenc:EncryptedData xmlns:xenc="{XENC}" Id="{data_id}" Type="{XENC}Element">'
        f'<xenc:EncryptionMethod Algorithm="{uri}"/>'
        f'<ds:KeyInfo xmlns:ds="{DS}"><ds:RetrievalMethod Type="{XENC}EncryptedKey" URI="#{key_id}"/></ds:KeyInfo>'
        f'<xenc:CipherData><xenc:CipherValue>{base64.b64encode(ciphertext).decode()}</xenc:CipherValue></xenc:CipherData>'
        f'</xenc:EncryptedData>'
        f'<xenc:EncryptedKey xmlns:xenc="{XENC}" xmlns:ds="{DS}" Id="{key_id}">'
        f'<xenc:EncryptionMethod Algorithm="{KEY_TRANSPORTS[key_transport]}">{digest}</xenc:EncryptionMethod>'
        f'<ds:KeyInfo xmlns:ds="{DS}"><ds:X509Data><ds:X509Certificate>{cert_b64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>'
        f'<xenc:CipherData><xenc:CipherValue>{base64.b64encode(wrapped).decode()}</xenc:CipherValue></xenc:CipherData>'
        f'<xenc:ReferenceList><xenc:DataReference URI="#{data_id}"/></xenc:ReferenceList>'
        f'</xenc:EncryptedKey></saml2:EncryptedAssertion>')
