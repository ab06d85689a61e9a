"""The sign-out step (issue 7 "sign out"): the app's sign-out through Cognito's /logout
(docs/fidelity/cognito-tokens.md#cognito-tokens-logout: client_id + a logout_uri from the client's LogoutURLs), optionally
Okta's too, then a new sign-in that shows which sessions ended."""
from __future__ import annotations

import textwrap

import pytest

from harness.world.errors import WorldError
from scenarios import spec

CASES = """
cases:
  - name: cognito sign-out
    flow: saml-sp-initiated
    user: alice@example.com
    sign_out: true
    expect:
      signed_out: {lands_on: "https://app.example.com/", prompt_none: login_required,
                   cognito_login: true, okta_password: false}
  - name: cognito sign-out expecting Okta's password
    flow: saml-sp-initiated
    user: alice@example.com
    sign_out: true
    expect:
      signed_out: {okta_password: true, prompt_none: signed_in}
  - name: sign-out everywhere
    flow: oidc
    user: bob@example.com
    sign_out_okta: true
    expect:
      id_token: {email: bob@example.com}
      signed_out: {okta_password: true}
  - name: unregistered logout_uri
    flow: saml-sp-initiated
    user: alice@example.com
    sign_out: true
    logout_uri: https://app.example.com/bye
    expect:
      signed_out: {lands_on: "https://app.example.com/bye"}
"""


def test_sign_out_ends_cognito_then_okta_sessions(run_cases):
    kept, wrong, everywhere, unregistered = run_cases(CASES)
    assert kept["status"] == "passed", kept["message"]
    info = kept["sign_out"]
    assert info["landed"] == "https://app.example.com/" and info["prompt_none"] == "login_required"
    assert info["next_pages"] == ["cognito-login", "app-claims"]      # Okta's session signed the user in
    logout = next(h for h in kept["hops"] if h["path"] == "/logout")
    assert logout["host"] == "myapp.auth.us-east-1.amazoncognito.com"
    assert logout["query"]["logout_uri"] == "https://app.example.com/" and logout["query"]["client_id"]
    assert logout["status"] == 302 and logout["location"] == "https://app.example.com/"
    # the same run judged with the wrong expectations fails, naming what happened
    assert wrong["status"] == "failed"
    assert "the next sign-in did not stop at Okta's sign-in page (pages: cognito-login -> app-claims)" \
        in wrong["message"]
    assert "prompt=none) after the sign-out gave 'login_required', expected 'signed_in'" in wrong["message"]
    assert "expectation 'signed_out' failed at hop" in wrong["message"]
    # sign_out_okta implies sign_out; Okta's dashboard Sign Out ends its session
    assert everywhere["status"] == "passed", everywhere["message"]
    assert everywhere["sign_out"]["okta_signed_out"] is True
    assert everywhere["sign_out"]["next_pages"] == ["cognito-login", "okta-signin", "app-claims"]
    # a logout_uri the client does not list: Cognito's page, and the case stops there
    assert unregistered["status"] == "failed"
    assert unregistered["final_url"].startswith("https://myapp.auth.us-east-1.amazoncognito.com/logout?")
    assert "after /logout the browser is on https://myapp.auth.us-east-1.amazoncognito.com/logout?" \
        in unregistered["message"]
    assert unregistered["sign_out"]["next_pages"] == []


def _load(tmp_path, text):
    path = tmp_path / "cases.yaml"
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    with pytest.raises(WorldError) as info:
        spec.load_file(str(path))
    return [(e.line, e.field, e.message) for e in getattr(info.value, "errors", [info.value])]


@pytest.mark.parametrize("case, line, field, message", [
    ("flow: aws-console\n  sign_out: true", 5, "cases[0].sign_out", "sign_out applies to flows through Cognito"),
    ("flow: oidc\n  logout_uri: https://app.example.com/", 5, "cases[0].logout_uri", "logout_uri needs sign_out"),
    ("flow: oidc\n  expect:\n    signed_out: {okta_password: true}", 6, "cases[0].expect.signed_out",
     "signed_out expectations need sign_out: true"),
    ("flow: oidc\n  sign_out: yes please", 5, "cases[0].sign_out", "expected"),
])
def test_bad_sign_out_options_name_line_and_field(tmp_path, case, line, field, message):
    text = "cases:\n- name: c\n  user: alice@example.com\n  " + case + "\n"
    (error,) = _load(tmp_path, text)
    assert error[:2] == (line, field)
    assert message in error[2]
