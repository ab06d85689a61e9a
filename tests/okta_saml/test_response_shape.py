"""The XML of our responses, setting by setting (issue 3 "SAML app settings", "Responses
shaped like Okta's"; docs/fidelity/okta-saml.md#okta-saml-idp rows named in each test)."""
import base64
import datetime as dt
import re
import zlib

import pytest
from cryptography import x509
from lxml import etree

from .saml_tools import (
    NS,
    SETTINGS_WORLD,
    SP_CERT,
    SP_KEY,
    idp_cert_pem,
    onelogin_settings,
    onelogin_validate,
    saml_response,
    sign_in,
    xmlsec1_verify,
)

pytestmark = pytest.mark.world(SETTINGS_WORLD)


def sso(w, label, login="alice@example.com", password="Alice-Passw0rd"):
    sign_in(w, login, password)
    app = w.world.okta_app(label)
    r = w.http.get(app.embed_link)
    assert r.status_code == 200, r.text
    action, xml, fields = saml_response(r.text)
    return app, action, xml, etree.fromstring(xml)


def parse_instant(text):
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ")


def attributes(root):
    return {a.get("Name"): (a.get("NameFormat"), [v.text for v in a.findall("saml2:AttributeValue", NS)])
            for a in root.iterfind(".//saml2:Attribute", NS)}


def test_layout_prefixes_ids_and_signature_placement(w):
    app, _, xml, root = sso(w, "Plain SP")
    # docs/fidelity/okta-saml.md#okta-saml-root-prefixes, docs/fidelity/okta-saml.md#okta-saml-serialization: one line, declaration with double quotes.
    assert xml.startswith(b'<?xml version="1.0" encoding="UTF-8"?><saml2p:Response ')
    assert b"\n" not in xml.split(b"?>", 1)[1].replace(b"&#10;", b"")
    assert root.tag == "{urn:oasis:names:tc:SAML:2.0:protocol}Response" and root.prefix == "saml2p"
    assertion = root.find("saml2:Assertion", NS)
    # docs/fidelity/okta-saml.md#okta-saml-message-ids
    for el in (root, assertion):
        assert re.fullmatch(r"id\d{26}", el.get("ID"))
    assert root.get("ID") != assertion.get("ID")
    # docs/fidelity/okta-saml.md#okta-saml-response-child-order, docs/fidelity/okta-saml.md#okta-saml-assertion-child-order, docs/fidelity/okta-saml.md#okta-saml-issuer-element-form
    assert [etree.QName(c).localname for c in root] == ["Issuer", "Signature", "Status", "Assertion"]
    assert [etree.QName(c).localname for c in assertion] == [
        "Issuer", "Signature", "Subject", "Conditions", "AuthnStatement", "AttributeStatement"]
    for issuer in (root[0], assertion[0]):
        assert issuer.get("Format") == "urn:oasis:names:tc:SAML:2.0:nameid-format:entity"
        assert issuer.text == app.entity_id and re.fullmatch(r"http://www\.okta\.com/exk\w{17}", issuer.text)
    # docs/fidelity/okta-saml.md#okta-saml-signature-layout
    for sig, el in ((root[1], root), (assertion[1], assertion)):
        assert sig.find(".//ds:CanonicalizationMethod", NS).get("Algorithm") == "http://www.w3.org/2001/10/xml-exc-c14n#"
        assert sig.find(".//ds:Reference", NS).get("URI") == "#" + el.get("ID")
        transforms = sig.findall(".//ds:Transform", NS)
        assert [t.get("Algorithm") for t in transforms] == [
            "http://www.w3.org/2000/09/xmldsig#enveloped-signature", "http://www.w3.org/2001/10/xml-exc-c14n#"]
        assert transforms[1].find("ec:InclusiveNamespaces", NS).get("PrefixList") == "xs"
        assert sig.find(".//ds:SignatureMethod", NS).get("Algorithm") == "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
        assert sig.find(".//ds:DigestMethod", NS).get("Algorithm") == "http://www.w3.org/2001/04/xmlenc#sha256"
        assert sig.findtext(".//ds:X509Certificate", namespaces=NS)
    assert root.find("saml2p:Status/saml2p:StatusCode", NS).get("Value") == "urn:oasis:names:tc:SAML:2.0:status:Success"


def test_subject_conditions_and_authn_statement(w):
    app, action, _, root = sso(w, "Plain SP")
    instant = parse_instant(root.get("IssueInstant"))
    assertion = root.find("saml2:Assertion", NS)
    assert assertion.get("IssueInstant") == root.get("IssueInstant")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", root.get("IssueInstant"))
    conditions = assertion.find("saml2:Conditions", NS)
    # docs/fidelity/okta-saml.md#okta-saml-validity-window: IssueInstant ± 5 minutes
    assert instant - parse_instant(conditions.get("NotBefore")) == dt.timedelta(minutes=5)
    assert parse_instant(conditions.get("NotOnOrAfter")) - instant == dt.timedelta(minutes=5)
    assert conditions.findtext("saml2:AudienceRestriction/saml2:Audience", namespaces=NS) == app.saml.audience
    confirmation = assertion.find("saml2:Subject/saml2:SubjectConfirmation", NS)
    assert confirmation.get("Method") == "urn:oasis:names:tc:SAML:2.0:cm:bearer"
    data = confirmation.find("saml2:SubjectConfirmationData", NS)
    assert data.get("Recipient") == app.saml.sso_url == root.get("Destination") == action
    assert parse_instant(data.get("NotOnOrAfter")) - instant == dt.timedelta(minutes=5)
    name_id = assertion.find("saml2:Subject/saml2:NameID", NS)
    assert name_id.text == "alice@example.com"
    assert name_id.get("Format") == "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
    authn = assertion.find("saml2:AuthnStatement", NS)
    assert re.fullmatch(r"id\d{13}\.\d+", authn.get("SessionIndex"))
    assert authn.findtext(".//saml2:AuthnContextClassRef", namespaces=NS) == (
        "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport")


