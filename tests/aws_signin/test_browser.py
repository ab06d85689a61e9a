"""The whole AWS console sign-in in the system Chromium, default world: Okta embed link ->
Okta sign-in -> auto-post to https://signin.aws.amazon.com/saml -> role picker (alice) or
straight on (bob) -> console stand-in with the assumed-role ARN; mallory gets Okta's 403."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

ACCOUNT = "123456789012"


def aws_app(world):
    return next(a for a in world.world.okta.apps if a.sign_on_mode == "AWS")


def sign_in(page, login, password):
    page.fill("#okta-sign-in input#okta-signin-username", login)
    page.fill("#okta-sign-in input#okta-signin-password", password)
    page.click("input#okta-signin-submit")


@pytest.fixture
def signin_page(world):
    aws = world.world.aws
    before = aws.signin_page
    yield lambda kind: setattr(aws, "signin_page", kind)
    aws.signin_page = before


@pytest.mark.parametrize("kind", ["current", "legacy"])
@pytest.mark.parametrize("role", ["admin", "readonly"])
def test_alice_picks_a_role_and_lands_on_the_console(world, page, signin_page, kind, role):
    signin_page(kind)
    page.goto(aws_app(world).embed_link)
    sign_in(page, "alice@example.com", "Alice-Passw0rd")
    arn = f"arn:aws:iam::{ACCOUNT}:role/{role}"
    if kind == "legacy":
        page.wait_for_selector("input[name=roleIndex]")
        assert page.url == "https://signin.aws.amazon.com/saml"
        page.check(f"input[name=roleIndex][value='{arn}']")
        page.click("button[type=submit]")
    else:   # the current page: each role is a link whose id is its ARN
        page.wait_for_selector('a[data-testid^="roleLink-"]')
        assert page.url == "https://signin.aws.amazon.com/saml"
        page.click(f'a[data-testid^="roleLink-"][id="{arn}"]')
    page.wait_for_selector("#assumed-role-arn")
    assert page.inner_text("#assumed-role-arn") == f"arn:aws:sts::{ACCOUNT}:assumed-role/{role}/alice@example.com"
    assert page.inner_text("#session-name") == "alice@example.com"
    assert page.inner_text("#expiration").endswith("Z")


def test_bob_with_one_role_skips_the_picker(world, page):
    page.goto(aws_app(world).embed_link)
    sign_in(page, "bob@example.com", "Bob-Passw0rd")
    page.wait_for_selector("#assumed-role-arn")
    assert page.inner_text("#assumed-role-arn") == f"arn:aws:sts::{ACCOUNT}:assumed-role/readonly/bob@example.com"
    assert page.inner_text("#session-name") == "bob@example.com"


def test_mallory_is_not_assigned_and_gets_oktas_403(world, page):
    page.goto(aws_app(world).embed_link)
    sign_in(page, "mallory@example.com", "Mallory-Passw0rd")
    page.wait_for_load_state()
    body = page.inner_text("body")
    assert "because you are not assigned this app in Okta" in body
    assert "signin.aws.amazon.com" not in page.url
