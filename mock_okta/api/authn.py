"""``POST /api/v1/authn`` (docs/fidelity/okta-oidc-api.md#okta-oidc-api-primary-auth, docs/fidelity/okta-oidc-api.md#okta-oidc-api-primary-auth-failure; OKAPI-AUTHN),
its MFA states and factor verification (mock_okta.mfa), and the session API (docs/fidelity/okta-oidc-api.md#okta-oidc-api-create-session, docs/fidelity/okta-oidc-api.md#okta-oidc-api-session-endpoints)."""
from __future__ import annotations

import datetime as _dt

from flask import Blueprint, current_app, jsonify, request

from .. import sessions
from ..mfa import factors as mfa_factors
from ..mfa import primary, transactions
from .errors import (
    AUTHENTICATION_FAILED,
    BAD_BODY,
    INVALID_PASSCODE,
    INVALID_TOKEN,
    NOT_FOUND,
    WRONG_STATE,
    api_error,
)

bp = Blueprint("okta_api_authn", __name__)


def _iso(epoch: float) -> str:
    moment = _dt.datetime.fromtimestamp(epoch, _dt.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _json_body():
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else None


def _transactions():
    return current_app.extensions["mock_okta"]["OKTA_TRANSACTIONS"]


def _now() -> float:
    return current_app.extensions["mock_okta"]["SERVICES"].clock.time()


def _success(user, amr=("pwd",)):
    token = sessions.session_token_for(user, amr)
    return jsonify(transactions.success_json(user, token, _now() + sessions.SESSION_TOKEN_LIFETIME, _now()))


def _state(tx):
    return jsonify(transactions.state_json(tx, current_app.extensions["mock_okta"]["ORG"].org_url, _now()))


@bp.post("/api/v1/authn")
def authn():
    """Primary authentication, or (with only a ``stateToken``) the transaction's current state
    (docs/fidelity/okta-mfa-idx.md#okta-mfa-idx-authn-states)."""
    body = _json_body()
    if body is None:
        return api_error(BAD_BODY)
    if "stateToken" in body and "username" not in body:
        tx = _transactions().get(body.get("stateToken"))
        return _state(tx) if tx is not None else api_error(INVALID_TOKEN)
    username, password = body.get("username"), body.get("password")
    if not isinstance(username, str) or not isinstance(password, str):
        return api_error(AUTHENTICATION_FAILED)
    org = current_app.extensions["mock_okta"]["ORG"]
    outcome = primary.primary(org, _transactions(), username, password)
    if outcome.kind == "success":
        return _success(outcome.user)
    if outcome.kind == "locked":
        return jsonify(transactions.locked_out_json(org.org_url))
    if outcome.kind == "transaction":
        return _state(outcome.transaction)
    return api_error(AUTHENTICATION_FAILED)


@bp.post("/api/v1/authn/factors/<factor_id>/verify")
def verify_factor(factor_id: str):
    """Verify a factor with the transaction's ``stateToken``: a passCode / answer, a push (then
    polled on the same link), an SMS or email code (sent on the first call)
    (docs/fidelity/okta-mfa-idx.md#okta-mfa-idx-verify)."""
    body = _json_body()
    if body is None:
        return api_error(BAD_BODY)
    tx = _transactions().get(body.get("stateToken"))
    if tx is None:
        return api_error(INVALID_TOKEN)
    if tx.status not in ("MFA_REQUIRED", "MFA_CHALLENGE"):
        return api_error(WRONG_STATE, causes=[WRONG_STATE[2]])
    factor = mfa_factors.by_id(tx.user, factor_id)
    if factor is None:
        return api_error(NOT_FOUND, f"Resource not found: {factor_id} (UserFactor)")
    answer = body.get("passCode") if factor.type != "question" else body.get("answer")
    result = primary.verify(tx, factor, answer, _now())
    if result == "success":
        _transactions().end(tx)
        return _success(tx.user, mfa_factors.amr(factor))
    if result == "challenge":
        return _state(tx)
    cause = ("Your answer doesn't match our records. Please try again." if factor.type == "question"
             else "Your passcode doesn't match our records. Please try again.")
    return api_error(INVALID_PASSCODE, causes=[cause])


@bp.post("/api/v1/authn/cancel")
def cancel():
    body = _json_body() or {}
    tx = _transactions().get(body.get("stateToken"))
    if tx is None:
        return api_error(INVALID_TOKEN)
    _transactions().end(tx)
    return jsonify({"status": "UNAUTHENTICATED", "_links": {}})


def session_json(session) -> dict:
    org_url = current_app.extensions["mock_okta"]["ORG"].org_url
    return {
        "id": session.id, "userId": session.user.id, "login": session.user.login,
        "createdAt": _iso(session.created), "expiresAt": _iso(session.expires), "status": "ACTIVE",
        "lastPasswordVerification": _iso(session.created), "lastFactorVerification": None,
        "amr": list(session.amr), "idp": {"id": current_app.extensions["mock_okta"]["ORG_ID"], "type": "OKTA"}, "mfaActive": False,
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
    session = sessions.session_from_token(body.get("sessionToken") if isinstance(body.get("sessionToken"), str) else None)
    if session is None:
        # saml2aws reads a 401 here as "invalid sessionToken" (docs/fidelity/okta-oidc-api.md#okta-oidc-api-create-session).
        return api_error(AUTHENTICATION_FAILED)
    return sessions.set_session_cookies(jsonify(session_json(session)), session)


@bp.get("/api/v1/sessions/me")
def session_me():
    session = sessions.current_session()
    # No live session: E0000007 404 for the "me" session (the reference lists the code, not
    # this use of it: unconfirmed). saml2aws only tests for a non-200 answer (docs/fidelity/okta-oidc-api.md#okta-oidc-api-session-endpoints).
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

