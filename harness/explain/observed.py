"""Errors the capture itself shows (Cognito's ``error``/``error_description`` on a redirect, an
error page at Cognito, AWS or Okta, an STS error body), matched to the step that produces them.

An error that follows a step explained above (the ACS POST that answered with it, the
``/oauth2/authorize`` that led to ``/error``) is compared with that step's prediction. An error
with no such step (Cognito's OIDC exchange happens server to server; a bare redirect URL) is
matched to the mock's check by its text, and that check is run on the configuration where the
capture carries its inputs."""
from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from mock_cognito import errors as cognito_errors
from mock_cognito.oidc_federation import errors as federation_errors
from mock_cognito.oidc_federation.id_token import check_claims
from mock_cognito.oidc_federation.provider_config import Provider

from . import messages, okta
from .steps import Step
from .world_side import setting


def seen(exchange) -> dict | None:
    """The error this exchange shows: ``{"text", "shown_at", "code", "detail"}``, ``{"success":
    True, "text": None}`` for Cognito's redirect with a code, or None."""
    for url in (exchange.location, exchange.url if exchange.method in (None, "GET") else None):
        params = _params(url)
        if params.get("error") and params.get("error") != "redirect_mismatch":
            return {"text": params.get("error_description") or params["error"], "code": params["error"],
                    "shown_at": "callback", "url": url}
    if exchange.location and _params(exchange.location).get("code") and exchange.method == "POST":
        return {"text": None, "success": True, "shown_at": "callback"}
    sts = messages.sts_error(exchange.response_body)
    if sts:
        return {"text": sts[1], "code": sts[0], "shown_at": "sts"}
    text = messages.page_text(exchange.response_body)
    if text and (exchange.status or 200) >= 200:
        return {"text": text, "shown_at": _side(exchange), "detail": messages.harness_detail(exchange.response_body)}
    return None


def _params(url: str | None) -> dict:
    if not url or "?" not in url:
        return {}
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))


def _side(exchange) -> str:
    host = exchange.host
    if "signin.aws.amazon.com" in host:
        return "aws"
    if "amazoncognito.com" in host:
        return "cognito"
    return "okta" if "okta" in host else host


def attach(exchange, ws, state, steps: list[Step], made: int, moment) -> None:
    found = seen(exchange)
    if found is None:
        return
    own = steps[-made:] if made else []
    if found.get("success"):
        if own and own[-1].outcome in ("fails", "ok"):
            found["agrees"] = own[-1].outcome == "ok"
            own[-1].observed = found
            if not found["agrees"]:
                own[-1].notes.append("the capture shows Cognito redirecting to the app with a code here: the "
                                     "configuration given is not the one that was live")
        return
    previous = next((s for s in reversed(steps) if s.outcome == "fails"), None)
    target = own[-1] if own and own[-1].outcome in ("fails", "ok") else None
    if target is None and previous is not None and previous.error == found["text"]:
        target = previous
    if target is None and any(s.observed and s.observed["text"] == found["text"] for s in steps[-3:]):
        return   # the same error again (the callback page after Cognito's redirect)
    if target is not None and target.outcome == "ok" and _trigger_failure(ws, target, found):
        return
    if target is not None:
        found["agrees"] = target.outcome == "fails" and target.error == found["text"]
        target.observed = found
        if not found["agrees"]:
            target.notes.append(f"the capture shows {found['text']!r} here: the configuration given is not the "
                                "one that was live")
        return
    steps.append(_explain_alone(exchange, ws, state, found, moment))


def _trigger_failure(ws, step: Step, found: dict) -> bool:
    """A Lambda trigger's failure (``<Trigger> failed with error …``, ``<Trigger> invocation
    failed …``, after the SAML prefix) after a step whose pool runs that trigger: the step fails
    with it, naming the trigger and the function."""
    text = found["text"] or ""
    plain = text[len(cognito_errors.SAML_PREFIX):] if text.startswith(cognito_errors.SAML_PREFIX) else text
    name = next((n for n in step.facts.get("triggers") or {} if plain.startswith(f"{n} failed with error ")
                 or plain.startswith(f"{n} invocation failed")), None)
    if name is None:
        return False
    arn = step.facts["triggers"][name]
    step.outcome, step.error, step.code, step.shown_at = "fails", text, found.get("code"), found["shown_at"]
    step.check = "cognito-lambda-trigger"
    found["agrees"] = True
    step.observed = found
    pool = ws.pool_record(host=step.receiver) or next(iter(ws.pools()), None)
    if pool is not None:
        step.settings.append(setting(f"{ws.pool_path(pool)}.LambdaConfig.{name}", pool.LambdaConfig, name))
    function = next((f for f in ws.aws.Functions if arn.endswith(f":function:{f.FunctionName}")), None)
    if function is not None:
        step.settings.append(setting(f"aws.Functions[FunctionName={function.FunctionName}]", function, "Code",
                                     value=function.get("Handler")))
    step.fix = f"the {name} handler refused this sign-in (its message is in the error): change the handler"
    step.notes.append("the handler's outcome is taken from the capture (explain does not run Lambda code)")
    return True


