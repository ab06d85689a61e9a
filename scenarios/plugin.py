"""pytest integration: every case of a scenario file is a pytest item.

``pytest scenarios/`` collects the built-in library (``scenarios/conftest.py`` registers this
module); ``harness run`` loads it with ``-p scenarios.plugin``. With pytest-xdist each worker
keeps its own world and warm browser; items are ordered so cases with the same world content
run back to back. A failing case's report names the expectation, the hop and the decoded
message; with ``--scenario-report DIR`` each case's result is written there and the HTML
report is built when the session ends.
"""
from __future__ import annotations

import glob
import json
import os
import re
import tempfile

import pytest

from harness import report
from harness.world.errors import WorldError

from . import execute, scheduling, spec
from .http_driver import HttpAgents
from .spec import ENGINES

_CASES_KEY = re.compile(r"^cases\s*:", re.M)
_state = {"worlds": None, "browsers": None, "http": None}


def pytest_addoption(parser) -> None:
    group = parser.getgroup("scenarios", "okta-aws-harness scenarios")
    group.addoption("--scenario-world", default=None, help="world file for cases that name none")
    group.addoption("--scenario-report", default=None, help="directory for case results and the HTML report")
    group.addoption("--scenario-headed", action="store_true", default=False, help="show the browser")
    group.addoption("--scenario-engine", choices=ENGINES, default=None,
                    help="run every case with this engine: browser (the system Chromium) or http (an HTTP "
                         "user agent, no browser); default: each file's or case's engine, else browser")
    group.addoption("--scenario-no-trace", action="store_true", default=False,
                    help="do not record Playwright traces (faster; failed cases get no trace)")
    group.addoption("--scenario-by-world", action="store_true", default=False,
                    help="with pytest-xdist, give the cases of one world to one worker (harness run -n N)")


def _opt(config, name, default=None):
    try:
        return config.getoption(name)
    except ValueError:
        return default


def pytest_collect_file(file_path, parent):
    if file_path.suffix not in (".yaml", ".yml"):
        return None
    try:
        head = file_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if not _CASES_KEY.search(head):
        return None
    return ScenarioFile.from_parent(parent, path=file_path)


class ScenarioFile(pytest.File):
    def collect(self):
        world = _opt(self.config, "--scenario-world")
        try:
            cases = spec.load_file(str(self.path), world=os.path.abspath(world) if world else None)
        except WorldError as exc:
            raise self.CollectError(str(exc)) from None
        engine = _opt(self.config, "--scenario-engine")
        for case in cases:
            yield ScenarioItem.from_parent(self, name=case.name, case=case, engine=engine or case.engine or "browser")


class CaseFailed(Exception):
    pass


class ScenarioItem(pytest.Item):
    def __init__(self, *, case, engine: str = "browser", **kw) -> None:
        super().__init__(**kw)
        self.case = case
        self.engine = engine
        if engine == "browser":
            self.add_marker(pytest.mark.browser)
        self.world_key = _world_key(case)

    def runtest(self) -> None:
        if _state["worlds"] is None:
            _state["worlds"] = execute.Worlds()
        if self.engine == "http":
            if _state["http"] is None:
                _state["http"] = HttpAgents()
            engine = _state["http"]
        else:
            if _state["browsers"] is None:
                _state["browsers"] = execute.Browsers(headed=bool(_opt(self.config, "--scenario-headed", False)))
            engine = _state["browsers"]
        report_dir = _opt(self.config, "--scenario-report")
        # without a report directory, failed cases still leave their screenshot (in the temp dir)
        artifacts = (os.path.join(report_dir, "artifacts") if report_dir
                     else os.path.join(tempfile.gettempdir(), "okta-aws-harness-scenarios"))
        result = execute.run_case(self.case, _state["worlds"], engine, artifacts,
                                  record_trace=bool(report_dir) and not _opt(self.config, "--scenario-no-trace", False))
        if report_dir:
            execute.write_result(result, os.path.join(report_dir, "cases"))
        if result["status"] != "passed":
            raise CaseFailed(result["message"] or f"case {self.case.name!r} did not pass")

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, (CaseFailed, WorldError)):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, (self.case.line or 1) - 1, f"scenario ({self.engine}): {self.case.name}"


_world_key = scheduling.world_key


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """With ``--scenario-by-world``, pytest-xdist deals out whole worlds (:mod:`scenarios.scheduling`)."""
    if not _opt(config, "--scenario-by-world"):
        return None
    world = _opt(config, "--scenario-world")
    return scheduling.ByWorld(config, log, world=os.path.abspath(world) if world else None)


def pytest_collection_modifyitems(session, config, items) -> None:
    """Cases that share a world run back to back (stable otherwise), so the world is reused."""
    scenario = [i for i in items if isinstance(i, ScenarioItem)]
    if not scenario:
        return
    order = {}
    for item in scenario:
        order.setdefault(item.world_key, len(order))
    others = [i for i in items if not isinstance(i, ScenarioItem)]
    items[:] = others + sorted(scenario, key=lambda i: order[i.world_key])


def pytest_sessionfinish(session, exitstatus) -> None:
    for key in ("browsers", "http", "worlds"):
        if _state[key] is not None:
            _state[key].close()
        _state[key] = None
    config = session.config
    report_dir = _opt(config, "--scenario-report")
    if report_dir and not hasattr(config, "workerinput"):
        write_report(report_dir)


def load_results(report_dir: str) -> list[dict]:
    results = []
    for path in sorted(glob.glob(os.path.join(report_dir, "cases", "*.json"))):
        try:
            with open(path, encoding="utf-8") as fh:
                results.append(json.load(fh))
        except (OSError, ValueError):
            continue
    results.sort(key=lambda r: (r.get("file") or "", r.get("line") or 0))
    return results


def write_report(report_dir: str) -> str:
    return report.write(load_results(report_dir), os.path.join(report_dir, "report.html"))
