"""The browser engine reuses one page for every case of a world: each case must still start as
in a new browser, signed out everywhere, with no cookie, storage or cache of the case before."""
from __future__ import annotations

import pytest

from scenarios import driver, execute

pytestmark = pytest.mark.browser

SIGNED_IN_THEN_NOT = """
cases:
  - name: alice signs in at Okta and Cognito
    flow: saml-sp-initiated
    user: alice@example.com
    expect: {id_token: {email: alice@example.com}}
  - name: the next case is asked for the password again (a wrong one)
    flow: saml-idp-initiated
    user: alice@example.com
    password: not-hers
    expect:
      error: {at: okta, text: Sign in failed!}
  - name: and the one after meets Cognito's managed login, not Cognito's session
    flow: oidc
    user: bob@example.com
    expect: {id_token: {email: bob@example.com}}
"""


def test_a_case_after_a_signed_in_case_is_not_signed_in(run_cases):
    first, second, third = run_cases(SIGNED_IN_THEN_NOT)
    assert first["status"] == "passed", first["message"]
    assert second["status"] == "passed", second["message"]
    assert [k for k, _ in second["pages"]] == ["okta-signin", "okta-error"]
    assert third["status"] == "passed", third["message"]
    assert [k for k, _ in third["pages"]] == ["cognito-login", "okta-signin", "app-claims"]


_STORE = """() => {
  localStorage.setItem('k', 'v'); sessionStorage.setItem('k', 'v');
  document.cookie = 'js=1; path=/; Secure';
  return caches.open('c').then(c => c.put('/cached', new Response('x'))).then(() => true);
}"""
_READ = """() => caches.has('c').then(cached => ({local: localStorage.getItem('k'),
  session: sessionStorage.getItem('k'), cookie: document.cookie, cached}))"""


def test_cookies_storage_and_caches_are_cleared_between_cases(world, _harness_browser_pool):
    browsers = execute.Browsers()
    try:
        agent = browsers.session(world, record_trace=False)
        page = agent.page
        agent.goto("https://app.example.com/", driver.Deadline(15))
        page.evaluate(_STORE)
        assert page.evaluate(_READ) == {"local": "v", "session": "v", "cookie": "js=1", "cached": True}
        browsers.release(record_trace=False)
        agent = browsers.session(world, record_trace=False)
        assert agent.page is page                       # the same page, reused
        assert page.url == "about:blank"
        agent.goto("https://app.example.com/", driver.Deadline(15))
        assert page.evaluate(_READ) == {"local": None, "session": None, "cookie": "", "cached": False}
        assert page.context.cookies() == []
    finally:
        browsers.close()
