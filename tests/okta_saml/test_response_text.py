"""The response written as text in two forms (mock_okta.saml.response, docs/fidelity/okta-saml.md#okta-saml-serialization,
docs/fidelity/okta-saml.md#okta-saml-signature-layout): whatever the values, the bytes are
what lxml serializes for the same document, and every signature verifies with canonicalizations
we did not write (lxml's, through the world's verifier, and the xmlsec1 command line)."""
import base64

import pytest
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree

from harness.world import load
from mock_okta.app import create_app
from mock_okta.org import Org
from mock_okta.pages import autopost
from mock_okta.saml import response
from mock_okta.saml.keys import signing_key_and_cert
from world_common import xmldsig
from world_common.clock import Clock
from world_common.services import Services

from .saml_tools import NS, SETTINGS_WORLD, xmlsec1_verify

ODD = ["a & b <c> \"d\" 'e'", "tab\there nl\nhere cr\rhere crlf\r\nhere", "Jos\u00e9 \u20ac \U0001f600 \x85 \x7f",
       "]]> &amp; &#10;", "", "  spaced  "]
ATTRIBUTES = [(ODD[0], ODD[1], ODD), ("plain", "urn:oasis:names:tc:SAML:2.0:attrname-format:basic", ["x"]),
              (ODD[2], ODD[3], [])]


@pytest.fixture(scope="module")
def org():
    return Org(load(SETTINGS_WORLD).okta)


def _built(org, label, in_response_to=ODD[0] + ODD[2]):
    app = next(a for a in org.apps if a.label == label)
    user = org.user_by_login("alice@example.com")
    built = response.build(org, app, user, Services(clock=Clock(), http=None, aws_endpoint_url=""),
                           in_response_to=in_response_to, attributes=ATTRIBUTES)
    return app, built


@pytest.mark.parametrize("label", ["Plain SP", "Legacy SHA1 Email"])
def test_bytes_are_lxmls_serialization_and_signatures_verify(org, label):
    app, built = _built(org, label)
    body = built.xml.partition(b"?>")[2]
    root = etree.fromstring(built.xml)
    assert etree.tostring(root) == body   # the same bytes lxml writes for this document
    cert = signing_key_and_cert(org.org_url, app.id)[1]
    signed = [el for el in (root, root.find("saml2:Assertion", NS)) if xmldsig.is_signed(el)]
    assert len(signed) == (app.saml.response_signed + app.saml.assertion_signed)
    for element in signed:
        assert xmldsig.verify_enveloped(element, [cert]) is cert
    values = [v.text or "" for v in root.iterfind(".//saml2:AttributeValue", NS)]
    assert values == [v.replace("\r\n", "\n").replace("\r", "\n") for v in ODD] + ["x"]
    assert root.find(".//saml2:SubjectConfirmationData", NS).get("InResponseTo") == ODD[0] + ODD[2]


def test_xmlsec1_verifies_both_signatures_of_odd_values(org):
    app, built = _built(org, "Plain SP")
    pem = signing_key_and_cert(org.org_url, app.id)[1].public_bytes(Encoding.PEM).decode()
    for node in ("Response", "Assertion"):
        result = xmlsec1_verify(built.xml, pem, node)
        assert result.returncode == 0, result.stderr


def test_an_encrypted_assertions_response_is_signed_over_the_encrypted_element(org):
    app, built = _built(org, "Encrypted SP", in_response_to=None)
    root = etree.fromstring(built.xml)
    assert [etree.QName(c).localname for c in root] == ["Issuer", "Signature", "Status", "EncryptedAssertion"]
    cert = signing_key_and_cert(org.org_url, app.id)[1]
    assert xmldsig.verify_enveloped(root, [cert]) is cert
    assert base64.b64decode(built.b64) == built.xml


def test_the_auto_post_page_carries_the_base64_as_is_with_headers_in_okta_order(org):
    okta_app = create_app(load(SETTINGS_WORLD).okta, Services(clock=Clock(), http=None, aws_endpoint_url=""))
    with okta_app.test_request_context("/"):
        page = autopost.saml_response_page("https://sp.example.com/acs?a=1&b=2", "PD94+/=", 'r"s&<')
    html = page.get_data(as_text=True)
    assert '<input name="SAMLResponse" type="hidden" value="PD94+/="/>' in html
    assert '<input name="RelayState" type="hidden" value="r&quot;s&amp;&lt;"/>' in html
    assert list(page.headers.items()) == [("Content-Type", "text/html; charset=utf-8"),
                                          ("Content-Length", str(len(page.get_data()))),
                                          ("Cache-Control", "no-cache, no-store"), ("Pragma", "no-cache")]
