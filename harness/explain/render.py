"""An explanation as terminal text, as the HTML report (the scenario report's own rendering,
:func:`harness.report.render`, fed a case in its result shape), and redacted for a ticket."""
from __future__ import annotations

import copy
import re

from .. import report

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
JWT = re.compile(r"\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
BLOB = re.compile(r"[A-Za-z0-9+/=_-]{60,}")
SECRET_KEYS = {"xml", "name_id", "username", "assertion_id", "attributes", "claims", "value", "sent", "statement"}


# ---- --redact -----------------------------------------------------------------------------------

def redact(result: dict) -> dict:
    """A copy without assertion values, emails or tokens: attribute values, NameIDs, JWT claims
    and the decoded XML are dropped; emails, JWTs and long base64 strings masked anywhere."""
    return _scrub(copy.deepcopy(result), None)


def _scrub(value, key):
    if key in SECRET_KEYS and value not in (None, "", [], {}):
        if isinstance(value, dict):
            return {k: "[redacted]" for k in value}
        return "[redacted]"
    if isinstance(value, dict):
        return {k: _scrub(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v, None) for v in value]
    if isinstance(value, str):
        return BLOB.sub("[redacted]", JWT.sub("[token]", EMAIL.sub("[email]", value)))
    return value


# ---- text ---------------------------------------------------------------------------------------

def text(result: dict) -> str:
    lines = [f"capture: {result['capture']['source']} ({result['capture']['kind']}, "
             f"{result['capture']['exchanges']} exchanges)", f"configuration: {result['world']}"]
    for step in result["steps"]:
        mark = {"ok": "ok  ", "fails": "FAIL", "unknown": "??  "}.get(step["outcome"], "    ")
        lines.append(f"[{mark}] #{step['index'] + 1} {step['what']}: {step['sender']} -> {step['receiver']}")
        for sig in step.get("signatures") or []:
            lines.append(f"         {sig['element']} signature {sig['status']}: " + "; ".join(sig["steps"]))
        for row in step.get("roles") or []:
            lines.append(f"         Role {row['value']}: {row['result']}")
        if step["outcome"] == "fails":
            lines.append(f"         error ({step['shown_at']}): {step['error']}")
            if step.get("detail"):
                lines.append(f"         behind it: {step['detail']}")
        if step.get("observed") and not step["observed"].get("agrees", True):
            lines.append(f"         the capture shows instead: {step['observed']['text'] or 'the sign-in going on (a code)'}")
        lines += [f"         note: {n}" for n in step.get("notes") or []]
    lines.append("")
    lines += verdict_lines(result["verdict"])
    return "\n".join(lines)


def verdict_lines(verdict: dict) -> list[str]:
    outcome = verdict["outcome"]
    if outcome == "succeeds":
        lines = ["verdict: the sign-in succeeds with this configuration"]
    elif outcome == "undecided":
        lines = ["verdict: nothing in the capture decides the sign-in (no SAML response, token or error)"]
    else:
        lines = [f"verdict: the sign-in fails at step #{verdict['step'] + 1} ({verdict['what']})",
                 f"  the user sees ({verdict['shown_at']}): {verdict['error']}"]
        if verdict.get("code"):
            lines.append(f"  error code: {verdict['code']}")
        if verdict.get("detail"):
            lines.append(f"  behind it: {verdict['detail']}")
        lines.append(f"  check: {verdict['check']}")
        for s in verdict.get("settings") or []:
            lines.append(f"  setting: {s['path']} = {s['value']!r}  ({s['where']})")
        if verdict.get("fix"):
            lines.append(f"  fix: {verdict['fix']}")
    if verdict.get("note"):
        lines.append(f"  note: {verdict['note']}")
    return lines


# ---- HTML: the scenario report's rendering ------------------------------------------------------

def html(result: dict) -> str:
    return report.render([as_case(result)], title="okta-aws-harness explain")


def as_case(result: dict) -> dict:
    verdict = result["verdict"]
    outcomes = []
    for step in result["steps"]:
        if step["outcome"] not in ("ok", "fails", "unknown"):
            continue
        detail = "\n".join([*(f"{s['path']} = {s['value']!r} ({s['where']})" for s in step.get("settings") or []),
                            *([f"fix: {step['fix']}"] if step.get("fix") else []),
                            *(f"Role {r['value']}: {r['result']}" for r in step.get("roles") or []),
                            *(f"note: {n}" for n in step.get("notes") or [])])
        message = step["error"] if step["outcome"] == "fails" else "; ".join(step.get("notes") or []) or step["outcome"]
        outcomes.append({"ok": step["outcome"] != "fails", "name": step["what"], "hop": step["index"],
                         "message": f"({step.get('shown_at')}) {message}" if step["outcome"] == "fails" else message,
                         "detail": detail})
    failing = [s for s in result["steps"] if s["index"] == verdict.get("step") and s.get("mapping")]
    mapping = (failing or [s for s in result["steps"] if s.get("mapping")] or [{"mapping": None}])[0]["mapping"]
    return {"name": f"{result['capture']['source']}: {_summary(verdict)}",
            "status": {"succeeds": "passed", "fails": "failed"}.get(verdict["outcome"], "error"),
            "file": result["capture"]["source"], "line": "", "flow": result["capture"]["kind"],
            "user": "", "duration_s": "", "message": "\n".join(verdict_lines(verdict)),
            "outcomes": outcomes, "mapping": mapping, "hops": [_hop(s) for s in result["steps"]]}


def _summary(verdict: dict) -> str:
    if verdict["outcome"] == "fails":
        return f"fails: {verdict['error']}"
    return "succeeds" if verdict["outcome"] == "succeeds" else "undecided"


def _hop(step: dict) -> dict:
    facts = step.get("facts") or {}
    saml = []
    if facts.get("kind") in ("Response", "AuthnRequest", "LogoutRequest", "LogoutResponse"):
        saml.append({**facts, "param": "SAMLResponse" if facts["kind"] == "Response" else "SAMLRequest",
                     "source": "capture", "signatures": step.get("signatures")})
    return {"index": step["index"], "method": step["what"], "host": step["receiver"], "path": "",
            "status": "FAIL" if step["outcome"] == "fails" else step["outcome"], "saml": saml,
            "jwts": step.get("jwts") or [], "response_text": step.get("error") or "",
            "form": {k: v for k, v in facts.items() if k not in ("xml", "attributes") and not isinstance(v, (dict, list))}
            if not saml else {}}
