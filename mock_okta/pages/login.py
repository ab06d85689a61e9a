"""The org's sign-in page and cookie endpoints.

* ``/login/login.htm?fromURI=…``: a form with the Okta Sign-In Widget's element ids
  (``div#okta-sign-in``, ``input#okta-signin-username``, ``input#okta-signin-password``,
  ``input#okta-signin-submit``; aws-okta-processor detects the page by ``div#okta-sign-in``,
  docs/fidelity/okta-oidc-api.md#okta-oidc-api-cli-clients). It works without JavaScript (a plain form POST). A failed sign-in shows the
  widget's text for E0000004, "Sign in failed!" (okta-signin-widget login.properties
  ``errors.E0000004``, as quoted in okta-developer-docs' widget guide), in
  ``.o-form-error-container``; empty fields show "Please enter a username" / "Please enter a
  password" (same file). Success sets ``sid`` and ``DT`` and returns to fromURI.
* ``/login/sessionCookieRedirect?token=…&redirectUrl=…`` (docs/fidelity/okta-oidc-api.md#okta-oidc-api-session-cookie-redirect): exchanges a sessionToken for ``sid``/``DT`` cookies and redirects.
* ``/login/signout``: ends the session. ``/app/UserHome``: the end-user dashboard.
"""
from __future__ import annotations

import urllib.parse
from html import escape

from flask import Blueprint, current_app, redirect, request

from world_common.world_model import OktaApp

from .. import sessions
from ..mfa import factors as mfa_factors
from ..mfa import policy, primary
from . import errors
from . import mfa as mfa_page
from .html import page

bp = Blueprint("okta_login", __name__)

SIGN_IN_FAILED = "Sign in failed!"
USERNAME_REQUIRED = "Please enter a username"
PASSWORD_REQUIRED = "Please enter a password"
HOME = "/app/UserHome"


def _org():
    return current_app.extensions["mock_okta"]["ORG"]


def safe_target(url: str | None) -> str:
    """fromURI / redirect targets: a path on this org, or an absolute URL on this org's host;
    anything else goes to the dashboard (no open redirect)."""
    if not url:
        return HOME
    parts = urllib.parse.urlsplit(url)
    if not parts.scheme and not parts.netloc and url.startswith("/") and not url.startswith("//"):
        return url
    if parts.scheme == "https" and parts.hostname == _org().host:
        return url
    return HOME


def _login_html(from_uri: str, username: str = "", error: str | None = None) -> str:
    error_html = (f'<div class="o-form-error-container o-form-has-errors" role="alert">'
                  f'<div class="okta-form-infobox-error infobox infobox-error"><p>{escape(error)}</p></div></div>'
                  if error else '<div class="o-form-error-container"></div>')
    action = "/login/login.htm?fromURI=" + urllib.parse.quote(from_uri, safe="")
    body = (
        '<div id="okta-login-container"><div id="okta-sign-in" class="auth-container main-container">'
        '<div class="auth-content"><div class="auth-content-inner">'
        f'<form method="POST" action="{escape(action)}" class="primary-auth-form o-form" id="form1" '
        'data-se="o-form" novalidate>'
        '<div class="o-form-content"><h2 class="okta-form-title o-form-head">Sign In</h2>'
        f'{error_html}'
        '<div class="o-form-fieldset-container">'
        '<label for="okta-signin-username">Username</label>'
        f'<input type="text" id="okta-signin-username" name="username" value="{escape(username)}" '
        'autocomplete="username" aria-label="Username"/>'
        '<label for="okta-signin-password">Password</label>'
        '<input type="password" id="okta-signin-password" name="password" value="" '
        'autocomplete="current-password" aria-label="Password"/>'
        '</div></div>'
        '<div class="o-form-button-bar">'
        '<input class="button button-primary" type="submit" value="Sign In" id="okta-signin-submit" '
        'data-type="save"/></div></form></div></div></div></div>')
    return page("Sign In", body, org_name=_org().host.split(".", 1)[0], body_class="auth okta-container")


@bp.route("/login/login.htm", methods=["GET", "POST"])
def login_page():
    from_uri = safe_target(request.args.get("fromURI"))
    if request.method == "GET":
        if sessions.current_session() is not None:
            return redirect(from_uri, code=302)   # already signed in: straight on (unconfirmed)
        return current_app.response_class(_login_html(from_uri), mimetype="text/html")
    username = (request.form.get("username") or "").strip()
    password = request.form.get("password") or ""
    if not username:
        error = USERNAME_REQUIRED
    elif not password:
        error = PASSWORD_REQUIRED
    else:
        outcome = primary.primary(_org(), current_app.extensions["mock_okta"]["OKTA_TRANSACTIONS"], username, password)
        if outcome.kind == "success":
            return _signed_in(outcome.user, from_uri, ["pwd"])
        if outcome.kind == "transaction" and outcome.transaction.status == "MFA_REQUIRED":
            return mfa_page.challenge(outcome.transaction, from_uri)
        if outcome.kind == "transaction":
            return mfa_page.unsupported(outcome.transaction, from_uri)
        error = SIGN_IN_FAILED   # locked out too: Okta does not disclose lockouts by default
    return current_app.response_class(_login_html(from_uri, username, error), status=200, mimetype="text/html")


