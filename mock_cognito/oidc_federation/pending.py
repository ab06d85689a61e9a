"""Sign-ins on their way through the IdP, keyed by Cognito's own opaque ``state``.

docs/fidelity/cognito-federation.md#cognito-federation-authorization-request-to-idp: Cognito sends its own ``state`` and ``nonce``;
"5-minute cap": requests not completed within 5 minutes end in ``Something went wrong``.
A state is used once: a second /oauth2/idpresponse with it finds nothing.
"""
from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from typing import Any

# docs/fidelity/cognito-federation.md#cognito-federation-5-minute-cap [doc-2023] OIDC-FLOW; docs/fidelity/cognito-federation.md#cognito-federation-sp-initiated-session-timeout (5 min).
SIGN_IN_TIMEOUT = 300


@dataclass
class PendingSignIn:
    state: str
    nonce: str
    started: float
    pool: Any
    client: Any
    provider: Any
    auth_request: Any
    redirect_uri: str       # https://<domain>/oauth2/idpresponse as sent to the IdP


class PendingSignIns:
    def __init__(self) -> None:
        self._items: dict[str, PendingSignIn] = {}
        self._lock = threading.Lock()

    def begin(self, now: float, **fields) -> PendingSignIn:
        # Cognito's state is opaque and long (its exact shape is unconfirmed); the nonce is
        # Cognito-generated (docs/fidelity/cognito-federation.md#cognito-federation-nonce-handling).
        item = PendingSignIn(state=secrets.token_urlsafe(48), nonce=secrets.token_urlsafe(32), started=now,
                             **fields)
        with self._lock:
            self._prune(now)
            self._items[item.state] = item
        return item

    def take(self, state: str) -> PendingSignIn | None:
        """The sign-in for ``state``, removed so that it cannot be completed twice."""
        with self._lock:
            return self._items.pop(state, None)

    def _prune(self, now: float) -> None:
        # Keep expired entries for a while so a late return says "Something went wrong" rather
        # than "unknown state"; forget them after an hour.
        stale = [k for k, v in self._items.items() if now - v.started > 12 * SIGN_IN_TIMEOUT]
        for key in stale:
            del self._items[key]
