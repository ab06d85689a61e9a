"""Reading and verifying the SAMLResponse that AWS receives (docs/fidelity/aws-signin-sts.md#aws-signin-sts-sts: what STS checks
against the IAM SAML provider's metadata). Protocol logic only; no Flask.

The signature is checked with signxml against the certificates of the provider's metadata
document; everything read afterwards comes from the signed element signxml returns (never from
the original document), so a wrapped or tampered assertion cannot slip data past the check.
"""
from __future__ import annotations

import base64
import binascii
import datetime as _dt
import re
from dataclasses import dataclass, field

from lxml import etree
from signxml import SignatureConfiguration, XMLVerifier
from signxml.algorithms import DigestAlgorithm, SignatureMethod
from signxml.exceptions import InvalidInput, InvalidSignature

from . import errors

SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"
SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
MD = "urn:oasis:names:tc:SAML:2.0:metadata"
DS = "http://www.w3.org/2000/09/xmldsig#"
NS = {"samlp": SAMLP, "saml": SAML, "md": MD, "ds": DS}

ROLE = "https://aws.amazon.com/SAML/Attributes/Role"                        # docs/fidelity/aws-signin-sts.md#aws-signin-sts-role-attribute
ROLE_SESSION_NAME = "https://aws.amazon.com/SAML/Attributes/RoleSessionName"
SESSION_DURATION = "https://aws.amazon.com/SAML/Attributes/SessionDuration"
SOURCE_IDENTITY = "https://aws.amazon.com/SAML/Attributes/SourceIdentity"   # docs/fidelity/aws-signin-sts.md#aws-signin-sts-optional-aws-attributes
PRINCIPAL_TAG = "https://aws.amazon.com/SAML/Attributes/PrincipalTag:"
AWS_AUDIENCE = "urn:amazon:webservices"                                      # docs/fidelity/aws-signin-sts.md#aws-signin-sts-audience

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=False)
# Okta may sign with RSA-SHA1/SHA1 (docs/fidelity/okta-saml.md#okta-saml-signature-algorithm-values); AWS accepts it
# (unconfirmed), so SHA1 is allowed next to signxml's defaults. HMAC is never a provider's
# signature (the key is the metadata's public certificate), so it is refused.
_CONFIG = dict(
    require_x509=True, location="./", expect_references=1,
    signature_methods=frozenset(m for m in SignatureMethod if not m.name.startswith("HMAC")),
    digest_algorithms=frozenset(DigestAlgorithm))

_ARN = r"arn:aws(?:-us-gov|-cn)?:iam::\d{12}:"
PROVIDER_ARN = re.compile(_ARN + r"saml-provider/[\w+=,.@-]+$")
ROLE_ARN = re.compile(_ARN + r"role/(?:[\x21-\x7e]*/)?[\w+=,.@-]+$")


@dataclass
class Provider:
    """An IAM SAML provider as STS sees it: its ARN and its metadata's entity ID and certs."""
    arn: str
    entity_id: str | None
    certificates: list[str]

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
    audiences: list[str]
    issue_instant: _dt.datetime | None
    not_before: _dt.datetime | None
    not_on_or_after: _dt.datetime | None
    session_not_on_or_after: _dt.datetime | None
    attributes: dict[str, list[str]] = field(default_factory=dict)

    def values(self, name: str) -> list[str]:
        return self.attributes.get(name, [])


# ---- metadata --------------------------------------------------------------------------------

def provider_from_metadata(arn: str, metadata_xml: str) -> Provider:
    try:
        root = etree.fromstring(metadata_xml.encode() if isinstance(metadata_xml, str) else metadata_xml, _PARSER)
    except etree.XMLSyntaxError:
        return Provider(arn, None, [])
    entity = root if root.tag == f"{{{MD}}}EntityDescriptor" else root.find(".//md:EntityDescriptor", NS)
    if entity is None:
        return Provider(arn, None, [])
    certs = []
    for descriptor in entity.findall("md:IDPSSODescriptor/md:KeyDescriptor", NS):
        if descriptor.get("use", "signing") != "signing":
            continue
        for cert in descriptor.findall(".//ds:X509Certificate", NS):
            body = "".join((cert.text or "").split())
            if body:
                certs.append(body)
    return Provider(arn, entity.get("entityID"), certs)


# ---- the response ----------------------------------------------------------------------------

def decode(saml_response_b64: str):
    """base64 -> the ``Response`` element (InvalidIdentityToken when unreadable)."""
    try:
        raw = base64.b64decode("".join((saml_response_b64 or "").split()), validate=True)
    except (binascii.Error, ValueError):
        raise errors.InvalidIdentityToken(errors.MALFORMED.format(detail="not base64")) from None
    try:
        root = etree.fromstring(raw, _PARSER)
    except etree.XMLSyntaxError:
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
    """The Assertion element as covered by a valid signature made with one of the provider's
    certificates: the Response's signature (which covers the Assertion) or, when the Response
    is unsigned, the Assertion's own. Any other case: "Response signature invalid"."""
    assertion = root.find("saml:Assertion", NS)
    response_signed = root.find("ds:Signature", NS) is not None
    assertion_signed = assertion.find("ds:Signature", NS) is not None
    if not response_signed and not assertion_signed:
        raise errors.InvalidIdentityToken(errors.SIGNATURE_INVALID)
    signed = None
    if response_signed:
        signed_response = _verify(etree.tostring(root), provider, now)
        signed = signed_response.find("saml:Assertion", NS)
        if signed is None:
            raise errors.InvalidIdentityToken(errors.SIGNATURE_INVALID)
    if assertion_signed:
        signed_assertion = _verify(etree.tostring(signed if signed is not None else assertion), provider, now)
        signed = signed if signed is not None else signed_assertion
    return signed


def _verify(document: bytes, provider: Provider, now: _dt.datetime):
    config = SignatureConfiguration(verification_time=now, **_CONFIG)
    for cert in provider.certificates:
        pem = "-----BEGIN CERTIFICATE-----\n" + cert + "\n-----END CERTIFICATE-----\n"
        try:
            result = XMLVerifier().verify(document, x509_cert=pem, expect_config=config, parser=_PARSER)
        except (InvalidSignature, InvalidInput, ValueError, etree.XMLSyntaxError):
            continue
        return result.signed_xml
    raise errors.InvalidIdentityToken(errors.SIGNATURE_INVALID)


def read(assertion) -> Assertion:
    """The fields STS uses, from a verified Assertion element."""
    def text(path):
        node = assertion.find(path, NS)
        return (node.text or "").strip() if node is not None and node.text is not None else None

    name_id = assertion.find("saml:Subject/saml:NameID", NS)
    confirmation = assertion.find("saml:Subject/saml:SubjectConfirmation/saml:SubjectConfirmationData", NS)
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
        audiences=[(a.text or "").strip() for a in assertion.findall(
            "saml:Conditions/saml:AudienceRestriction/saml:Audience", NS)],
        issue_instant=_parse_time(assertion.get("IssueInstant")),
        not_before=_time(conditions, "NotBefore"),
        not_on_or_after=min(not_after) if not_after else None,
        session_not_on_or_after=_time(authn, "SessionNotOnOrAfter"),
        attributes=attributes,
    )


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
