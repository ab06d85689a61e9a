"""Scenarios that start at another URL than the stand-in's /login (issue 9 "Scenarios can
target the user's app URL"): here the default world's ALB, whose target (the stand-in's
/headers page) shows the x-amzn-oidc-* headers it received (docs/fidelity/alb.md#alb-headers-to-targets)."""
from __future__ import annotations

import pytest

from harness.world.errors import WorldError
from scenarios import spec

ALB = "https://acme-alb-1234567890.us-east-1.elb.amazonaws.com"

CASES = f"""
cases:
  - name: through the ALB
    flow: saml-sp-initiated
    user: alice@example.com
    start_url: {ALB}/headers
    expect:
      page_contains: [Headers from the load balancer]
      headers: [x-amzn-oidc-accesstoken, x-amzn-oidc-identity, x-amzn-oidc-data]
      oidc_data: {{email: alice@example.com}}
  - name: through the ALB, wrong expectations
    flow: saml-sp-initiated
    user: alice@example.com
    start_url: {ALB}/headers
    expect:
      headers: [x-amzn-oidc-accesstoken, x-amzn-oidc-id-token]
      oidc_data: {{email: bob@example.com}}
      page_contains: Welcome
  - name: the ALB denies
    flow: saml-sp-initiated
    user: alice@example.com
    start_url: {ALB}/headers
    world:
      set:
        "aws.LoadBalancers[Name=acme-alb].AuthenticateCognitoConfig.OnUnauthenticatedRequest": deny
"""


def test_a_case_can_start_at_the_alb(run_cases):
    good, wrong, denied = run_cases(CASES)
    assert good["status"] == "passed", good["message"]
    assert good["pages"][0][0] == "cognito-login" and good["final_url"] == f"{ALB}/headers"
    first = good["hops"][0]
    assert (first["host"], first["path"], first["status"]) == (ALB[8:], "/headers", 302)
    assert any(h["host"] == ALB[8:] and h["path"] == "/oauth2/idpresponse" for h in good["hops"])

    assert wrong["status"] == "failed"
    assert "shows no value for ['x-amzn-oidc-id-token']" in wrong["message"]      # the ID token is never forwarded
    assert "email: expected 'bob@example.com', got 'alice@example.com'" in wrong["message"]
    assert "does not show ['Welcome']" in wrong["message"]
    assert "expectation 'success'" not in wrong["message"]

    # OnUnauthenticatedRequest deny: 401 on the ALB's host is not a success
    assert denied["status"] == "failed"
    assert "expectation 'success' failed" in denied["message"]
    assert "401 Authorization Required" in denied["message"]


@pytest.mark.parametrize("case, field, message", [
    ("flow: saml-idp-initiated\n  start_url: https://x.example/", "cases[0].start_url", "start_url applies to"),
    ("flow: oidc\n  start_url: ftp://x.example/", "cases[0].start_url", "must be an http:// or https:// URL"),
    ("flow: oidc\n  start_url: https://x.example/\n  via: idp_identifier", "cases[0].via", "with start_url"),
    ("flow: oidc\n  start_url: https://x.example/\n  sign_out: true\n  expect:\n    signed_out: {prompt_none: x}",
     "cases[0].expect.signed_out.prompt_none", "does not apply with start_url"),
])
def test_bad_start_url_options_name_the_field(tmp_path, case, field, message):
    path = tmp_path / "cases.yaml"
    path.write_text("cases:\n- name: c\n  user: alice@example.com\n  " + case + "\n", encoding="utf-8")
    with pytest.raises(WorldError) as info:
        spec.load_file(str(path))
    errors = getattr(info.value, "errors", [info.value])
    assert [e.field for e in errors] == [field]
    assert message in errors[0].message and errors[0].line and errors[0].file == str(path)
