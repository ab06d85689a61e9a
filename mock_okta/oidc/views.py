"""Flask glue: the routes of the org and custom authorization servers on the org app.

Routes (docs/fidelity/okta-oidc-api.md#okta-oidc-api-org-authorization-server, docs/fidelity/okta-oidc-api.md#okta-oidc-api-custom-authorization-server, docs/fidelity/okta-oidc-api.md#okta-oidc-api-endpoints):
``/.well-known/openid-configuration`` and ``/oauth2/v1/<endpoint>`` for the org server;
``/oauth2/<id>/.well-known/...`` and ``/oauth2/<id>/v1/<endpoint>`` for custom servers.
Sign-in goes through the org's shared session (``mock_okta.sessions``), so SAML and OIDC apps
share one login.
"""
from __future__ import annotations

import json
import secrets
from html import escape
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, redirect, request

from .. import sessions
from ..pages import login as login_pages
from . import authorize, device, discovery, error_page, errors, logout, resource_endpoints, token_endpoint
from .provider import Provider
from .servers import ORG

bp = Blueprint("okta_oidc", __name__)
_JSON = "application/json;charset=UTF-8"   # docs/fidelity/okta-oidc-api.md#okta-oidc-api-error-body


def provider() -> Provider:
    """The org's OIDC provider, in the org app's state (``app.extensions["mock_okta"]``)."""
    return current_app.extensions["mock_okta"]["OIDC_PROVIDER"]


def _json(body, status: int = 200, headers: dict | None = None) -> Response:
    response = Response(json.dumps(body), status=status, content_type=_JSON)
    for k, v in (headers or {}).items():
        response.headers[k] = v
    return response


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    return response


@bp.errorhandler(errors.NotFound)
def _unknown_server(exc: errors.NotFound):
    # docs/fidelity/okta-oidc-api.md#okta-oidc-api-unknown-auth-server.
    return _json({"errorCode": "E0000007",
                  "errorSummary": exc.summary,
                  "errorLink": "E0000007", "errorId": "oae" + secrets.token_urlsafe(16)[:22],
                  "errorCauses": []}, 404)


@bp.errorhandler(errors.OAuthError)
def _oauth_error(exc: errors.OAuthError):
    return _no_store(_json(exc.body(), exc.status))


# ---- discovery and keys ------------------------------------------------------------------------

@bp.get("/.well-known/openid-configuration", defaults={"server_key": ORG})
# Its own endpoint name: two rules of one endpoint with equal defaults make werkzeug 308 the
# first to the second (a client that does not follow redirects never gets the document).
@bp.get("/.well-known/oauth-authorization-server", defaults={"server_key": ORG}, endpoint="well_known_oauth")
@bp.get("/oauth2/<server_key>/.well-known/openid-configuration")
@bp.get("/oauth2/<server_key>/.well-known/oauth-authorization-server")
def well_known(server_key: str):
    return _json(discovery.document(provider().server(server_key)))


@bp.get("/oauth2/v1/keys", defaults={"server_key": ORG})
@bp.get("/oauth2/<server_key>/v1/keys")
def keys(server_key: str):
    p = provider()
    # docs/fidelity/okta-oidc-api.md#okta-oidc-api-jwks: Cache-Control max-age=…, must-revalidate (the max-age is unconfirmed).
    return _json(p.keyring(p.server(server_key)).jwks(), headers={"Cache-Control": "max-age=3600, must-revalidate"})


# ---- authorize -------------------------------------------------------------------------------

def _params():
    return request.form if request.method == "POST" else request.args


def _browser_response(result: authorize.Response) -> Response:
    if result.location is not None:
        response = redirect(result.location, code=302)
    else:
        inputs = "".join(f'<input type="hidden" name="{escape(k)}" value="{escape(v)}"/>'
                         for k, v in result.form_fields.items())
        response = Response(
            '<!DOCTYPE html><html><head><meta charset="utf-8"></head>'
            '<body onload="document.forms[0].submit()">'
            f'<form method="post" action="{escape(result.form_action)}">{inputs}'
            '<noscript><button type="submit">Continue</button></noscript></form></body></html>',
            content_type="text/html;charset=utf-8")
    # docs/fidelity/okta-oidc-api.md#okta-oidc-api-authorize-success: Referrer-Policy no-referrer.
    response.headers["Referrer-Policy"] = "no-referrer"
    return _no_store(response)


