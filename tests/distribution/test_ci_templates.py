"""examples/ci/: each CI template's shell steps, run here in order, so the templates cannot rot.

Only what a hosted runner provides is skipped (GitHub's `uses:` actions: checkout, setup-python,
upload/download-artifact); every `run:` / `script:` line runs as written, in bash the way the
runner runs it, with the venv holding only the built wheel first on PATH. The templates' knobs
are set the way a user would: HARNESS_PACKAGE is the wheel, SCENARIOS `--engine http` (the
whole built-in library, played by the HTTP user agent to keep the suite fast), WORKERS 1,
HARNESS_CHROMIUM the system Chromium, PIP_NO_INDEX (the dependencies are installed already).
The shards' reports must be disjoint, their union the library, and the merged report must count
every case once. All shards run in one directory, which is where the artifact steps would have
put their reports.
"""
from __future__ import annotations

import json
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from harness.browser import chromium_executable

CI = Path(__file__).resolve().parents[2] / "examples" / "ci"


_LIBRARY_CASES = """
import json, os
from scenarios import runner, spec
print(json.dumps([[os.path.basename(f), c.name] for f in runner.library_files() for c in spec.load_file(f)]))
"""


@pytest.fixture
def ci_env(wheel_venv, tmp_path):
    library = wheel_venv.run("python", "-c", _LIBRARY_CASES, cwd=tmp_path)
    assert library.returncode == 0, library.stderr
    cases = sorted(tuple(c) for c in json.loads(library.stdout))
    overrides = {"HARNESS_PACKAGE": str(wheel_venv.wheel), "SCENARIOS": "--engine http", "WORKERS": "1",
                 "HARNESS_CHROMIUM": chromium_executable(), "PIP_NO_INDEX": "1"}
    return wheel_venv, overrides, cases


def _bash(script: str, env: dict, cwd: Path, what: str) -> None:
    done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, f"{what} failed ({done.returncode}):\n{script}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"


def _expand(value, matrix: dict, what: str) -> str:
    """``${{ matrix.NAME }}`` replaced; any other GitHub expression in a shell step fails the test
    (the templates keep their shell steps plain)."""
    text = str(value)
    for name, val in matrix.items():
        text = text.replace(f"${{{{ matrix.{name} }}}}", str(val))
    assert "${{" not in text, f"{what}: a GitHub expression left in a shell step: {text}"
    return text


def _cases(junit: Path) -> list[tuple[str, str]]:
    return [(c.get("classname"), c.get("name")) for c in ET.parse(junit).getroot().iter("testcase")]


def _check_reports(workdir: Path, shards: int, wanted: list[tuple[str, str]]) -> None:
    """Each shard ran a disjoint part, together the library, and the merge counts each case once."""
    parts = [_cases(workdir / f"report-{k}" / "junit.xml") for k in range(1, shards + 1)]
    assert all(parts) and sorted(sum(parts, [])) == wanted, [len(p) for p in parts]
    assert sorted(_cases(workdir / "report" / "junit.xml")) == wanted
    html = (workdir / "report" / "report.html").read_text()
    assert f"{len(wanted)} passed</b>, <b class='fail'>0 failed" in html


def test_github_actions_template(ci_env, tmp_path):
    venv, overrides, wanted = ci_env
    workflow = yaml.safe_load((CI / "github-actions.yml").read_text())
    skipped = []
    for job_name, job in workflow["jobs"].items():        # `report` needs `scenarios`: file order
        matrix = (job.get("strategy") or {}).get("matrix") or {}
        assert len(matrix) <= 1, "one matrix dimension is what this runner knows"
        combos = [{name: value} for name, values in matrix.items() for value in values] or [{}]
        for combo in combos:
            env = {k: _expand(v, combo, job_name) for k, v in {**workflow.get("env", {}), **job.get("env", {})}.items()}
            for step in job["steps"]:
                if "uses" in step:
                    skipped.append(step["uses"].split("@")[0])
                    continue
                step_env = {k: _expand(v, combo, job_name) for k, v in (step.get("env") or {}).items()}
                _bash(_expand(step["run"], combo, job_name), venv.env(**{**env, **step_env, **overrides}), tmp_path,
                      f"{job_name} {combo} {step.get('name')}")
    assert set(skipped) <= {"actions/checkout", "actions/setup-python", "actions/upload-artifact",
                            "actions/download-artifact"}, skipped
    _check_reports(tmp_path, 3, wanted)


def test_gitlab_ci_template(ci_env, tmp_path):
    venv, overrides, wanted = ci_env
    pipeline = yaml.safe_load((CI / "gitlab-ci.yml").read_text())
    variables = {k: str(v) for k, v in (pipeline.get("variables") or {}).items()}
    default = pipeline.get("default") or {}
    jobs = {name: job for name, job in pipeline.items() if isinstance(job, dict) and "script" in job}
    for stage in pipeline["stages"]:
        for name, job in jobs.items():
            if job.get("stage", "test") != stage:
                continue
            total = int(job.get("parallel", 1))
            for index in range(1, total + 1):
                env = {**variables, **{k: str(v) for k, v in (job.get("variables") or {}).items()}, **overrides}
                if "parallel" in job:
                    env.update(CI_NODE_INDEX=str(index), CI_NODE_TOTAL=str(total))
                lines = [*(job.get("before_script", default.get("before_script")) or []), *job["script"]]
                _bash("\n".join(lines), venv.env(**env), tmp_path, f"{name} {index}/{total}")
    _check_reports(tmp_path, 3, wanted)


def test_plain_script_template(ci_env, tmp_path):
    venv, overrides, wanted = ci_env
    script = CI / "run-shards.sh"
    for k in (1, 2, 3):
        _bash(f"{script} shard {k} 3 $SCENARIOS", venv.env(**overrides), tmp_path, f"shard {k}/3")
    _bash(f"{script} merge", venv.env(**overrides), tmp_path, "merge")
    _check_reports(tmp_path, 3, wanted)
    usage = subprocess.run([str(script)], cwd=tmp_path, env=venv.env(**overrides), capture_output=True, text=True,
                           timeout=60)
    assert usage.returncode == 2 and re.search(r"usage: .*run-shards\.sh shard K N", usage.stderr)
