"""The world's one XML-DSig verifier (world_common.xmldsig) and safe parser (world_common.saml_xml):
what it accepts (signatures made by signxml, an implementation we did not write, in every
canonicalization SAML IdPs use) and each typed refusal the consumers map to their own texts."""
from __future__ import annotations

import datetime as dt

import pytest
from lxml import etree
from signxml import XMLSigner

from mock_okta.saml.signing import sign_after_issuer
from world_common import keys, xmldsig
from world_common.saml_xml import SAML, SAMLP, UnsafeXML, parse

KEY = keys.rsa_key("tests/saml_xml signer")
OTHER = keys.rsa_key("tests/saml_xml other signer")
START = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
CERT = keys.self_signed(KEY, keys.name(CN="signer"), serial=1, not_before=START, days=365)
OTHER_CERT = keys.self_signed(OTHER, keys.name(CN="other"), serial=2, not_before=START, days=365)
INSIDE = START + dt.timedelta(days=30)
AFTER = START + dt.timedelta(days=400)
EXC = "http://www.w3.org/2001/10/xml-exc-c14n#"


def assertion(assertion_id="_a1", name_id="alice@example.com") -> etree._Element:
    root = etree.Element(f"{{{SAML}}}Assertion", nsmap={"saml2": SAML}, ID=assertion_id, Version="2.0")
    etree.SubElement(root, f"{{{SAML}}}Issuer").text = "https://idp.example.org"
    subject = etree.SubElement(root, f"{{{SAML}}}Subject")
    etree.SubElement(subject, f"{{{SAML}}}NameID").text = name_id
    return root


def signed(element, *, c14n=EXC, key=KEY, cert=CERT, signature="rsa-sha256", digest="sha256"):
    signer = XMLSigner(signature_algorithm=signature, digest_algorithm=digest, c14n_algorithm=c14n)
    out = signer.sign(element, key=keys.pem_private(key), cert=keys.pem_cert(cert).decode(),
                      reference_uri="#" + element.get("ID"))
    return parse(etree.tostring(out))     # as a consumer reads it: from bytes, with the safe parser


@pytest.mark.parametrize("c14n", [EXC, "http://www.w3.org/2001/10/xml-exc-c14n#WithComments",
                                  "http://www.w3.org/TR/2001/REC-xml-c14n-20010315",
                                  "http://www.w3.org/2006/12/xml-c14n11"])
def test_signxml_signatures_verify_in_every_c14n(c14n):
    assert xmldsig.verify_enveloped(signed(assertion(), c14n=c14n), [OTHER_CERT, CERT], at=INSIDE) == CERT


def test_sha512_and_sha1_are_accepted():
    assert xmldsig.verify_enveloped(signed(assertion(), signature="rsa-sha512", digest="sha512"), [CERT]) == CERT
    # signxml refuses to sign with SHA-1; Okta's layout (mock_okta's signer) still offers it.
    element = assertion()
    sign_after_issuer(element, key=KEY, cert_b64="", signature_algorithm="RSA_SHA1", digest_algorithm="SHA1")
    assert xmldsig.verify_enveloped(parse(etree.tostring(element)), [CERT]) == CERT


def test_the_signed_element_inside_a_response_verifies_in_place():
    response = etree.Element(f"{{{SAMLP}}}Response", nsmap={"saml2p": SAMLP}, ID="_r1")
    response.append(etree.fromstring(etree.tostring(signed(assertion()))))
    root = parse(etree.tostring(response))
    assert xmldsig.verify_enveloped(root.find(f"{{{SAML}}}Assertion"), [CERT]) == CERT


def test_unsigned():
    with pytest.raises(xmldsig.NotSigned):
        xmldsig.verify_enveloped(assertion(), [CERT])
    assert not xmldsig.is_signed(assertion())


def test_tampered_content_is_a_digest_mismatch():
    element = signed(assertion())
    element.find(f".//{{{SAML}}}NameID").text = "mallory@example.com"
    with pytest.raises(xmldsig.DigestMismatch):
        xmldsig.verify_enveloped(element, [CERT])


def test_another_key_verifies_nothing():
    with pytest.raises(xmldsig.NoCertificateVerifies):
        xmldsig.verify_enveloped(signed(assertion(), key=OTHER, cert=OTHER_CERT), [CERT])


def test_certificate_dates_count_only_when_a_time_is_given():
    element = signed(assertion())
    assert xmldsig.verify_enveloped(element, [CERT]) == CERT
    with pytest.raises(xmldsig.CertificateNotValid):
        xmldsig.verify_enveloped(element, [CERT], at=AFTER)
    with pytest.raises(xmldsig.CertificateNotValid):
        xmldsig.verify_enveloped(element, [CERT], at=START - dt.timedelta(days=1))


def test_a_signature_moved_onto_another_element_is_refused():
    # Signature wrapping: the genuine signature of _a1 placed in a forged assertion _evil.
    genuine = signed(assertion())
    forged = assertion("_evil", "mallory@example.com")
    forged.append(genuine.find(f"{{{xmldsig.DS}}}Signature"))
    with pytest.raises(xmldsig.MalformedSignature):
        xmldsig.verify_enveloped(forged, [CERT])


def test_a_forged_element_with_the_signed_id_is_refused():
    genuine = signed(assertion())
    forged = assertion("_a1", "mallory@example.com")
    forged.append(etree.fromstring(etree.tostring(genuine.find(f"{{{xmldsig.DS}}}Signature"))))
    with pytest.raises(xmldsig.DigestMismatch):
        xmldsig.verify_enveloped(forged, [CERT])


def test_two_signatures_are_refused():
    element = signed(assertion())
    element.append(etree.fromstring(etree.tostring(element.find(f"{{{xmldsig.DS}}}Signature"))))
    with pytest.raises(xmldsig.MalformedSignature):
        xmldsig.verify_enveloped(element, [CERT])


def test_hmac_is_refused():
    element = signed(assertion())
    method = element.find(f".//{{{xmldsig.DS}}}SignatureMethod")
    method.set("Algorithm", "http://www.w3.org/2000/09/xmldsig#hmac-sha1")
    with pytest.raises(xmldsig.UnsupportedAlgorithm):
        xmldsig.verify_enveloped(element, [CERT])


def test_the_element_is_left_as_it_was():
    element = signed(assertion())
    before = etree.tostring(element)
    xmldsig.verify_enveloped(element, [CERT])
    assert etree.tostring(element) == before


def test_load_certificate_reads_pem_and_metadata_base64():
    pem = keys.pem_cert(CERT).decode()
    body = "".join(pem.splitlines()[1:-1])
    assert xmldsig.load_certificate(pem) == CERT == xmldsig.load_certificate("\n  " + body + "\n")
    with pytest.raises(ValueError):
        xmldsig.load_certificate("not a certificate")


@pytest.mark.parametrize("data", [
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>',
    b'<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><l>&b;&b;</l>',
    b"<not-closed", b"",
], ids=["xxe", "bomb", "not-xml", "empty"])
def test_the_safe_parser_refuses_dtds_and_bad_xml(data):
    with pytest.raises(UnsafeXML):
        parse(data)