def _return_uri(params, drop_prompt_login: bool) -> str:
    items = [(k, v) for k, v in params.items(multi=True) if k != "sessionToken"]
    if drop_prompt_login:
        # After the forced login the browser comes back here without ``prompt=login``, so the
        # new session completes the request instead of asking again.
        items = [(k, v) for k, v in items if k != "prompt"]
        rest = " ".join(p for p in params.get("prompt", "").split() if p != "login")
        if rest:
            items.append(("prompt", rest))
    return request.base_url + ("?" + urlencode(items) if items else "")


@bp.route("/oauth2/v1/authorize", methods=["GET", "POST"], defaults={"server_key": ORG})
@bp.route("/oauth2/<server_key>/v1/authorize", methods=["GET", "POST"])
def authorize_endpoint(server_key: str):
    p = provider()
    server = p.server(server_key)
    params = _params()
    new_session = None
    try:
        auth_request = authorize.validate(p, server, params)
        session = None
        if auth_request.session_token:
            # docs/fidelity/okta-oidc-api.md#okta-oidc-api-sessiontoken-on-authorize: the one-time token starts the Okta
            # session and the flow completes without the sign-in page.
            created = sessions.session_from_token(auth_request.session_token)
            user = created.user if created is not None else None
            if user is not None:
                session = new_session = created
        if session is None:
            session = sessions.current_session()
            if session is not None and "login" in auth_request.prompt:
                session = None
        if session is None:
            if "none" in auth_request.prompt:
                raise authorize.ErrorRedirect(errors.login_required(), auth_request)
            # login_hint stays in the fromURI for the sign-in page to read.
            return sessions.login_redirect(_return_uri(params, "login" in auth_request.prompt))
        authorize.check_assignment(p, auth_request, session.user)
        if login_pages.step_up_needed(auth_request.app, session):
            response = login_pages.step_up_redirect(_return_uri(params, False))
            if new_session is not None:
                sessions.set_session_cookies(response, new_session)
            return response
        response = _browser_response(authorize.issue_code(
            p, auth_request, session.user, auth_time=session.created, amr=session.amr, session_id=session.id))
    except authorize.ErrorPage as exc:
        # docs/fidelity/okta-oidc-api.md#okta-oidc-api-bad-redirect-uri: Okta's own 400 page, not a redirect.
        response = Response(error_page.render(exc.error, p.org_url), status=400,
                            content_type="text/html;charset=utf-8")
    except authorize.ErrorRedirect as exc:
        response = _browser_response(exc.location())
    if new_session is not None:
        sessions.set_session_cookies(response, new_session)
    return response


# ---- token, userinfo, introspect, revoke ---------------------------------------------------------

@bp.post("/oauth2/v1/token", defaults={"server_key": ORG})
@bp.post("/oauth2/<server_key>/v1/token")
def token(server_key: str):
    p = provider()
    body = token_endpoint.handle(p, p.server(server_key), request.headers.get("Authorization"),
                                 request.form, request.args)
    return _no_store(_json(body))


@bp.route("/oauth2/v1/userinfo", methods=["GET", "POST"], defaults={"server_key": ORG})
@bp.route("/oauth2/<server_key>/v1/userinfo", methods=["GET", "POST"])
def userinfo(server_key: str):
    p = provider()
    server = p.server(server_key)
    try:
        body = resource_endpoints.userinfo(p, server, resource_endpoints.bearer_token(
            request.headers.get("Authorization")))
    except (errors.InvalidToken, errors.InsufficientScope) as exc:
        # docs/fidelity/okta-oidc-api.md#okta-oidc-api-userinfo: the error rides in WWW-Authenticate.
        challenge = f'Bearer error="{exc.error}", error_description="{exc.description}"'
        return Response("", status=exc.status, headers={"WWW-Authenticate": challenge})
    return _no_store(_json(body))


@bp.post("/oauth2/v1/introspect", defaults={"server_key": ORG})
@bp.post("/oauth2/<server_key>/v1/introspect")
def introspect(server_key: str):
    p = provider()
    body = resource_endpoints.introspect(p, p.server(server_key), request.headers.get("Authorization"),
                                         request.form, request.args)
    return _no_store(_json(body))


