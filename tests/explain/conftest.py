"""Captures recorded from the world itself: library cases run by the scenario executor in
Chromium with Playwright's ``record_har``, then explained offline against the case's own world."""
from __future__ import annotations

import pytest

from scenarios import execute


@pytest.fixture(scope="session")
def record(_harness_world_pool, tmp_path_factory):
    """``record(case) -> (scenario result, HAR path)``: the case run in Chromium with a HAR
    recorded; the world is stopped afterwards so ``explain`` may use this process's moto. One
    warm Chromium per test process."""
    _harness_world_pool.close()
    worlds, browsers = execute.Worlds(), execute.Browsers()
    base = tmp_path_factory.mktemp("hars")

    def run(case):
        har = str(base / f"{abs(hash(case.id))}.har")
        browsers.context_options = {"record_har_path": har, "record_har_content": "embed"}
        try:
            result = execute.run_case(case, worlds, browsers, None, record_trace=False)
        finally:
            worlds.close()
        return result, har

    yield run
    browsers.close()
    worlds.close()


@pytest.fixture(autouse=True)
def _no_world_running(_harness_world_pool):
    """``explain`` refuses while a world runs in its process (it reads this process's moto): an
    idle world another test module left in this worker is stopped first."""
    _harness_world_pool.close()
