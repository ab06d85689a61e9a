"""Build and sign an Okta SAMLResponse (docs/fidelity/okta-saml.md#okta-saml-idp, docs/fidelity/aws-signin-sts.md#aws-signin-sts-aws-app-response).

Shape, row by row of docs/fidelity/okta-saml.md#okta-saml-idp: ``saml2p``/``saml2`` prefixes ("Root / prefixes"), ids
``id`` + 26 digits ("Message IDs"), ``Issuer`` with the entity Format in Response and
Assertion ("Issuer element form"), signatures right after ``Issuer`` ("Signature layout"),
child order ("Response child order", "Assertion child order"), IssueInstant with
milliseconds, validity IssueInstant ± 5 minutes ("Validity window"), bearer
SubjectConfirmation with Recipient and, SP-initiated only, InResponseTo ("InResponseTo"),
AuthnStatement with SessionIndex and the app's AuthnContextClassRef ("AuthnStatement"),
``xs:string`` attribute values ("Attribute rendering"), the whole Response on one line
("Serialization"). Keys are loaded once per app (``keys.signing_key_and_cert`` is cached).
The XML is written as text in the bytes lxml would serialize and, beside it, in the exclusive
canonical form the signatures cover, so no tree is built unless the assertion is encrypted.
"""
from __future__ import annotations

import base64
import datetime as _dt
import functools
import secrets
from dataclasses import dataclass
from xml.sax.saxutils import escape

from lxml import etree

from world_common import keys as _keys
from world_common.clock import saml_instant
from world_common.saml_xml import SAML, SAMLP

from .. import aws_app, expressions
from ..app_username import application_username, profile_of
from ..aws_app.environment import acs_url as aws_acs_url
from ..group_filter import group_matches
from . import encryption, signing, xml_forms
from .keys import signing_key_and_cert

XS = "http://www.w3.org/2001/XMLSchema"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
ENTITY = "urn:oasis:names:tc:SAML:2.0:nameid-format:entity"
AWS_NAMEID_FORMAT = "urn:oasis:names:tc:SAML:2.0:nameid-format:unspecified"   # docs/fidelity/okta-saml.md#okta-saml-aws-app-nameid-format
AWS_AUDIENCE = "urn:amazon:webservices"                                        # docs/fidelity/aws-signin-sts.md#aws-signin-sts-audience
VALIDITY = _dt.timedelta(minutes=5)                                            # docs/fidelity/okta-saml.md#okta-saml-validity-window
_XML_DECL = b'<?xml version="1.0" encoding="UTF-8"?>'


class SamlBuildError(Exception):
    """A response cannot be built; the message is what Okta's error page says."""


@dataclass
class SamlResponse:
    xml: bytes
    acs_url: str
    session_index: str

    @property
    def b64(self) -> str:
        # docs/fidelity/okta-saml.md#okta-saml-serialization: base64 without line breaks in the form value.
        return base64.b64encode(self.xml).decode()


def message_id() -> str:
    """docs/fidelity/okta-saml.md#okta-saml-message-ids: ``id`` + ~26 decimal digits, no leading underscore."""
    return f"id{secrets.randbelow(9 * 10**25) + 10**25}"


@functools.lru_cache(maxsize=256)
def _signing_material(org_url: str, app_id: str):
    key, cert = signing_key_and_cert(org_url, app_id)
    return key, _keys.cert_body_b64(cert)


def _attr(value) -> str:
    return escape(str(value), {'"': "&quot;"})


# ---- what goes into the assertion ---------------------------------------------------------------

def acs_url_of(app) -> str:
    saml = app.saml
    if saml.sso_url:
        return saml.sso_url
    if app.sign_on_mode == "AWS" and app.aws is not None:
        return aws_acs_url(app.aws)
    raise SamlBuildError(f"The app {app.label} has no Single sign-on URL configured.")


