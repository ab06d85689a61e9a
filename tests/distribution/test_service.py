"""A world as a service for other languages: bad input to ``harness up --detach`` and the
``harness env --format`` syntaxes. (The service's life cycle, up to down, is tested from the
installed wheel in test_wheel.py.)"""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from harness import env_formats

from .conftest import HARNESS_COMMAND

ROOT = Path(__file__).resolve().parents[2]


def harness_cli(*args: str, state: Path, timeout: int = 180) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "HARNESS_STATE"}
    return subprocess.run([HARNESS_COMMAND, *args, "--state", str(state)], cwd=state.parent,
                          env=env, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)


@pytest.fixture
def state(tmp_path):
    path = tmp_path / "world-state.json"
    yield path
    if path.exists():                               # never leave a world behind a failed test
        harness_cli("down", state=path)


def test_detached_up_with_a_broken_world_is_bad_input_and_leaves_nothing(state):
    broken = state.parent / "broken.yaml"
    broken.write_text("okta:\n  org_url: https://dev-1.okta.com\n  users:\n    - login: a@example.com\n      pasword: x\n")
    up = harness_cli("up", "--detach", "--world", str(broken), state=state)
    assert up.returncode == 2, up.stdout + up.stderr
    assert "unknown field 'pasword'" in up.stderr and "Traceback" not in up.stderr
    assert not state.exists()


def test_env_formats_quote_what_each_consumer_needs():
    env = {"A": "plain/value:1", "B": "it's $HOME \"x\"", "C": "two\nlines"}
    assert env_formats.render(env, "sh").splitlines()[1] == "export B='it'\"'\"'s $HOME \"x\"'"
    dotenv = env_formats.render(env, "dotenv").splitlines()
    assert dotenv[0] == "A=plain/value:1" and dotenv[1] == 'B="it\'s \\$HOME \\"x\\""' and dotenv[2] == 'C="two\\nlines"'
    github = env_formats.render(env, "github")
    assert github.startswith("A=plain/value:1\nB=it's $HOME \"x\"\nC<<EOF_")
    delimiter = github.split("C<<", 1)[1].split("\n", 1)[0]
    assert github.endswith(f"C<<{delimiter}\ntwo\nlines\n{delimiter}\n")
    assert env_formats.render(env, "powershell").splitlines()[1] == "$env:B = 'it''s $HOME \"x\"'"
    assert json.loads(env_formats.render(env, "json")) == env
