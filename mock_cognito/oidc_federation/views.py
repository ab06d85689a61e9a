"""Flask glue: ``start`` (called by /oauth2/authorize) and ``GET /oauth2/idpresponse``.

Protocol work lives in the sibling modules; this one reads the request, keeps the per-app
state (:class:`State`: pending sign-ins, discovery and JWKS caches) and turns results into HTTP.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from flask import Blueprint, Response, redirect, request

from mock_cognito import errors as texts
from mock_cognito.config import provider_name
from mock_cognito.context import ctx
from mock_cognito.federation import error_redirect, finish_sign_in

from . import errors
from .pending import SIGN_IN_TIMEOUT, PendingSignIns

bp = Blueprint("cognito_oidc_federation", __name__)


def _protocol():
    """The protocol modules. Deliberately imported at the first OIDC sign-in, not when the
    blueprint is registered: they import oic, and with it pydantic-settings, a quarter of a
    world's start-up time (benchmarks/startup.py), which a world pays only when it uses them."""
    from . import id_token, provider_config, token_exchange, userinfo  # lazy: start-up time (see above)

    return SimpleNamespace(id_token=id_token, provider_config=provider_config, token_exchange=token_exchange,
                           userinfo=userinfo)


@dataclass
class State:
    """One pool domain's OIDC federation state, in its :class:`mock_cognito.context.Context`
    (``app.extensions["mock_cognito"]``): the sign-ins in flight, and the discovery and JWKS
    caches (made at the first OIDC sign-in, see :func:`_protocol`)."""

    pending: PendingSignIns = field(default_factory=PendingSignIns)
    discovery: Any = None
    keys: Any = None

    def caches(self) -> tuple:
        if self.discovery is None:
            protocol = _protocol()
            self.keys = protocol.id_token.KeySets()
            self.discovery = protocol.provider_config.Discovery()
        return self.discovery, self.keys


def _state() -> State:
    return ctx().oidc_federation


def _services():
    return ctx().services


def _param(auth_request: Any, name: str):
    """A field of the :class:`mock_cognito.authorize_request.AuthorizeRequest`."""
    return getattr(auth_request, name, None)


def _idpresponse_url() -> str:
    # docs/fidelity/cognito-federation.md#cognito-federation-redirect-uri-to-register-at-idp: https://{domain}/oauth2/idpresponse (the
    # host the browser used: the prefix domain or a custom domain).
    return f"https://{request.host.split(':', 1)[0]}/oauth2/idpresponse"


def start(pool, client, provider, auth_request) -> Response:
    """302 to the IdP's authorize endpoint (docs/fidelity/cognito-federation.md#cognito-federation-authorization-request-to-idp)."""
    services = _services()
    state = _state()
    protocol = _protocol()
    try:
        settings = protocol.provider_config.resolve(provider, state.caches()[0], services.http)
    except errors.FederationError as exc:
        return _error_redirect(auth_request, exc)
    pending = state.pending.begin(services.clock.time(), pool=pool, client=client, provider=provider,
                                     auth_request=auth_request, redirect_uri=_idpresponse_url())
    params = {"response_type": "code", "client_id": settings.client_id, "redirect_uri": pending.redirect_uri,
              "scope": settings.authorize_scopes.split(), "state": pending.state, "nonce": pending.nonce}
    # docs/fidelity/cognito-federation.md#cognito-federation-oidc / docs/fidelity/cognito-tokens.md#cognito-tokens-login-hint: forwarded to OIDC IdPs; "prompt": every value but none.
    login_hint = _param(auth_request, "login_hint")
    if login_hint:
        params["login_hint"] = login_hint
    prompt = [p for p in str(_param(auth_request, "prompt") or "").split() if p != "none"]
    if prompt:
        params["prompt"] = " ".join(prompt)
    from oic.oic.message import AuthorizationRequest  # lazy with the protocol modules (see _protocol)

    return redirect(AuthorizationRequest(**params).request(settings.authorize_url), 302)


@bp.get("/oauth2/idpresponse")
def idpresponse():
    services = _services()
    state = _state()
    pending = state.pending.take(request.args.get("state", ""))
    if pending is None:
        # A state Cognito did not issue, or one already used (a replayed IdP response): the
        # generic page (docs/fidelity/errors.md#errors-cognito "(page) An error was encountered…"; condition unconfirmed).
        return _page(texts.REQUESTED_PAGE)
    if services.clock.time() - pending.started > SIGN_IN_TIMEOUT:
        return _page(texts.SOMETHING_WENT_WRONG)     # docs/fidelity/cognito-federation.md#cognito-federation-5-minute-cap
    if request.args.get("error"):
        # The IdP refused at its authorize endpoint (e.g. Okta's access_denied "User is not
        # assigned to the client application."). How Cognito relays this is unconfirmed: the
        # IdP's error and description go to the app unchanged.
        return _error_redirect(pending.auth_request, errors.FederationError(
            request.args.get("error_description", ""), error=request.args["error"]))
    code = request.args.get("code")
    if not code:
        return _error_redirect(pending.auth_request, errors.FederationError(
            texts.OIDC_NO_CODE.format(provider=provider_name(pending.provider))))
    try:
        subject, attributes = _authenticate(pending, code, services, state)
    except errors.FederationError as exc:
        return _error_redirect(pending.auth_request, exc)
    # identities[].issuer: observed null for OIDC (docs/fidelity/cognito-tokens.md#cognito-tokens-identities-user-attribute).
    return finish_sign_in(pending.pool, pending.provider, subject=subject, attributes=attributes,
                          auth_request=pending.auth_request, services=services, issuer=None)


def _authenticate(pending, code: str, services, state) -> tuple[str, dict]:
    protocol = _protocol()
    discovery, keys = state.caches()
    settings = protocol.provider_config.resolve(pending.provider, discovery, services.http)
    tokens = protocol.token_exchange.exchange_code(settings, code, pending.redirect_uri, services.http)
    claims = protocol.id_token.validate(tokens["id_token"], settings, pending.nonce, services.clock.time(),
                                        keys, services.http)
    info = protocol.userinfo.fetch(settings, tokens.get("access_token", ""), services.http)
    # docs/fidelity/cognito-federation.md#cognito-federation-userinfo-call: userInfo merged with the ID token's claims for mapping;
    # which wins on a conflict is unconfirmed (userInfo here). ``sub`` -> username (docs/fidelity/cognito-federation.md#cognito-federation-oidc).
    return info["sub"], as_attributes({**claims, **info})


def as_attributes(claims: dict) -> dict[str, list[str]]:
    """Claims as ``{name: [string values]}`` for attribute mapping: JSON's spelling for
    booleans (``email_verified`` -> ``"true"``), arrays as several values, objects (``address``)
    as JSON text. How Cognito stringifies non-string claims is unconfirmed beyond booleans
    (docs/fidelity/alb.md#alb-authenticate-cognito shows ``"email_verified":"true"`` in userInfo output)."""
    out: dict[str, list[str]] = {}
    for name, value in claims.items():
        values = value if isinstance(value, list) else [value]
        out[name] = [_text(v) for v in values if v is not None]
    return out


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


def _error_redirect(auth_request, exc: errors.FederationError) -> Response:
    """docs/fidelity/cognito-tokens.md#cognito-tokens-error-delivery-rule: ``<Callback URL>?error_description=…&error=…``."""
    return error_redirect(auth_request, texts.RedirectError(exc.error, exc.description))


def _page(text: str) -> Response:
    """Cognito's own error page: the hosted UI renders :class:`PageError` (status 400)."""
    raise texts.PageError(text)