def expression_attributes(app, user) -> list[tuple[str, str, list[str]]]:
    """The app's attribute statements (docs/fidelity/okta-saml.md#okta-saml-attribute-statements) and group attribute
    statements (docs/fidelity/okta-saml.md#okta-saml-group-attribute-statements: one AttributeValue per matching group)."""
    out = []
    profile = profile_of(user)
    for statement in app.saml.attribute_statements:
        if statement.type == "GROUP":
            values = [g for g in user.groups if group_matches(statement.filter_type, statement.filter_value, g)]
        else:
            values = []
            for expression in statement.values:
                value = expressions.evaluate(expression, profile)
                if isinstance(value, (list, tuple)):
                    values.extend(str(v) for v in value if v is not None)
                elif value is not None:
                    values.append(expressions._text(value))
        if values:   # docs/fidelity/okta-saml.md#okta-saml-empty-null-attribute-values: omitted (unconfirmed)
            out.append((statement.name, statement.namespace, values))
    return out


def aws_attributes(org, app, user, services) -> list[tuple[str, str, list[str]]]:
    """The AWS app's Role/RoleSessionName/SessionDuration; ``aws_app.NoRoles`` propagates (the
    caller shows Okta's error page)."""
    return list(aws_app.saml_attributes(org, app, user, services))


# ---- the document: written once as lxml serializes it and once as exclusive C14N writes it ------
# (mock_okta.saml.xml_forms). The canonical form is what lxml's exclusive C14N with
# PrefixList="xs" gives for each element as signed: namespace declarations only where first
# used (the Status's, the Assertion's children's and xs's repeats drop), sorted attributes (the
# templates write them sorted), start and end tags for empty elements. The assertion's canonical
# form as its own apex declares xs (the PrefixList); inside the Response, xs is the Response's.
# Saves ~0.1 ms a sign-in against parsing the text, canonicalizing twice and serializing again
# (measured in process: build 0.59 -> 0.48 ms with its two RSA signatures of ~0.22 ms).
_SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success"
_STATUS = (f'<saml2p:Status xmlns:saml2p="{SAMLP}"><saml2p:StatusCode Value="{_SUCCESS}"/></saml2p:Status>',
           f'<saml2p:Status><saml2p:StatusCode Value="{_SUCCESS}"></saml2p:StatusCode></saml2p:Status>')
_VALUE_START = f'<saml2:AttributeValue xmlns:xs="{XS}" xmlns:xsi="{XSI}" xsi:type="xs:string"'
_VALUE_START_C14N = f'<saml2:AttributeValue xmlns:xsi="{XSI}" xsi:type="xs:string"'
_VALUE_END = "</saml2:AttributeValue>"


def _attribute_statement(attributes) -> tuple[str, str]:
    if not attributes:
        return "", ""
    ser, c14n = [f'<saml2:AttributeStatement xmlns:saml2="{SAML}">'], ["<saml2:AttributeStatement>"]
    for name, name_format, values in attributes:
        name, name_format = xml_forms.attribute(str(name)), xml_forms.attribute(str(name_format))
        texts = [xml_forms.text(str(v)) for v in values]
        # xml_forms.element's rule, inline (one call less a value): an empty value is <a/> serialized.
        values_ser = "".join(f"{_VALUE_START}>{t}{_VALUE_END}" if t else f"{_VALUE_START}/>" for t, _ in texts)
        values_c14n = "".join(f"{_VALUE_START_C14N}>{t}{_VALUE_END}" for _, t in texts)
        attribute = xml_forms.element(f'<saml2:Attribute Name="{name[0]}" NameFormat="{name_format[0]}"',
                                      f'<saml2:Attribute Name="{name[1]}" NameFormat="{name_format[1]}"',
                                      "</saml2:Attribute>", (values_ser, values_c14n))
        ser.append(attribute[0])
        c14n.append(attribute[1])
    return "".join(ser) + "</saml2:AttributeStatement>", "".join(c14n) + "</saml2:AttributeStatement>"


