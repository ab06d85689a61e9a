"""The default world: Cognito federated with mock_okta's SAML app, SP- and IdP-initiated, the app
stand-in signing in with the hosted UI (docs/fidelity/cognito-federation.md#cognito-federation-okta-saml-app-settings-reference, docs/fidelity/cognito-federation.md#cognito-federation-okta-saml-idp)."""
from __future__ import annotations

import html
import json
import re

import pytest
from cognito_helpers import CALLBACK, Cognito, callback_params
from okta_user import OktaUser


@pytest.fixture
def alice(world):
    user = OktaUser(world, "alice@example.com", "Alice-Passw0rd")
    yield user
    user.close()


@pytest.fixture
def acme(world):
    client = Cognito(world, "acme-users")
    yield client
    client.http.close()


def shown_claims(page) -> dict:
    match = re.search(r'<pre id="claims">(.*?)</pre>', page.text, re.S)
    assert match, page.text[:1000]
    return json.loads(html.unescape(match.group(1)))


def test_sp_initiated_through_okta_and_the_app_standin(world, alice):
    # The app stand-in verifies the ID token against the JWKS (iss, aud, token_use, exp, nonce).
    page = alice.follow(alice.get("https://app.example.com/login?client=web&identity_provider=Okta"))
    assert page.status_code == 200
    claims = shown_claims(page)
    pool = world.world.user_pool("acme-users")
    assert claims["cognito:username"] == "Okta_alice@example.com"     # NameID = email (user_name_template)
    assert claims["email"] == "alice@example.com" and claims["given_name"] == "Alice"
    assert claims["cognito:groups"] == [f"{pool.Id}_Okta"]
    assert claims["identities"][0]["issuer"] == world.world.okta_app("Cognito SAML").entity_id


def test_sp_initiated_tokens_verified_by_the_test(world, alice, acme):
    start = acme.authorize(identity_provider="Okta", nonce="nonce-1", scope="openid email")
    redirect = alice.follow(alice.get(start.headers["Location"]), stop_before=lambda url: url.startswith(CALLBACK))
    params = callback_params(redirect)
    tokens = acme.token(grant_type="authorization_code", code=params["code"], redirect_uri=CALLBACK).json()
    claims = acme.verify(tokens["id_token"], "id")
    assert claims["nonce"] == "nonce-1" and claims["email"] == "alice@example.com"
    access = acme.verify(tokens["access_token"], "access")
    assert access["username"] == "Okta_alice@example.com" and access["scope"] == "openid email"


def test_idp_initiated_from_the_okta_tile(world, alice):
    # docs/fidelity/cognito-federation.md#cognito-federation-okta-tile-click: IDPInit on and Okta's Default RelayState carrying
    # authorize-style parameters → code at the app's callback.
    app = world.world.okta_app("Cognito SAML")
    page = alice.follow(alice.get(app.embed_link))
    assert page.status_code == 200, page.text[:500]
    claims = shown_claims(page)
    assert claims["cognito:username"] == "Okta_alice@example.com"
    assert "nonce" not in claims


def test_the_app_standin_shows_cognitos_error(world, alice):
    page = alice.follow(alice.get("https://app.example.com/login?client=web&prompt=none"))
    assert '<p id="error" data-error="login_required">login_required</p>' in page.text


def test_the_app_standin_home_lists_a_sign_in_link_per_client(world):
    page = world.http.get("https://app.example.com/", timeout=10)
    assert 'data-client="web"' in page.text and 'data-client="web-oidc"' in page.text


def test_metadata_url_is_cached_for_six_hours(fresh_world):
    # docs/fidelity/cognito-federation.md#cognito-federation-metadata-url-cache: fetched from MetadataURL, cached "for up to six hours".
    acme = Cognito(fresh_world, "acme-users")
    metadata_url = fresh_world.world.okta_app("Cognito SAML").metadata_url

    def fetches() -> int:
        return sum(1 for e in fresh_world.trace.events() if e.url == metadata_url)

    try:
        for _ in range(3):
            assert acme.authorize(identity_provider="Okta").status_code == 302
        assert fetches() == 1
        fresh_world.clock.advance(6 * 3600 - 10)
        acme.authorize(identity_provider="Okta")
        assert fetches() == 1
        fresh_world.clock.advance(20)
        acme.authorize(identity_provider="Okta")
        assert fetches() == 2
    finally:
        acme.http.close()
