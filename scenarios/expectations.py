"""The checks of a case: each expectation looks at the hops, the page the user ended on and what
Cognito stored, and says which hop shows it and what that hop decoded to."""
from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from . import hops as hoplib
from . import mapping as maplib

AWS_ROLE_ATTRIBUTE = "https://aws.amazon.com/SAML/Attributes/Role"  # docs/fidelity/aws-signin-sts.md#aws-signin-sts-role-attribute


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
    start_host: str | None = None     # the case's start_url host: the flow must end on it
    oidc_data: tuple | None = None    # (verified claims or None, problem or None)


@dataclass
class Outcome:
    name: str
    ok: bool
    message: str = ""
    hop: int | None = None
    detail: str = ""

    def to_dict(self) -> dict:
        return {"name": self.name, "ok": self.ok, "message": self.message, "hop": self.hop, "detail": self.detail}


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
    out.extend(_check_saml(expect, saml))
    if expect.user_attributes or expect.username:
        out.append(_check_stored(expect, ev))
    out.extend(_check_tokens(expect, ev))
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
    if expect.page_contains:
        out.append(_check_page_contains(expect.page_contains, ev))
    if expect.headers:
        out.append(_check_headers(expect.headers, ev))
    if expect.oidc_data:
        out.append(_check_oidc_data(expect.oidc_data, ev))
    if expect.signed_out is not None:
        out.append(_check_signed_out(expect.signed_out, ev))
    return out


def _check_saml(expect, saml) -> list[Outcome]:
    """audience, issuer, name_id and saml_attributes: what the posted SAML Response says."""
    out: list[Outcome] = []
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
    return out


def _check_tokens(expect, ev: Evidence) -> list[Outcome]:
    """id_token and access_token: the claims of the tokens Cognito issued."""
    out: list[Outcome] = []
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
    return out


def _check_page_contains(texts: list, ev: Evidence) -> Outcome:
    final = ev.journey.final if ev.journey else None
    shown = final.text if final else ""
    missing = [t for t in texts if t not in shown]
    return Outcome("page_contains", not missing,
                   f"the final page ({final.url if final else '?'}) does not show {missing!r}; it shows "
                   f"{shown[:300]!r}" if missing else "", _final_hop(ev))


def _check_headers(names: list, ev: Evidence) -> Outcome:
    """The x-amzn-oidc-* headers the app's page shows it received (docs/fidelity/alb.md#alb-headers-to-targets)."""
    final = ev.journey.final if ev.journey else None
    shown = (final.headers if final else None) or {}
    missing = [n for n in names if not shown.get(n.lower())]
    return Outcome("headers", not missing,
                   f"the final page ({final.url if final else '?'}) shows no value for {missing!r}; it shows "
                   f"{sorted(shown)!r}" if missing else "", _final_hop(ev))


def _check_oidc_data(wanted: dict, ev: Evidence) -> Outcome:
    claims, problem = ev.oidc_data or (None, "x-amzn-oidc-data was not checked")
    if claims is None:
        return Outcome("oidc_data", False, problem, _final_hop(ev))
    bad = [f"{k}: expected {v!r}, got {claims.get(k)!r}" for k, v in wanted.items()
           if k not in claims or not _matches(v, claims[k])]
    return Outcome("oidc_data", not bad, "; ".join(bad), _final_hop(ev), _claims_text(claims) if bad else "")


def _logout_hop(ev: Evidence) -> int | None:
    for hop in ev.hops:
        if hop["host"] == ev.pool_host and hop["path"] == "/logout":
            return hop["index"]
    return None


def _check_signed_out(want, ev: Evidence) -> Outcome:
    """What the sign-out left behind (docs/fidelity/cognito-tokens.md#cognito-tokens-logout, "prompt=none without session")."""
    info = ev.journey.sign_out if ev.journey else None
    hop = _logout_hop(ev)
    if not info:
        return Outcome("signed_out", False, "the case did not sign out" + (f" ({ev.driver_error})" if ev.driver_error else ""),
                       hop)
    bad = []
    lands_on = want.lands_on or info["logout_uri"]
    if info["landed"] != lands_on:
        bad.append(f"after /logout the browser is on {info['landed']} ({info['landed_kind']}), expected {lands_on}")
    if want.prompt_none is not None and info["prompt_none"] != want.prompt_none:
        bad.append(f"a silent sign-in (prompt=none) after the sign-out gave {info['prompt_none']!r}, "
                   f"expected {want.prompt_none!r}")
    pages = info["next_pages"]
    for _name, kinds, wanted, what in (
            ("cognito_login", ("cognito-login", "cognito-email"), want.cognito_login, "Cognito's managed login"),
            ("okta_password", ("okta-signin", "okta-error"), want.okta_password, "Okta's sign-in page")):
        if wanted is None:
            continue
        seen = any(k in kinds for k in pages)
        if seen != wanted:
            bad.append(f"the next sign-in {'stopped' if seen else 'did not stop'} at {what} "
                       f"(pages: {' -> '.join(pages) or 'none'})")
    return Outcome("signed_out", not bad, "; ".join(bad), hop)


def _claims_text(claims: dict) -> str:
    return json.dumps(claims, indent=2, sort_keys=True)


def _check_success(ev: Evidence) -> Outcome:
    final = ev.journey.final if ev.journey else None
    last = _final_hop(ev)
    if ev.flow == "aws-console":
        text = (final.text if final else "").lower()
        ok = ev.final_kind == "aws-page" and "invalid saml response" not in text and "error" not in (final.title or "").lower()
    elif ev.start_host:
        # issue 9: the flow ends back on a page of the start URL's host, served without an error
        ok = (final is not None and final.host == ev.start_host and ev.final_kind in ("app-claims", "app-page")
              and (_status_of(ev, final.url) or 200) < 400)
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


def _status_of(ev: Evidence, url: str) -> int | None:
    """The HTTP status of the last hop that served ``url`` to the browser."""
    for hop in reversed(ev.hops):
        if hop["url"] == url and hop["method"] == "GET":
            return hop["status"]
    return None


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
