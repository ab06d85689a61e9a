"""The Flask app class every world's web surface is built with (mock_okta, mock_cognito, the
app stand-in): Flask itself, with URL rules that share their compiled URL builders.

A world builds its apps afresh on every start (each closes over that world's clock, trace and
HTTP session), ~90 routes. For each route werkzeug writes two Python functions that build its
URL (``url_for``) and compiles them from an AST: two thirds of the CPU a world's start costs in
a process that has started one before (~20 of ~30 ms; the pytest plugin and the scenario
runner start many), and ~5 % of a cold ``harness up``. The functions depend only on the
route's shape, never on the app, so a process compiles each shape once, the first time a URL
is built from it, and every later app reuses it.
"""
from __future__ import annotations

import os
import threading

from flask import Flask
from werkzeug.routing import Rule

_builders: dict[tuple, object] = {}
_builders_lock = threading.Lock()


class SharedBuilderRule(Rule):
    """A werkzeug rule whose URL-builder functions are compiled once per route shape, when a URL
    is first built from it (most routes never build one: they are only matched).

    ``Rule._compile_builder`` (werkzeug 3.0 and 3.1) turns the parsed rule (``_trace``: its
    static and variable parts), its defaults and ``append_unknown`` into a function of
    ``(self, **values)`` that reaches the rule only through its argument; the same inputs give
    the same function, so it is shared between rules of that shape."""

    def _compile_builder(self, append_unknown: bool = True):
        defaults = self.defaults or {}
        key = (self.rule, tuple(self._trace), append_unknown,
               tuple((name, repr(value), type(self._converters.get(name)).__qualname__)
                     for name, value in sorted(defaults.items())))
        with _builders_lock:
            builder = _builders.get(key)
        if builder is not None:
            return builder
        compile_builder = super()._compile_builder

        def build_on_first_use(rule: Rule, **values):
            with _builders_lock:
                shared = _builders.get(key)
            if shared is None or shared is build_on_first_use:
                shared = compile_builder(append_unknown)
                with _builders_lock:
                    _builders[key] = shared
            return shared(rule, **values)

        with _builders_lock:
            return _builders.setdefault(key, build_on_first_use)


class WorldFlask(Flask):
    """Flask, with :class:`SharedBuilderRule` for every route (Flask's ``url_rule_class``), and
    no static folder, templates folder or instance folder to look for: a world's apps serve no
    files. Flask would otherwise look up each app's import name as a module to find its root
    (names like ``alb-<name>`` are none, so the root became the current directory, and a
    ``static/`` directory there would have been served on that host)."""

    url_rule_class = SharedBuilderRule

    def __init__(self, import_name: str, **kwargs) -> None:
        kwargs.setdefault("static_folder", None)
        kwargs.setdefault("root_path", _HERE)
        kwargs.setdefault("instance_path", _HERE)
        super().__init__(import_name, **kwargs)


_HERE = os.path.dirname(os.path.abspath(__file__))