def test_attribute_statements_and_group_attribute_statements(w):
    _, _, _, root = sso(w, "Plain SP")
    attrs = attributes(root)
    uri, basic, unspecified = ("urn:oasis:names:tc:SAML:2.0:attrname-format:" + f for f in ("uri", "basic", "unspecified"))
    assert attrs["email"] == (uri, ["alice@example.com"])
    assert attrs["fullName"] == (basic, ["Alice Liddell"])
    assert attrs["shortLogin"] == (unspecified, ["alice"])
    assert attrs["domain"] == (unspecified, ["EXAMPLE.COM"])
    assert attrs["joined"] == (unspecified, ["Alice|Liddell"])
    assert attrs["nicks"] == (unspecified, ["al,ally"])
    assert attrs["tier"] == (unspecified, ["eng"])
    assert "missing" not in attrs          # null expression: attribute omitted
    assert attrs["allGroups"][1] == ["Everyone", "engineering", "aws-admins"]
    assert attrs["awsGroups"][1] == ["aws-admins"]
    assert attrs["engGroup"][1] == ["engineering"]
    assert attrs["ineGroups"][1] == ["engineering"]
    value = root.find(".//saml2:AttributeValue", NS)
    assert value.get("{http://www.w3.org/2001/XMLSchema-instance}type") == "xs:string"


def test_sha1_assertion_only_separate_recipient_and_destination(w):
    app, action, xml, root = sso(w, "Legacy SHA1 Email", "bob@example.com", "Bob-Passw0rd")
    assert action == "https://legacy.example.com/acs"
    assert root.get("Destination") == "https://legacy.example.com/destination"
    assert root.find(".//saml2:SubjectConfirmationData", NS).get("Recipient") == "https://legacy.example.com/recipient"
    assert root.find("ds:Signature", NS) is None                     # Response signed = no
    sig = root.find("saml2:Assertion/ds:Signature", NS)
    assert sig.find(".//ds:SignatureMethod", NS).get("Algorithm") == "http://www.w3.org/2000/09/xmldsig#rsa-sha1"
    assert sig.find(".//ds:DigestMethod", NS).get("Algorithm") == "http://www.w3.org/2000/09/xmldsig#sha1"
    name_id = root.find(".//saml2:NameID", NS)
    assert name_id.get("Format") == "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
    assert name_id.text == "bob@example.com"
    assert root.findtext(".//saml2:AuthnContextClassRef", namespaces=NS) == "urn:oasis:names:tc:SAML:2.0:ac:classes:Password"
    assert xmlsec1_verify(xml, idp_cert_pem(w, app), "Assertion").returncode == 0


def test_encrypted_assertion_decrypts_with_another_library(w):
    app, action, xml, root = sso(w, "Encrypted SP")
    assert root.find("saml2:Assertion", NS) is None
    encrypted = root.find("saml2:EncryptedAssertion", NS)
    data = encrypted.find("xenc:EncryptedData", NS)
    # docs/fidelity/okta-saml.md#okta-saml-encrypted-assertion
    assert data.get("Type") == "http://www.w3.org/2001/04/xmlenc#Element"
    assert data.find("xenc:EncryptionMethod", NS).get("Algorithm") == "http://www.w3.org/2001/04/xmlenc#aes256-cbc"
    key = encrypted.find("xenc:EncryptedKey", NS)
    assert data.find("ds:KeyInfo/ds:RetrievalMethod", NS).get("URI") == "#" + key.get("Id")
    assert key.find("xenc:EncryptionMethod", NS).get("Algorithm") == "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p"
    assert [etree.QName(c).localname for c in root] == ["Issuer", "Signature", "Status", "EncryptedAssertion"]
    cert = idp_cert_pem(w, app)
    assert xmlsec1_verify(xml, cert, "Response").returncode == 0
    # python3-saml (libxmlsec1 through python-xmlsec) decrypts with the SP key.
    valid, response = onelogin_validate(onelogin_settings(app, cert, want_response_signed=True,
                                                          want_encrypted=True), xml, action)
    assert valid, response.get_error()
    assert response.get_nameid() == "ALICE"
    assert response.get_nameid_format() == "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"


