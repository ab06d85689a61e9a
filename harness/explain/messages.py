"""What a captured message says: SAML messages decoded and pretty-printed with their facts and
signature checks (the mocks' own parser and verifier), JWTs decoded, and the error a page,
redirect or STS body shows the user."""
from __future__ import annotations

import json
import re

from lxml import etree
from lxml import html as lxml_html

from world_common import xmldsig
from world_common.saml_xml import NS, UnsafeXML, parse, q

from ..jwt_parts import jwt_parts
from .captures import Exchange, decode_saml


def saml_xml(value: str) -> bytes | None:
    return decode_saml(value or "")


def saml_facts(xml: bytes) -> dict:
    """The facts of a SAML message a reader wants first (unverified), plus the pretty XML."""
    try:
        root = parse(xml)
    except UnsafeXML as exc:
        return {"kind": "unreadable", "problem": f"the XML does not parse: {exc}"}
    assertion = root.find("saml:Assertion", NS) if root.tag != q("saml", "Assertion") else root
    facts = {"kind": etree.QName(root).localname, "id": root.get("ID"), "issue_instant": root.get("IssueInstant"),
             "issuer": root.findtext("saml:Issuer", namespaces=NS), "destination": root.get("Destination"),
             "in_response_to": root.get("InResponseTo"), "acs_url": root.get("AssertionConsumerServiceURL"),
             "status": (root.find("samlp:Status/samlp:StatusCode", NS).get("Value")
                        if root.find("samlp:Status/samlp:StatusCode", NS) is not None else None)}
    if root.find("saml:EncryptedAssertion", NS) is not None:
        facts["encrypted_assertion"] = True
    if assertion is not None:
        conditions = assertion.find("saml:Conditions", NS)
        data = assertion.find("saml:Subject/saml:SubjectConfirmation/saml:SubjectConfirmationData", NS)
        name_id = assertion.find("saml:Subject/saml:NameID", NS)
        facts.update({
            "assertion_id": assertion.get("ID"), "assertion_issuer": assertion.findtext("saml:Issuer", namespaces=NS),
            "audience": ", ".join(a.text or "" for a in assertion.iterfind(
                "saml:Conditions/saml:AudienceRestriction/saml:Audience", NS)) or None,
            "recipient": data.get("Recipient") if data is not None else None,
            "not_before": conditions.get("NotBefore") if conditions is not None else None,
            "not_on_or_after": conditions.get("NotOnOrAfter") if conditions is not None else None,
            "name_id": name_id.text if name_id is not None else None,
            "name_id_format": name_id.get("Format") if name_id is not None else None,
            "attributes": attributes(assertion)})
        if data is not None and data.get("InResponseTo"):
            facts["in_response_to"] = facts["in_response_to"] or data.get("InResponseTo")
    facts["xml"] = etree.tostring(root, pretty_print=True).decode()
    return {k: v for k, v in facts.items() if v not in (None, "", {})}


def attributes(assertion) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for attr in assertion.iterfind("saml:AttributeStatement/saml:Attribute", NS):
        out.setdefault(attr.get("Name"), []).extend(v.text or "" for v in attr.iterfind("saml:AttributeValue", NS))
    return out


def signatures(xml: bytes, certificates, origin: str) -> list[dict]:
    """Each enveloped signature (Response, Assertion) checked with the mocks' verifier against the
    certificates the configuration trusts, the reference and digest checks spelled out."""
    try:
        root = parse(xml)
    except UnsafeXML:
        return []
    elements = [root] + root.findall("saml:Assertion", NS)
    out = []
    for element in elements:
        signature = element.find("ds:Signature", NS)
        if signature is None:
            continue
        name = etree.QName(element).localname
        reference = signature.find("ds:SignedInfo/ds:Reference", NS)
        uri = reference.get("URI") if reference is not None else None
        steps = [f"reference URI {uri} → element ID #{element.get('ID')}"
                 + (" (matches)" if uri == f"#{element.get('ID')}" else " (DOES NOT match)")]
        try:
            xmldsig.verify_enveloped(element, certificates)
            status, detail = "valid", f"digest matches; signature verifies with a certificate from {origin}"
            steps.append("digest of the canonicalized element matches DigestValue")
            steps.append(f"SignatureValue verifies with a certificate from {origin}")
        except xmldsig.SignatureError as exc:
            status, detail = "invalid", str(exc)
            if isinstance(exc, xmldsig.DigestMismatch):
                steps.append("digest of the canonicalized element does NOT match DigestValue "
                             "(the signed content was changed after signing)")
            elif isinstance(exc, xmldsig.NoCertificateVerifies):
                steps.append("digest of the canonicalized element matches DigestValue")
                steps.append(f"SignatureValue does NOT verify with any certificate from {origin} "
                             "(signed by another key)")
        out.append({"element": name, "status": status, "detail": detail, "steps": steps})
    return out


def certificate_names(certificates) -> list[str]:
    return [f"{c.subject.rfc4514_string()} (serial {c.serial_number})" for c in certificates]


def jwt_summary(token: str, name: str) -> dict | None:
    parts = jwt_parts(token)
    if parts is None:
        return None
    return {"name": name, "header": parts[0], "claims": parts[1]}


def page_text(body: str | None, selector_ids=("error-message",)) -> str | None:
    """The error a page shows: Cognito's and AWS's ``#error-message``, Okta's ``.error-description``."""
    if not body or "<" not in body:
        return None
    try:
        doc = lxml_html.fromstring(body)
    except (etree.ParserError, ValueError):
        return None
    for ident in selector_ids:
        found = doc.get_element_by_id(ident, None)
        if found is not None:
            return " ".join(found.text_content().split())
    for name in ("error-description", "infobox-error"):   # Okta's error page, Okta's sign-in form
        for node in doc.find_class(name):
            return " ".join(node.text_content().split())
    return None


def harness_detail(body: str | None) -> str | None:
    """The AWS sign-in stand-in's note of the STS error behind its page (``#harness-detail``)."""
    text = page_text(body, ("harness-detail",))
    return re.sub(r"^okta-aws-harness:\s*", "", text) if text else None


def sts_error(body: str | None) -> tuple[str, str] | None:
    """(Code, Message) of an STS ``ErrorResponse``."""
    if not body or "ErrorResponse" not in body:
        return None
    try:
        root = parse(body)
    except UnsafeXML:
        return None
    code = root.findtext(".//{*}Error/{*}Code")
    message = root.findtext(".//{*}Error/{*}Message")
    return (code, message) if code else None


def json_body(exchange: Exchange):
    body = exchange.response_body
    if not body or not body.lstrip().startswith("{"):
        return None
    try:
        return json.loads(body)
    except ValueError:
        return None
