"""Identity Engine endpoints over HTTP on the default world (docs/fidelity/okta-mfa-idx.md#okta-mfa-idx-engine,
#okta-mfa-idx-device-grant, #okta-mfa-idx-web-sso-token, #okta-mfa-idx-discovery-grants): the org says
"idx"; the gimme-aws-creds native app gets a device code, the user approves it by signing in at
/activate, the tokens become a web SSO token for the AWS app, and /login/token/sso yields its
SAMLResponse."""
from __future__ import annotations

import re

import jwt
import pytest
from bs4 import BeautifulSoup

NATIVE = "gimme-aws-creds"
DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"


def org(w):
    return w.world.okta.org_url


def native_client_id(w):
    return w.world.okta_app(NATIVE).oidc.client_id


def start_device(w, scope="openid okta.apps.sso"):
    r = w.http.post(org(w) + "/oauth2/v1/device/authorize", data={"client_id": native_client_id(w), "scope": scope})
    assert r.status_code == 200, r.text
    return r.json()


def poll(w, device_code):
    return w.http.post(org(w) + "/oauth2/v1/token", data={"client_id": native_client_id(w), "device_code": device_code,
                                                          "grant_type": DEVICE_GRANT})


def approve(w, verification_uri_complete, login="alice@example.com", password="Alice-Passw0rd"):
    """The user opens the link, lands on Okta's sign-in page, signs in, and is sent back."""
    page = w.http.get(verification_uri_complete)
    assert "okta-signin-username" in page.text, page.text[:300]
    action = re.search(r'action="([^"]+)"', page.text).group(1).replace("&amp;", "&")
    done = w.http.post(org(w) + action, data={"username": login, "password": password})
    assert "Device activated" in done.text, done.text[:500]


def test_org_metadata_says_identity_engine(w):
    assert w.http.get(org(w) + "/.well-known/okta-organization").json()["pipeline"] == "idx"


def test_discovery_lists_the_grants_the_org_serves(w):
    doc = w.http.get(org(w) + "/.well-known/openid-configuration").json()
    assert doc["grant_types_supported"] == ["authorization_code", "refresh_token", DEVICE_GRANT,
                                            "urn:ietf:params:oauth:grant-type:token-exchange"]
    assert doc["device_authorization_endpoint"] == org(w) + "/oauth2/v1/device/authorize"


def test_device_grant_then_web_sso_token_then_saml(w):
    started = start_device(w)
    assert set(started) == {"device_code", "user_code", "verification_uri", "verification_uri_complete",
                            "expires_in", "interval"}
    assert started["verification_uri"] == org(w) + "/activate" and re.fullmatch(r"[A-Z]{8}", started["user_code"])
    pending = poll(w, started["device_code"])
    assert pending.status_code == 400 and pending.json() == {
        "error": "authorization_pending", "error_description": "The device authorization is pending. Please try again later."}
    approve(w, started["verification_uri_complete"])
    tokens = poll(w, started["device_code"]).json()
    assert jwt.decode(tokens["access_token"], options={"verify_signature": False})["sub"] == "alice@example.com"
    assert tokens["scope"] == "openid okta.apps.sso" and tokens["id_token"]
    # single use
    assert poll(w, started["device_code"]).json()["error"] == "invalid_grant"
    aws_app = w.world.okta_app("AWS Account Federation")
    exchange = w.http.post(org(w) + "/oauth2/v1/token", data={
        "actor_token": tokens["access_token"], "actor_token_type": "urn:ietf:params:oauth:token-type:access_token",
        "client_id": native_client_id(w), "audience": f"urn:okta:apps:{aws_app.id}",
        "grant_type": "urn:ietf:params:oauth:grant-type:token-exchange",
        "requested_token_type": "urn:okta:oauth:token-type:web_sso_token",
        "subject_token": tokens["id_token"], "subject_token_type": "urn:ietf:params:oauth:token-type:id_token"})
    assert exchange.status_code == 200, exchange.text
    body = exchange.json()
    assert body["issued_token_type"] == "urn:okta:oauth:token-type:web_sso_token"
    w.http.cookies.clear()
    sso = w.http.get(org(w) + "/login/token/sso", params={"token": body["access_token"]})
    form = BeautifulSoup(sso.text, "html.parser").find("form")
    assert form["action"] == "https://signin.aws.amazon.com/saml" and form.find("input", {"name": "SAMLResponse"})
    # the web SSO token is one-time
    w.http.cookies.clear()
    again = w.http.get(org(w) + "/login/token/sso", params={"token": body["access_token"]})
    assert again.status_code == 400 and "SAMLResponse" not in again.text


def test_a_web_app_cannot_start_a_device_flow(w):
    client_id = w.world.okta_app("Cognito OIDC").oidc.client_id
    r = w.http.post(org(w) + "/oauth2/v1/device/authorize", data={"client_id": client_id, "scope": "openid"})
    assert r.status_code == 400 and r.json()["error"] == "unauthorized_client"


@pytest.mark.world("worlds/mfa.yaml")
def test_a_classic_org_says_v1(world):
    assert world.http.get(world.world.okta.org_url + "/.well-known/okta-organization").json()["pipeline"] == "v1"
