"""A case that meets an unexpected page fails on its own, with a screenshot and the last hop, and
the next case still runs; the driver's waits are bounded by the case's timeout."""
from __future__ import annotations

import os

from scenarios import browser_driver, driver

CASES = """
cases:
  - name: the AWS app posts to a page nobody expects
    flow: aws-console
    user: bob@example.com
    timeout: 15
    world:
      set:
        "okta.apps[label=AWS Account Federation].saml.sso_url": https://app.example.com/not-the-aws-sign-in
    expect:
      role_assumed: readonly
  - name: the next case still signs in
    flow: aws-console
    user: bob@example.com
    expect:
      roles_offered: [readonly]
      role_assumed: readonly
"""


def test_unexpected_page_fails_with_screenshot_and_last_hop_and_the_next_case_runs(run_cases):
    broken, good = run_cases(CASES)
    assert broken["status"] == "failed"
    assert "expectation 'role_assumed' failed" in broken["message"]
    assert "last hop: POST https://app.example.com/not-the-aws-sign-in" in broken["message"]
    assert broken["final_url"].startswith("https://app.example.com/not-the-aws-sign-in")
    assert broken["screenshot"] and os.path.getsize(broken["screenshot"]) > 1000
    assert good["status"] == "passed", good["message"]


def test_settle_gives_up_at_the_deadline(world, page):
    page.goto("https://app.example.com/")
    page.set_content("<form><input name=SAMLResponse value=x></form>")   # an auto-post page that never posts
    agent = browser_driver.BrowserAgent(page)
    assert agent.state().autopost
    deadline = driver.Deadline(0.3)
    try:
        agent.settle(deadline)
    except driver.DriverError as exc:
        assert "timed out after 0.3 s waiting for a page to settle" in str(exc)
    else:
        raise AssertionError("settle returned on a page that never settles")
