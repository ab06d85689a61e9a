"""Cognito's short-lived server-side state for one world: authorization codes, refresh tokens,
SP-initiated SAML requests in flight, seen assertion IDs, managed-login sessions.

One :class:`Store` per world (made by ``hosted_ui.create_apps`` and shared by every pool domain),
kept in each pool-domain app's :class:`mock_cognito.context.Context` (``app.extensions["mock_cognito"]``). Times come from the world's
clock, so tests move time with ``clock.advance``.
"""
from __future__ import annotations

import collections
import secrets
import threading
from dataclasses import dataclass, field
from typing import Any

from world_common.ids import uuid4

from . import refresh_token

# docs/fidelity/cognito-tokens.md#cognito-tokens-lifetimes: "auth code 5 min single-use"; "managed-login session cookie 1 h".
CODE_LIFETIME = 300
SESSION_LIFETIME = 3600
# docs/fidelity/cognito-federation.md#cognito-federation-sp-initiated-session-timeout: 5 minutes.
SAML_REQUEST_LIFETIME = 300
PRUNE_AT = 10_000
# Assertion IDs are remembered for a day (assertions live minutes; how long Cognito remembers
# them is unconfirmed: docs/fidelity/cognito-federation.md#cognito-federation-replay-protection).
ASSERTION_ID_MEMORY = 86400


@dataclass
class Grant:
    """What a code or a refresh token stands for."""
    pool_id: str
    client_id: str
    username: str
    scopes: list[str]
    auth_time: int
    nonce: str | None = None
    redirect_uri: str | None = None
    code_challenge: str | None = None
    origin_jti: str = field(default_factory=uuid4)
    event_id: str = field(default_factory=uuid4)
    issued: float = 0.0
    provider: str | None = None
    custom: Any = None   # a pre token generation trigger's changes (triggers.pre_token.Customization)


@dataclass
class SamlRequest:
    """An AuthnRequest Cognito sent (SP-initiated), keyed by its opaque RelayState."""
    id: str
    relay_state: str
    provider: str
    auth_request: Any
    started: float
    acs_url: str


@dataclass
class Session:
    """The managed-login session cookie (``cognito`` cookie, docs/fidelity/cognito-tokens.md#cognito-tokens-lifetimes)."""
    id: str
    pool_id: str
    username: str
    provider: str
    started: float
    name_id: str | None = None
    session_index: str | None = None
    logout_request_id: str | None = None
    logout_uri: str | None = None


