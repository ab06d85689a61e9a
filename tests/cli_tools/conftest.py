"""Real command-line tools from the package registry, run against a world with ``harness env`` only.

Each tool lives in its own throwaway virtualenv under the system temp directory (installed on
first use with pip, pinned, and reused afterwards), so the project's own environment never gets
their dependencies. Each run gets its own HOME, so no cache or config of the machine leaks in.
"""
from __future__ import annotations

import fcntl
import html
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urljoin

import pytest

from harness.internet import routed_session

# Pinned so CI runs what was tested; the versions the reference describes (docs/fidelity/okta-oidc-api.md#okta-oidc-api-cli-clients).
TOOLS = {
    "aws": ("awscli", "1.46.3"),
    "gimme-aws-creds": ("gimme-aws-creds", "2.8.2"),
    "aws-okta-processor": ("aws-okta-processor", "1.10.0"),
}
TOOLS_DIR = Path(tempfile.gettempdir()) / "okta-aws-harness-cli-tools"


def tool_path(command: str) -> Path:
    """The installed command, installing its package into its own venv when missing."""
    package, version = TOOLS[command]
    venv = TOOLS_DIR / f"{package}-{version}"
    exe = venv / "bin" / command
    if exe.exists():
        return exe
    TOOLS_DIR.mkdir(parents=True, exist_ok=True)
    with open(TOOLS_DIR / ".lock", "w") as lock:      # xdist workers may race to install
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not exe.exists():
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
            done = subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "--disable-pip-version-check",
                                   f"{package}=={version}"], capture_output=True, text=True, timeout=600)
            assert done.returncode == 0, f"pip install {package}=={version} failed:\n{done.stdout}{done.stderr}"
    return exe


class ToolRunner:
    """Runs a tool with the world's ``env()`` only (proxy, CA bundle), a private HOME, no stdin."""

    def __init__(self, running, home: Path) -> None:
        self.running, self.home = running, home

    def env(self, **extra) -> dict:
        keep = {k: os.environ[k] for k in ("PATH", "LANG", "LC_ALL", "TMPDIR") if k in os.environ}
        return {**keep, **self.running.env(), "HOME": str(self.home), **extra}

    def run(self, command: str, *args: str, env: dict | None = None, timeout: int = 120, stdin: str | None = None):
        """``stdin``: text for the tool's standard input; the tool then runs without a controlling
        terminal, so a getpass prompt (an MFA code) reads it from there."""
        if stdin is not None:
            return subprocess.run([str(tool_path(command)), *args], env=env or self.env(), capture_output=True,
                                  text=True, input=stdin, timeout=timeout, cwd=self.home, start_new_session=True)
        done = subprocess.run([str(tool_path(command)), *args], env=env or self.env(), capture_output=True,
                              text=True, stdin=subprocess.DEVNULL, timeout=timeout, cwd=self.home)
        return done

    @staticmethod
    def path(command: str) -> str:
        return str(tool_path(command))

    def json(self, command: str, *args: str, env: dict | None = None):
        done = self.run(command, *args, env=env)
        assert done.returncode == 0, f"{command} {' '.join(args[:2])} failed ({done.returncode}):\n" \
                                     f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        return json.loads(done.stdout)

    def caller_identity(self, credentials: dict) -> dict:
        """``aws sts get-caller-identity`` with the credentials a tool obtained."""
        env = self.env(AWS_ACCESS_KEY_ID=credentials["AccessKeyId"],
                       AWS_SECRET_ACCESS_KEY=credentials["SecretAccessKey"],
                       AWS_SESSION_TOKEN=credentials["SessionToken"])
        return self.json("aws", "sts", "get-caller-identity", "--output", "json", env=env)


@pytest.fixture
def tool_runner(tmp_path):
    """``tool_runner(running_world)`` → a :class:`ToolRunner` with a private HOME."""
    return lambda running: ToolRunner(running, tmp_path)


@pytest.fixture
def tools(world, tool_runner):
    return tool_runner(world)


@pytest.fixture
def legacy_signin_world(_harness_world_pool, tmp_path_factory):
    """The default world with AWS's legacy role-chooser page (``aws.signin_page: legacy``)."""
    import harness.world

    text = (Path(harness.world.__file__).parent / "default.yaml").read_text()
    anchor = 'aws:\n  account_id: "123456789012"\n'
    assert text.count(anchor) == 1
    path = tmp_path_factory.getbasetemp() / "default-world-legacy-signin.yaml"
    if not path.exists():
        path.write_text(text.replace(anchor, anchor + "  signin_page: legacy\n"))
    running = _harness_world_pool.get(str(path))
    offset = running.clock.offset
    yield running
    running.clock.advance(offset - running.clock.offset)


@pytest.fixture
def aws_app_saml(world):
    """``aws_app_saml(login, password)`` → (form action, SAMLResponse) of the Okta AWS app."""
    return lambda login, password: aws_app_saml_response(world, login, password)


def aws_app_saml_response(running, login: str, password: str) -> tuple[str, str]:
    """(form action, SAMLResponse) of the Okta AWS app for ``login``, the way the CLI clients get
    it (docs/fidelity/okta-oidc-api.md#okta-oidc-api-cli-clients): /api/v1/authn → /login/sessionCookieRedirect → the app's embed link."""
    app = running.world.okta_app("AWS Account Federation")
    org = running.world.okta.org_url
    with routed_session(running.port, running.world.hosts(), running.ca_file) as http:
        authn = http.post(f"{org}/api/v1/authn", json={"username": login, "password": password}, timeout=15)
        assert authn.status_code == 200, authn.text
        page = http.get(f"{org}/login/sessionCookieRedirect",
                        params={"token": authn.json()["sessionToken"], "redirectUrl": app.embed_link}, timeout=15)
    assert page.status_code == 200, page.text[:500]
    form = re.search(r"<form[^>]*action=\"([^\"]+)\"", page.text)
    value = re.search(r"<input[^>]*name=\"SAMLResponse\"[^>]*value=\"([^\"]+)\"", page.text)
    assert form and value, page.text[:1000]
    return urljoin(page.url, html.unescape(form.group(1))), html.unescape(value.group(1))
