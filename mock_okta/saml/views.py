"""Flask glue for the SAML IdP: SSO URL, embed links, metadata, single logout.

Routes (docs/fidelity/okta-saml.md#okta-saml-idp): ``/app/<appName>/<exk>/sso/saml`` (SP-initiated over HTTP-Redirect
and HTTP-POST; IdP-initiated without a request), ``/home/<appName>/<0oa>/<linkId>`` (embed
link, with ``?sessionToken=`` and ``?RelayState=``), ``/app/<exk>/sso/saml/metadata``,
``/app/<appName>/<exk>/slo/saml``.
"""
from __future__ import annotations

import base64
import secrets
import threading
from urllib.parse import urlencode

from flask import Blueprint, current_app, request

from world_common.world_model import OktaApp

from .. import aws_app, sessions
from ..pages import autopost, errors, login
from . import authn_request, logout, response, xml_forms
from .authn_request import RequestError
from .encryption import EncryptionError
from .metadata import metadata_for_app

bp = Blueprint("okta_saml", __name__)


def _org():
    return current_app.extensions["mock_okta"]["ORG"]


def _services():
    return current_app.extensions["mock_okta"]["SERVICES"]


class PendingRequests:
    """Validated AuthnRequests waiting for the user to sign in (the request survives the
    detour through the sign-in page, whichever binding carried it)."""

    LIFETIME = 600

    def __init__(self, clock) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._items: dict[str, tuple[dict, float]] = {}

    def put(self, item: dict) -> str:
        ref = secrets.token_urlsafe(24)
        with self._lock:
            now = self.clock.time()
            self._items = {k: v for k, v in self._items.items() if v[1] > now}
            self._items[ref] = (item, now + self.LIFETIME)
        return ref

    def get(self, ref: str | None) -> dict | None:
        with self._lock:
            entry = self._items.get(ref or "")
        if entry is None or entry[1] <= self.clock.time():
            return None
        return entry[0]

    def drop(self, ref: str) -> None:
        with self._lock:
            self._items.pop(ref, None)


def _pending() -> PendingRequests:
    return current_app.extensions["mock_okta"]["OKTA_SAML_PENDING"]


def _saml_app(app_name: str, exk: str) -> OktaApp:
    app = _org().app_by_exk(exk)
    if app is None or app.saml is None or app.name != app_name or app.status != "ACTIVE":
        return None
    return app


@bp.route("/app/<app_name>/<exk>/sso/saml", methods=["GET", "POST"])
def sso(app_name: str, exk: str):
    app = _saml_app(app_name, exk)
    if app is None:
        return errors.not_found()
    # The first value of each query parameter, as MultiDict.get gives it, in a dict: MultiDict.get
    # builds and catches a BadRequestKeyError for each absent one (~1-2 µs each).
    args = request.args.to_dict()
    ref = args.get("ref")
    if ref is not None:
        pending = _pending().get(ref)
        if pending is None:
            return errors.bad_request("The sign-in request has expired or was already used. "
                                      "Start the sign-in again from the application.")
    else:
        try:
            pending = _read_request(app, args)
        except RequestError as exc:
            return errors.bad_request(str(exc))
        except response.SamlBuildError as exc:
            return errors.bad_request(str(exc))
        pending["received"] = _services().clock.time()
    session = sessions.current_session()
    # docs/fidelity/okta-saml.md#okta-saml-forceauthn: re-prompt only when the app honours it.
    must_login = session is None or (
        pending.get("force_authn") and app.saml.honor_force_authn and session.created < pending["received"])
    if must_login:
        if ref is None:
            ref = _pending().put(pending)
        if pending.get("is_passive") and session is None:
            return errors.error_page(401, "Not Signed In", "The AuthnRequest is passive (IsPassive) and no Okta "
                                     "session exists, so Okta cannot sign the user in.")
        return sessions.login_redirect(f"/app/{app_name}/{exk}/sso/saml?ref={ref}")
    if login.step_up_needed(app, session):
        if ref is None:
            ref = _pending().put(pending)
        return login.step_up_redirect(f"/app/{app_name}/{exk}/sso/saml?ref={ref}")
    if ref is not None:
        _pending().drop(ref)
    return _respond(app, session, pending)


