"""Walking a capture's exchanges in order: each SAML message, OAuth request, token and error is
explained by the side that receives it (:mod:`.cognito`, :mod:`.aws`, :mod:`.okta`), errors the
capture already shows are matched to the step that produces them (:mod:`.observed`), and the
first failing step is the verdict."""
from __future__ import annotations

import datetime as _dt

from . import aws, cognito, messages, observed, okta, tokens
from .steps import State, Step


def walk(capture, ws, at: _dt.datetime | None) -> list[Step]:
    state = State(at)
    steps: list[Step] = []
    fallback = _dt.datetime.now(_dt.timezone.utc)
    for exchange in capture.exchanges:
        moment = at or exchange.started or fallback
        made = _steps_for(exchange, ws, state, moment)
        for step in made:
            step.at = moment.isoformat()
            if at is None and exchange.started is None:
                step.notes.append("the capture has no time: checked at the current time (give --at)")
        steps.extend(made)
        observed.attach(exchange, ws, state, steps, len(made), moment)
    return steps


def _steps_for(exchange, ws, state, moment) -> list[Step]:
    form, host = exchange.form, exchange.host
    if form.get("SAMLResponse") and exchange.method in (None, "POST"):
        return [_saml_response(exchange, ws, state, moment)]
    if form.get("Action") == "AssumeRoleWithSAML" and (aws.is_sts(ws, host) or not host):
        return [aws.sts_call(ws, exchange, form, moment)]
    if form.get("roleIndex") and ws.is_aws_signin(host):
        return [aws.role_choice(ws, exchange, form, state, moment)]
    request = form.get("SAMLRequest") or exchange.query.get("SAMLRequest")
    if request:
        xml = messages.saml_xml(request)
        relay = form.get("RelayState") or exchange.query.get("RelayState")
        return [cognito.authn_request(ws, exchange, xml, relay, state)] if xml else []
    if form.get("jwt"):
        return [tokens.bare_jwt(ws, form["jwt"], moment)]
    pool = ws.pool_record(host=host) if host else None
    if pool is not None and exchange.path == "/oauth2/authorize" and exchange.query.get("client_id"):
        return [cognito.authorize(ws, exchange, state)]
    if ws.okta and host == ws.okta_host():
        return _okta(exchange, ws, state, moment)
    found = tokens.token_response(exchange)
    return [found] if found else []


def _saml_response(exchange, ws, state, moment) -> Step:
    form, host = exchange.form, exchange.host
    value = form["SAMLResponse"]
    if ws.is_aws_signin(host):
        return aws.signin(ws, exchange, value, form, state, moment)
    if host and ws.pool_record(host=host) is None and not exchange.path.endswith("/saml2/idpresponse"):
        facts = messages.saml_facts(messages.saml_xml(value) or b"")
        return Step(exchange.index, f"SAML Response to {host}", facts.get("issuer") or "", host, facts=facts)
    if not host:   # a bare SAMLResponse: its audience says who receives it
        facts = messages.saml_facts(messages.saml_xml(value) or b"")
        if ws.aws is not None and ("urn:amazon:webservices" in (facts.get("audience") or "")
                                   or "signin.aws.amazon.com" in (facts.get("destination") or "")):
            return aws.signin(ws, exchange, value, form, state, moment)
    return cognito.acs(ws, exchange, value, form.get("RelayState"), state, moment.timestamp())


def _okta(exchange, ws, state, moment) -> list[Step]:
    if exchange.path.endswith("/authorize") and exchange.query.get("client_id"):
        state.okta_client_id = exchange.query["client_id"]
        return []
    if exchange.method == "POST" and "username" in exchange.form and "password" in exchange.form:
        return [okta.sign_in(ws, exchange, state)]
    if exchange.method == "POST" and "answer" in exchange.form:
        return [okta.mfa_answer(ws, exchange, state, moment)]
    return []


def verdict(steps: list[Step]) -> dict:
    """The first failing step decides; a capture whose steps all pass succeeds."""
    failing = [s for s in steps if s.outcome == "fails"]
    disagreements = [s for s in steps if s.facts.get("configuration_agrees") is False
                     or (s.observed and s.observed.get("agrees") is False)]
    out: dict = {"outcome": "undecided"}
    if failing:
        first = failing[0]
        out = {"outcome": "fails", "step": first.index, "what": first.what, "error": first.error,
               "shown_at": first.shown_at, "code": first.code, "detail": first.detail, "check": first.check,
               "settings": first.settings, "fix": first.fix}
    elif any(s.outcome == "ok" for s in steps):
        out = {"outcome": "succeeds"}
    if disagreements:
        out["live_configuration_differs"] = True
        out["note"] = ("the capture shows an outcome the configuration given would not produce: the "
                       "configuration given is not the one that was live")
    return out
