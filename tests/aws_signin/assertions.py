"""SAMLResponses for the AWS side's tests, built and signed here with signxml (an implementation
we did not write for Okta's responses), so every field can be set wrong on purpose.

Defaults are a valid Okta AWS-app response for the default world (docs/fidelity/aws-signin-sts.md#aws-signin-sts-aws-app-response), signed with
the AWS app's Okta key (mock_okta.saml.keys): the key the IAM SAML provider's metadata carries.
"""
from __future__ import annotations

import base64
import datetime as dt
import secrets

from cryptography.hazmat.primitives import serialization
from lxml import etree
from signxml import XMLSigner

from mock_okta.saml.keys import signing_key_and_cert

SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"
SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
ACCOUNT = "123456789012"
PROVIDER = f"arn:aws:iam::{ACCOUNT}:saml-provider/Okta"
ADMIN = f"arn:aws:iam::{ACCOUNT}:role/admin"
READONLY = f"arn:aws:iam::{ACCOUNT}:role/readonly"
ACS = "https://signin.aws.amazon.com/saml"
BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer"
_UNSET = object()


def aws_app(world):
    return next(a for a in world.world.okta.apps if a.sign_on_mode == "AWS")


def okta_key_cert(world):
    app = aws_app(world)
    return signing_key_and_cert(world.world.okta.org_url, app.id)


def _instant(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def response_xml(world, *, roles=(f"{PROVIDER},{ADMIN}", f"{PROVIDER},{READONLY}"), session_name=_UNSET,
                 session_duration="3600", issuer=None, audience="urn:amazon:webservices", recipient=ACS,
                 name_id="alice@example.com", name_id_format="urn:oasis:names:tc:SAML:2.0:nameid-format:unspecified",
                 issued=None, lifetime=300, extra_attributes=(), confirmation_method=BEARER, confirmations=1,
                 confirmation_lifetime=_UNSET) -> etree._Element:
    """``confirmation_lifetime``: seconds of the SubjectConfirmationData's NotOnOrAfter (default
    ``lifetime``; None leaves it out); ``confirmations``: how many SubjectConfirmation elements."""
    now = issued or world.clock.now()
    issuer = issuer or aws_app(world).entity_id
    attrs = []
    if roles is not None:
        attrs.append(("https://aws.amazon.com/SAML/Attributes/Role", list(roles)))
    if session_name is not None:
        attrs.append(("https://aws.amazon.com/SAML/Attributes/RoleSessionName",
                      ["alice@example.com" if session_name is _UNSET else session_name]))
    if session_duration is not None:
        attrs.append(("https://aws.amazon.com/SAML/Attributes/SessionDuration", [session_duration]))
    attrs.extend(extra_attributes)
    E = lambda tag, **kw: etree.Element(f"{{{SAML}}}{tag}", **kw)  # noqa: E731
    response = etree.Element(f"{{{SAMLP}}}Response", nsmap={"saml2p": SAMLP, "saml2": SAML},
                             ID="id" + secrets.token_hex(12), Version="2.0", IssueInstant=_instant(now),
                             Destination=recipient)
    etree.SubElement(response, f"{{{SAML}}}Issuer").text = issuer
    status = etree.SubElement(response, f"{{{SAMLP}}}Status")
    etree.SubElement(status, f"{{{SAMLP}}}StatusCode", Value="urn:oasis:names:tc:SAML:2.0:status:Success")
    assertion = etree.Element(f"{{{SAML}}}Assertion", nsmap={"saml2": SAML}, ID="id" + secrets.token_hex(12),
                              Version="2.0", IssueInstant=_instant(now))
    etree.SubElement(assertion, f"{{{SAML}}}Issuer").text = issuer
    subject = etree.SubElement(assertion, f"{{{SAML}}}Subject")
    if name_id is not None:
        etree.SubElement(subject, f"{{{SAML}}}NameID", Format=name_id_format).text = name_id
    confirmation_lifetime = lifetime if confirmation_lifetime is _UNSET else confirmation_lifetime
    for _ in range(confirmations):
        confirmation = etree.SubElement(subject, f"{{{SAML}}}SubjectConfirmation", Method=confirmation_method)
        data = etree.SubElement(confirmation, f"{{{SAML}}}SubjectConfirmationData", Recipient=recipient)
        if confirmation_lifetime is not None:
            data.set("NotOnOrAfter", _instant(now + dt.timedelta(seconds=confirmation_lifetime)))
    conditions = etree.SubElement(assertion, f"{{{SAML}}}Conditions", NotBefore=_instant(now - dt.timedelta(minutes=5)),
                                  NotOnOrAfter=_instant(now + dt.timedelta(seconds=lifetime)))
    if audience is not None:
        restriction = etree.SubElement(conditions, f"{{{SAML}}}AudienceRestriction")
        etree.SubElement(restriction, f"{{{SAML}}}Audience").text = audience
    authn = etree.SubElement(assertion, f"{{{SAML}}}AuthnStatement", AuthnInstant=_instant(now), SessionIndex="id1")
    context = etree.SubElement(authn, f"{{{SAML}}}AuthnContext")
    etree.SubElement(context, f"{{{SAML}}}AuthnContextClassRef").text = \
        "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
    statement = etree.SubElement(assertion, f"{{{SAML}}}AttributeStatement")
    for name, values in attrs:
        attribute = etree.SubElement(statement, f"{{{SAML}}}Attribute", Name=name,
                                     NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri")
        for value in values:
            etree.SubElement(attribute, f"{{{SAML}}}AttributeValue").text = value
    response.append(assertion)
    del E
    return response


def sign(element, key, cert):
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    cert_pem = cert.public_bytes(serialization.Encoding.PEM).decode()
    signer = XMLSigner(c14n_algorithm="http://www.w3.org/2001/10/xml-exc-c14n#")
    return signer.sign(element, key=key_pem, cert=cert_pem, reference_uri="#" + element.get("ID"))


def signed(world, *, sign_response=True, sign_assertion=True, key_cert=None, tamper=None, **fields) -> str:
    """Base64 SAMLResponse. ``tamper(root)`` edits the document after signing."""
    root = response_xml(world, **fields)
    key, cert = key_cert or okta_key_cert(world)
    if sign_assertion:
        assertion = root.find(f"{{{SAML}}}Assertion")
        root.replace(assertion, sign(assertion, key, cert))
    if sign_response:
        root = sign(root, key, cert)
    if tamper is not None:
        tamper(root)
    return base64.b64encode(etree.tostring(root)).decode()