def _read_request(app: OktaApp, args: dict) -> dict:
    """The binding's SAMLRequest as a dict of what the response needs; IdP-initiated when
    there is none (Default RelayState, docs/fidelity/okta-saml.md#okta-saml-default-relaystate)."""
    saml = app.saml
    raw = request.query_string.decode("latin-1")
    if request.method == "POST" and "SAMLRequest" in request.form:
        authn = authn_request.from_post(request.form.get("SAMLRequest"), saml)
        relay_state = request.form.get("RelayState")
    elif args.get("SAMLRequest") is not None:
        authn = authn_request.from_redirect(raw, saml)
        relay_state = args.get("RelayState")
    else:
        relay_state = request.values.get("RelayState")
        return {"acs_url": None, "in_response_to": None,
                "relay_state": relay_state if relay_state is not None else saml.default_relay_state}
    if relay_state is not None and len(relay_state) > 80 * 1024:
        raise RequestError("The RelayState parameter is too large.")
    acs = authn_request.check_acs(authn, saml, response.acs_url_of(app))
    nameid_format = response.AWS_NAMEID_FORMAT if app.sign_on_mode == "AWS" else saml.subject_name_id_format
    authn_request.check_name_id_policy(authn, nameid_format)
    return {"acs_url": acs, "in_response_to": authn.id, "relay_state": relay_state,
            "force_authn": authn.force_authn, "is_passive": authn.is_passive}


def _respond(app: OktaApp, session, pending: dict):
    org = _org()
    user = session.user
    if not org.is_assigned(app, user):
        return errors.app_not_assigned(app)
    try:
        built = response.build(org, app, user, _services(), acs_url=pending.get("acs_url"),
                               in_response_to=pending.get("in_response_to"), authn_instant=session.created)
    except aws_app.NoRoles as exc:
        return errors.error_page(403, "Error", str(exc))
    except (response.SamlBuildError, xml_forms.NotXmlText) as exc:
        return errors.error_page(400, "Error", str(exc))
    except EncryptionError as exc:   # a bad encryption certificate and the like: a page, never a 500
        return errors.error_page(400, "Error", str(exc))
    session.apps.add(app.id)
    session.session_indexes[app.id] = built.session_index
    return autopost.saml_response_page(built.acs_url, built.b64, pending.get("relay_state"))


@bp.get("/home/<app_name>/<app_id>/<link_id>")
def embed_link(app_name: str, app_id: str, link_id: str):
    """docs/fidelity/okta-saml.md#okta-saml-embed-link, docs/fidelity/okta-saml.md#okta-saml-embed-link-query-params."""
    org = _org()
    app = org.app_by_id(app_id)
    if app is None or app.name != app_name or str(app.link_id) != link_id or app.status != "ACTIVE":
        return errors.not_found()
    session = None
    new_session = False
    token = request.args.get("sessionToken")
    if token:
        session = sessions.session_from_token(token)
        if session is None:
            return errors.error_page(401, "Invalid Token", "The session token is invalid, expired or was already used.")
        new_session = True
    else:
        session = sessions.current_session()
    if session is None:
        return sessions.login_redirect(request.full_path.rstrip("?"))
    if app.saml is None:
        # OIDC apps' embed links start the app's own login (issue "OIDC"); not a SAML concern.
        return errors.not_found("This app has no SAML sign-on.")
    relay_state = request.args.get("RelayState")
    pending = {"acs_url": None, "in_response_to": None,
               "relay_state": relay_state if relay_state is not None else app.saml.default_relay_state}
    if login.step_up_needed(app, session):
        kept = {k: v for k, v in request.args.items() if k != "sessionToken"}   # the token is spent
        back = request.path + ("?" + urlencode(kept) if kept else "")
        page = login.step_up_redirect(back)
    else:
        page = _respond(app, session, pending)
    if new_session:
        sessions.set_session_cookies(page, session)   # docs/fidelity/okta-saml.md#okta-saml-auto-post-html: sets sid with a sessionToken
    return page


@bp.get("/app/<exk>/sso/saml/metadata")
def metadata(exk: str):
    app = _org().app_by_exk(exk)
    if app is None or app.saml is None:
        return errors.not_found()
    return current_app.response_class(metadata_for_app(_org().org_url, app), mimetype="application/xml")


@bp.route("/app/<app_name>/<exk>/slo/saml", methods=["GET", "POST"])
def single_logout(app_name: str, exk: str):
    app = _saml_app(app_name, exk)
    if app is None:
        return errors.not_found()
    saml = app.saml
    if not saml.single_logout_url:
        return errors.bad_request("Single Logout is not enabled for this app.")
    try:
        if request.method == "POST" and "SAMLRequest" in request.form:
            logout_request = logout.from_post(request.form.get("SAMLRequest"), saml)
            relay_state = request.form.get("RelayState")
        else:
            logout_request = logout.from_redirect(request.query_string.decode("latin-1"), saml)
            relay_state = request.args.get("RelayState")
        logout.check_issuer(logout_request, saml)
    except RequestError as exc:
        return errors.bad_request(str(exc))
    session = sessions.current_session()
    if session is not None:
        sessions.end_session(session.id)
    xml = logout.logout_response(_org(), app, _services(), logout_request.id)
    page = autopost.form_page(saml.single_logout_url, {"SAMLResponse": base64.b64encode(xml).decode(),
                                                       "RelayState": relay_state or ""},
                              base64_field="SAMLResponse")
    return sessions.clear_session_cookies(page)
