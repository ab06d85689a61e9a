"""Validation of a SAML Response posted to ``/saml2/idpresponse`` (docs/fidelity/cognito-federation.md#cognito-federation-saml, docs/fidelity/cognito-federation.md#cognito-federation-mock-surface).

Order: size, base64, XML safety, signature (the Response's, else the Assertion's, against every
certificate in the IdP metadata), decryption, then the Assertion's content read only from what
the signature covered (no signature wrapping): Audience, Recipient, InResponseTo,
NotBefore/NotOnOrAfter, the IdP-initiated rules, NameID, replay. Every failure is a
:class:`SamlError` carrying Cognito's description (``mock_cognito.errors``).
"""
from __future__ import annotations

import base64
import binascii
import datetime as _dt
from dataclasses import dataclass, field

from world_common import xmldsig
from world_common.saml_xml import BEARER, SUCCESS, UnsafeXML, by_tag, first, parse, q

from .. import errors
from .decryption import DecryptionError, decrypt_assertion

MAX_CHARS = 100_000                 # docs/fidelity/cognito-federation.md#cognito-federation-max-samlresponse-size
IDP_INIT_WINDOW = 6 * 60            # docs/fidelity/cognito-federation.md#cognito-federation-idp-initiated-freshness-window

# Elements are read by Clark names, the same elements as find/findall("saml:…", NS) without an
# ElementPath matched per call (~1-3 µs each, ~20 a response): a parent read for several names is
# read once (saml_xml.by_tag: ~3 µs less a response than an iterchildren per name), else with
# lxml's iterchildren.
_STATUS, _STATUS_CODE = q("samlp", "Status"), q("samlp", "StatusCode")
_ASSERTION, _ENCRYPTED_ASSERTION = q("saml", "Assertion"), q("saml", "EncryptedAssertion")
_CONDITIONS, _AUDIENCE_RESTRICTION, _AUDIENCE = q("saml", "Conditions"), q("saml", "AudienceRestriction"), q("saml", "Audience")
_SUBJECT, _NAME_ID = q("saml", "Subject"), q("saml", "NameID")
_SUBJECT_CONFIRMATION, _SUBJECT_CONFIRMATION_DATA = q("saml", "SubjectConfirmation"), q("saml", "SubjectConfirmationData")
_ATTRIBUTE_STATEMENT, _ATTRIBUTE, _ATTRIBUTE_VALUE = (q("saml", "AttributeStatement"), q("saml", "Attribute"),
                                                      q("saml", "AttributeValue"))
_AUTHN_STATEMENT, _ISSUER = q("saml", "AuthnStatement"), q("saml", "Issuer")


class SamlError(Exception):
    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.description = description


@dataclass
class Expectations:
    audience: str                    # urn:amazon:cognito:sp:<pool>
    acs_url: str                     # https://<domain>/saml2/idpresponse
    certificates: tuple              # from the metadata
    request_id: str | None           # the AuthnRequest ID (SP-initiated) or None (IdP-initiated)
    now: float
    decryption_key: object = None    # set when EncryptedResponses is on


@dataclass
class ValidAssertion:
    issuer: str | None
    name_id: str
    name_id_format: str | None
    session_index: str | None
    assertion_id: str
    attributes: dict[str, list[str]] = field(default_factory=dict)


def decode(saml_response: str | None) -> bytes:
    if not saml_response:
        raise SamlError(errors.MALFORMED)
    if len(saml_response) > MAX_CHARS:
        raise SamlError(errors.TOO_LARGE)
    try:
        return base64.b64decode(saml_response, validate=False)
    except (binascii.Error, ValueError):
        raise SamlError(errors.MALFORMED) from None


def validate(saml_response: str | None, expect: Expectations) -> ValidAssertion:
    raw = decode(saml_response)
    try:
        root = parse(raw)
    except UnsafeXML:
        raise SamlError(errors.MALFORMED) from None
    if root.tag != q("samlp", "Response"):
        raise SamlError(errors.MALFORMED)
    children = by_tag(root)   # the same elements after the signature check (it puts its Signature back)
    status = next((code for parent in children.get(_STATUS, ()) for code in parent.iterchildren(_STATUS_CODE)), None)
    if status is None or status.get("Value") != SUCCESS:
        raise SamlError(errors.STATUS_NOT_SUCCESS.format(status=status.get("Value") if status is not None else "missing"))
    _reject_comments_in_name_ids(root)
    response = root
    response_signed = xmldsig.is_signed(root)
    if response_signed:
        _verified(root, expect, errors.RESPONSE_SIGNATURE_INVALID)
    encrypted = children.get(_ENCRYPTED_ASSERTION, [])
    plain = children.get(_ASSERTION, [])
    if len(encrypted) + len(plain) != 1:
        raise SamlError(errors.MALFORMED)   # exactly one assertion, no wrapping decoys
    if expect.decryption_key is not None:
        if not encrypted:
            raise SamlError(errors.NOT_ENCRYPTED)   # docs/fidelity/cognito-federation.md#cognito-federation-encrypted-assertions
        try:
            assertion = decrypt_assertion(encrypted[0], expect.decryption_key)
        except (DecryptionError, UnsafeXML):
            raise SamlError(errors.DECRYPTION_FAILED) from None
        _reject_comments_in_name_ids(assertion)
    elif encrypted:
        raise SamlError(errors.DECRYPTION_FAILED)
    else:
        assertion = plain[0]
    if xmldsig.is_signed(assertion):
        assertion = _verified(assertion, expect, errors.ASSERTION_SIGNATURE_INVALID)
    elif not response_signed:
        raise SamlError(errors.UNSIGNED)   # neither signed: rejected (unconfirmed, docs/fidelity/cognito-federation.md#cognito-federation-saml)
    return _check(response, assertion, expect)


