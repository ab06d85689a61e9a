"""A deliberately broken mapping in a copy of the default world: the Okta attribute statement is
named ``email`` while the Cognito mapping reads the claims URI (docs/fidelity/errors.md#errors-required-pool-attribute-not-sent-or). The
failure names both sides, and the HTML report marks the broken link; the report is opened in
Chromium and a screenshot of the marked cell is checked."""
from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import textwrap

import pytest

from harness import report

EMAIL_URI = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"
BROKEN = """
cases:
  - name: Okta statement renamed to email
    flow: saml-idp-initiated
    user: alice@example.com
    world:
      set:
        "okta.apps[label=Cognito SAML].saml.attribute_statements[0].name": email
"""


@pytest.fixture(scope="module")
def broken(run_cases):
    (result,) = run_cases(BROKEN)
    return result


def test_failure_names_the_okta_statement_and_the_cognito_mapping_entry(broken):
    assert broken["status"] == "failed"
    message = broken["message"]
    assert "Okta attribute statement 'email' = user.email" in message
    assert "okta.apps[label=Cognito SAML].saml.attribute_statements[0]" in message
    assert f"Cognito AttributeMapping entry 'email \u2190 {EMAIL_URI}'" in message
    assert "aws.UserPools[PoolName=acme-users].IdentityProviders[ProviderName=Okta].AttributeMapping.email" in message
    # the decoded AttributeStatement of the assertion is shown beside it
    assert 'Name="email"' in message and "alice@example.com" in message
    row = next(r for r in broken["mapping"]["rows"] if r["pool_attribute"] == "email")
    assert row["broken"] == "statement" and row["suspect"]["name"] == "email"
    assert broken["screenshot"] and os.path.getsize(broken["screenshot"]) > 0


def test_the_unbroken_world_has_no_broken_link(run_cases):
    (result,) = run_cases(BROKEN.replace("email\n", f"{EMAIL_URI}\n"), name="unbroken.yaml")
    rows = {r["pool_attribute"]: r for r in result["mapping"]["rows"]}
    assert rows["email"]["broken"] is None
    assert rows["email"]["sent"] == ["alice@example.com"]
    assert rows["given_name"]["sent"] == ["Alice"] and rows["given_name"]["okta_profile"] == "Alice"


def test_report_renders_in_chromium_with_the_broken_link_marked(broken, tmp_path, page):
    path = report.write([broken], str(tmp_path / "report.html"))
    page.goto(f"file://{path}")
    assert page.locator("#summary").inner_text().startswith("0 passed, 1 failed")
    table = page.locator("table.mapping")
    assert table.is_visible()
    headers = table.locator("th").all_inner_texts()
    assert headers[:4] == ["Okta profile value", "Okta attribute statement", "SAML Attribute sent",
                           "Cognito AttributeMapping entry"]
    marked = table.locator("td.broken")
    assert marked.count() >= 1 and "broken link" in marked.first.inner_text()
    # the timeline shows the decoded SAMLResponse with its signature status
    assert page.locator("details.hop summary", has_text="SAMLResponse").count() >= 1
    # screenshot of the marked cell, checked in the browser: most of its pixels are the red mark
    shot = marked.first.screenshot()
    page.set_content(f"<img id=s src='data:image/png;base64,{base64.b64encode(shot).decode()}'>")
    page.wait_for_function("document.getElementById('s').complete")
    reddish = page.evaluate("""() => {
        const img = document.getElementById('s'); const c = document.createElement('canvas');
        c.width = img.naturalWidth; c.height = img.naturalHeight;
        const g = c.getContext('2d'); g.drawImage(img, 0, 0);
        const d = g.getImageData(0, 0, c.width, c.height).data; let red = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i] > 200 && d[i+1] < 235 && d[i+2] < 235 && d[i] - d[i+2] > 20) red++;
        return red / (d.length / 4);
    }""")
    assert reddish > 0.5


def test_harness_run_prints_the_summary_and_writes_junit_and_report(tmp_path):
    scenario = tmp_path / "broken.yaml"
    scenario.write_text(textwrap.dedent(BROKEN).lstrip(), encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "harness_cli", "run", str(scenario), "--report", str(tmp_path / "r")],
                         capture_output=True, text=True, timeout=180, cwd=str(tmp_path))
    assert out.returncode == 1, out.stderr
    lines = out.stdout.strip().splitlines()
    assert lines[-2] == "0 passed, 1 failed"
    assert lines[-1] == f"report: {tmp_path / 'r' / 'report.html'}"
    assert "expectation 'success' failed at hop" in out.stdout
    assert "Okta attribute statement 'email'" in out.stdout
    junit = (tmp_path / "r" / "junit.xml").read_text()
    assert 'failures="1"' in junit and "Okta statement renamed to email" in junit
    (result_file,) = os.listdir(tmp_path / "r" / "cases")
    result = json.loads((tmp_path / "r" / "cases" / result_file).read_text())
    assert result["playwright_trace"] and os.path.exists(result["playwright_trace"])
