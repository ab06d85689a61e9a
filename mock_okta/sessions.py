"""Okta sessions, shared by every app on the org (SAML, OIDC, the API).

Facts (docs/fidelity/okta-oidc-api.md#okta-oidc-api-api): session ids are ``102`` + 22 characters (25 in all, e.g.
``102XV1tNvxsTm69-StW_BCU-Q``); clients carry them as the ``sid`` cookie; Okta also sets a
``DT`` device-token cookie; a ``sessionToken`` from ``/api/v1/authn`` is one-time and lives
5 minutes ("The lifetime of the sessionToken is 5 minutes", OKAPI-AUTHN).

Usable from any blueprint on the org app::

    session = current_session()          # None when the browser has no live Okta session
    if session is None:
        return login_redirect(request.url)
"""
from __future__ import annotations

import secrets
import string
import threading
import urllib.parse
from dataclasses import dataclass, field

from flask import current_app, redirect, request

SESSION_TOKEN_LIFETIME = 300        # docs/fidelity/okta-oidc-api.md#okta-oidc-api-sessiontoken: one-time, 5 minutes
# Okta's default maximum session lifetime is an org policy; the reference is silent
# (unconfirmed): two hours.
SESSION_LIFETIME = 2 * 3600
_ID_ALPHABET = string.ascii_letters + string.digits + "-_"


@dataclass
class Session:
    id: str
    user: object                 # mock_okta.org.User
    created: float               # epoch seconds, from the world's clock
    expires: float
    device_token: str
    amr: list = field(default_factory=lambda: ["pwd"])
    apps: set = field(default_factory=set)   # app ids that received an assertion (for SLO)
    session_indexes: dict = field(default_factory=dict)   # app id -> last SAML SessionIndex

    @property
    def authn_instant(self) -> float:
        return self.created


class SessionStore:
    """Live sessions and outstanding sessionTokens of one org."""

    def __init__(self, clock) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._sessions: dict[str, Session] = {}
        self._tokens: dict[str, tuple[object, float, tuple]] = {}

    def create(self, user, amr=None) -> Session:
        now = self.clock.time()
        session = Session(id="102" + _random(22), user=user, created=now, expires=now + SESSION_LIFETIME,
                          device_token=_random(32), amr=list(amr or ["pwd"]))
        with self._lock:
            self._sessions[session.id] = session
        return session

    def get(self, session_id: str | None) -> Session | None:
        if not session_id:
            return None
        with self._lock:
            session = self._sessions.get(session_id)
        if session is None:
            return None
        if session.expires <= self.clock.time() or session.user.status != "ACTIVE":
            self.end(session.id)
            return None
        return session

    def end(self, session_id: str) -> Session | None:
        with self._lock:
            return self._sessions.pop(session_id, None)

    def refresh(self, session: Session) -> Session:
        session.expires = self.clock.time() + SESSION_LIFETIME
        return session

    def token_for(self, user, amr=("pwd",)) -> str:
        """``amr``: how the user authenticated (a factor after MFA), kept for the session it becomes."""
        # Real sessionTokens are opaque strings of ~ 50 characters starting "20111" (unconfirmed).
        token = "20111" + _random(46)
        with self._lock:
            self._tokens[token] = (user, self.clock.time() + SESSION_TOKEN_LIFETIME, tuple(amr))
        return token

    def redeem(self, token: str | None):
        """``(user, amr)`` of a sessionToken, once; ``None`` if unknown, used or expired."""
        if not token:
            return None
        with self._lock:
            entry = self._tokens.pop(token, None)
        if entry is None:
            return None
        user, expires, amr = entry
        return (user, list(amr)) if expires > self.clock.time() else None


def _random(n: int) -> str:
    return "".join(secrets.choice(_ID_ALPHABET) for _ in range(n))


# ---- functions for blueprints on the org app ---------------------------------------------------

def store() -> SessionStore:
    return current_app.extensions["mock_okta"]["OKTA_SESSIONS"]


def current_session() -> Session | None:
    """The Okta session named by the request's ``sid`` cookie, if it is still live."""
    return store().get(request.cookies.get("sid"))


def create_session(user, amr=None) -> Session:
    return store().create(user, amr)


def end_session(session_id: str) -> Session | None:
    return store().end(session_id)


def session_token_for(user, amr=("pwd",)) -> str:
    """A one-time, 5-minute sessionToken (what ``POST /api/v1/authn`` returns)."""
    return store().token_for(user, amr)


def session_from_token(token: str | None) -> Session | None:
    """A new session for the user of a sessionToken (consumed), with the token's ``amr``; ``None``
    if the token is unknown, used or expired."""
    redeemed = store().redeem(token)
    return store().create(*redeemed) if redeemed is not None else None


def set_session_cookies(response, session: Session):
    """``sid`` (and ``DT``) as Okta sets them (docs/fidelity/okta-oidc-api.md#okta-oidc-api-session-cookie-redirect,
    "Device cookie"): ``Path=/``, HTTPS only."""
    response.set_cookie("sid", session.id, path="/", secure=True, httponly=True, samesite="None")
    response.set_cookie("DT", session.device_token, path="/", secure=True, httponly=True, samesite="None",
                        max_age=5 * 365 * 24 * 3600)
    return response


def clear_session_cookies(response):
    response.delete_cookie("sid", path="/", secure=True, httponly=True, samesite="None")
    return response


def login_redirect(from_uri: str):
    """302 to the org's sign-in page, which returns to ``from_uri`` after a successful login."""
    return redirect("/login/login.htm?fromURI=" + urllib.parse.quote(from_uri, safe=""), code=302)
