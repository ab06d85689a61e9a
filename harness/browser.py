"""The system Chromium through Playwright, one Playwright per process.

Playwright's sync API allows one running instance per thread, so every part of the harness
(the pytest plugin's ``page`` fixture, the scenario runner) borrows this one.
"""
from __future__ import annotations

import atexit
import os
import shutil

_playwright = None


def chromium_executable() -> str:
    """Debian's Chromium (``playwright install`` cannot download browsers here)."""
    for candidate in (os.environ.get("HARNESS_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser",
                      shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and os.path.exists(candidate):
            return candidate
    raise RuntimeError("no system Chromium found: install Debian's 'chromium' package "
                       "(apt-get install chromium) or set HARNESS_CHROMIUM")


def headless_executable() -> str:
    """The browser for a headless run: ``HARNESS_CHROMIUM`` when set, else Debian's
    ``chromium-headless-shell`` when installed, else the full Chromium (:func:`chromium_executable`).

    The headless shell is the same Chromium build (Blink, V8, the network stack) without the
    browser's window, tab strip and per-tab helpers, and what Playwright itself runs for headless
    Chromium; it spends about a third less CPU on a sign-in (no browser UI repainted as pages
    load, less work in the browser process per navigation)."""
    if os.environ.get("HARNESS_CHROMIUM"):
        return chromium_executable()
    for candidate in ("/usr/bin/chromium-headless-shell", shutil.which("chromium-headless-shell")):
        if candidate and os.path.exists(candidate):
            return candidate
    return chromium_executable()


def playwright():
    """The process's Playwright (started on first use, stopped at exit)."""
    global _playwright
    if _playwright is None:
        # Playwright is imported on first use on purpose (~0.8 s): a world without a browser
        # never pays for it.
        from playwright.sync_api import sync_playwright

        _playwright = sync_playwright().start()
        atexit.register(_stop)
    return _playwright


def _stop() -> None:
    global _playwright
    if _playwright is not None:
        try:
            _playwright.stop()
        except Exception:  # already torn down with the interpreter
            pass
        _playwright = None


def launch(running, *, headless: bool = True):
    """A Chromium wired to ``running`` (a started world) with ``--host-resolver-rules``."""
    executable = headless_executable() if headless else chromium_executable()
    return playwright().chromium.launch(executable_path=executable, headless=headless,
                                        args=running.chromium_args())
