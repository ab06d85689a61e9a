"""Okta's reader of signed AuthnRequests (HTTP-POST binding) verifies with the world's one
verifier (world_common.xmldsig), keeping Okta's texts, and ignores the Signature Certificate's
validity dates (docs/fidelity/okta-saml.md#okta-saml-signed-request-certificate-dates).
Protocol level: no world needed."""
from __future__ import annotations

import base64
import datetime as dt
from types import SimpleNamespace

import pytest
from lxml import etree
from signxml import XMLSigner

from mock_okta.saml import authn_request
from mock_okta.saml.authn_request import RequestError
from world_common import keys, xmldsig
from world_common.saml_xml import SAML, SAMLP

SP_KEY = keys.rsa_key("tests/okta_saml signed-request sp")
NOW = dt.datetime.now(dt.timezone.utc)
CURRENT = keys.self_signed(SP_KEY, keys.name(CN="sp"), serial=1, not_before=NOW - dt.timedelta(days=1))
EXPIRED = keys.self_signed(SP_KEY, keys.name(CN="sp"), serial=2, not_before=NOW - dt.timedelta(days=400), days=365)
OTHER = keys.self_signed(keys.rsa_key("tests/okta_saml other sp"), keys.name(CN="other"), serial=3,
                         not_before=NOW - dt.timedelta(days=1))


def request_xml(request_id="_req1") -> etree._Element:
    root = etree.Element(f"{{{SAMLP}}}AuthnRequest", nsmap={"samlp": SAMLP, "saml": SAML}, ID=request_id,
                         Version="2.0", IssueInstant="2026-01-01T00:00:00Z",
                         AssertionConsumerServiceURL="https://sp.example.com/acs")
    etree.SubElement(root, f"{{{SAML}}}Issuer").text = "https://sp.example.com"
    return root


def signed(root=None) -> bytes:
    root = request_xml() if root is None else root
    signer = XMLSigner(c14n_algorithm="http://www.w3.org/2001/10/xml-exc-c14n#")
    return etree.tostring(signer.sign(root, key=keys.pem_private(SP_KEY), cert=keys.pem_cert(CURRENT).decode(),
                                      reference_uri="#" + root.get("ID")))


def post(xml: bytes, cert=CURRENT):
    saml = SimpleNamespace(saml_signed_request_enabled=True, request_certificate=keys.pem_cert(cert).decode())
    return authn_request.from_post(base64.b64encode(xml).decode(), saml)


def test_signed_post_requests_go_through_the_one_verifier(verifier_calls):
    seen = verifier_calls
    assert post(signed()).id == "_req1"
    assert seen == [("AuthnRequest", None)]       # no validity dates: see the module docstring


def test_an_expired_signature_certificate_still_verifies():
    assert post(signed(), cert=EXPIRED).acs_url == "https://sp.example.com/acs"


@pytest.mark.parametrize("case", ["unsigned", "other-certificate", "tampered", "signature-of-another-request"])
def test_refusals_keep_oktas_texts(case):
    xml, cert = signed(), CURRENT
    if case == "unsigned":
        xml = etree.tostring(request_xml())
    elif case == "other-certificate":
        cert = OTHER
    elif case == "tampered":
        xml = xml.replace(b"https://sp.example.com/acs", b"https://evil.example.com/acs")
    else:   # a genuine signature (of _req1) moved into another request
        genuine = etree.fromstring(xml)
        forged = request_xml("_req2")
        forged.append(genuine.find(f"{{{xmldsig.DS}}}Signature"))
        xml = etree.tostring(forged)
    with pytest.raises(RequestError) as refused:
        post(xml, cert)
    expected = ("The AuthnRequest is not signed, and the app requires signed requests." if case == "unsigned"
                else "The AuthnRequest signature is not valid for the app's Signature Certificate (")
    assert str(refused.value).startswith(expected)


def test_a_dtd_is_refused_before_any_signature_check():
    xml = b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + signed()
    with pytest.raises(RequestError, match="DTD"):
        post(xml)
