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


def sign_in_through_login_page(http, response, login: str, password: str):
    """Follow a 302 to Okta's sign-in page, post the form as the browser would, and follow the
    redirect back to the ``fromURI``; returns the response from there (not followed further)."""
    assert response.status_code == 302, response.text[:500]
    login_url = response.headers["Location"]
    assert "/login/login.htm?fromURI=" in login_url
    org = response.url.split("/", 3)[:3]
    if login_url.startswith("/"):
        login_url = "/".join(org) + login_url
    assert http.get(login_url).status_code == 200
    posted = http.post(login_url, data={"username": login, "password": password}, allow_redirects=False)
    assert posted.status_code == 302, posted.text[:500]
    return http.get(posted.headers["Location"], allow_redirects=False)


def authorize_code(http, authorize_url: str, params: dict, login: str | None = None, password: str | None = None):
    """Run /authorize (signing in on the way if asked) and return the final 302 to the client."""
    response = http.get(authorize_url, params=params, allow_redirects=False)
    if login is not None and "/login/login.htm" in response.headers.get("Location", ""):
        response = sign_in_through_login_page(http, response, login, password)
    assert response.status_code == 302, response.text[:500]
    return response
