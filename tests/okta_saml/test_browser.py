"""A person's sign-in in the system Chromium: embed link -> Okta sign-in page -> auto-post
form -> the SP's ACS (intercepted, since the SP is not part of the world)."""
import base64
import urllib.parse

import pytest
from lxml import etree

from .saml_tools import NS, SETTINGS_WORLD

pytestmark = [pytest.mark.world(SETTINGS_WORLD), pytest.mark.browser]


def capture_acs(page, url_glob):
    posted = {}

    def handle(route):
        posted.update(urllib.parse.parse_qs(route.request.post_data or ""))
        route.fulfill(status=200, content_type="text/html", body="<html><body id='sp'>SP got it</body></html>")

    page.route(url_glob, handle)
    return posted


def sign_in(page, password):
    page.fill("#okta-sign-in input#okta-signin-username", "alice@example.com")
    page.fill("#okta-sign-in input#okta-signin-password", password)
    page.click("input#okta-signin-submit")


def test_person_signs_in_and_the_form_posts_itself(world, page):
    app = world.world.okta_app("Plain SP")
    posted = capture_acs(page, "https://sp.example.com/**")
    page.goto(app.embed_link)
    sign_in(page, "wrong-password")
    assert page.inner_text(".o-form-error-container") == "Sign in failed!"
    sign_in(page, "Alice-Passw0rd")
    page.wait_for_selector("#sp")
    assert posted["RelayState"] == ["https://sp.example.com/welcome"]
    root = etree.fromstring(base64.b64decode(posted["SAMLResponse"][0]))
    assert root.findtext(".//saml2:NameID", namespaces=NS) == "alice@example.com"


def test_form_works_without_javascript(world, browser):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.set_default_timeout(15000)
        posted = capture_acs(page, "https://sp.example.com/**")
        page.goto(world.world.okta_app("Plain SP").embed_link)
        sign_in(page, "Alice-Passw0rd")
        page.wait_for_selector("form#appForm")
        assert not posted
        page.click("#appFormContinue")      # the <noscript> button
        page.wait_for_selector("#sp")
        assert posted["SAMLResponse"]
    finally:
        context.close()
