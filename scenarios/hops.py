"""Turn a world's trace into hops a person can read: each request with its parameters, SAML
messages decoded and pretty-printed with their signature status, JWTs decoded, redirects with
the parameters they carry. Plain dicts, so the report and the failure messages can use them.
"""
from __future__ import annotations

import base64
import json
import zlib
from urllib.parse import parse_qsl, urlsplit

from lxml import etree

from world_common import xmldsig
from world_common.saml_xml import NS, SAML, UnsafeXML, parse


# ---- SAML ---------------------------------------------------------------------------------
def decode_saml(value: str, deflated: bool) -> bytes | None:
    try:
        raw = base64.b64decode(value + "=" * (-len(value) % 4))
        if deflated:
            try:
                raw = zlib.decompress(raw, -15)
            except zlib.error:
                pass
        return raw
    except (ValueError, TypeError):
        return None


def _text(root, xpath):
    found = root.xpath(xpath, namespaces=NS)
    if not found:
        return None
    item = found[0]
    return item if isinstance(item, str) else (item.text or "").strip()


def summarize_saml(xml: bytes, trusted_certs: list[str]) -> dict:
    """What a reader needs from a SAML message: its kind, issuer, audience, subject, attributes,
    and whether each signature verifies against the IdP's published certificate."""
    try:
        root = parse(xml)
    except UnsafeXML as exc:
        return {"kind": "unparseable", "error": str(exc), "xml": xml.decode("utf-8", "replace")}
    kind = etree.QName(root).localname
    out = {
        "kind": kind,
        "xml": etree.tostring(parse(xml, remove_blank_text=True), pretty_print=True).decode(),
        "raw_b64": base64.b64encode(xml).decode(),
        "id": root.get("ID"),
        "destination": root.get("Destination"),
        "in_response_to": root.get("InResponseTo"),
        "issuer": _text(root, "./saml:Issuer"),
    }
    if kind == "AuthnRequest":
        out["acs_url"] = root.get("AssertionConsumerServiceURL")
        return out
    assertion = root.find(f"{{{SAML}}}Assertion") if kind == "Response" else None
    out["status"] = _text(root, "./samlp:Status/samlp:StatusCode/@Value")
    if assertion is not None:
        out["assertion_issuer"] = _text(assertion, "./saml:Issuer")
        out["audience"] = _text(assertion, ".//saml:AudienceRestriction/saml:Audience")
        out["audiences"] = [a.text for a in assertion.iterfind(f".//{{{SAML}}}Audience")]
        out["audience_xml"] = _element_xml(assertion, ".//saml:AudienceRestriction")
        out["name_id"] = _text(assertion, "./saml:Subject/saml:NameID")
        out["name_id_format"] = _text(assertion, "./saml:Subject/saml:NameID/@Format")
        out["recipient"] = _text(assertion, ".//saml:SubjectConfirmationData/@Recipient")
        attributes = {}
        for attr in assertion.iterfind(f".//{{{SAML}}}Attribute"):
            attributes[attr.get("Name")] = [(v.text or "") for v in attr.iterfind(f"{{{SAML}}}AttributeValue")]
        out["attributes"] = attributes
        out["attribute_statement_xml"] = _element_xml(assertion, "./saml:AttributeStatement")
    out["signatures"] = _signatures(root, assertion, trusted_certs)
    return out


def _element_xml(root, xpath) -> str | None:
    found = root.xpath(xpath, namespaces=NS)
    return etree.tostring(found[0], pretty_print=True).decode() if found else None


def _signatures(root, assertion, trusted_certs: list[str]) -> list[dict]:
    elements = [("Response", root), ("Assertion", assertion)]
    return [{"element": name, **verify_signature(element, trusted_certs)}
            for name, element in elements if element is not None and xmldsig.is_signed(element)]


def verify_signature(element, trusted_certs: list[str]) -> dict:
    """The element's enveloped signature checked by the world's one verifier against each
    published certificate (PEM or the metadata's base64); the failure's reason as the detail."""
    if not trusted_certs:
        return {"status": "unchecked", "detail": "no IdP certificate known"}
    certificates = []
    for text in trusted_certs:
        try:
            certificates.append(xmldsig.load_certificate(text))
        except ValueError:
            continue
    try:
        xmldsig.verify_enveloped(element, certificates)
    except xmldsig.SignatureError as exc:
        return {"status": "invalid", "detail": str(exc)}
    return {"status": "valid", "detail": "verifies against the IdP metadata certificate"}


# ---- JWTs -----------------------------------------------------------------------------------
def decode_jwt(token: str) -> dict | None:
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        header = json.loads(_b64url(parts[0]))
        claims = json.loads(_b64url(parts[1]))
    except (ValueError, TypeError):
        return None
    if not isinstance(header, dict) or not isinstance(claims, dict):
        return None
    return {"header": header, "claims": claims}


def _b64url(segment: str) -> bytes:
    segment = segment.rstrip("=")
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def _jwts_in_json(body: bytes) -> list[dict]:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return []
    found = []
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, str) and value.count(".") == 2:
                decoded = decode_jwt(value)
                if decoded:
                    found.append({"name": key, **decoded})
    return found


