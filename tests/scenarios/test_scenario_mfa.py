"""The factor step of Okta's sign-in page in scenarios, with both engines
(docs/fidelity/okta-mfa-idx.md#okta-mfa-idx-sign-in-page): carol (Google Authenticator; the default
world's sign-on policy asks her for MFA) answers with the current code of her factor and reaches
the AWS console; a wrong code stops at Okta's page with E0000068's text "Invalid Passcode/Answer".
(The wrong-code case lives here rather than in the library: it is the user's mistake, not a setting
``harness explain`` could name.)"""
from __future__ import annotations

import pytest

CASES = """
cases:
  - name: carol answers her TOTP factor
    flow: aws-console
    user: carol@example.com
    role: admin
    expect:
      role_assumed: admin
  - name: a wrong TOTP code shows Okta's message
    flow: aws-console
    user: carol@example.com
    mfa_code: "{wrong}"
    expect:
      error: {{at: okta, text: Invalid Passcode/Answer}}
"""


@pytest.mark.parametrize("engine", ["browser", "http"])
def test_totp_in_the_sign_in_page(engine, request):
    run = request.getfixturevalue("run_cases" if engine == "browser" else "run_cases_http")
    # "000000" is carol's code once in a million 30-second steps; "000001" is then wrong
    right, wrong = run(CASES.format(wrong="000000"), name=f"mfa-{engine}.yaml")
    if right["status"] == "passed" and wrong["status"] != "passed":
        right, wrong = run(CASES.format(wrong="000001"), name=f"mfa-{engine}-2.yaml")
    assert right["status"] == "passed", right["message"]
    assert [kind for kind, _ in right["pages"]] == ["okta-signin", "okta-mfa", "aws-roles", "aws-page"]
    assert wrong["status"] == "passed", wrong["message"]
    assert [kind for kind, _ in wrong["pages"]] == ["okta-signin", "okta-mfa", "okta-error"]
