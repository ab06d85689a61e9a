"""Helpers for the Okta OpenID Provider tests (requests go over HTTP to a running world)."""
from __future__ import annotations

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlsplit

DEFAULT_ORG = "https://dev-123456.okta.com"
TEST_ORG = "https://oidc-test.okta.com"     # worlds/oidc.yaml


def oidc_app(world, label: str = "Cognito OIDC"):
    return next(a for a in world.world.okta.apps if a.label == label)


def query_of(url: str) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def fragment_of(url: str) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).fragment).items()}


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def authorize_params(app, **extra) -> dict:
    params = {"client_id": app.oidc.client_id, "redirect_uri": app.oidc.redirect_uris[0], "response_type": "code",
              "scope": "openid email profile", "state": "st-" + secrets.token_hex(4),
              "nonce": "n-" + secrets.token_hex(4)}
    params.update(extra)
    return {k: v for k, v in params.items() if v is not None}