# ---- hops -------------------------------------------------------------------------------------
def _params(exchange) -> tuple[dict, dict]:
    parts = urlsplit(exchange.url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    form = {}
    ctype = str(exchange.request_headers.get("Content-Type") or exchange.request_headers.get("content-type") or "")
    if exchange.request_body and "x-www-form-urlencoded" in ctype:
        form = dict(parse_qsl(exchange.request_body.decode("utf-8", "replace"), keep_blank_values=True))
    return query, form


def _label(host: str, path: str, method: str, world_hosts: dict) -> str:
    who = world_hosts.get(host, host)
    return f"{who} {method} {path}"


def build_hops(exchanges, trusted_certs: list[str] | None = None, world_hosts: dict | None = None) -> list[dict]:
    trusted_certs = trusted_certs or []
    world_hosts = world_hosts or {}
    hops = []
    exchanges = [ex for ex in exchanges if not urlsplit(ex.url).path.endswith("/favicon.ico")]
    for i, ex in enumerate(exchanges):
        parts = urlsplit(ex.url)
        query, form = _params(ex)
        hop = {
            "index": i, "method": ex.method, "url": ex.url, "host": ex.host or parts.hostname,
            "path": parts.path, "status": ex.status, "duration_ms": round(ex.duration_ms, 2),
            "label": _label(ex.host or parts.hostname or "", parts.path, ex.method, world_hosts),
            "query": {k: _short(v) for k, v in query.items()},
            "form": {k: _short(v) for k, v in form.items()},
            "saml": [], "jwts": [],
        }
        if ex.error:
            hop["error"] = ex.error
        location = ex.header("Location")
        if location:
            hop["location"] = location
            loc_query = dict(parse_qsl(urlsplit(location).query, keep_blank_values=True))
            hop["location_params"] = {k: _short(v) for k, v in loc_query.items()}
            for name in ("SAMLRequest", "SAMLResponse"):
                if name in loc_query:
                    _add_saml(hop, name, loc_query[name], True, trusted_certs, "redirect")
        for source, params in (("query", query), ("form", form)):
            for name in ("SAMLRequest", "SAMLResponse"):
                if name in params:
                    _add_saml(hop, name, params[name], source == "query", trusted_certs, source)
        if getattr(ex, "via", None) == "lambda":
            hop["lambda"] = lambda_invocation(ex)
        ctype = (ex.header("Content-Type") or "").lower()
        if "json" in ctype and ex.response_body:
            hop["jwts"].extend(_jwts_in_json(ex.response_body))
            hop["response_json"] = _json_preview(ex.response_body)
        elif "html" in ctype and ex.response_body:
            hop["response_text"] = _visible_text(ex.response_body)
        hops.append(hop)
    return hops


def lambda_invocation(exchange) -> dict:
    """A Lambda trigger's Invoke call as the world records it (docs/fidelity/cognito-triggers.md
    #cognito-triggers-trace): function, trigger source, event, what the handler printed."""
    try:
        event = json.loads(exchange.request_body or b"{}")
    except ValueError:
        event = {}
    try:
        printed = base64.b64decode(exchange.header("X-Amz-Log-Result") or "").decode("utf-8", "replace")
    except ValueError:
        printed = ""
    return {"function": urlsplit(exchange.url).path.split("/functions/")[-1].split("/")[0],
            "trigger_source": event.get("triggerSource"), "event": event, "printed": printed,
            "failed": exchange.header("X-Amz-Function-Error") is not None}


def _add_saml(hop, name, value, deflated, trusted_certs, source):
    raw = decode_saml(value, deflated)
    if raw is None:
        hop["saml"].append({"param": name, "source": source, "kind": "undecodable"})
        return
    hop["saml"].append({"param": name, "source": source, **summarize_saml(raw, trusted_certs)})


def _short(value: str, limit: int = 300) -> str:
    return value if len(value) <= limit else value[:limit] + f"… ({len(value)} chars)"


def _json_preview(body: bytes):
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None


def _visible_text(body: bytes, limit: int = 600) -> str:
    try:
        root = etree.fromstring(body, etree.HTMLParser(no_network=True))
    except (etree.XMLSyntaxError, ValueError):
        return ""
    if root is None:
        return ""
    for bad in root.xpath("//script|//style|//noscript"):
        bad.getparent().remove(bad)
    text = " ".join(" ".join(root.itertext()).split())
    return text[:limit]


# ---- lookups used by expectations -----------------------------------------------------------
def saml_messages(hops, kind: str = "Response"):
    for hop in hops:
        for message in hop["saml"]:
            if message.get("kind") == kind:
                yield hop, message


def last_saml_response(hops, acs_host: str | None = None):
    found = None
    for hop, message in saml_messages(hops):
        if acs_host is None or hop["host"] == acs_host:
            found = (hop, message)
    return found


def token_response(hops, path_suffix: str = "/oauth2/token", host: str | None = None):
    """The last token endpoint response that carried JWTs (Cognito's when host is the pool domain)."""
    found = None
    for hop in hops:
        if hop["path"].endswith(path_suffix) and hop["jwts"] and (host is None or hop["host"] == host):
            found = hop
    return found
