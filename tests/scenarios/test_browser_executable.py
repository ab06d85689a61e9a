"""Headless runs use Debian's chromium-headless-shell when it is installed (the same Chromium
without its window), HARNESS_CHROMIUM when set, else the full Chromium; headed runs the full one."""
from __future__ import annotations

import os

from harness import browser


def test_headless_prefers_the_shell_and_harness_chromium_overrides(monkeypatch):
    monkeypatch.delenv("HARNESS_CHROMIUM", raising=False)
    shell = "/usr/bin/chromium-headless-shell"
    expected = shell if os.path.exists(shell) else browser.chromium_executable()
    assert browser.headless_executable() == expected
    monkeypatch.setattr(browser.os.path, "exists", lambda path: path != shell and os.path.isfile(path))
    monkeypatch.setattr(browser.shutil, "which", lambda name: None)
    assert browser.headless_executable() == "/usr/bin/chromium"
    monkeypatch.setenv("HARNESS_CHROMIUM", "/usr/bin/chromium")
    assert browser.headless_executable() == "/usr/bin/chromium"
