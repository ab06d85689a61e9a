"""Reading what a user captured into one shape: a list of :class:`Exchange` in the order they
happened.

Accepted (detected from the content, not the file name):

* a HAR 1.2 file (Chrome, Firefox, Playwright's ``record_har``): every entry;
* a SAML-tracer JSON export (``{"requests": [...]}``, each with ``method``, ``url``, ``post``
  / ``get`` as ``[name, value]`` pairs, optionally ``responseStatus`` and ``timeStamp``);
* a raw SAML message: the XML itself, its base64, the HTTP-Redirect form (DEFLATE + base64),
  or a URL-encoded ``SAMLResponse=…`` / ``SAMLRequest=…`` form body;
* an STS ``AssumeRoleWithSAML`` form body (``Action=…&RoleArn=…&PrincipalArn=…&SAMLAssertion=…``);
* a JWT (an ID or access token, an ALB ``x-amzn-oidc-data``);
* a redirect URL (``https://app/callback?error_description=…&error=…`` or any other URL).

A capture that is none of these raises :class:`CaptureError` naming the problem.
"""
from __future__ import annotations

import base64
import binascii
import datetime as _dt
import json
import re
import zlib
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote_plus, urlsplit

from ..jwt_parts import JWT_RE

MAX_BYTES = 50 * 1024 * 1024


class CaptureError(ValueError):
    """The capture cannot be read; the message names the problem."""


@dataclass
class Exchange:
    """One HTTP request (and its response, when the capture has it)."""

    index: int
    method: str | None                     # None for a bare message (no HTTP around it)
    url: str | None
    status: int | None = None
    started: _dt.datetime | None = None
    query: dict = field(default_factory=dict)
    form: dict = field(default_factory=dict)
    request_body: str | None = None
    location: str | None = None
    response_body: str | None = None
    content_type: str = ""

    @property
    def host(self) -> str:
        return (urlsplit(self.url).hostname or "").lower() if self.url else ""

    @property
    def path(self) -> str:
        return urlsplit(self.url).path if self.url else ""


@dataclass
class Capture:
    kind: str                              # har | saml-tracer | saml | sts-call | jwt | url
    source: str
    exchanges: list[Exchange]
    bare: dict | None = None               # raw captures: {"SAMLResponse": …} / {"jwt": …}

    @property
    def started(self) -> _dt.datetime | None:
        return next((e.started for e in self.exchanges if e.started), None)


