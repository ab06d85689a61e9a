"""Per-app sign-on policy (docs/fidelity/okta-mfa-idx.md#okta-mfa-idx-signon-policy): the org lets
tess in with her password; the Payroll app's rule (factor_mode 2FA) asks for her factor before
Okta sends its SAML response; the Wiki app does not; a password-only sessionToken on the embed
link is asked too."""
from __future__ import annotations

import html
import re

import pyotp
import pytest

pytestmark = pytest.mark.world("worlds/app_mfa.yaml")


class Authenticator(pyotp.TOTP):
    min_secret_length_bits = 80


def code(world):
    return Authenticator("JBSWY3DPEHPK3PXP").at(world.clock.time())


def form_action(page):
    return html.unescape(re.search(r'<form[^>]*action="([^"]+)"', page.text).group(1))


def sign_in(world, app_label):
    world.http.cookies.clear()
    app = world.world.okta_app(app_label)
    page = world.http.get(app.embed_link)
    assert "okta-signin-username" in page.text
    org = world.world.okta.org_url
    return world.http.post(org + form_action(page), data={"username": "tess@example.com", "password": "Passw0rd-1"})


def test_the_app_rule_asks_for_the_factor_then_sends_the_assertion(world):
    page = sign_in(world, "Payroll")
    assert "/login/step-up" in page.url and 'name="answer"' in page.text and "SAMLResponse" not in page.text
    wrong = world.http.post(world.world.okta.org_url + form_action(page),
                            data={"stateToken": re.search(r'name="stateToken" value="([^"]+)"', page.text).group(1),
                                  "answer": "000000" if code(world) != "000000" else "111111"})
    assert "Invalid Passcode/Answer" in wrong.text
    done = world.http.post(world.world.okta.org_url + form_action(wrong),
                           data={"stateToken": re.search(r'name="stateToken" value="([^"]+)"', wrong.text).group(1),
                                 "answer": code(world)})
    assert 'name="SAMLResponse"' in done.text and "payroll.example.com" in html.unescape(done.text)
    world.http.cookies.clear()


def test_an_app_without_a_rule_needs_only_the_password(world):
    page = sign_in(world, "Wiki")
    assert 'name="SAMLResponse"' in page.text
    world.http.cookies.clear()


def test_a_password_only_session_token_is_asked_for_the_factor(world):
    org = world.world.okta.org_url
    world.http.cookies.clear()
    primary = world.http.post(org + "/api/v1/authn", json={"username": "tess@example.com", "password": "Passw0rd-1"})
    token = primary.json()["sessionToken"]          # the org needs no MFA: password only
    payroll = world.world.okta_app("Payroll")
    stepped = world.http.get(payroll.embed_link, params={"sessionToken": token})
    assert "/login/step-up" in stepped.url and 'name="answer"' in stepped.text
    world.http.cookies.clear()