class Store:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.codes: dict[str, Grant] = {}
        self.refresh_tokens: dict[str, Grant] = {}
        self.revoked_origins: set[str] = set()
        self.user_origins: dict[tuple[str, str], set[str]] = {}
        self.saml_requests: dict[str, SamlRequest] = {}
        self.assertion_ids: dict[tuple[str, str], float] = {}
        self._assertion_order: collections.deque[tuple[float, tuple[str, str]]] = collections.deque()
        self.sessions: dict[str, Session] = {}
        self.challenges: dict[str, tuple[str, str, float]] = {}

    # ---- authorization codes: single use, 5 minutes ------------------------------------------
    def new_code(self, grant: Grant, now: float) -> str:
        code = uuid4()   # docs/fidelity/cognito-tokens.md#cognito-tokens-success-redirect: code=<uuid-like>
        grant.issued = now
        with self._lock:
            if len(self.codes) > PRUNE_AT:
                self.codes = {k: g for k, g in self.codes.items() if now - g.issued <= CODE_LIFETIME}
            self.codes[code] = grant
        return code

    def take_code(self, code: str, now: float) -> Grant | None:
        with self._lock:
            grant = self.codes.pop(code, None)
        if grant is None or now - grant.issued > CODE_LIFETIME:
            return None
        return grant

    # ---- refresh tokens -----------------------------------------------------------------------
    def new_refresh_token(self, grant: Grant, now: float) -> str:
        # Cognito's refresh tokens are encrypted JWTs, opaque to clients
        # (docs/fidelity/cognito-triggers.md#cognito-triggers-refresh-token-shape).
        token = refresh_token.encrypt(grant.pool_id, {"jti": uuid4(), "origin_jti": grant.origin_jti})
        grant.issued = now
        with self._lock:
            self.refresh_tokens[token] = grant
        return token

    def refresh_grant(self, token: str) -> Grant | None:
        with self._lock:
            grant = self.refresh_tokens.get(token)
        if grant is None or self.is_revoked(grant.origin_jti):
            return None
        return grant

    def issued(self, grant: Grant) -> None:
        """Remember that tokens of ``grant`` exist, so a global sign-out can revoke them."""
        with self._lock:
            self.user_origins.setdefault((grant.pool_id, grant.username), set()).add(grant.origin_jti)

    def global_sign_out(self, pool_id: str, username: str) -> int:
        """AdminUserGlobalSignOut / GlobalSignOut: every refresh token and access token issued to
        the user so far stops working (docs/fidelity/cognito-triggers.md#cognito-triggers-global-sign-out).
        Returns how many sign-ins were revoked."""
        with self._lock:
            origins = self.user_origins.pop((pool_id, username), set())
            self.revoked_origins |= origins
            self.refresh_tokens = {t: g for t, g in self.refresh_tokens.items()
                                   if not (g.pool_id == pool_id and g.username == username)}
        return len(origins)

    def revoke(self, token: str) -> Grant | None:
        """docs/fidelity/cognito-tokens.md#cognito-tokens-oauth2-revoke: the refresh token and the access tokens derived from it."""
        with self._lock:
            grant = self.refresh_tokens.pop(token, None)
            if grant is not None:
                self.revoked_origins.add(grant.origin_jti)
        return grant

    def is_revoked(self, origin_jti: str | None) -> bool:
        return origin_jti in self.revoked_origins

    # ---- SAML requests in flight and replay cache -----------------------------------------------
    def add_saml_request(self, request: SamlRequest) -> None:
        with self._lock:
            if len(self.saml_requests) > PRUNE_AT:   # keep late arrivals a while: "Something went wrong"
                self.saml_requests = {k: r for k, r in self.saml_requests.items()
                                      if request.started - r.started <= 12 * SAML_REQUEST_LIFETIME}
            self.saml_requests[request.relay_state] = request

    def take_saml_request(self, relay_state: str) -> SamlRequest | None:
        with self._lock:
            return self.saml_requests.pop(relay_state, None)

    def seen_assertion(self, pool_id: str, assertion_id: str, now: float) -> bool:
        """True when the ID was seen before (docs/fidelity/cognito-federation.md#cognito-federation-replay-protection); records it."""
        key = (pool_id, assertion_id)
        with self._lock:
            if key in self.assertion_ids:
                return True
            # IDs older than ASSERTION_ID_MEMORY are forgotten, oldest first, a few at a time: the
            # IDs in the order they came. (The whole dict was rebuilt at every sign-in once it held
            # 10,000 IDs of the last day: the ACS went from ~0.7 to ~2.5 ms of CPU after 10,000
            # sign-ins, measured with benchmarks/throughput.py runs one after another.)
            order = self._assertion_order
            while order and now - order[0][0] > ASSERTION_ID_MEMORY:
                self.assertion_ids.pop(order.popleft()[1], None)
            self.assertion_ids[key] = now
            order.append((now, key))
            return False

    # ---- new-password challenges of the managed login (FORCE_CHANGE_PASSWORD) --------------------
    def new_challenge(self, pool_id: str, username: str, now: float) -> str:
        challenge = secrets.token_urlsafe(32)
        with self._lock:
            self.challenges[challenge] = (pool_id, username, now)
        return challenge

    def take_challenge(self, challenge: str, now: float) -> tuple[str, str] | None:
        """(pool id, username) of a challenge under 3 minutes old (AuthSessionValidity's default)."""
        with self._lock:
            found = self.challenges.pop(challenge or "", None)
        if found is None or now - found[2] > 180:
            return None
        return found[0], found[1]

    # ---- managed-login sessions -------------------------------------------------------------
    def new_session(self, session: Session) -> None:
        with self._lock:
            self.sessions[session.id] = session

    def session(self, session_id: str | None, now: float) -> Session | None:
        with self._lock:
            found = self.sessions.get(session_id or "")
        if found is None or now - found.started > SESSION_LIFETIME:
            return None
        return found

    def end_session(self, session_id: str | None) -> Session | None:
        with self._lock:
            return self.sessions.pop(session_id or "", None)
