"""Both engines on the whole built-in library: the HTTP user agent must reach the same verdict
as the browser in every case, through the same hops and the same pages (issue 17, item 4)."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from scenarios import execute, plugin, runner, spec
from scenarios.http_driver import HttpAgents


def _library_cases():
    cases = [case for path in runner.library_files() for case in spec.load_file(path)]
    order: dict = {}
    for case in cases:
        order.setdefault(plugin._world_key(case), len(order))
    return sorted(cases, key=lambda c: order[plugin._world_key(c)])   # a world is reused by its cases


def _run_library(engine) -> dict:
    worlds = execute.Worlds()
    try:
        return {case.id: execute.run_case(case, worlds, engine, None, record_trace=False)
                for case in _library_cases()}
    finally:
        engine.close()
        worlds.close()


def _verdict(result) -> tuple:
    return result["status"], [(o["name"], o["ok"], o["message"]) for o in result["outcomes"]]


def _walk(result) -> tuple:
    """Pages by kind and path, hops by method, host, path and status (the random parts of URLs,
    state and codes, differ from run to run)."""
    pages = [(kind, urlsplit(url).netloc, urlsplit(url).path) for kind, url in result["pages"]]
    hops = [(h["method"], h["host"], h["path"], h["status"]) for h in result["hops"]]
    return pages, hops


@pytest.mark.browser
def test_the_library_gets_the_same_verdicts_from_both_engines(_harness_world_pool):
    _harness_world_pool.close()      # moto holds one world per process
    over_http = _run_library(HttpAgents())
    in_browser = _run_library(execute.Browsers())
    assert sorted(over_http) == sorted(in_browser) and len(over_http) == len(_library_cases())
    for case_id, browser_result in in_browser.items():
        http_result = over_http[case_id]
        assert http_result["engine"] == "http" and browser_result["engine"] == "browser"
        assert _verdict(http_result) == _verdict(browser_result), (
            f"{case_id}\nover HTTP: {http_result['message']}\nin the browser: {browser_result['message']}")
        assert _walk(http_result) == _walk(browser_result), case_id
    # the library's cases are written to pass: a broken engine cannot agree by failing everywhere
    assert all(r["status"] == "passed" for r in in_browser.values()), [
        r["message"] for r in in_browser.values() if r["status"] != "passed"]