def _reject_comments_in_name_ids(root) -> None:
    # A comment inside NameID makes naive readers see a truncated value while the signature
    # (comments excluded by c14n) still verifies: refuse such responses outright.
    for name_id in root.iter(_NAME_ID):
        if len(name_id):
            raise SamlError(errors.MALFORMED)


def _verified(element, expect: Expectations, failure: str):
    """The element, once its own enveloped signature verifies with a metadata certificate valid
    now (docs/fidelity/cognito-federation.md#cognito-federation-expired-idp-signing-cert-at-sign-in).
    Every way of failing (wrong key, tampering, an algorithm outside the list, an expired
    certificate) is Cognito's one text for that element (docs/fidelity/errors.md#errors-cognito)."""
    try:
        xmldsig.verify_enveloped(element, expect.certificates,
                         at=_dt.datetime.fromtimestamp(expect.now, _dt.timezone.utc))
    except xmldsig.SignatureError:
        raise SamlError(failure) from None
    return element


def _instant(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return _dt.datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        raise SamlError(errors.MALFORMED) from None


def _check(root, assertion, expect: Expectations) -> ValidAssertion:
    now = expect.now
    parts = by_tag(assertion)
    every_conditions = parts.get(_CONDITIONS, ())
    conditions = first(parts, _CONDITIONS)
    # NotBefore / NotOnOrAfter: no published skew (docs/fidelity/cognito-federation.md#cognito-federation-saml "unconfirmed"); none allowed here.
    if conditions is not None:
        not_before, not_after = _instant(conditions.get("NotBefore")), _instant(conditions.get("NotOnOrAfter"))
        if not_before is not None and now < not_before:
            raise SamlError(errors.NOT_YET_VALID)
        if not_after is not None and now >= not_after:
            raise SamlError(errors.EXPIRED)
    audiences = [a.text for c in every_conditions for r in c.iterchildren(_AUDIENCE_RESTRICTION)
                 for a in r.iterchildren(_AUDIENCE)]
    if expect.audience not in audiences:   # docs/fidelity/cognito-federation.md#cognito-federation-sp-entity-id-audience-uri
        raise SamlError(errors.AUDIENCE_RESTRICTION)
    subject = first(parts, _SUBJECT)
    in_subject = by_tag(subject) if subject is not None else {}
    name_id = first(in_subject, _NAME_ID)
    if name_id is None or not (name_id.text or "").strip():
        raise SamlError(errors.NO_NAME_ID)    # docs/fidelity/cognito-federation.md#cognito-federation-nameid: required
    # docs/fidelity/errors.md#errors-saml-subject-confirmation-method: only a bearer confirmation
    # confirms the subject of a browser SSO response; its data carries Recipient and InResponseTo.
    methods = in_subject.get(_SUBJECT_CONFIRMATION, [])
    bearer = [c for c in methods if c.get("Method") == BEARER]
    if methods and not bearer:
        raise SamlError(errors.SUBJECT_CONFIRMATION_METHOD)
    confirmations = [d for c in bearer for d in c.iterchildren(_SUBJECT_CONFIRMATION_DATA)]
    # docs/fidelity/cognito-federation.md#cognito-federation-required-assertion-content: Recipient = ACS URL; InResponseTo = the request ID.
    if not confirmations or not any(c.get("Recipient") == expect.acs_url for c in confirmations):
        raise SamlError(errors.RECIPIENT_MISMATCH)
    for data in confirmations:
        not_after = _instant(data.get("NotOnOrAfter"))
        if not_after is not None and now >= not_after:
            raise SamlError(errors.EXPIRED)
    in_response_to = {root.get("InResponseTo"), *(c.get("InResponseTo") for c in confirmations)} - {None}
    if expect.request_id is None:
        if in_response_to:   # docs/fidelity/cognito-federation.md#cognito-federation-idp-initiated-assertion-must-not-carry-inresponseto
            raise SamlError(errors.IDP_INIT_IN_RESPONSE_TO)
        issued = _instant(assertion.get("IssueInstant"))
        if issued is None or now - issued > IDP_INIT_WINDOW:   # docs/fidelity/cognito-federation.md#cognito-federation-idp-initiated-freshness-window
            raise SamlError(errors.IDP_INIT_TOO_OLD)
    elif (root.get("InResponseTo") != expect.request_id
          or any(c.get("InResponseTo") != expect.request_id for c in confirmations)):
        raise SamlError(errors.IN_RESPONSE_TO_MISMATCH)
    attributes: dict[str, list[str]] = {}
    for attribute in (a for s in parts.get(_ATTRIBUTE_STATEMENT, ()) for a in s.iterchildren(_ATTRIBUTE)):
        values = [v.text or "" for v in attribute.iterchildren(_ATTRIBUTE_VALUE)]
        attributes.setdefault(attribute.get("Name", ""), []).extend(values)
    statement = first(parts, _AUTHN_STATEMENT)
    issuer = _text(first(parts, _ISSUER)) or _text(_child(root, _ISSUER))
    return ValidAssertion(issuer=issuer, name_id=name_id.text.strip(), name_id_format=name_id.get("Format"),
                          session_index=statement.get("SessionIndex") if statement is not None else None,
                          assertion_id=assertion.get("ID", ""), attributes=attributes)


def _child(parent, tag: str):
    """The first child element named ``tag`` (``find``'s answer), or None."""
    return next(parent.iterchildren(tag), None)


def _text(element) -> str | None:
    """``findtext``'s answer for a child found (or not): its text, ``""`` when it has none, None
    without one."""
    return None if element is None else (element.text or "")
