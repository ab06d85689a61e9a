"""`harness run --iac`: scenarios run on a world built from Terraform (plus the small world file)."""
from __future__ import annotations

import pathlib
import subprocess
import sys

EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / "examples" / "terraform"

CASE = """\
cases:
  - name: SP-initiated SAML sign-in on the Terraform world
    flow: saml-sp-initiated
    user: alice@example.com
    expect:
      audience: ${user_pool:acme-users.sp_entity_id}
      user_attributes: {email: alice@example.com}
"""


def test_harness_run_accepts_iac(tmp_path):
    scenario = tmp_path / "case.yaml"
    scenario.write_text(CASE)
    report = tmp_path / "report"
    result = subprocess.run(
        [sys.executable, "-m", "harness_cli", "run", str(scenario), "--iac", str(EXAMPLES / "working"),
         "--world", str(EXAMPLES / "users.yaml"), "--report", str(report)],
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "1 passed, 0 failed" in result.stdout
    world_file = (report / "world-from-iac.yaml").read_text()
    assert "PoolName: acme-users" in world_file
    assert (report / "report.html").exists()
