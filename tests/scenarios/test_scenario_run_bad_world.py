"""`harness run --world BROKEN.yaml` is bad input: exit 2 naming file, line and field, no case run."""
from __future__ import annotations

import pathlib
import subprocess
import sys

LIBRARY = pathlib.Path(__file__).resolve().parents[2] / "scenarios" / "library" / "01_saml_cognito.yaml"


def test_broken_world_file_exits_2_before_any_case(tmp_path):
    world = tmp_path / "broken.yaml"
    world.write_text("okta:\n  apps:\n    - label: A\n      sign_on_mode: SAML_2_0\n"
                     "      saml: {audience: '${user_pool:nope.sp_entity_id}'}\n")
    result = subprocess.run([sys.executable, "-m", "harness_cli", "run", str(LIBRARY), "--world", str(world),
                             "--report", str(tmp_path / "report")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert f"{world}:5: okta.apps[0].saml.audience" in result.stderr
    assert "Traceback" not in result.stderr and "passed" not in result.stdout
