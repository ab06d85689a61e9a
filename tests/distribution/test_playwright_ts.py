"""examples/playwright-ts: Playwright Test for Node.js (TypeScript, @playwright/test from npm, the
system Chromium) signs alice in through a world described only by its endpoints file."""
from __future__ import annotations

import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from harness.browser import chromium_executable

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "playwright-ts"


def _install() -> None:
    for tool in ("node", "npm", "npx"):
        assert shutil.which(tool), f"{tool} is not installed (scripts/setup.sh installs Node.js and npm)"
    if not (EXAMPLE / "node_modules" / "@playwright" / "test" / "package.json").exists():
        done = subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=EXAMPLE, capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.browser
def test_node_playwright_signs_alice_in(world, tmp_path):
    _install()
    endpoints = tmp_path / "endpoints.json"
    world.write_endpoints(str(endpoints))
    results = tmp_path / "results"
    env = dict(os.environ, HARNESS_ENDPOINTS=str(endpoints), RESULTS_DIR=str(results),
               CHROMIUM=chromium_executable(), CI="1")
    done = subprocess.run(["npx", "--no-install", "playwright", "test"], cwd=EXAMPLE, env=env, capture_output=True,
                          text=True, timeout=300, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    suites = ET.parse(results / "junit.xml").getroot()
    assert (suites.get("tests"), suites.get("failures"), suites.get("errors")) == ("1", "0", "0"), \
        ET.tostring(suites, encoding="unicode")[:2000]
    # the app's page the test read came from this world: the sign-in left its hops in the trace
    hosts = {e.host for e in world.trace.events()}
    assert {"app.example.com", "dev-123456.okta.com", "myapp.auth.us-east-1.amazoncognito.com"} <= hosts
