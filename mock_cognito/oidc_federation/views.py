"""Flask glue: ``start`` (called by /oauth2/authorize) and ``GET /oauth2/idpresponse``.

Protocol work lives in the sibling modules; this one reads the request, keeps the per-app
state (pending sign-ins, discovery and JWKS caches) and turns results into HTTP.
"""
from __future__ import annotations

import html
from typing import Any, Mapping
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, redirect, request
from oic.oic.message import AuthorizationRequest

from . import errors, id_token, provider_config, token_exchange, userinfo
from .pending import SIGN_IN_TIMEOUT, PendingSignIns

bp = Blueprint("cognito_oidc_federation", __name__)

_EXTENSION = "mock_cognito.oidc_federation"


@bp.record
def _remember_services(state) -> None:
    """``app.register_blueprint(bp, services=services)`` hands the world's services over."""
    services = state.options.get("services")
    if services is not None:
        _state(state.app)["services"] = services


def _state(app=None) -> dict:
    app = app or current_app
    return app.extensions.setdefault(_EXTENSION, {
        "pending": PendingSignIns(), "discovery": provider_config.Discovery(), "keys": id_token.KeySets()})


def _services():
    found = _state().get("services") or current_app.config.get("SERVICES") or current_app.config.get("services")
    if found is None:
        raise RuntimeError("mock_cognito.oidc_federation needs the world's services: register the blueprint "
                           "with app.register_blueprint(bp, services=services)")
    return found


def _param(auth_request: Any, name: str):
    if isinstance(auth_request, Mapping):
        return auth_request.get(name)
    return getattr(auth_request, name, None)


def _idpresponse_url() -> str:
    # cognito.md §2 "Redirect URI to register at IdP": https://{domain}/oauth2/idpresponse (the
    # host the browser used: the prefix domain or a custom domain).
    return f"https://{request.host.split(':', 1)[0]}/oauth2/idpresponse"


def start(pool, client, provider, auth_request) -> Response:
    """302 to the IdP's authorize endpoint (cognito.md §2 "Authorization request to IdP")."""
    services = _services()
    state = _state()
    try:
        settings = provider_config.resolve(provider, state["discovery"], services.http)
    except errors.FederationError as exc:
        return _error_redirect(auth_request, exc)
    pending = state["pending"].begin(services.clock.time(), pool=pool, client=client, provider=provider,
                                     auth_request=auth_request, redirect_uri=_idpresponse_url())
    params = {"response_type": "code", "client_id": settings.client_id, "redirect_uri": pending.redirect_uri,
              "scope": settings.authorize_scopes.split(), "state": pending.state, "nonce": pending.nonce}
    # cognito.md §2 / §5 "login_hint": forwarded to OIDC IdPs; "prompt": every value but none.
    login_hint = _param(auth_request, "login_hint")
    if login_hint:
        params["login_hint"] = login_hint
    prompt = [p for p in str(_param(auth_request, "prompt") or "").split() if p != "none"]
    if prompt:
        params["prompt"] = " ".join(prompt)
    return redirect(AuthorizationRequest(**params).request(settings.authorize_url), 302)


@bp.get("/oauth2/idpresponse")
def idpresponse():
    services = _services()
    state = _state()
    pending = state["pending"].take(request.args.get("state", ""))
    if pending is None:
        return _page(errors.PAGE_GENERIC)
    if services.clock.time() - pending.started > SIGN_IN_TIMEOUT:
        return _page(errors.PAGE_SOMETHING_WENT_WRONG)
    if request.args.get("error"):
        # The IdP refused at its authorize endpoint (e.g. Okta's access_denied "User is not
        # assigned to the client application."). How Cognito relays this is unconfirmed: the
        # IdP's error and description go to the app unchanged.
        return _error_redirect(pending.auth_request, errors.FederationError(
            request.args.get("error_description", ""), error=request.args["error"]))
    code = request.args.get("code")
    if not code:
        return _error_redirect(pending.auth_request, errors.FederationError(
            f"{provider_config.provider_record(pending.provider)[0]} Error - missing code"))  # unconfirmed
    try:
        subject, attributes = _authenticate(pending, code, services, state)
    except errors.FederationError as exc:
        return _error_redirect(pending.auth_request, exc)
    from mock_cognito.federation import finish_sign_in

    return finish_sign_in(pending.pool, pending.provider, subject=subject, attributes=attributes,
                          auth_request=pending.auth_request, services=services)


def _authenticate(pending, code: str, services, state) -> tuple[str, dict]:
    settings = provider_config.resolve(pending.provider, state["discovery"], services.http)
    tokens = token_exchange.exchange_code(settings, code, pending.redirect_uri, services.http)
    claims = id_token.validate(tokens["id_token"], settings, pending.nonce, services.clock.time(),
                               state["keys"], services.http)
    info = userinfo.fetch(settings, tokens.get("access_token", ""), services.http)
    # cognito.md §2 "userInfo call": userInfo merged with the ID token's claims for mapping;
    # which wins on a conflict is unconfirmed (userInfo here). ``sub`` -> username (§2).
    return info["sub"], {**claims, **info}


def _error_redirect(auth_request, exc: errors.FederationError) -> Response:
    """cognito.md §5 "Error delivery rule": ``<Callback URL>?error_description=…&error=…``."""
    redirect_uri = _param(auth_request, "redirect_uri") or ""
    query = {"error_description": exc.description, "error": exc.error}
    app_state = _param(auth_request, "state")
    if app_state:
        query["state"] = app_state   # echoing the app's state on errors: unconfirmed (RFC 6749 §4.1.2.1)
    separator = "&" if "?" in redirect_uri else "?"
    return redirect(f"{redirect_uri}{separator}{urlencode(query)}", 302)


def _page(text: str) -> Response:
    # The managed-login error page; its status code is unconfirmed (cognito.md §5 observed 400
    # for the redirect_mismatch page).
    body = (f"<!DOCTYPE html><html><head><title>Error</title></head><body>"
            f"<div class=\"error-page\"><p>{html.escape(text)}</p></div></body></html>")
    return Response(body, status=400, content_type="text/html; charset=utf-8")
