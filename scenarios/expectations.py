"""The checks of a case: each expectation looks at the hops, the page the user ended on and what
Cognito stored, and says which hop shows it and what that hop decoded to."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from . import hops as hoplib
from . import mapping as maplib

AWS_ROLE_ATTRIBUTE = "https://aws.amazon.com/SAML/Attributes/Role"  # okta-aws.md §4 "Role attribute"


@dataclass
class Evidence:
    """What one run of a case left behind, for the checks to read."""

    flow: str
    hops: list
    journey: object
    final_kind: str
    hosts: dict
    app_host: str | None
    pool_host: str | None
    stored_user: dict | None
    mapping: dict | None
    driver_error: str | None = None


@dataclass
class Outcome:
    name: str
    ok: bool
    message: str = ""
    hop: int | None = None
    detail: str = ""

    def to_dict(self) -> dict:
        return {"name": self.name, "ok": self.ok, "message": self.message, "hop": self.hop, "detail": self.detail}


def _hop_name(ev: Evidence, index: int | None) -> str:
    if index is None:
        return "no hop"
    hop = ev.hops[index]
    return f"hop {index + 1} ({hop['method']} {hop['host']}{hop['path']} -> {hop['status']})"


def _final_hop(ev: Evidence) -> int | None:
    """The hop that served the page the user ended on (else the last hop)."""
    final = ev.journey.final if ev.journey else None
    if final is not None:
        for hop in reversed(ev.hops):
            if hop["url"] == final.url or (hop["method"] == "GET" and final.url.startswith(hop["url"])):
                return hop["index"]
    return len(ev.hops) - 1 if ev.hops else None


def _saml_response(ev: Evidence):
    found = None
    for hop, message in hoplib.saml_messages(ev.hops, "Response"):
        found = (hop, message)
    return found


def _callback_error(ev: Evidence):
    """(hop index, error, error_description) of the redirect that brought an error to the app."""
    found = None
    for hop in ev.hops:
        params = None
        if hop.get("location") and "error" in hop.get("location_params", {}):
            target = urlsplit(hop["location"])
            if target.hostname == ev.app_host:
                params = dict(parse_qsl(target.query, keep_blank_values=True))
        if params is None and hop["host"] == ev.app_host and "error" in hop["query"]:
            params = hop["query"]
        if params is not None:
            found = (hop["index"], params.get("error"), params.get("error_description"))
    return found


def _id_claims(ev: Evidence, which: str = "id_token"):
    hop = hoplib.token_response(ev.hops, host=ev.pool_host)
    if hop is None:
        return None, None
    for jwt in hop["jwts"]:
        if jwt["name"] == which:
            return hop["index"], jwt["claims"]
    return hop["index"], None


def _matches(expected, actual) -> bool:
    if isinstance(expected, list):
        actual_list = actual if isinstance(actual, list) else [actual]
        return all(any(_matches(e, a) for a in actual_list) for e in expected)
    if isinstance(actual, list) and not isinstance(expected, list):
        return len(actual) == 1 and _matches(expected, actual[0])
    if isinstance(expected, bool) and isinstance(actual, str):
        return actual.lower() == str(expected).lower()
    return str(expected) == str(actual) if not isinstance(expected, dict) else expected == actual


def _role_name(value: str) -> str:
    for part in value.split(","):
        if ":role/" in part:
            return part.split(":role/", 1)[1].rsplit("/", 1)[-1]
    return value


def check(expect, ev: Evidence) -> list[Outcome]:
    out: list[Outcome] = []
    error = expect.error
    success = expect.success if expect.success is not None else error is None
    if ev.driver_error and not error:
        out.append(Outcome("flow", False, f"the browser flow did not finish: {ev.driver_error}",
                           len(ev.hops) - 1 if ev.hops else None))
    if success:
        out.append(_check_success(ev))
    if error is not None:
        out.append(_check_error(error, ev))
    saml = _saml_response(ev)
    for name, key in (("audience", "audience"), ("issuer", "assertion_issuer"), ("name_id", "name_id")):
        wanted = getattr(expect, name)
        if wanted is None:
            continue
        if saml is None:
            out.append(Outcome(name, False, "no SAML Response was posted in this flow"))
            continue
        hop, message = saml
        actual = message.get(key) or (message.get("issuer") if key == "assertion_issuer" else None)
        detail = message.get("audience_xml") if name == "audience" else ""
        out.append(Outcome(name, actual == wanted,
                           "" if actual == wanted else f"expected {wanted!r}, the assertion says {actual!r}",
                           hop["index"], detail or ""))
    if expect.saml_attributes:
        if saml is None:
            out.append(Outcome("saml_attributes", False, "no SAML Response was posted in this flow"))
        else:
            hop, message = saml
            attrs = message.get("attributes", {})
            bad = [f"{k}: expected {v!r}, sent {attrs.get(k)!r}" for k, v in expect.saml_attributes.items()
                   if k not in attrs or not _matches(v, attrs[k])]
            out.append(Outcome("saml_attributes", not bad, "; ".join(bad), hop["index"],
                               message.get("attribute_statement_xml") or ""))
    if expect.user_attributes or expect.username:
        out.append(_check_stored(expect, ev))
    for which in ("id_token", "access_token"):
        wanted = getattr(expect, which)
        if wanted:
            index, claims = _id_claims(ev, which)
            if claims is None:
                out.append(Outcome(which, False, f"Cognito issued no {which.replace('_', ' ')}", index))
                continue
            bad = [f"{k}: expected {v!r}, got {claims.get(k)!r}" for k, v in wanted.items()
                   if k not in claims or not _matches(v, claims[k])]
            out.append(Outcome(which, not bad, "; ".join(bad), index, _claims_text(claims) if bad else ""))
    if expect.groups:
        index, claims = _id_claims(ev)
        groups = (claims or {}).get("cognito:groups", [])
        missing = [g for g in expect.groups if g not in groups]
        out.append(Outcome("groups", not missing,
                           f"cognito:groups is {groups!r}; missing {missing!r}" if missing else "", index))
    if expect.roles_offered is not None:
        out.append(_check_roles_offered(expect.roles_offered, saml))
    if expect.role_assumed:
        out.append(_check_role_assumed(expect.role_assumed, ev))
    return out


def _claims_text(claims: dict) -> str:
    import json

    return json.dumps(claims, indent=2, sort_keys=True)


def _check_success(ev: Evidence) -> Outcome:
    final = ev.journey.final if ev.journey else None
    last = _final_hop(ev)
    if ev.flow == "aws-console":
        text = (final.text if final else "").lower()
        ok = ev.final_kind == "aws-page" and "invalid saml response" not in text and "error" not in (final.title or "").lower()
    else:
        ok = ev.final_kind == "app-claims"
    if ok:
        return Outcome("success", True)
    shown = ""
    if final is not None:
        shown = final.okta_error or final.app_error or final.text[:300]
    err = _callback_error(ev)
    if err is not None:
        return Outcome("success", False, f"the app received error={err[1]!r} error_description={err[2]!r}",
                       err[0], _mapping_hint(ev))
    return Outcome("success", False, f"the flow ended on a {ev.final_kind} page ({final.url if final else '?'}): "
                   f"{shown!r}", last, _mapping_hint(ev))


def _mapping_hint(ev: Evidence) -> str:
    if not ev.mapping:
        return ""
    saml = _saml_response(ev)
    broken = maplib.broken_rows(ev.mapping)
    return "\n".join(maplib.describe_break(r, saml[1] if saml else None) for r in broken)


def _check_error(error, ev: Evidence) -> Outcome:
    final = ev.journey.final if ev.journey else None
    want = error.text or error.contains

    def same(actual):
        if actual is None:
            return False
        return actual.strip() == error.text if error.text else error.contains in actual

    if error.at == "callback":
        found = _callback_error(ev)
        if found is None:
            return Outcome("error", False, f"expected the app's callback to receive error_description {want!r}; "
                           f"no error reached it (final page: {ev.final_kind})", _final_hop(ev),
                           _mapping_hint(ev))
        index, code, description = found
        ok = same(description) and (error.code is None or error.code == code)
        msg = "" if ok else (f"expected error_description {want!r}"
                             + (f" and error={error.code!r}" if error.code else "")
                             + f"; the callback got error={code!r} error_description={description!r}")
        return Outcome("error", ok, msg, index, _mapping_hint(ev) if not ok else "")
    role = {"okta": "okta", "cognito": "cognito", "aws": "aws"}[error.at]
    last = _final_hop(ev)
    if final is None:
        return Outcome("error", False, f"expected {want!r} on the {error.at} page; the browser never settled "
                       f"({ev.driver_error})", last)
    on_host = ev.hosts.get(final.host) == role
    texts = [final.okta_error, final.text] if role == "okta" else [final.text]
    ok = on_host and any(t and (error.text in t if error.text else error.contains in t) for t in texts)
    if ok:
        return Outcome("error", True, "", last)
    return Outcome("error", False, f"expected {want!r} on the {error.at} page; the user is on {final.url} "
                   f"({ev.final_kind}) which shows {(final.okta_error or final.text)[:300]!r}", last,
                   _mapping_hint(ev))


def _check_stored(expect, ev: Evidence) -> Outcome:
    user = ev.stored_user
    if user is None:
        return Outcome("user_attributes", False, "Cognito stored no federated user for this sign-in",
                       None, _mapping_hint(ev))
    attrs = user.get("attributes", {})
    bad = []
    if expect.username and user.get("username") != expect.username:
        bad.append(f"username: expected {expect.username!r}, stored {user.get('username')!r}")
    for k, v in (expect.user_attributes or {}).items():
        if k not in attrs or not _matches(v, attrs[k]):
            bad.append(f"{k}: expected {v!r}, stored {attrs.get(k)!r}")
    return Outcome("user_attributes", not bad, "; ".join(bad), None, _mapping_hint(ev) if bad else "")


def _check_roles_offered(wanted: list, saml) -> Outcome:
    if saml is None:
        return Outcome("roles_offered", False, "no SAML Response was posted in this flow")
    hop, message = saml
    values = message.get("attributes", {}).get(AWS_ROLE_ATTRIBUTE, [])
    offered = sorted({_role_name(v) for v in values})
    expected = sorted({_role_name(w) for w in wanted})
    ok = offered == expected
    return Outcome("roles_offered", ok, "" if ok else f"expected roles {expected!r}; the assertion offers {offered!r}",
                   hop["index"], message.get("attribute_statement_xml") or "")


def _check_role_assumed(wanted: str, ev: Evidence) -> Outcome:
    final = ev.journey.final if ev.journey else None
    name = _role_name(wanted)
    text = final.text if final else ""
    ok = ev.final_kind == "aws-page" and (f"role/{name}" in text or f"assumed-role/{name}/" in text or f"{name}/" in text)
    return Outcome("role_assumed", ok, "" if ok else f"expected a console session for role {name!r}; "
                   f"the final page ({final.url if final else '?'}) shows {text[:300]!r}",
                   _final_hop(ev))
