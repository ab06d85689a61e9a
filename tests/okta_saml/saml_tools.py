"""Helpers for the okta_saml tests: sign in over HTTP, read the auto-post form, and check
responses with implementations we did not write (the xmlsec1 CLI, python3-saml)."""
from __future__ import annotations

import base64
import os
import pathlib
import subprocess
import tempfile
import urllib.parse

import lxml.html
from lxml import etree

HERE = pathlib.Path(__file__).parent
SETTINGS_WORLD = str(HERE / "worlds" / "saml_settings.yaml")
SP_CERT = (HERE / "worlds" / "sp.crt").read_text()
SP_KEY = (HERE / "worlds" / "sp.key").read_text()
NS = {"saml2p": "urn:oasis:names:tc:SAML:2.0:protocol", "saml2": "urn:oasis:names:tc:SAML:2.0:assertion",
      "ds": "http://www.w3.org/2000/09/xmldsig#", "xenc": "http://www.w3.org/2001/04/xmlenc#",
      "md": "urn:oasis:names:tc:SAML:2.0:metadata", "ec": "http://www.w3.org/2001/10/xml-exc-c14n#"}


def org_url(world) -> str:
    return world.world.okta.org_url


def sign_in(world, login: str, password: str) -> None:
    """Sign in through the org's sign-in page (sets sid/DT on world.http)."""
    r = world.http.post(f"{org_url(world)}/login/login.htm?fromURI=%2Fapp%2FUserHome",
                        data={"username": login, "password": password}, allow_redirects=False)
    assert r.status_code == 302, r.text
    assert "sid" in r.cookies


def form(html: str) -> tuple[str, dict]:
    """The auto-post form's action and fields."""
    doc = lxml.html.fromstring(html)
    forms = doc.xpath('//form[@id="appForm"]')
    assert forms, html[:2000]
    f = forms[0]
    assert f.get("method") == "POST"
    return f.get("action"), {i.get("name"): i.get("value") for i in f.xpath(".//input[@type='hidden']")}


def saml_response(html: str) -> tuple[str, bytes, dict]:
    action, fields = form(html)
    return action, base64.b64decode(fields["SAMLResponse"]), fields


def idp_cert_pem(world, app) -> str:
    """The signing certificate as the public metadata URL publishes it."""
    xml = world.http.get(app.metadata_url).content
    b64 = etree.fromstring(xml).findtext(".//ds:X509Certificate", namespaces=NS).strip()
    return "-----BEGIN CERTIFICATE-----\n" + b64 + "\n-----END CERTIFICATE-----\n"


def xmlsec1_verify(xml: bytes, cert_pem: str, node: str = "Response") -> subprocess.CompletedProcess:
    """Verify one signature with the xmlsec1 command line (``node``: Response or Assertion)."""
    with tempfile.TemporaryDirectory() as tmp:
        doc, cert = os.path.join(tmp, "doc.xml"), os.path.join(tmp, "cert.pem")
        pathlib.Path(doc).write_bytes(xml)
        pathlib.Path(cert).write_text(cert_pem)
        xpath = ("/*/*[local-name()='Signature']" if node == "Response"
                 else "//*[local-name()='Assertion']/*[local-name()='Signature']")
        return subprocess.run(
            ["xmlsec1", "--verify", "--pubkey-cert-pem", cert, "--node-xpath", xpath,
             "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:protocol:Response",
             "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:assertion:Assertion",
             "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:protocol:LogoutResponse", doc],
            capture_output=True, text=True)


def onelogin_settings(app, idp_cert: str, *, acs: str | None = None, signed_requests: bool = False,
                      want_response_signed: bool = False, want_assertion_signed: bool = False,
                      want_encrypted: bool = False, slo: str | None = None):
    from onelogin.saml2.settings import OneLogin_Saml2_Settings

    saml = app.saml
    data = {
        "strict": True, "debug": False,
        "sp": {"entityId": saml.audience,
               "assertionConsumerService": {"url": acs or saml.sso_url,
                                            "binding": "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"},
               "singleLogoutService": {"url": slo or "https://sp.example.com/saml/slo",
                                       "binding": "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"},
               "NameIDFormat": "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified",
               "x509cert": SP_CERT, "privateKey": SP_KEY},
        "idp": {"entityId": app.entity_id,
                "singleSignOnService": {"url": app.sso_url,
                                        "binding": "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"},
                "singleLogoutService": {"url": app.sso_url.replace("/sso/saml", "/slo/saml"),
                                        "binding": "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"},
                "x509cert": idp_cert},
        "security": {"authnRequestsSigned": signed_requests, "logoutRequestSigned": signed_requests,
                     "wantMessagesSigned": want_response_signed, "wantAssertionsSigned": want_assertion_signed,
                     "wantAssertionsEncrypted": want_encrypted, "wantNameId": True, "wantAttributeStatement": False,
                     "rejectDeprecatedAlgorithm": False,
                     "signatureAlgorithm": "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
                     "digestAlgorithm": "http://www.w3.org/2001/04/xmlenc#sha256"},
    }
    return OneLogin_Saml2_Settings(data)


def onelogin_validate(settings, xml: bytes, acs_url: str, request_id: str | None = None):
    """python3-saml as the SP: signature, audience, recipient, destination, time window."""
    from onelogin.saml2.response import OneLogin_Saml2_Response

    parts = urllib.parse.urlsplit(acs_url)
    request_data = {"https": "on", "http_host": parts.hostname,
                    "script_name": parts.path, "get_data": {}, "post_data": {}}
    response = OneLogin_Saml2_Response(settings, base64.b64encode(xml).decode())
    valid = response.is_valid(request_data, request_id, raise_exceptions=False)
    return valid, response
