"""A real browser behind the ALB (issue 9 "Done when"): Chromium opens the app through the load
balancer, signs in at Okta via Cognito, and the app's page shows the three x-amzn-oidc-* headers;
x-amzn-oidc-data is then verified with the public-key URL the way the ALB guide documents."""
from __future__ import annotations

import json
from urllib.parse import urlsplit

import jwt
import pytest

ALB = "https://acme-alb-1234567890.us-east-1.elb.amazonaws.com"
OKTA_FORM = "#okta-signin-username"
# Cognito's hosted UI may stop at /login with a button for the SAML IdP (docs/fidelity/cognito-tokens.md#cognito-tokens-login).
COGNITO_IDP_BUTTON = "button[data-provider='Okta'], a[href*='identity_provider=Okta']"


@pytest.mark.browser
def test_browser_behind_the_alb_sees_the_three_headers(world, page):
    page.goto(f"{ALB}/headers")
    page.wait_for_selector(f"{OKTA_FORM}, {COGNITO_IDP_BUTTON}")
    if not page.locator(OKTA_FORM).count():
        page.locator(COGNITO_IDP_BUTTON).first.click()
        page.wait_for_selector(OKTA_FORM)
    assert urlsplit(page.url).hostname == "dev-123456.okta.com"
    page.fill(OKTA_FORM, "alice@example.com")
    page.fill("#okta-signin-password", "Alice-Passw0rd")
    page.click("#okta-signin-submit")
    page.wait_for_url(f"{ALB}/headers")
    shown = {name: page.locator(f"[id='{name}']").inner_text()
             for name in ("x-amzn-oidc-accesstoken", "x-amzn-oidc-identity", "x-amzn-oidc-data")}
    assert all(shown.values())

    lb = world.world.aws.LoadBalancers[0]
    header = json.loads(jwt.utils.base64url_decode(shown["x-amzn-oidc-data"].split(".")[0]))
    assert header["signer"] == lb.Arn
    pem = world.http.get(f"https://public-keys.auth.elb.us-east-1.amazonaws.com/{header['kid']}").text
    claims = jwt.decode(shown["x-amzn-oidc-data"], pem, algorithms=["ES256"])
    assert claims["sub"] == shown["x-amzn-oidc-identity"]
    assert claims["email"] == "alice@example.com"

    cookies = {c["name"]: c for c in page.context.cookies(ALB)}
    assert cookies["AWSELBAuthSessionCookie-0"]["secure"] is True
