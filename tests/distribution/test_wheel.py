"""The package as a user installs it: `python -m build`, then a venv with only the wheel runs
`harness demo`, `diagnose`, the pytest plugin and the world as a service, with nothing from the
checkout (the scenario library, the default world and the plugin are package data)."""
from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]


def test_the_wheel_is_all_it_needs(wheel_venv, tmp_path):
    where = wheel_venv.run("python", "-c", "import harness, scenarios.runner as r, scenarios.spec as s, mock_okta, "
                           "mock_cognito, world_common; print(harness.__file__); print(r.LIBRARY); "
                           "print(sum(len(s.load_file(f)) for f in r.library_files()))", cwd=tmp_path)
    assert where.returncode == 0, where.stderr
    module, library, count = where.stdout.split()
    assert module.startswith(str(wheel_venv.path)) and library.startswith(str(wheel_venv.path))
    assert not module.startswith(str(ROOT)) and int(count) >= 38

    # the built-in library on the default world (the HTTP user agent plays the user, to keep the
    # suite fast; the browser from the wheel is in the next test)
    demo = wheel_venv.run("harness", "demo", "--engine", "http", "--report", "report", cwd=tmp_path)
    assert demo.returncode == 0, demo.stdout[-3000:] + demo.stderr[-3000:]
    cases = list(ET.parse(tmp_path / "report" / "junit.xml").getroot().iter("testcase"))
    assert len(cases) == int(count) and f"{count} passed, 0 failed" in demo.stdout
    assert (tmp_path / "report" / "report.html").stat().st_size > 1000

    diagnose = wheel_venv.run("harness", "diagnose", "--json", cwd=tmp_path)
    assert diagnose.returncode == 0, diagnose.stdout[-2000:] + diagnose.stderr[-2000:]
    assert os.path.join("site-packages", "harness", "world", "default.yaml") in diagnose.stdout


def test_the_pytest_plugin_comes_with_the_wheel(wheel_venv, tmp_path):
    (tmp_path / "test_my_federation.py").write_text(
        "def test_okta_answers(world, page):\n"
        "    r = world.http.get('https://dev-123456.okta.com/.well-known/okta-organization')\n"
        "    assert r.status_code == 200 and r.json()['pipeline'] == 'idx'\n"
        "    page.goto('https://app.example.com/')          # the system Chromium, wired to the world\n"
        "    assert page.locator('a[data-client=\"web\"]').count() == 1\n")
    done = wheel_venv.run("python", "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_my_federation.py",
                          cwd=tmp_path)
    assert done.returncode == 0 and "1 passed" in done.stdout, done.stdout[-3000:] + done.stderr[-3000:]


def test_the_world_as_a_service_from_the_wheel(wheel_venv, tmp_path):
    state = tmp_path / "state.json"
    env = wheel_venv.env(HARNESS_STATE=str(state))
    up = wheel_venv.run("harness", "up", "--detach", "--json", "endpoints.json", cwd=tmp_path, env=env)
    try:
        assert up.returncode == 0, up.stdout + up.stderr
        recorded = json.loads(state.read_text())
        assert json.loads((tmp_path / "endpoints.json").read_text())["env"] == recorded["env"]
        status = wheel_venv.run("harness", "status", cwd=tmp_path, env=env)
        assert status.returncode == 0 and f"pid {recorded['pid']}" in status.stdout, status.stdout + status.stderr

        as_json = json.loads(wheel_venv.run("harness", "env", "--format", "json", cwd=tmp_path, env=env).stdout)
        assert as_json == recorded["env"]
        # the health URL, reached the way a CI step reaches any host of the world
        proxies, ca = {"https": as_json["HTTPS_PROXY"]}, as_json["AWS_CA_BUNDLE"]
        health = requests.get(recorded["health_url"], proxies=proxies, verify=ca, timeout=10)
        assert health.status_code == 200 and health.json()["pid"] == recorded["pid"]
        assert requests.get("https://dev-123456.okta.com/.well-known/okta-organization", proxies=proxies,
                            verify=ca, timeout=10).status_code == 200

        again = wheel_venv.run("harness", "up", "--detach", cwd=tmp_path, env=env)
        assert again.returncode == 2 and "a world is already running" in again.stderr
    finally:
        down = wheel_venv.run("harness", "down", cwd=tmp_path, env=env)
    assert down.returncode == 0 and f"stopped the world (pid {recorded['pid']})" in down.stdout
    assert not state.exists()
    assert not _running(recorded["pid"])
    assert wheel_venv.run("harness", "status", cwd=tmp_path, env=env).returncode == 1


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as fh:          # a zombie until init reaps it
        return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
