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
from . import encryption, signing
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


# ---- the document -----------------------------------------------------------------------------

def _attribute_statement(attributes) -> str:
    if not attributes:
        return ""
    parts = []
    for name, name_format, values in attributes:
        vals = "".join(
            f'<saml2:AttributeValue xmlns:xs="{XS}" xmlns:xsi="{XSI}" xsi:type="xs:string">{escape(str(v))}'
            "</saml2:AttributeValue>" for v in values)
        parts.append(f'<saml2:Attribute Name="{_attr(name)}" NameFormat="{_attr(name_format)}">{vals}</saml2:Attribute>')
    return f'<saml2:AttributeStatement xmlns:saml2="{SAML}">{"".join(parts)}</saml2:AttributeStatement>'


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
    irt = f' InResponseTo="{_attr(in_response_to)}"' if in_response_to else ""
    assertion = _assertion_xml(app, user, times, irt=irt, recipient=recipient, audience=audience,
                               nameid_format=nameid_format, session_index=session_index, attributes=attributes)
    document = (
        f'<saml2p:Response xmlns:saml2p="{SAMLP}" Destination="{_attr(destination)}" ID="{message_id()}"{irt} '
        f'IssueInstant="{instant}" Version="2.0" xmlns:xs="{XS}">'
        f'<saml2:Issuer xmlns:saml2="{SAML}" Format="{ENTITY}">{escape(app.entity_id)}</saml2:Issuer>'
        f'<saml2p:Status xmlns:saml2p="{SAMLP}"><saml2p:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/>'
        f'</saml2p:Status>{assertion}</saml2p:Response>')
    root = _signed_and_encrypted(etree.fromstring(document), org, app)
    return SamlResponse(_XML_DECL + etree.tostring(root), acs, session_index)


def _assertion_xml(app, user, times: dict, *, irt: str, recipient: str, audience: str, nameid_format: str,
                   session_index: str, attributes) -> str:
    """The Assertion, in Okta's child order and namespace layout (docs/fidelity/okta-saml.md#okta-saml-idp)."""
    saml, issuer = app.saml, app.entity_id
    return (
        f'<saml2:Assertion xmlns:saml2="{SAML}" ID="{message_id()}" IssueInstant="{times["instant"]}" Version="2.0" '
        f'xmlns:xs="{XS}">'
        f'<saml2:Issuer Format="{ENTITY}" xmlns:saml2="{SAML}">{escape(issuer)}</saml2:Issuer>'
        f'<saml2:Subject xmlns:saml2="{SAML}">'
        f'<saml2:NameID Format="{_attr(nameid_format)}">{escape(application_username(app, user))}</saml2:NameID>'
        f'<saml2:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">'
        f'<saml2:SubjectConfirmationData{irt} NotOnOrAfter="{times["not_after"]}" Recipient="{_attr(recipient)}"/>'
        f'</saml2:SubjectConfirmation></saml2:Subject>'
        f'<saml2:Conditions NotBefore="{times["not_before"]}" NotOnOrAfter="{times["not_after"]}" xmlns:saml2="{SAML}">'
        f'<saml2:AudienceRestriction><saml2:Audience>{escape(audience)}</saml2:Audience></saml2:AudienceRestriction>'
        f'</saml2:Conditions>'
        f'<saml2:AuthnStatement AuthnInstant="{times["authn"]}" SessionIndex="{_attr(session_index)}" '
        f'xmlns:saml2="{SAML}">'
        f'<saml2:AuthnContext><saml2:AuthnContextClassRef>{escape(saml.authn_context_class_ref)}'
        f'</saml2:AuthnContextClassRef></saml2:AuthnContext></saml2:AuthnStatement>'
        f'{_attribute_statement(attributes)}'
        f'</saml2:Assertion>')


def _signed_and_encrypted(root, org, app):
    """Sign the Assertion, encrypt it, sign the Response: each as the app says, in that order."""
    saml = app.saml
    key, cert_b64 = _signing_material(org.org_url, app.id)
    algorithms = {"signature_algorithm": saml.signature_algorithm, "digest_algorithm": saml.digest_algorithm}
    assertion_el = root[2]
    if saml.assertion_signed:
        signing.sign_after_issuer(assertion_el, key=key, cert_b64=cert_b64, **algorithms)
    if saml.assertion_encrypted:
        root.replace(assertion_el, encryption.encrypted_assertion(
            assertion_el, saml.encryption_certificate, saml.encryption_algorithm, saml.key_transport_algorithm))
    if saml.response_signed:
        signing.sign_after_issuer(root, key=key, cert_b64=cert_b64, **algorithms)
    return root