def _explain_alone(exchange, ws, state, found: dict, moment) -> Step:
    """An error with no step of ours before it: name the check by its text and run it where the
    configuration allows."""
    step = Step(exchange.index, f"error shown ({found['shown_at']})", exchange.host, found["shown_at"],
                outcome="fails", error=found["text"], shown_at=found["shown_at"], code=found.get("code"),
                detail=found.get("detail"), observed=dict(found, agrees=True))
    text = found["text"]
    app = okta.not_assigned_app(ws, text)
    if app is not None:
        okta.assignment(ws, step, app, state.okta_login)
    elif text == okta.oidc_not_assigned_text():
        app = ws.okta_app(client_id=state.okta_client_id)
        if app is not None:
            okta.assignment(ws, step, app, state.okta_login)
    elif text.startswith(cognito_errors.bad_id_token_issuer("")):
        _oidc_issuer(ws, step, text, moment)
    elif text == cognito_errors.REQUESTED_PAGE and exchange.path == "/logout":
        _logout(ws, step, exchange)
    else:
        step.check = "matched by text only"
        step.notes.append("the capture does not carry what this check reads; a HAR or SAML-tracer export of the "
                          "whole sign-in lets explain re-run it")
    return step


def _oidc_issuer(ws, step: Step, text: str, moment) -> None:
    """``Bad id_token issuer <iss>``: re-run Cognito's ID-token claim check with the issuer the
    world's Okta would send, for each OIDC provider of the configuration."""
    step.check = "cognito-oidc-id-token"
    for pool in ws.pools():
        for record in pool.IdentityProviders:
            if record.ProviderType != "OIDC":
                continue
            details = record.ProviderDetails
            configured = details.get("oidc_issuer", "")
            sent = next((i for i in ws.okta_issuers() if i == configured.rstrip("/")), None) or \
                text[len(cognito_errors.bad_id_token_issuer("")):]
            provider = Provider(name=record.ProviderName, client_id=details.get("client_id", ""), client_secret="",
                                authorize_scopes="", attributes_request_method="GET", oidc_issuer=configured,
                                authorize_url="", token_url="", attributes_url="", jwks_uri="")
            claims = {"iss": sent, "aud": provider.client_id, "exp": moment.timestamp() + 300}
            try:
                check_claims(claims, provider, None, moment.timestamp())
                continue
            except federation_errors.FederationError as exc:
                if exc.description != text:
                    continue
            step.settings = [setting(f"{ws.provider_path(pool, record)}.ProviderDetails.oidc_issuer", record,
                                     "ProviderDetails", key="oidc_issuer")]
            step.fix = f"set oidc_issuer to {sent} exactly (the IdP's iss, no trailing slash)"
            step.facts["configuration_agrees"] = True
            return
    step.facts["configuration_agrees"] = False
    step.notes.append("no OIDC provider of the configuration given rejects the issuer Okta sends: it is not the "
                      "configuration that was live")


def _logout(ws, step: Step, exchange) -> None:
    pool = ws.pool_record(host=exchange.host)
    record = ws.client_record(pool, exchange.query.get("client_id")) if pool else None
    step.check = "cognito-logout"
    if record is None:
        return
    step.settings = [setting(f"{ws.client_path(pool, record)}.LogoutURLs", record, "LogoutURLs")]
    step.fix = f"add {exchange.query.get('logout_uri')!r} to the app client's LogoutURLs exactly"
    client = ws.client_view(pool, record.ClientId)
    step.facts["configuration_agrees"] = exchange.query.get("logout_uri") not in client.logout_urls
