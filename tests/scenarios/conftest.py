"""Helpers for the scenario tests: run cases in this process with the scenario executor."""
from __future__ import annotations

import textwrap

import pytest

from scenarios import execute, spec


@pytest.fixture(scope="module")
def run_cases(_harness_world_pool, _harness_browser_pool, tmp_path_factory):
    """``run_cases(yaml_text) -> [result]``: one world and one warm browser for the module; the
    plugin's shared world is stopped first (moto holds one world per process)."""
    _harness_world_pool.close()
    worlds, browsers = execute.Worlds(), execute.Browsers()   # the process's one Playwright
    base = tmp_path_factory.mktemp("scenario-runs")

    def run(text: str, name: str = "cases.yaml"):
        path = base / name
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
        try:
            return [execute.run_case(case, worlds, browsers, str(base / "artifacts"))
                    for case in spec.load_file(str(path))]
        finally:
            worlds.close()   # other fixtures of this module may start their own world

    run.base = base
    yield run
    browsers.close()
    worlds.close()
