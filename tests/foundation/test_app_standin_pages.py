"""The app stand-in's sign-in start and its answers to a bad callback (harness/app_standin)."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

APP = "https://app.example.com"


def test_login_sends_state_nonce_pkce_and_the_forwarded_parameters(world):
    client = world.world.client("acme-users", "web")
    response = world.http.get(f"{APP}/login", params={"client": "web", "identity_provider": "Okta", "lang": "fr"},
                              allow_redirects=False)
    assert response.status_code == 302
    target = urlsplit(response.headers["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == \
        "https://myapp.auth.us-east-1.amazoncognito.com/oauth2/authorize"
    query = {k: v[0] for k, v in parse_qs(target.query).items()}
    assert query["client_id"] == client.ClientId and query["redirect_uri"] == f"{APP}/callback"
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
    assert query["state"] and query["nonce"] and query["state"] != query["nonce"]
    assert query["identity_provider"] == "Okta" and "lang" not in query


def test_login_for_a_client_the_app_does_not_have_is_named(world):
    response = world.http.get(f"{APP}/login?client=nope", allow_redirects=False)
    assert response.status_code == 400 and 'data-error="unknown_client"' in response.text and "nope" in response.text


def test_a_callback_with_a_state_the_app_never_issued_is_refused(world):
    response = world.http.get(f"{APP}/callback?state=never-issued&code=abc", allow_redirects=False)
    assert response.status_code == 400 and 'data-error="invalid_state"' in response.text


def test_cognitos_error_is_shown_with_its_description(world):
    response = world.http.get(f"{APP}/callback", params={"error": "access_denied", "error_description": "No way"},
                              allow_redirects=False)
    assert response.status_code == 400
    assert '<p id="error" data-error="access_denied">No way</p>' in response.text


def test_headers_lists_the_oidc_headers_received_as_json(world):
    response = world.http.get(f"{APP}/headers", headers={"x-amzn-oidc-identity": "abc", "Accept": "application/json",
                                                          "x-other": "1"})
    assert response.json() == {"x-amzn-oidc-identity": "abc"}