def _issuer(issuer: tuple[str, str], declared: bool) -> tuple[str, str]:
    """An ``Issuer``; ``declared``: its ``xmlns:saml2`` is already the parent's in canonical form."""
    start = f'<saml2:Issuer xmlns:saml2="{SAML}" Format="{ENTITY}"'
    return xml_forms.element(start, f'<saml2:Issuer Format="{ENTITY}"' if declared else start, "</saml2:Issuer>",
                             issuer)


def build(org, app, user, services, *, acs_url: str | None = None, in_response_to: str | None = None,
          authn_instant: float | None = None, attributes=None) -> SamlResponse:
    """The signed (and, when configured, encrypted) SAMLResponse for ``user`` signing in to
    ``app``. ``acs_url`` is the AuthnRequest's validated ACS (default: the app's SSO URL);
    ``in_response_to`` the AuthnRequest ID (SP-initiated only). ``attributes`` overrides the
    computed attribute list (used by the benchmark and tests)."""
    saml = app.saml
    default_acs = acs_url_of(app)
    acs = acs_url or default_acs
    # docs/fidelity/okta-saml.md#okta-saml-destination, docs/fidelity/okta-saml.md#okta-saml-recipient: the configured values; a requested other ACS URL is used
    # for both (unconfirmed).
    destination = (saml.destination or default_acs) if acs == default_acs else acs
    recipient = (saml.recipient or default_acs) if acs == default_acs else acs
    is_aws = app.sign_on_mode == "AWS"
    audience = saml.audience or (AWS_AUDIENCE if is_aws else "")
    nameid_format = AWS_NAMEID_FORMAT if is_aws else saml.subject_name_id_format
    if attributes is None:
        attributes = (aws_attributes(org, app, user, services) if is_aws else []) + expression_attributes(app, user)

    now = services.clock.now()
    instant = saml_instant(now)
    times = {"instant": instant, "not_before": saml_instant(now - VALIDITY), "not_after": saml_instant(now + VALIDITY),
             "authn": saml_instant(_dt.datetime.fromtimestamp(authn_instant, _dt.timezone.utc)) if authn_instant else instant}
    # docs/fidelity/okta-saml.md#okta-saml-authnstatement: SessionIndex = AuthnRequest ID when SP-initiated, otherwise
    # ``id<epoch-ms of IssueInstant>.<random digits>``.
    session_index = in_response_to or f"id{int(now.timestamp() * 1000)}.{secrets.randbelow(10**9)}"
    irt = xml_forms.attribute(in_response_to) if in_response_to else None
    irt = (f' InResponseTo="{irt[0]}"', f' InResponseTo="{irt[1]}"') if irt else ("", "")
    key, cert_b64 = _signing_material(org.org_url, app.id)
    algorithms = {"key": key, "cert_b64": cert_b64, "signature_algorithm": saml.signature_algorithm,
                  "digest_algorithm": saml.digest_algorithm}
    issuer = xml_forms.text(app.entity_id)
    assertion = _assertion(app, user, times, issuer, irt=irt, recipient=recipient, audience=audience,
                           nameid_format=nameid_format, session_index=session_index, attributes=attributes,
                           algorithms=algorithms if saml.assertion_signed else None)
    response_id = message_id()
    destination = xml_forms.attribute(destination)
    start = (f'<saml2p:Response xmlns:saml2p="{SAMLP}" xmlns:xs="{XS}" Destination="{destination[0]}" '
             f'ID="{response_id}"{irt[0]} IssueInstant="{instant}" Version="2.0">')
    head, status, end = _issuer(issuer, False), _STATUS, "</saml2p:Response>"
    if saml.assertion_encrypted:
        return SamlResponse(_encrypted(start + head[0] + status[0] + assertion[0] + end, org, app, algorithms),
                            acs, session_index)
    signature = ""
    if saml.response_signed:
        canonical = (f'<saml2p:Response xmlns:saml2p="{SAMLP}" xmlns:xs="{XS}" Destination="{destination[1]}" '
                     f'ID="{response_id}"{irt[1]} IssueInstant="{instant}" Version="2.0">'
                     f'{head[1]}{status[1]}{assertion[1]}{end}')
        signature, _ = signing.signature(response_id, canonical.encode(), **algorithms)
    return SamlResponse(_XML_DECL + (start + head[0] + signature + status[0] + assertion[0] + end).encode(),
                        acs, session_index)


