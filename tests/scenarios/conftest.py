"""Helpers for the scenario tests: run cases in this process with the scenario executor."""
from __future__ import annotations

import textwrap

import pytest

from scenarios import execute, spec
from scenarios.http_driver import HttpAgents


def _case_runner(world_pool, engine, tmp_path_factory):
    """``run(yaml_text) -> [result]`` with ``engine``; the plugin's shared world is stopped
    first (moto holds one world per process)."""
    world_pool.close()
    worlds = execute.Worlds()
    base = tmp_path_factory.mktemp("scenario-runs")

    def run(text: str, name: str = "cases.yaml"):
        path = base / name
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
        try:
            return [execute.run_case(case, worlds, engine, str(base / "artifacts"))
                    for case in spec.load_file(str(path))]
        finally:
            worlds.close()   # other fixtures of this module may start their own world

    run.base = base
    run.close = lambda: (engine.close(), worlds.close())
    return run


@pytest.fixture(scope="module")
def run_cases(_harness_world_pool, _harness_browser_pool, tmp_path_factory):
    """``run_cases(yaml_text) -> [result]``: one world and one warm browser (the process's one
    Playwright) for the module."""
    run = _case_runner(_harness_world_pool, execute.Browsers(), tmp_path_factory)
    yield run
    run.close()


@pytest.fixture(scope="module")
def run_cases_http(_harness_world_pool, tmp_path_factory):
    """``run_cases_http(yaml_text) -> [result]`` with the HTTP engine."""
    run = _case_runner(_harness_world_pool, HttpAgents(), tmp_path_factory)
    yield run
    run.close()
