"""Reading and verifying the SAMLResponse that AWS receives (docs/fidelity/aws-signin-sts.md#aws-signin-sts-sts: what STS checks
against the IAM SAML provider's metadata). Protocol logic only; no Flask.

The signature is checked by the world's one XML-DSig verifier (``world_common.xmldsig``) against
the certificates of the provider's metadata, valid at the time of the call
(docs/fidelity/aws-signin-sts.md#aws-signin-sts-certificate-validity-dates). The verifier
digests the very element read afterwards, so a wrapped or tampered assertion cannot slip data
past the check.
"""
from __future__ import annotations

import base64
import binascii
import datetime as _dt
import re
from dataclasses import dataclass, field

from cryptography import x509

from world_common import urls, xmldsig
from world_common.saml_xml import BEARER, MD, NS, SAMLP, UnsafeXML, parse

from . import errors

ROLE = "https://aws.amazon.com/SAML/Attributes/Role"                        # docs/fidelity/aws-signin-sts.md#aws-signin-sts-role-attribute
ROLE_SESSION_NAME = "https://aws.amazon.com/SAML/Attributes/RoleSessionName"
SESSION_DURATION = "https://aws.amazon.com/SAML/Attributes/SessionDuration"
SOURCE_IDENTITY = "https://aws.amazon.com/SAML/Attributes/SourceIdentity"   # docs/fidelity/aws-signin-sts.md#aws-signin-sts-optional-aws-attributes
PRINCIPAL_TAG = "https://aws.amazon.com/SAML/Attributes/PrincipalTag:"
AWS_AUDIENCE = "urn:amazon:webservices"                                      # docs/fidelity/aws-signin-sts.md#aws-signin-sts-audience

_ARN = r"arn:aws(?:-us-gov|-cn)?:iam::\d{12}:"
PROVIDER_ARN = re.compile(_ARN + r"saml-provider/[\w+=,.@-]+$")
ROLE_ARN = re.compile(_ARN + r"role/(?:[\x21-\x7e]*/)?[\w+=,.@-]+$")


@dataclass
class Provider:
    """An IAM SAML provider as STS sees it: its ARN and its metadata's entity ID and certs."""
    arn: str
    entity_id: str | None
    certificates: list[x509.Certificate]

    @property
    def name(self) -> str:
        return self.arn.rsplit("/", 1)[-1]

    @property
    def account_id(self) -> str:
        return self.arn.split(":")[4]


@dataclass
class Assertion:
    issuer: str | None
    name_id: str | None
    name_id_format: str | None
    recipient: str | None
    confirmations: list[tuple[str | None, str | None, _dt.datetime | None]]   # (Method, Recipient, NotOnOrAfter)
    audiences: list[str]
    issue_instant: _dt.datetime | None
    not_before: _dt.datetime | None
    not_on_or_after: _dt.datetime | None
    session_not_on_or_after: _dt.datetime | None
    attributes: dict[str, list[str]] = field(default_factory=dict)

    def values(self, name: str) -> list[str]:
        return self.attributes.get(name, [])


# ---- metadata --------------------------------------------------------------------------------

def provider_from_metadata(arn: str, metadata_xml: str | bytes) -> Provider:
    try:
        root = parse(metadata_xml)
    except UnsafeXML:
        return Provider(arn, None, [])
    entity = root if root.tag == f"{{{MD}}}EntityDescriptor" else root.find(".//md:EntityDescriptor", NS)
    if entity is None:
        return Provider(arn, None, [])
    certs = []
    for descriptor in entity.findall("md:IDPSSODescriptor/md:KeyDescriptor", NS):
        if descriptor.get("use", "signing") != "signing":
            continue
        for cert in descriptor.findall(".//ds:X509Certificate", NS):
            try:
                certs.append(xmldsig.load_certificate(cert.text or ""))
            except ValueError:   # an unreadable certificate verifies nothing
                continue
    return Provider(arn, entity.get("entityID"), certs)


# ---- the response ----------------------------------------------------------------------------

def decode(saml_response_b64: str):
    """base64 -> the ``Response`` element (InvalidIdentityToken when unreadable)."""
    try:
        raw = base64.b64decode("".join((saml_response_b64 or "").split()), validate=True)
    except (binascii.Error, ValueError):
        raise errors.InvalidIdentityToken(errors.MALFORMED.format(detail="not base64")) from None
    try:
        root = parse(raw)
    except UnsafeXML:
        raise errors.InvalidIdentityToken(errors.MALFORMED.format(detail="not XML")) from None
    if root.tag != f"{{{SAMLP}}}Response":
        raise errors.InvalidIdentityToken(errors.MALFORMED.format(detail="no samlp:Response")) from None
    if root.find("saml:EncryptedAssertion", NS) is not None:
        # AWS decrypts only at its per-provider ACS (docs/fidelity/aws-signin-sts.md#aws-signin-sts-acs-destination-recipient); not imitated.
        raise errors.InvalidIdentityToken(errors.MALFORMED.format(detail="encrypted assertions are not supported"))
    if len(root.findall("saml:Assertion", NS)) != 1:
        raise errors.InvalidIdentityToken(errors.MALFORMED.format(detail="expected exactly one Assertion"))
    return root


