"""What the OpenID Provider remembers between requests: authorization codes, refresh tokens,
revoked access tokens. In memory, per org app; expiry is read from the world's clock.

Codes are single use and live 300 s (docs/fidelity/okta-oidc-api.md#okta-oidc-api-authorize-success); refresh tokens live
90 days (docs/fidelity/okta-oidc-api.md#okta-oidc-api-lifetimes).
"""
from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field


@dataclass
class Grant:
    """What the user authorized for one client at one server."""

    server_key: str
    client_id: str
    user_id: str
    scopes: list[str]
    auth_time: int
    amr: list[str] = field(default_factory=lambda: ["pwd"])
    session_id: str | None = None


@dataclass
class AuthorizationCode:
    value: str
    grant: Grant
    redirect_uri: str
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    expires_at: float
    used: bool = False


@dataclass
class RefreshToken:
    value: str
    grant: Grant
    expires_at: float
    revoked: bool = False


def opaque_token() -> str:
    # Okta's codes and refresh tokens are opaque base64url strings; their length is unconfirmed.
    return secrets.token_urlsafe(32)


class Store:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.codes: dict[str, AuthorizationCode] = {}
        self.refresh_tokens: dict[str, RefreshToken] = {}
        self.revoked_jtis: set[str] = set()

    def add_code(self, code: AuthorizationCode) -> None:
        with self._lock:
            self.codes[code.value] = code

    def redeem_code(self, value: str, now: float) -> AuthorizationCode | None:
        """The code if it exists, is unexpired and unused, marking it used; else None."""
        with self._lock:
            code = self.codes.get(value or "")
            if code is None or code.used or now >= code.expires_at:
                return None
            code.used = True
            return code

    def add_refresh_token(self, token: RefreshToken) -> None:
        with self._lock:
            self.refresh_tokens[token.value] = token

    def refresh_token(self, value: str, now: float) -> RefreshToken | None:
        token = self.refresh_tokens.get(value or "")
        if token is None or token.revoked or now >= token.expires_at:
            return None
        return token

    def revoke_refresh_token(self, value: str) -> bool:
        with self._lock:
            token = self.refresh_tokens.get(value or "")
            if token is None:
                return False
            token.revoked = True
            return True

    def revoke_jti(self, jti: str) -> None:
        with self._lock:
            self.revoked_jtis.add(jti)

    def is_revoked(self, jti: str) -> bool:
        return jti in self.revoked_jtis
