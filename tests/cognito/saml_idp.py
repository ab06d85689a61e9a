"""An external SAML IdP written by the tests: Responses built with lxml and signed with signxml
(an implementation the mock does not use to sign), keys from ``world_common.keys`` matching the
certificates in ``worlds/external_idp.yaml``."""
from __future__ import annotations

import base64
import datetime as dt
import secrets
import zlib
from urllib.parse import parse_qs, urlsplit

from lxml import etree
from signxml import XMLSigner

from world_common import keys

SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"
SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
DS = "http://www.w3.org/2000/09/xmldsig#"
IDP_ENTITY = "https://idp.example.org/metadata"
EMAIL_CLAIM = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"

IDP_KEY = keys.rsa_key("tests/cognito external idp")
OTHER_KEY = keys.rsa_key("tests/cognito other idp")        # the second certificate in the metadata
ROGUE_KEY = keys.rsa_key("tests/cognito rogue idp")        # in no metadata


def _cert(key, cn: str, serial: int):
    return keys.self_signed(key, keys.name(CN=cn), serial=serial,
                            not_before=dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc), days=3650)


CERTS = {id(IDP_KEY): _cert(IDP_KEY, "idp.example.org", 7), id(OTHER_KEY): _cert(OTHER_KEY, "other.example.org", 8),
         id(ROGUE_KEY): _cert(ROGUE_KEY, "idp.example.org", 9)}


def instant(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _sign(element, key):
    cert = CERTS[id(key)]
    signer = XMLSigner(signature_algorithm="rsa-sha256", digest_algorithm="sha256",
                       c14n_algorithm="http://www.w3.org/2001/10/xml-exc-c14n#")
    return signer.sign(element, key=keys.pem_private(key), cert=keys.pem_cert(cert).decode(),
                       reference_uri="#" + element.get("ID"))


def build_response(*, now: dt.datetime, name_id: str, acs_url: str, audience: str,
                   in_response_to: str | None = None, attributes: dict | None = None,
                   sign: str = "assertion", key=IDP_KEY, recipient: str | None = None,
                   not_before: dt.datetime | None = None, not_on_or_after: dt.datetime | None = None,
                   issue_instant: dt.datetime | None = None, assertion_id: str | None = None,
                   session_index: str = "_session1", encrypt_to=None, status: str = "Success",
                   confirmation_method: str = "urn:oasis:names:tc:SAML:2.0:cm:bearer",
                   confirmation_not_on_or_after: dt.datetime | None = None) -> bytes:
    """A SAML Response; ``sign`` is "assertion", "response", "both" or "none"."""
    issued = issue_instant or now
    nsmap = {"samlp": SAMLP, "saml": SAML, "ds": DS}
    response = etree.Element(f"{{{SAMLP}}}Response", nsmap=nsmap, ID="_r" + secrets.token_hex(16), Version="2.0",
                             IssueInstant=instant(issued), Destination=acs_url)
    if in_response_to:
        response.set("InResponseTo", in_response_to)
    etree.SubElement(response, f"{{{SAML}}}Issuer").text = IDP_ENTITY
    st = etree.SubElement(etree.SubElement(response, f"{{{SAMLP}}}Status"), f"{{{SAMLP}}}StatusCode")
    st.set("Value", f"urn:oasis:names:tc:SAML:2.0:status:{status}")
    assertion = etree.SubElement(response, f"{{{SAML}}}Assertion", ID=assertion_id or "_a" + secrets.token_hex(16),
                                 Version="2.0", IssueInstant=instant(issued))
    etree.SubElement(assertion, f"{{{SAML}}}Issuer").text = IDP_ENTITY
    if sign in ("assertion", "both"):
        etree.SubElement(assertion, f"{{{DS}}}Signature", Id="placeholder")
    subject = etree.SubElement(assertion, f"{{{SAML}}}Subject")
    nid = etree.SubElement(subject, f"{{{SAML}}}NameID",
                           Format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified")
    nid.text = name_id
    confirmation = etree.SubElement(subject, f"{{{SAML}}}SubjectConfirmation", Method=confirmation_method)
    data = etree.SubElement(confirmation, f"{{{SAML}}}SubjectConfirmationData",
                            NotOnOrAfter=instant(confirmation_not_on_or_after or not_on_or_after
                                                 or now + dt.timedelta(minutes=5)),
                            Recipient=recipient or acs_url)
    if in_response_to:
        data.set("InResponseTo", in_response_to)
    conditions = etree.SubElement(assertion, f"{{{SAML}}}Conditions",
                                  NotBefore=instant(not_before or now - dt.timedelta(minutes=1)),
                                  NotOnOrAfter=instant(not_on_or_after or now + dt.timedelta(minutes=5)))
    etree.SubElement(etree.SubElement(conditions, f"{{{SAML}}}AudienceRestriction"),
                     f"{{{SAML}}}Audience").text = audience
    authn = etree.SubElement(assertion, f"{{{SAML}}}AuthnStatement", AuthnInstant=instant(issued),
                             SessionIndex=session_index)
    etree.SubElement(etree.SubElement(authn, f"{{{SAML}}}AuthnContext"), f"{{{SAML}}}AuthnContextClassRef").text = (
        "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport")
    if attributes:
        statement = etree.SubElement(assertion, f"{{{SAML}}}AttributeStatement")
        for name, values in attributes.items():
            attr = etree.SubElement(statement, f"{{{SAML}}}Attribute", Name=name,
                                    NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified")
            for value in ([values] if isinstance(values, str) else values):
                etree.SubElement(attr, f"{{{SAML}}}AttributeValue").text = value
    if sign in ("assertion", "both"):
        signed = _sign(etree.fromstring(etree.tostring(assertion)), key)
        response.replace(assertion, signed)
        assertion = signed
    if encrypt_to is not None:
        from mock_okta.saml.encryption import encrypted_assertion  # Okta's encryptor (another module)

        response.replace(assertion, encrypted_assertion(assertion, keys.pem_cert(encrypt_to).decode()))
    if sign in ("response", "both"):
        etree.SubElement(response, f"{{{DS}}}Signature", Id="placeholder")
        response.insert(1, response[-1])
        response = _sign(response, key)
    return etree.tostring(response)


def b64(xml: bytes) -> str:
    return base64.b64encode(xml).decode()


def read_redirect(location: str) -> tuple[str, dict, bytes]:
    """(endpoint, query, decoded SAMLRequest XML) of an HTTP-Redirect binding URL."""
    parts = urlsplit(location)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    xml = zlib.decompress(base64.b64decode(query["SAMLRequest"]), -15)
    return f"{parts.scheme}://{parts.netloc}{parts.path}", query, xml
