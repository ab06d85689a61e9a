"""``POST /api/v1/authn`` (okta-aws.md §3 "Primary auth", "Primary auth failure"; OKAPI-AUTHN)
and the session API (§3 "Create session", "Session endpoints")."""
from __future__ import annotations

import datetime as _dt

from flask import Blueprint, current_app, jsonify, request

from .. import sessions
from ..pages.login import authenticate
from .errors import AUTHENTICATION_FAILED, BAD_BODY, INVALID_SESSION, NOT_FOUND, api_error

bp = Blueprint("okta_api_authn", __name__)


def _iso(epoch: float) -> str:
    moment = _dt.datetime.fromtimestamp(epoch, _dt.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _json_body():
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else None


@bp.post("/api/v1/authn")
def authn():
    body = _json_body()
    if body is None:
        return api_error(BAD_BODY)
    username, password = body.get("username"), body.get("password")
    if not isinstance(username, str) or not isinstance(password, str):
        return api_error(AUTHENTICATION_FAILED)
    user = authenticate(username, password)
    if user is None:
        return api_error(AUTHENTICATION_FAILED)
    clock = current_app.config["SERVICES"].clock
    token = sessions.session_token_for(user)
    profile = user.profile
    return jsonify({
        "expiresAt": _iso(clock.time() + sessions.SESSION_TOKEN_LIFETIME),
        "status": "SUCCESS",
        "sessionToken": token,
        "_embedded": {"user": {
            "id": user.id, "passwordChanged": _iso(clock.time() - 86400),
            "profile": {"login": user.login, "firstName": profile.get("firstName"),
                        "lastName": profile.get("lastName"), "locale": profile.get("locale", "en"),
                        "timeZone": profile.get("timezone", "America/Los_Angeles")}}},
    })


def session_json(session) -> dict:
    org_url = current_app.config["ORG"].org_url
    return {
        "id": session.id, "userId": session.user.id, "login": session.user.login,
        "createdAt": _iso(session.created), "expiresAt": _iso(session.expires), "status": "ACTIVE",
        "lastPasswordVerification": _iso(session.created), "lastFactorVerification": None,
        "amr": list(session.amr), "idp": {"id": current_app.config["ORG_ID"], "type": "OKTA"}, "mfaActive": False,
        "_links": {
            "self": {"href": f"{org_url}/api/v1/sessions/me", "hints": {"allow": ["GET", "DELETE"]}},
            "refresh": {"href": f"{org_url}/api/v1/sessions/me/lifecycle/refresh", "hints": {"allow": ["POST"]}},
            "user": {"name": session.user.profile.get("displayName", session.user.login),
                     "href": f"{org_url}/api/v1/users/me", "hints": {"allow": ["GET"]}},
        },
    }


@bp.post("/api/v1/sessions")
def create_session():
    body = _json_body()
    if body is None:
        return api_error(BAD_BODY)
    user = sessions.exchange_session_token(body.get("sessionToken") if isinstance(body.get("sessionToken"), str) else None)
    if user is None:
        # saml2aws reads a 401 here as "invalid sessionToken" (okta-aws.md §3 "Create session").
        return api_error(AUTHENTICATION_FAILED)
    session = sessions.create_session(user)
    return sessions.set_session_cookies(jsonify(session_json(session)), session)


@bp.get("/api/v1/sessions/me")
def session_me():
    session = sessions.current_session()
    # No live session: E0000007 404 for the "me" session (the reference lists the code, not
    # this use of it: unconfirmed). saml2aws only tests for a non-200 answer (§3 "Session endpoints").
    if session is None:
        return api_error(NOT_FOUND, "Resource not found: me (Session)")
    return jsonify(session_json(session))


@bp.post("/api/v1/sessions/me/lifecycle/refresh")
def refresh_me():
    session = sessions.current_session()
    if session is None:
        return api_error(NOT_FOUND, "Resource not found: me (Session)")
    return jsonify(session_json(sessions.store().refresh(session)))


@bp.delete("/api/v1/sessions/me")
def delete_me():
    session = sessions.current_session()
    if session is None:
        return api_error(NOT_FOUND, "Resource not found: me (Session)")
    sessions.end_session(session.id)
    return sessions.clear_session_cookies(current_app.response_class(status=204))


def require_session():
    session = sessions.current_session()
    return session, (None if session is not None else api_error(INVALID_SESSION))
