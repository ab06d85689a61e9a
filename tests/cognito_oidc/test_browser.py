"""The seed guides' OIDC configuration in a real browser (issue 5 "Done when"): Chromium opens
the app, which sends it to Cognito with identity_provider=OktaOIDC; Cognito sends it on to Okta
(docs/fidelity/cognito-federation.md#cognito-federation-authorization-request-to-idp); the user signs in at Okta's page; Cognito's
/oauth2/idpresponse exchanges Okta's code and the app shows Cognito's ID token claims."""
from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest

from .conftest import cognito_idp, federated_users

APP = "https://app.example.com"
OKTA_FORM = "#okta-signin-username"


def _okta_sign_in(page, login="alice@example.com", password="Alice-Passw0rd"):
    page.wait_for_selector(OKTA_FORM)
    assert urlsplit(page.url).hostname == "dev-123456.okta.com"
    page.fill(OKTA_FORM, login)
    page.fill("#okta-signin-password", password)
    page.click("#okta-signin-submit")


@pytest.fixture
def _clean_pool(world):
    yield
    pool = world.world.aws.UserPools[0]
    for name in federated_users(world, pool):
        cognito_idp(world).admin_delete_user(UserPoolId=pool.Id, Username=name)


@pytest.mark.browser
def test_browser_signs_in_through_okta_oidc(world, page, _clean_pool):
    page.goto(f"{APP}/login?client=web-oidc&identity_provider=OktaOIDC")
    _okta_sign_in(page)
    page.wait_for_selector("#claims, #error")
    assert page.locator("#error").count() == 0, page.locator("#error").inner_text()
    claims = json.loads(page.locator("#claims").inner_text())
    alice = next(u for u in world.world.okta.users if u.login == "alice@example.com")
    assert claims["cognito:username"] == f"OktaOIDC_{alice.id}"          # docs/fidelity/cognito-tokens.md#cognito-tokens-username
    assert (claims["email"], claims["given_name"], claims["family_name"]) == (
        "alice@example.com", "Alice", "Liddell")                          # the seed guide's mappings
    identities = claims["identities"]
    assert identities[0]["providerName"] == "OktaOIDC" and identities[0]["providerType"] == "OIDC"


@pytest.mark.browser
def test_browser_shows_bad_id_token_issuer(world, page, _clean_pool):
    """docs/fidelity/cognito-federation.md#cognito-federation-okta-oidc-issuer-choice / docs/fidelity/errors.md#errors-oidc-oidc-issuer-not-byte-equal, as the app receives it."""
    pool = world.world.aws.UserPools[0]
    org = world.world.okta.org_url
    idp = cognito_idp(world)
    before = idp.describe_identity_provider(UserPoolId=pool.Id, ProviderName="OktaOIDC")["IdentityProvider"]
    details = {k: v for k, v in before["ProviderDetails"].items() if k != "attributes_url_add_attributes"}
    mismatched = {**details, "authorize_url": f"{org}/oauth2/default/v1/authorize",
                  "token_url": f"{org}/oauth2/default/v1/token", "attributes_url": f"{org}/oauth2/default/v1/userinfo",
                  "jwks_uri": f"{org}/oauth2/default/v1/keys"}
    idp.update_identity_provider(UserPoolId=pool.Id, ProviderName="OktaOIDC", ProviderDetails=mismatched)
    try:
        page.goto(f"{APP}/login?client=web-oidc&identity_provider=OktaOIDC")
        _okta_sign_in(page)
        page.wait_for_selector("#claims, #error")
        error = page.locator("#error")
        assert error.get_attribute("data-error") == "invalid_request"
        assert error.inner_text() == f"Bad id_token issuer {org}/oauth2/default"
    finally:
        idp.update_identity_provider(UserPoolId=pool.Id, ProviderName="OktaOIDC", ProviderDetails=details)
    assert federated_users(world, pool) == []
