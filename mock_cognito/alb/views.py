"""HTTP glue of the ALB (docs/fidelity/alb.md#alb-authenticate-cognito): ``bp`` serves one load
balancer's host (``/oauth2/idpresponse`` and every other path), ``public_keys_bp`` the region's
public-key host. The protocol steps are :mod:`.authenticate`; the app's
:class:`~.authenticate.AuthenticateAction` (or, on the public-key host, the kid → PEM table) is
``app.extensions["mock_cognito"]`` (:mod:`mock_cognito.context`).
"""
from __future__ import annotations

from flask import Blueprint, Response, redirect, request

from ..context import app_state
from . import session_cookie
from .authenticate import COOKIE_MAX_AGE, UNAUTHORIZED, AuthenticateAction, LoginFailed, forwardable

METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]

bp = Blueprint("alb", __name__)
public_keys_bp = Blueprint("alb_public_keys", __name__)


def _action() -> AuthenticateAction:
    return app_state()


def _text(status: int, text: str) -> Response:
    return Response(text + "\n", status, content_type="text/plain")


def _claims_too_large() -> Response:
    # "claims+token > 11 KB → HTTP 500 + ELBAuthUserClaimsSizeExceeded" (docs/fidelity/alb.md#alb-cookies);
    # AWS names the reason in the access log's error_reason; the body here carries the name.
    return _text(500, "ELBAuthUserClaimsSizeExceeded")


def _with_session(response: Response, session: dict) -> Response:
    """``response`` carrying the session's cookie shards (old shards deleted), or the
    ELBAuthUserClaimsSizeExceeded answer when the session is too large for them."""
    action = _action()
    try:
        cookies = action.session_cookies(session)
    except session_cookie.ClaimsTooLarge:
        return _claims_too_large()
    for name in list(request.cookies):
        if action.is_session_cookie(name):
            response.delete_cookie(name, path="/", secure=True)
    for name, value in cookies:
        response.set_cookie(name, value, max_age=COOKIE_MAX_AGE, path="/", secure=True, httponly=True)
    return response


def _forward(session: dict | None) -> Response:
    """The request sent on to the target (with the OIDC headers of ``session``), its answer back."""
    action = _action()
    headers = dict(forwardable(request.headers.items()))
    if session is not None:
        headers.update(action.oidc_headers(session))
    try:
        upstream = action.to_target(request.method, request.full_path, headers, request.get_data())
    except LoginFailed as exc:
        return _text(exc.status, exc.text)
    response = Response(upstream.content, upstream.status_code)
    for name, value in forwardable(upstream.raw.headers.items()):
        response.headers.add(name, value)
    return response


def _unauthenticated() -> Response:
    """OnUnauthenticatedRequest: ``deny`` → 401, ``allow`` → the target without claims,
    ``authenticate`` (the default) → the login."""
    mode = _action().config.OnUnauthenticatedRequest
    if mode == "deny":
        return _text(401, UNAUTHORIZED)
    if mode == "allow":
        return _forward(None)
    return redirect(_action().begin_login(request.url), 302)


@bp.get("/oauth2/idpresponse")
def idpresponse():
    try:
        original_url, session = _action().finish_login(request.args)
    except LoginFailed as exc:
        return _text(exc.status, exc.text)
    return _with_session(redirect(original_url, 302), session)


@bp.route("/", defaults={"path": ""}, methods=METHODS)
@bp.route("/<path:path>", methods=METHODS)
def everything(path):
    action = _action()
    session = action.session(request.cookies)
    if session is None:
        return _unauthenticated()
    refreshed = action.needs_refresh(session)
    if refreshed and not action.refresh(session):
        return _unauthenticated()
    response = _forward(session)
    return _with_session(response, session) if refreshed else response


@public_keys_bp.get("/<kid>")
def public_key(kid):
    """``https://public-keys.auth.elb.<region>.amazonaws.com/<kid>`` → the PEM public key."""
    keys = app_state()
    if kid not in keys:
        # S3-backed in AWS; the missing-key body is not in the reference (unconfirmed).
        return _text(404, "Not Found")
    return Response(keys[kid], 200, content_type="application/octet-stream")
