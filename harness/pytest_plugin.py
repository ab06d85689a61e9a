"""pytest plugin (entry point ``pytest11``): worlds and a wired browser as fixtures.

* ``world``: a running world, shared by the tests that ask for the same world (the default
  world, the file named by ``@pytest.mark.world("path.yaml")``, or IaC:
  ``@pytest.mark.world(iac=["main.tf"], var={"prefix": "x"}, parameters={...})``, optionally
  with a world file for what IaC does not hold). Its clock and trace are reset after each test.
* ``fresh_world``: a world started for this test alone (~0.2 s).
* ``browser`` / ``page``: the system Chromium (never a downloaded browser) wired to the world
  with ``--host-resolver-rules``; a new context per test.

Each pytest-xdist worker is its own process with its own ports and moto state, so workers
share nothing.

``--harness-shard K/N`` runs a deterministic, disjoint part of the collected items (the N
parts together are every item once), balanced by a previous run's durations with
``--harness-shard-durations junit.xml|REPORT_DIR`` (see :mod:`harness.shard`).

The world machinery (``harness``, ``harness.iac``, the browser) is imported inside the fixtures
on purpose: pytest loads this plugin in every session of a project that installs the package,
and a session that never asks for a world should not pay for importing moto and Playwright.
"""
from __future__ import annotations

import os

import pytest

from . import shard
from .world.errors import WorldError


def pytest_addoption(parser) -> None:
    group = parser.getgroup("harness", "okta-aws-harness")
    group.addoption("--harness-shard", default=None, metavar="K/N",
                    help="run only shard K of N (deterministic, disjoint; together the N shards run every item)")
    group.addoption("--harness-shard-durations", default=None, metavar="PATH",
                    help="junit.xml (or a report directory holding one) of a previous run: balance the shards "
                         "by its durations")


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "world(path=None, iac=(), var=None, parameters=None): run against this "
                                       "world file and/or IaC (default: the embedded world)")
    config.addinivalue_line("markers", "browser: drives the system Chromium")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(session, config, items) -> None:
    text = config.getoption("--harness-shard")
    if not text:
        return
    try:
        which = shard.parse(text, "--harness-shard")
        durations = shard.durations_from(config.getoption("--harness-shard-durations"))
    except (ValueError, WorldError) as exc:
        raise pytest.UsageError(str(exc)) from None
    mine, others = shard.select(items, [shard.junit_key(i.nodeid) for i in items], which, durations)
    if others:
        config.hook.pytest_deselected(items=others)
    items[:] = mine


class _WorldPool:
    """At most one running world per process (moto is per process); switch when asked for another."""

    def __init__(self) -> None:
        self.key = None
        self.running = None

    def get(self, spec):
        """The running world for ``spec`` (a :class:`_WorldSpec`, a world-file path, or None)."""
        import harness  # lazy: see the module docstring

        if not isinstance(spec, _WorldSpec):
            spec = _WorldSpec(os.path.abspath(spec) if spec else None)
        key = spec.key()
        if self.running is not None and not self.running.stopped and self.key == key:
            return self.running
        self.close()
        self.running = harness.start_world(spec.load(), replace=True)
        self.key = key
        return self.running

    def close(self) -> None:
        if self.running is not None and not self.running.stopped:
            self.running.stop()
        self.running, self.key = None, None


@pytest.fixture(scope="session")
def _harness_world_pool():
    pool = _WorldPool()
    yield pool
    pool.close()


class _WorldSpec:
    """What a ``world`` marker asks for: a world file and/or IaC, paths relative to the test."""

    def __init__(self, path=None, iac=(), var=None, parameters=None) -> None:
        self.path, self.iac = path, tuple(iac)
        self.var, self.parameters = dict(var or {}), dict(parameters or {})

    def key(self):
        return (self.path, self.iac, tuple(sorted(self.var.items())), tuple(sorted(self.parameters.items())))

    def load(self):
        if self.iac:
            from harness import iac  # lazy: see the module docstring

            return iac.load(list(self.iac), variables=self.var, parameters=self.parameters, world_file=self.path)
        from harness.world import load  # lazy: see the module docstring

        return load(self.path)


def _world_spec(request) -> _WorldSpec:
    marker = request.node.get_closest_marker("world")
    if marker is None:
        return _WorldSpec()
    base = os.path.dirname(str(request.node.fspath))

    def here(path):
        return path if os.path.isabs(path) else os.path.join(base, path)

    path = marker.args[0] if marker.args else marker.kwargs.get("path")
    iac = marker.kwargs.get("iac") or ()
    if isinstance(iac, str):
        iac = [iac]
    return _WorldSpec(here(path) if path else None, [here(p) for p in iac], marker.kwargs.get("var"),
                      marker.kwargs.get("parameters"))


@pytest.fixture
def world(request, _harness_world_pool):
    running = _harness_world_pool.get(_world_spec(request))
    offset = running.clock.offset
    running.replaceable = False     # in use: another start in this test refuses rather than stop it
    yield running
    running.replaceable = True      # idle between tests: a test's own harness.start() may replace it
    running.clock.advance(offset - running.clock.offset)
    running.trace.clear()


@pytest.fixture
def fresh_world(request, _harness_world_pool):
    import harness  # lazy: see the module docstring

    _harness_world_pool.close()
    running = harness.start_world(_world_spec(request).load(), replace=True)
    running.replaceable = False
    yield running
    running.stop()




class _BrowserPool:
    """One Chromium per running world, from the process's one Playwright (harness.browser)."""

    def __init__(self) -> None:
        self.browser = None
        self.world = None

    @property
    def playwright(self):
        from . import browser  # lazy: see the module docstring

        return browser.playwright()

    def get(self, running):
        from . import browser  # lazy: see the module docstring

        if self.browser is not None and self.world is running and self.browser.is_connected():
            return self.browser
        if self.browser is not None:
            self.browser.close()
        self.browser = browser.launch(running)
        self.world = running
        return self.browser

    def close(self) -> None:
        if self.browser is not None:
            self.browser.close()
        self.browser = None


@pytest.fixture(scope="session")
def _harness_browser_pool():
    pool = _BrowserPool()
    yield pool
    pool.close()


@pytest.fixture
def browser(world, _harness_browser_pool):
    return _harness_browser_pool.get(world)


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()
