"""The hosted UI in the system Chromium, default world: the app's "Sign in" link, Cognito's
managed-login button (``button[data-provider=…]``, docs/fidelity/cognito-tokens.md#cognito-tokens-login), Okta's sign-in page,
the SAML POST back to Cognito, and the app's verified claims."""
from __future__ import annotations

import json

import pytest


@pytest.mark.browser
def test_browser_sign_in_through_the_managed_login_button(world, page):
    page.goto("https://app.example.com/")
    page.click('a[data-client="web"]')
    page.click('button[data-provider="Okta"]')
    page.wait_for_selector("#okta-signin-username")
    page.fill("#okta-signin-username", "bob@example.com")
    page.fill("#okta-signin-password", "Bob-Passw0rd")
    page.click("#okta-signin-submit")
    page.wait_for_selector("#claims, #error")
    assert page.locator("#error").count() == 0, page.locator("#error").inner_text()
    claims = json.loads(page.locator("#claims").inner_text())
    assert claims["cognito:username"] == "Okta_bob@example.com"
    assert claims["email"] == "bob@example.com"


@pytest.mark.browser
def test_browser_sees_cognitos_error_page_for_an_unknown_idp(world, page):
    page.goto("https://app.example.com/login?client=web&identity_provider=Google")
    assert "Login option is not available. Please try another one" in page.locator("#error-message").inner_text()
