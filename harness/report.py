"""The HTML report of a scenario run: one self-contained file (styles inline, screenshots and
Playwright traces embedded as data URIs) that reads offline.

Per case: what was expected and what failed, the attribute-mapping chain with the broken link
marked, and a timeline of hops with SAML messages decoded (signature status included), JWTs
decoded and redirects with their parameters. Input is the plain result dicts the scenario
runner writes, so this module knows nothing of Playwright or the scenario format.
"""
from __future__ import annotations

import base64
import html
import json
import os
import time

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
header{background:#1d2330;color:#fff;padding:16px 24px}header h1{margin:0;font-size:20px}
.summary{margin-top:6px}.summary b.pass{color:#7ee2a8}.summary b.fail{color:#ff9c9c}
main{padding:16px 24px;max-width:1400px}
nav ul{list-style:none;padding:0;columns:2}nav a{text-decoration:none;color:inherit}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600}
.passed .badge.status,.badge.valid{background:#d3f5e1;color:#0b6b35}
.failed .badge.status,.error .badge.status,.badge.invalid{background:#ffd9d9;color:#9b1c1c}
.badge.unchecked{background:#eee;color:#555}
section.case{background:#fff;border:1px solid #dde1e7;border-radius:8px;margin:18px 0;padding:12px 18px}
section.case.failed,section.case.error{border-left:6px solid #d33}
section.case.passed{border-left:6px solid #2a9d5c}
h2{font-size:17px;margin:4px 0}h3{font-size:14px;margin:14px 0 6px}
.meta{color:#5a6372;font-size:12px}
table{border-collapse:collapse;width:100%;margin:4px 0}
th,td{overflow-wrap:anywhere;border:1px solid #dde1e7;padding:4px 6px;text-align:left;vertical-align:top;font-size:13px}
th{background:#f0f2f5}
td.broken{background:#ffe3e3;border:2px solid #d33;font-weight:600}
tr.broken td:first-child{border-left:4px solid #d33}
.brokenmark{color:#b00;font-weight:700}
pre{white-space:pre-wrap;word-break:break-all;background:#f4f5f7;border:1px solid #e3e6ea;padding:8px;overflow:auto;max-height:420px;font-size:12px;margin:4px 0}
details.hop{border:1px solid #e3e6ea;border-radius:6px;margin:3px 0;padding:2px 8px}
details.hop summary{cursor:pointer;font-family:ui-monospace,Menlo,monospace;font-size:12.5px}
details.hop.fail{border-color:#d33;background:#fff6f6}
.s2{color:#0b6b35}.s3{color:#1f5fbf}.s4,.s5{color:#b00}
ul.outcomes{padding-left:18px}li.ok{color:#0b6b35}li.bad{color:#9b1c1c}
img.shot{max-width:100%;border:1px solid #ccc}
"""


def _e(value) -> str:
    return html.escape("" if value is None else str(value))


def _kv_table(data: dict, title: str) -> str:
    if not data:
        return ""
    rows = "".join(f"<tr><th>{_e(k)}</th><td><code>{_e(v)}</code></td></tr>" for k, v in data.items())
    return f"<h4>{_e(title)}</h4><table class='kv'>{rows}</table>"


def _saml_block(msg: dict) -> str:
    parts = [f"<h4>{_e(msg.get('param'))} ({_e(msg.get('source'))}): {_e(msg.get('kind'))}</h4>"]
    facts = {k: msg.get(k) for k in ("issuer", "assertion_issuer", "destination", "in_response_to", "audience",
                                      "recipient", "name_id", "name_id_format", "status", "acs_url") if msg.get(k)}
    parts.append(_kv_table(facts, "Decoded"))
    sigs = msg.get("signatures")
    if sigs is not None:
        if not sigs:
            parts.append("<p>Signatures: <span class='badge invalid'>none</span></p>")
        for sig in sigs:
            parts.append(f"<p>{_e(sig['element'])} signature: <span class='badge {_e(sig['status'])}'>"
                         f"{_e(sig['status'])}</span> <span class='meta'>{_e(sig.get('detail'))}</span></p>")
    attrs = msg.get("attributes")
    if attrs:
        rows = "".join(f"<tr><td><code>{_e(k)}</code></td><td>{_e(', '.join(v))}</td></tr>" for k, v in attrs.items())
        parts.append(f"<h4>Attributes</h4><table><tr><th>Name</th><th>Values</th></tr>{rows}</table>")
    if msg.get("xml"):
        parts.append(f"<details><summary>XML</summary><pre>{_e(msg['xml'])}</pre></details>")
    return "".join(parts)


def _jwt_block(jwt: dict) -> str:
    return (f"<h4>JWT {_e(jwt.get('name'))}</h4><pre>{_e(json.dumps(jwt.get('header'), indent=2))}</pre>"
            f"<pre>{_e(json.dumps(jwt.get('claims'), indent=2, sort_keys=True))}</pre>")


def _hop(hop: dict, failed_hops: set) -> str:
    status = hop.get("status") or 0
    cls = "hop fail" if hop["index"] in failed_hops else "hop"
    opened = " open" if hop["index"] in failed_hops else ""
    tags = []
    if hop.get("saml"):
        tags.append(" + ".join(_e(m.get("param")) for m in hop["saml"]))
    if hop.get("jwts"):
        tags.append("JWT")
    if hop.get("location"):
        tags.append(f"&rarr; {_e(hop['location'][:120])}")
    body = [_kv_table(hop.get("query") or {}, "Query parameters"), _kv_table(hop.get("form") or {}, "Form fields")]
    if hop.get("error"):
        tags.append("call failed")
        body.append(f"<h4>The call failed before any response</h4><p><code>{_e(hop['error'])}</code></p>")
    if hop.get("location"):
        body.append(f"<h4>Redirect</h4><p><code>{_e(hop['location'])}</code></p>")
        body.append(_kv_table(hop.get("location_params") or {}, "Redirect parameters"))
    for msg in hop.get("saml") or []:
        body.append(_saml_block(msg))
    for jwt in hop.get("jwts") or []:
        body.append(_jwt_block(jwt))
    if hop.get("lambda"):   # a Lambda trigger's invocation: its event and what the handler printed
        call = hop["lambda"]
        tags.append(f"Lambda {_e(call.get('trigger_source'))}")
        body.append(f"<h4>Lambda event ({_e(call.get('function'))})</h4>"
                    f"<pre>{_e(json.dumps(call.get('event'), indent=2)[:4000])}</pre>")
        body.append(f"<h4>Printed by the handler</h4><pre>{_e(call.get('printed') or '(nothing)')}</pre>")
    if hop.get("response_json") is not None and not hop.get("jwts"):
        body.append(f"<h4>Response</h4><pre>{_e(json.dumps(hop['response_json'], indent=2)[:4000])}</pre>")
    if hop.get("response_text"):
        body.append(f"<h4>Page text</h4><p class='meta'>{_e(hop['response_text'])}</p>")
    return (f"<details class='{cls}'{opened}><summary>{hop['index'] + 1}. {_e(hop.get('method'))} "
            f"https://{_e(hop.get('host'))}{_e(hop.get('path'))} <b class='s{str(status)[:1]}'>{_e(status)}</b> "
            f"<span class='meta'>{_e(hop.get('duration_ms'))} ms {' '.join(tags)}</span></summary>"
            f"{''.join(body)}</details>")


def _cell(value, broken: bool, reason: str | None = None) -> str:
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    if broken:
        return (f"<td class='broken'><span class='brokenmark'>&#10007; broken link</span><br>{_e(value)}"
                f"<div class='meta'>{_e(reason)}</div></td>")
    return f"<td>{_e(value) if value not in (None, '') else '<span class=meta>&mdash;</span>'}</td>"


def _mapping_table(table: dict | None) -> str:
    if not table or not table.get("rows"):
        return ""
    is_saml = str(table.get("flow", "")).startswith("saml")
    head = ("<tr><th>Okta profile value</th><th>Okta attribute statement</th>"
            f"<th>{'SAML Attribute sent' if is_saml else 'OIDC claim sent'}</th>"
            "<th>Cognito AttributeMapping entry</th><th>User pool attribute</th><th>Token claim</th></tr>")
    rows = []
    for r in table["rows"]:
        broken = r.get("broken")
        st = r.get("statement")
        suspect = r.get("suspect")
        if is_saml:
            statement = (f"{st['name']} = {', '.join(st['values'])}" if st else
                         (f"(none named {r['source']}; closest: {suspect['name']} = {', '.join(suspect['values'])})"
                          if suspect else f"(none named {r['source']})"))
        else:
            statement = f"claim {r.get('okta_claim')} (from the profile by scope)"
        sent = r.get("sent")
        if sent is None and r.get("suspect_sent") is not None and suspect:
            sent = f"{suspect['name']} = {', '.join(r['suspect_sent'])} (no mapping reads this name)"
        cells = [
            _cell(r.get("okta_profile"), False),
            _cell(statement, broken == "statement", r.get("reason")),
            _cell(sent, broken in ("sent", "claim"), r.get("reason")),
            _cell(r.get("mapping"), broken == "statement", r.get("reason") if broken == "statement" else None)
            if broken != "statement" else _cell(r.get("mapping"), True, r.get("mapping_path")),
            _cell(r.get("stored"), broken == "stored", r.get("reason")),
            _cell(r.get("token_claim"), False),
        ]
        rows.append(f"<tr class='{'broken' if broken else 'ok'}'>{''.join(cells)}</tr>")
    unread = table.get("unread_statements") or []
    extra = ""
    if unread:
        extra = ("<p class='meta'>Okta statements no Cognito mapping reads: "
                 + ", ".join(f"<code>{_e(s['name'])}</code>" for s in unread) + "</p>")
    triggered = table.get("trigger_claims") or []
    if triggered:
        extra += ("<h4>Token claims set by Lambda triggers</h4><table class='mapping'><tr><th>Claim</th><th>Value</th>"
                  "<th>Token</th><th>From</th></tr>"
                  + "".join(f"<tr><td>{_e(r['claim'])}</td>{_cell(r['value'], False)}<td>{_e(r['token'])}</td>"
                            f"<td>pre token generation trigger <code>{_e(r['function'])}</code></td></tr>"
                            for r in triggered) + "</table>")
    return (f"<h3>Attribute mapping (identity provider {_e(table.get('provider'))})</h3>"
            f"<table class='mapping'>{head}{''.join(rows)}</table>{extra}")


def _embed(path: str | None, mime: str) -> str | None:
    if not path or not os.path.exists(path):
        return None
    with open(path, "rb") as fh:
        return f"data:{mime};base64," + base64.b64encode(fh.read()).decode()


def _case(i: int, r: dict) -> str:
    status = r.get("status", "error")
    outcomes = r.get("outcomes") or []
    failed_hops = {o["hop"] for o in outcomes if not o["ok"] and o.get("hop") is not None}
    items = []
    for o in outcomes:
        cls = "ok" if o["ok"] else "bad"
        mark = "&#10003;" if o["ok"] else "&#10007;"
        where = f" (hop {o['hop'] + 1})" if o.get("hop") is not None else ""
        detail = f"<pre>{_e(o['detail'])}</pre>" if o.get("detail") and not o["ok"] else ""
        items.append(f"<li class='{cls}'>{mark} <b>{_e(o['name'])}</b>{_e(where)} {_e(o.get('message'))}{detail}</li>")
    parts = [f"<section class='case {_e(status)}' id='case-{i}'>",
             f"<h2><span class='badge status'>{_e(status)}</span> {_e(r.get('name'))}</h2>",
             f"<div class='meta'>{_e(r.get('file'))}:{_e(r.get('line'))} &middot; flow {_e(r.get('flow'))} &middot; "
             f"user {_e(r.get('user'))} &middot; {_e(r.get('duration_s'))} s</div>"]
    if status != "passed" and r.get("message") and not any(not o["ok"] for o in outcomes):
        parts.append(f"<pre class='message'>{_e(r['message'])}</pre>")
    if items:
        parts.append(f"<h3>Expectations</h3><ul class='outcomes'>{''.join(items)}</ul>")
    parts.append(_mapping_table(r.get("mapping")))
    if r.get("pages"):
        parts.append("<h3>Pages the user saw</h3><ol>" + "".join(
            f"<li>{_e(k)} <code>{_e(u)}</code></li>" for k, u in r["pages"]) + "</ol>")
    hops = r.get("hops") or []
    if hops:
        parts.append(f"<h3>Timeline ({len(hops)} hops)</h3>" + "".join(_hop(h, failed_hops) for h in hops))
    shot = _embed(r.get("screenshot"), "image/png")
    if shot:
        parts.append(f"<h3>Screenshot at failure</h3><img class='shot' alt='screenshot' src='{shot}'>")
    trace = _embed(r.get("playwright_trace"), "application/zip")
    if trace:
        name = os.path.basename(r["playwright_trace"])
        parts.append(f"<p><a download='{_e(name)}' href='{trace}'>Playwright trace ({_e(name)})</a> "
                     f"<span class='meta'>open with <code>playwright show-trace {_e(name)}</code></span></p>")
    parts.append("</section>")
    return "".join(parts)


def render(results: list[dict], title: str = "okta-aws-harness scenarios") -> str:
    passed = sum(1 for r in results if r.get("status") == "passed")
    failed = len(results) - passed
    nav = "".join(f"<li><a href='#case-{i}'><span class='badge status {_e(r.get('status'))}'>{_e(r.get('status'))}"
                  f"</span> {_e(r.get('name'))}</a></li>" for i, r in enumerate(results))
    cases = "".join(_case(i, r) for i, r in enumerate(results))
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{_e(title)}</title>"
            f"<style>{_CSS}</style></head><body><header><h1>{_e(title)}</h1>"
            f"<div class='summary' id='summary'><b class='pass'>{passed} passed</b>, <b class='fail'>{failed} failed</b>"
            f" &middot; {_e(time.strftime('%Y-%m-%d %H:%M:%S'))}</div></header><main>"
            f"<nav><ul>{nav}</ul></nav>{cases}</main></body></html>")


def write(results: list[dict], path: str, title: str = "okta-aws-harness scenarios") -> str:
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = f"{path}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(render(results, title))
    os.replace(tmp, path)
    return path