def read(path: str) -> Capture:
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise CaptureError(f"{path}: cannot read the capture: {exc.strerror or exc}") from None
    if len(data) > MAX_BYTES:
        raise CaptureError(f"{path}: the capture is over {MAX_BYTES // (1024 * 1024)} MB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CaptureError(f"{path}: the capture is not UTF-8 text (a HAR, a SAML-tracer export, a SAML "
                           "message, a JWT or a URL)") from None
    return parse(text, path)


def parse(text: str, source: str = "<capture>") -> Capture:
    stripped = text.strip()
    if not stripped:
        raise CaptureError(f"{source}: the capture is empty")
    if stripped.startswith("{"):
        return _json_capture(stripped, source)
    if stripped.startswith("<"):
        return _bare(source, "saml", {_saml_field(stripped.encode()): _b64(stripped.encode())})
    if re.match(r"^https?://", stripped, re.I):
        return Capture("url", source, [_exchange_for_url(0, stripped)])
    if JWT_RE.match(stripped):
        return _bare(source, "jwt", {"jwt": stripped})
    if re.match(r"^[\w.]+=", stripped) and "SAMLAssertion=" in stripped:   # an STS API call's form body
        fields = dict(parse_qsl(stripped, keep_blank_values=True))
        fields["SAMLAssertion"] = _normalised_saml(fields.get("SAMLAssertion", ""), source)
        return _bare(source, "sts-call", fields)
    if stripped.startswith(("SAMLResponse=", "SAMLRequest=")) or "&SAMLResponse=" in stripped:
        fields = dict(parse_qsl(stripped, keep_blank_values=True))
        name = "SAMLResponse" if "SAMLResponse" in fields else "SAMLRequest"
        return _bare(source, "saml", {name: _normalised_saml(fields[name], source), "RelayState":
                                      fields.get("RelayState")})
    xml = decode_saml(stripped)
    if xml is None and "%" in stripped:
        xml = decode_saml(unquote_plus(stripped))
    if xml is None:
        raise CaptureError(f"{source}: not a HAR, a SAML-tracer export, a SAML message (XML, base64 or "
                           "URL-encoded), a JWT or a URL")
    return _bare(source, "saml", {_saml_field(xml): _b64(xml)})


def _bare(source: str, kind: str, fields: dict) -> Capture:
    fields = {k: v for k, v in fields.items() if v is not None}
    return Capture(kind, source, [Exchange(0, None, None, form=fields)], bare=fields)


def _b64(xml: bytes) -> str:
    return base64.b64encode(xml).decode()


def _saml_field(xml: bytes) -> str:
    head = xml[:400]
    return "SAMLRequest" if re.search(rb"<(\w+:)?(AuthnRequest|LogoutRequest)\b", head) else "SAMLResponse"


def _normalised_saml(value: str, source: str) -> str:
    xml = decode_saml(value)
    if xml is None:
        raise CaptureError(f"{source}: the SAML field is neither base64 XML nor DEFLATE-encoded")
    return _b64(xml)


def decode_saml(value: str) -> bytes | None:
    """The XML of a SAML message as it travels: base64 (POST binding) or DEFLATE + base64
    (HTTP-Redirect binding); None when it is neither."""
    compact = "".join(value.split())
    try:
        raw = base64.b64decode(compact + "=" * (-len(compact) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None
    if raw.lstrip().startswith(b"<"):
        return raw
    try:
        inflated = zlib.decompress(raw, -15)
    except zlib.error:
        return None
    return inflated if inflated.lstrip().startswith(b"<") else None


# ---- HAR and SAML-tracer ------------------------------------------------------------------------

def _json_capture(text: str, source: str) -> Capture:
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise CaptureError(f"{source}: not valid JSON (line {getattr(exc, 'lineno', '?')}: "
                           f"{getattr(exc, 'msg', exc)})") from None
    if isinstance(document, dict) and isinstance(document.get("log"), dict):
        return Capture("har", source, _har_entries(document["log"], source))
    if isinstance(document, dict) and isinstance(document.get("requests"), list):
        return Capture("saml-tracer", source, _tracer_requests(document["requests"], source))
    raise CaptureError(f"{source}: JSON, but neither a HAR (no \"log\" object) nor a SAML-tracer export "
                       "(no \"requests\" list)")


def _har_entries(log: dict, source: str) -> list[Exchange]:
    entries = log.get("entries")
    if not isinstance(entries, list):
        raise CaptureError(f"{source}: a HAR without log.entries")
    out = []
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("request"), dict):
            raise CaptureError(f"{source}: log.entries[{i}] has no request object")
        request, response = entry["request"], entry.get("response") or {}
        url = request.get("url")
        if not isinstance(url, str) or not url:
            raise CaptureError(f"{source}: log.entries[{i}].request has no url")
        exchange = _exchange_for_url(len(out), url, request.get("method") or "GET")
        exchange.started = _instant(entry.get("startedDateTime"), f"{source}: log.entries[{i}].startedDateTime")
        post = request.get("postData") or {}
        exchange.request_body = post.get("text")
        exchange.form = _har_form(post)
        exchange.status = response.get("status") if isinstance(response.get("status"), int) else None
        headers = {h.get("name", "").lower(): h.get("value", "") for h in response.get("headers") or []
                   if isinstance(h, dict)}
        exchange.location = response.get("redirectURL") or headers.get("location") or None
        content = response.get("content") or {}
        exchange.content_type = content.get("mimeType") or headers.get("content-type", "")
        exchange.response_body = _har_text(content)
        out.append(exchange)
    return out


def _har_form(post: dict) -> dict:
    """The form fields: from the body text when there is one (its encoding is unambiguous), else
    from ``params`` (Playwright writes them decoded, Chrome URL-encoded)."""
    text = post.get("text") or ""
    if text and ("form-urlencoded" in (post.get("mimeType") or "") or re.match(r"^[\w.-]+=[^\s]*$", text)):
        return dict(parse_qsl(text, keep_blank_values=True))
    params = post.get("params")
    if isinstance(params, list) and params:
        return {p.get("name"): _maybe_unquoted(p.get("value") or "") for p in params if isinstance(p, dict)}
    return {}


def _maybe_unquoted(value: str) -> str:
    return unquote_plus(value) if re.search(r"%[0-9A-Fa-f]{2}", value) else value


def _har_text(content: dict) -> str | None:
    text = content.get("text")
    if text is None:
        return None
    if content.get("encoding") == "base64":
        try:
            return base64.b64decode(text).decode("utf-8", "replace")
        except (binascii.Error, ValueError):
            return None
    return text


def _tracer_requests(requests: list, source: str) -> list[Exchange]:
    out = []
    for i, item in enumerate(requests):
        if not isinstance(item, dict) or not isinstance(item.get("url"), str):
            raise CaptureError(f"{source}: requests[{i}] has no url")
        exchange = _exchange_for_url(len(out), item["url"], item.get("method") or "GET")
        exchange.form = _pairs(item.get("post"), f"{source}: requests[{i}].post")
        exchange.query.update(_pairs(item.get("get"), f"{source}: requests[{i}].get"))
        status = item.get("responseStatus")
        exchange.status = int(status) if isinstance(status, (int, str)) and str(status).isdigit() else None
        stamp = item.get("timeStamp") or item.get("timestamp")
        if isinstance(stamp, (int, float)):
            exchange.started = _dt.datetime.fromtimestamp(stamp / 1000, tz=_dt.timezone.utc)
        elif stamp is not None:
            exchange.started = _instant(stamp, f"{source}: requests[{i}].timeStamp")
        for header in item.get("responseHeaders") or []:
            if isinstance(header, dict) and str(header.get("name", "")).lower() == "location":
                exchange.location = header.get("value")
        out.append(exchange)
    return out


def _pairs(value, where: str) -> dict:
    if value is None:
        return {}
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items()}
    if not isinstance(value, list) or any(not isinstance(p, (list, tuple)) or len(p) != 2 for p in value):
        raise CaptureError(f"{where} is not a list of [name, value] pairs")
    return {str(k): str(v) for k, v in value}


def _exchange_for_url(index: int, url: str, method: str | None = None) -> Exchange:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    return Exchange(index, method, url, query=query)


def _instant(value, where: str) -> _dt.datetime | None:
    if value in (None, ""):
        return None
    try:
        moment = _dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise CaptureError(f"{where}: {value!r} is not an ISO 8601 time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=_dt.timezone.utc)
