"""docs/fidelity/okta-saml.md#okta-saml-signing-certificate: serial = creation time in epoch ms, 10 years + 1 minute,
self-signed with Okta's subject, no extensions; the same world gives the same certificate."""
from __future__ import annotations

import base64
import datetime as dt

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree

from harness.world import load

DS = "{http://www.w3.org/2000/09/xmldsig#}"


def _metadata_cert(world, label):
    app = world.world.okta_app(label)
    body = world.http.get(app.metadata_url).content
    node = etree.fromstring(body).find(f".//{DS}X509Certificate")
    return x509.load_der_x509_certificate(base64.b64decode(node.text))


def test_certificate_shape(world):
    cert = _metadata_cert(world, "Cognito SAML")
    created = cert.not_valid_before_utc
    assert cert.serial_number == int(created.timestamp() * 1000)
    assert cert.not_valid_after_utc == created.replace(year=created.year + 10) + dt.timedelta(minutes=1)
    assert cert.subject == cert.issuer
    assert cert.subject.rfc4514_string() == (
        "1.2.840.113549.1.9.1=info@okta.com,CN=dev-123456,OU=SSOProvider,O=Okta,L=San Francisco,ST=California,C=US")
    assert len(cert.extensions) == 0
    assert cert.signature_hash_algorithm.name == "sha256"
    assert cert.public_key().key_size == 2048


def test_each_app_has_its_own_certificate_and_it_is_stable(world):
    first = _metadata_cert(world, "Cognito SAML")
    other = _metadata_cert(world, "AWS Account Federation")
    assert first.serial_number != other.serial_number
    assert first.public_key().public_numbers() != other.public_key().public_numbers()
    # the IAM SAML provider of the same world file carries the same certificate (stable ids)
    assert base64.b64encode(other.public_bytes(Encoding.DER)).decode() in load().aws.SAMLProviders[0].SAMLMetadataDocument