@bp.post("/oauth2/v1/revoke", defaults={"server_key": ORG})
@bp.post("/oauth2/<server_key>/v1/revoke")
def revoke(server_key: str):
    p = provider()
    resource_endpoints.revoke(p, p.server(server_key), request.headers.get("Authorization"), request.form,
                              request.args)
    # docs/fidelity/okta-oidc-api.md#okta-oidc-api-revoke: 200 whatever the token was.
    return Response("", status=200)


# ---- logout ----------------------------------------------------------------------------------

@bp.route("/oauth2/v1/logout", methods=["GET", "POST"], defaults={"server_key": ORG})
@bp.route("/oauth2/<server_key>/v1/logout", methods=["GET", "POST"])
def logout_endpoint(server_key: str):
    p = provider()
    try:
        logout_request = logout.validate(p, p.server(server_key), _params())
    except errors.OAuthError as exc:
        return Response(error_page.render(exc, p.org_url), status=400, content_type="text/html;charset=utf-8")
    session = sessions.current_session()
    response = redirect(logout_request.target, code=302)
    if session is not None:
        sessions.end_session(session.id)
        sessions.clear_session_cookies(response)
    return response


# ---- Identity Engine clients: device grant and web SSO (mock_okta.oidc.device) -------------------

@bp.post("/oauth2/v1/device/authorize", defaults={"server_key": ORG})
@bp.post("/oauth2/<server_key>/v1/device/authorize")
def device_authorize(server_key: str):
    p = provider()
    return _no_store(_json(device.authorize_response(p, p.server(server_key), request.form)))


@bp.route("/activate", methods=["GET", "POST"])
def activate():
    """The verification page: with the user signed in, the device of ``user_code`` is approved
    (docs/fidelity/okta-mfa-idx.md#okta-mfa-idx-device-grant). Without a session: Okta's sign-in."""
    p = provider()
    code = (request.values.get("user_code") or "").strip()
    if not code:
        return _activate_page("Activate your device", "Enter the code displayed on your device.", form=True)
    session = sessions.current_session()
    if session is None:
        return sessions.login_redirect(f"{p.org_url}/activate?{urlencode({'user_code': code})}")
    auth = p.devices.by_user_code(code, p.clock.time())
    if auth is None:
        return _activate_page("Activate your device", "Invalid code. Try again.", form=True, status=400)
    auth.user, auth.amr = session.user, tuple(session.amr)
    return _activate_page("Device activated", "Follow the instructions on your device for next steps.")


def _activate_page(title: str, text: str, *, form: bool = False, status: int = 200) -> Response:
    # The page's words are inferred (the real page is the Sign-In Widget's device flow).
    field = ('<form method="POST" action="/activate"><label for="user_code">Activation Code</label>'
             '<input id="user_code" name="user_code" type="text"/><input type="submit" value="Next"/></form>'
             if form else "")
    html = (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{escape(title)}</title></head><body>'
            f'<div id="okta-sign-in"><h2 class="okta-form-title">{escape(title)}</h2>'
            f'<p class="device-message">{escape(text)}</p>{field}</div></body></html>')
    return Response(html, status=status, content_type="text/html;charset=utf-8")


@bp.get("/login/token/sso")
def web_sso():
    """A one-time web SSO token becomes an Okta session, and the browser goes on to the app's
    embed link (its SAML auto-post) (docs/fidelity/okta-mfa-idx.md#okta-mfa-idx-web-sso-token)."""
    p = provider()
    token = p.devices.redeem_web_sso(request.args.get("token"), p.clock.time())
    if token is None:
        return Response(error_page.render(device.InvalidToken(), p.org_url), status=400,
                        content_type="text/html;charset=utf-8")
    app = p.org.app_by_id(token.app_id)
    session = sessions.create_session(token.user, token.amr)
    return sessions.set_session_cookies(redirect(app.embed_link, code=302), session)


# ---- test control ----------------------------------------------------------------------------

def rotate_keys(target, server_id: str = "org") -> str:
    """Rotate the signing key of one authorization server (``"org"``, ``"default"`` or an aus… id)
    and return the new signing ``kid``. ``target`` is the org's Flask app or a running world."""
    app = target
    if not hasattr(app, "extensions"):
        app = target.dispatcher.app_for(target.okta_host)
    return app.extensions["mock_okta"]["OIDC_PROVIDER"].rotate_keys(server_id).kid