def _assertion(app, user, times: dict, issuer: tuple[str, str], *, irt: tuple[str, str], recipient: str,
               audience: str, nameid_format: str, session_index: str, attributes, algorithms) -> tuple[str, str]:
    """The Assertion, in Okta's child order and namespace layout (docs/fidelity/okta-saml.md#okta-saml-idp),
    signed with ``algorithms`` unless None: (serialized, canonical inside the Response)."""
    saml = app.saml
    recipient, name_format = xml_forms.attribute(recipient), xml_forms.attribute(nameid_format)
    session_index = xml_forms.attribute(session_index)
    name_id = xml_forms.element(f'<saml2:NameID Format="{name_format[0]}"', f'<saml2:NameID Format="{name_format[1]}"',
                                "</saml2:NameID>", xml_forms.text(application_username(app, user)))
    audience = xml_forms.element("<saml2:Audience", "<saml2:Audience", "</saml2:Audience>", xml_forms.text(audience))
    class_ref = xml_forms.element("<saml2:AuthnContextClassRef", "<saml2:AuthnContextClassRef",
                                  "</saml2:AuthnContextClassRef>", xml_forms.text(saml.authn_context_class_ref))
    statement = _attribute_statement(attributes)
    forms = []   # [serialized, canonical]: the children's xmlns:saml2 and empty tags are all they differ in
    for i, (ns, end_confirmation) in enumerate(((f' xmlns:saml2="{SAML}"', "/>"),
                                                 ("", "></saml2:SubjectConfirmationData>"))):
        forms.append(
            f'<saml2:Subject{ns}>{name_id[i]}<saml2:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">'
            f'<saml2:SubjectConfirmationData{irt[i]} NotOnOrAfter="{times["not_after"]}" Recipient="{recipient[i]}"'
            f'{end_confirmation}</saml2:SubjectConfirmation></saml2:Subject>'
            f'<saml2:Conditions{ns} NotBefore="{times["not_before"]}" NotOnOrAfter="{times["not_after"]}">'
            f'<saml2:AudienceRestriction>{audience[i]}</saml2:AudienceRestriction></saml2:Conditions>'
            f'<saml2:AuthnStatement{ns} AuthnInstant="{times["authn"]}" SessionIndex="{session_index[i]}">'
            f'<saml2:AuthnContext>{class_ref[i]}</saml2:AuthnContext></saml2:AuthnStatement>'
            f'{statement[i]}</saml2:Assertion>')
    body, body_c14n = forms
    assertion_id = message_id()
    attrs = f' ID="{assertion_id}" IssueInstant="{times["instant"]}" Version="2.0">'
    start = f'<saml2:Assertion xmlns:saml2="{SAML}" xmlns:xs="{XS}"{attrs}'   # also its canonical form as apex
    start_inside = f'<saml2:Assertion xmlns:saml2="{SAML}"{attrs}'
    head = _issuer(issuer, True)
    signature = ("", "")
    if algorithms is not None:
        signature = signing.signature(assertion_id, (start + head[1] + body_c14n).encode(), **algorithms)
    return start + head[0] + signature[0] + body, start_inside + head[1] + signature[1] + body_c14n


def _encrypted(document: str, org, app, algorithms: dict) -> bytes:
    """The Response with its (signed) Assertion encrypted, then signed: as a tree, since the
    encryption takes the Assertion element (docs/fidelity/okta-saml.md#okta-saml-encrypted-assertion)."""
    saml = app.saml
    root = etree.fromstring(document)
    root.replace(root[2], encryption.encrypted_assertion(
        root[2], saml.encryption_certificate, saml.encryption_algorithm, saml.key_transport_algorithm))
    if saml.response_signed:
        signing.sign_after_issuer(root, **algorithms)
    return _XML_DECL + etree.tostring(root)