def _signed_in(user, from_uri: str, amr: list[str]):
    session = sessions.create_session(user, amr)
    return sessions.set_session_cookies(redirect(from_uri, code=302), session)


def step_up_needed(app: OktaApp, session) -> bool:
    """The app's sign-on rule asks for a second factor this session has not given
    (docs/fidelity/okta-mfa-idx.md#okta-mfa-idx-signon-policy)."""
    return policy.app_needs_mfa(app, session.user) and "mfa" not in session.amr


def step_up_redirect(return_to: str):
    return redirect("/login/step-up?fromURI=" + urllib.parse.quote(return_to, safe=""), code=302)


@bp.get("/login/step-up")
def step_up():
    """A signed-in user whom an app's sign-on rule asks for MFA answers their factor; the session
    is then replaced by one whose ``amr`` records it."""
    from_uri = safe_target(request.args.get("fromURI"))
    session = sessions.current_session()
    if session is None:
        return sessions.login_redirect(from_uri)
    user = session.user
    tx = current_app.extensions["mock_okta"]["OKTA_TRANSACTIONS"].start(
        user, "MFA_REQUIRED" if mfa_factors.active(user) else "MFA_ENROLL")
    if tx.status == "MFA_REQUIRED":
        return mfa_page.challenge(tx, from_uri)
    return mfa_page.unsupported(tx, from_uri)


@bp.post("/login/mfa")
def mfa_answer():
    """The factor step of the sign-in page (docs/fidelity/okta-mfa-idx.md#okta-mfa-idx-sign-in-page)."""
    from_uri = safe_target(request.args.get("fromURI"))
    tx = current_app.extensions["mock_okta"]["OKTA_TRANSACTIONS"].get(request.form.get("stateToken"))
    if tx is None:
        return current_app.response_class(_login_html(from_uri, "", mfa_page.EXPIRED), mimetype="text/html")
    result, factor = mfa_page.answer(tx, request.form)
    if result == "success":
        current_app.extensions["mock_okta"]["OKTA_TRANSACTIONS"].end(tx)
        return _signed_in(tx.user, from_uri, mfa_page.amr(factor))
    return mfa_page.challenge(tx, from_uri, error=mfa_page.INVALID if result == "invalid" else None)


@bp.get("/login/sessionCookieRedirect")
def session_cookie_redirect():
    target = request.args.get("redirectUrl") or HOME
    if len(target) > 8192 or not urllib.parse.urlsplit(target).scheme and not target.startswith("/"):
        return errors.bad_request("The redirectUrl parameter is not a valid URL.")
    session = sessions.session_from_token(request.args.get("token"))
    if session is None:
        # Okta's page for a used or expired token is not in the reference (unconfirmed).
        return errors.error_page(401, "Invalid Token",
                                 "The session token is invalid, expired or was already used.")
    return sessions.set_session_cookies(redirect(target, code=302), session)


@bp.route("/login/signout", methods=["GET", "POST"])
def signout():
    session = sessions.current_session()
    if session is not None:
        sessions.end_session(session.id)
    target = safe_target(request.args.get("fromURI")) if request.args.get("fromURI") else "/login/login.htm"
    return sessions.clear_session_cookies(redirect(target, code=302))


@bp.get(HOME)
def user_home():
    session = sessions.current_session()
    if session is None:
        return sessions.login_redirect(HOME)
    org = _org()
    links = "".join(
        f'<li class="app-button"><a href="{escape(app.embed_link)}" data-app-id="{escape(app.id)}">'
        f'{escape(app.label)}</a></li>'
        for app in org.apps if app.status == "ACTIVE" and org.is_assigned(app, session.user))
    body = (f'<div id="dashboard"><h1>My Apps</h1><p class="user-name">{escape(session.user.login)}</p>'
            f'<ul class="app-buttons">{links}</ul>'
            '<form method="POST" action="/login/signout"><input type="submit" value="Sign Out"/></form></div>')
    return current_app.response_class(page("My Apps", body, org_name=org.host.split(".", 1)[0]),
                                      mimetype="text/html")