def test_signing_certificate_is_shaped_like_oktas(w):
    app = w.world.okta_app("Plain SP")
    cert = x509.load_pem_x509_certificate(idp_cert_pem(w, app).encode())
    subject = cert.subject.rfc4514_string()
    for part in ("O=Okta", "OU=SSOProvider", "CN=acme", "C=US", "ST=California", "L=San Francisco"):
        assert part in subject
    assert cert.issuer == cert.subject and cert.public_key().key_size == 2048


def test_signed_request_required_and_checked(w):
    """docs/fidelity/okta-saml.md#okta-saml-signed-authnrequests: every request is validated with the uploaded cert."""
    app = w.world.okta_app("Signed Requests SP")
    sign_in(w, "alice@example.com", "Alice-Passw0rd")
    unsigned = ('<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_u1" Version="2.0" '
                'IssueInstant="2026-01-01T00:00:00Z"/>').encode()
    d = zlib.compressobj(9, zlib.DEFLATED, -15)
    r = w.http.get(app.sso_url, params={"SAMLRequest": base64.b64encode(d.compress(unsigned) + d.flush()).decode()})
    assert r.status_code == 400 and "not signed" in r.text
    from onelogin.saml2.auth import OneLogin_Saml2_Auth

    settings = onelogin_settings(app, idp_cert_pem(w, app), signed_requests=True)
    auth = OneLogin_Saml2_Auth({"https": "on", "http_host": "signed.example.com", "script_name": "/login"}, settings)
    url = auth.login(return_to="rs")
    r = w.http.get(url)
    assert r.status_code == 200, r.text
    action, xml, fields = saml_response(r.text)
    assert etree.fromstring(xml).get("InResponseTo") == auth.get_last_request_id()
    assert fields["RelayState"] == "rs"
    assert etree.fromstring(xml).find(".//saml2:NameID", NS).get("Format") == (
        "urn:oasis:names:tc:SAML:2.0:nameid-format:transient")
    tampered = url.replace("Signature=", "Signature=AAAA")
    r = w.http.get(tampered)
    assert r.status_code == 400 and "signature" in r.text.lower()


def test_signed_post_request_with_enveloped_signature(w):
    from onelogin.saml2.authn_request import OneLogin_Saml2_Authn_Request
    from onelogin.saml2.utils import OneLogin_Saml2_Utils

    app = w.world.okta_app("Signed Requests SP")
    sign_in(w, "alice@example.com", "Alice-Passw0rd")
    settings = onelogin_settings(app, idp_cert_pem(w, app), signed_requests=True)
    request_xml = OneLogin_Saml2_Authn_Request(settings).get_xml()
    signed = OneLogin_Saml2_Utils.add_sign(request_xml, SP_KEY, SP_CERT,
                                           sign_algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
                                           digest_algorithm="http://www.w3.org/2001/04/xmlenc#sha256")
    r = w.http.post(app.sso_url, data={"SAMLRequest": base64.b64encode(signed).decode()})
    assert r.status_code == 200, r.text
    r = w.http.post(app.sso_url, data={"SAMLRequest": base64.b64encode(
        signed.replace(b"signed.example.com/acs", b"signed.example.com/acsX")).decode()})
    assert r.status_code == 400 and "signature is not valid" in r.text


@pytest.mark.parametrize("label,fmt", [
    ("Plain SP", "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"),
    ("Legacy SHA1 Email", "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"),
    ("Signed Requests SP", "urn:oasis:names:tc:SAML:2.0:nameid-format:transient"),
    ("No Force SP", "urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName"),
])
def test_name_id_formats(w, label, fmt):
    """docs/fidelity/okta-saml.md#okta-saml-nameid-formats."""
    sign_in(w, "alice@example.com", "Alice-Passw0rd")
    r = w.http.get(w.world.okta_app(label).sso_url)
    _, xml, _ = saml_response(r.text)
    assert etree.fromstring(xml).find(".//saml2:NameID", NS).get("Format") == fmt


@pytest.mark.parametrize("cipher,transport,uri", [
    ("AES128_CBC", "RSA_OAEP", "http://www.w3.org/2001/04/xmlenc#aes128-cbc"),
    ("AES256_GCM", "RSA_OAEP", "http://www.w3.org/2009/xmlenc11#aes256-gcm"),
    ("AES256_CBC", "RSA_15", "http://www.w3.org/2001/04/xmlenc#aes256-cbc"),
])
def test_other_encryption_algorithms_decrypt_with_python3_saml(w, cipher, transport, uri):
    app = w.world.okta_app("Encrypted SP")
    saved = app.saml.encryption_algorithm, app.saml.key_transport_algorithm
    app.saml.encryption_algorithm, app.saml.key_transport_algorithm = cipher, transport
    try:
        app, action, xml, root = sso(w, "Encrypted SP")
    finally:
        app.saml.encryption_algorithm, app.saml.key_transport_algorithm = saved
    assert root.find(".//xenc:EncryptedData/xenc:EncryptionMethod", NS).get("Algorithm") == uri
    valid, response = onelogin_validate(onelogin_settings(app, idp_cert_pem(w, app), want_response_signed=True,
                                                          want_encrypted=True), xml, action)
    assert valid, response.get_error()
    assert response.get_nameid() == "ALICE"