def verified_assertion(root, provider: Provider, now: _dt.datetime):
    """The Assertion element, once a signature made with one of the provider's certificates
    covers it: the Response's (which covers the Assertion) and/or the Assertion's own; every
    signature present must verify. Any other case: "Response signature invalid"."""
    assertion = root.find("saml:Assertion", NS)
    response_signed, assertion_signed = xmldsig.is_signed(root), xmldsig.is_signed(assertion)
    if not response_signed and not assertion_signed:
        raise errors.InvalidIdentityToken(errors.SIGNATURE_INVALID)
    try:
        if response_signed:
            xmldsig.verify_enveloped(root, provider.certificates, at=now)
        if assertion_signed:
            xmldsig.verify_enveloped(assertion, provider.certificates, at=now)
    except xmldsig.SignatureError:
        raise errors.InvalidIdentityToken(errors.SIGNATURE_INVALID) from None
    return assertion


def read(assertion) -> Assertion:
    """The fields STS uses, from a verified Assertion element."""
    def text(path):
        node = assertion.find(path, NS)
        return (node.text or "").strip() if node is not None and node.text is not None else None

    name_id = assertion.find("saml:Subject/saml:NameID", NS)
    confirmation = assertion.find("saml:Subject/saml:SubjectConfirmation/saml:SubjectConfirmationData", NS)
    confirmations = []
    for method in assertion.findall("saml:Subject/saml:SubjectConfirmation", NS):
        data = method.find("saml:SubjectConfirmationData", NS)
        confirmations.append((method.get("Method"), data.get("Recipient") if data is not None else None,
                              _time(data, "NotOnOrAfter")))
    conditions = assertion.find("saml:Conditions", NS)
    authn = assertion.find("saml:AuthnStatement", NS)
    not_after = [t for t in (_time(confirmation, "NotOnOrAfter"), _time(conditions, "NotOnOrAfter")) if t]
    attributes: dict[str, list[str]] = {}
    for attribute in assertion.findall("saml:AttributeStatement/saml:Attribute", NS):
        values = [(v.text or "").strip() for v in attribute.findall("saml:AttributeValue", NS)]
        attributes.setdefault(attribute.get("Name", ""), []).extend(values)
    return Assertion(
        issuer=text("saml:Issuer"),
        name_id=(name_id.text or "").strip() if name_id is not None and name_id.text else None,
        name_id_format=name_id.get("Format") if name_id is not None else None,
        recipient=confirmation.get("Recipient") if confirmation is not None else None,
        confirmations=confirmations,
        audiences=[(a.text or "").strip() for a in assertion.findall(
            "saml:Conditions/saml:AudienceRestriction/saml:Audience", NS)],
        issue_instant=_parse_time(assertion.get("IssueInstant")),
        not_before=_time(conditions, "NotBefore"),
        not_on_or_after=min(not_after) if not_after else None,
        session_not_on_or_after=_time(authn, "SessionNotOnOrAfter"),
        attributes=attributes,
    )


def subject_confirmation_problem(assertion: Assertion) -> str | None:
    """What is wrong with the assertion's subject confirmation for AWS, or None
    (docs/fidelity/aws-signin-sts.md#aws-signin-sts-subject-confirmation): exactly one
    ``SubjectConfirmation``, by the bearer method, whose data carries ``NotOnOrAfter`` and a
    ``Recipient`` that is one of AWS's sign-in endpoints. Its expiry is checked with the
    assertion's (``not_on_or_after``)."""
    if len(assertion.confirmations) != 1:
        return f"expected exactly one SubjectConfirmation, found {len(assertion.confirmations)}"
    method, recipient, not_on_or_after = assertion.confirmations[0]
    if method != BEARER:
        return f"the SubjectConfirmation Method is {method}, not {BEARER}"
    if not_on_or_after is None:
        return "the SubjectConfirmationData has no NotOnOrAfter"
    if not urls.is_aws_signin_acs(recipient):
        return f"the SubjectConfirmationData Recipient {recipient} is not an AWS sign-in endpoint"
    return None


def _time(node, name):
    return _parse_time(node.get(name)) if node is not None else None


def _parse_time(value: str | None):
    if not value:
        return None
    try:
        moment = _dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise errors.InvalidIdentityToken(errors.MALFORMED.format(detail=f"bad time {value!r}")) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=_dt.timezone.utc)


# ---- the Role attribute ----------------------------------------------------------------------

def role_pairs(values: list[str]) -> list[tuple[str, str]]:
    """``(provider_arn, role_arn)`` for each well-formed Role value: exactly two ARNs, one
    provider and one role, in either order (docs/fidelity/aws-signin-sts.md#aws-signin-sts-role-value-order). Malformed
    values (one ARN, three, not ARNs) yield nothing."""
    pairs = []
    for value in values:
        parts = [p.strip() for p in value.split(",")]
        if len(parts) != 2:
            continue
        providers = [p for p in parts if PROVIDER_ARN.match(p)]
        roles = [p for p in parts if ROLE_ARN.match(p)]
        if len(providers) == 1 and len(roles) == 1:
            pairs.append((providers[0], roles[0]))
    return pairs
