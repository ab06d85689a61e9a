"""The Flask app class every world's web surface is built with (mock_okta, mock_cognito, the
app stand-in): Flask itself, with URL rules that share their compiled URL builders.

A world builds its apps afresh on every start (each closes over that world's clock, trace and
HTTP session), ~90 routes. For each route werkzeug writes two Python functions that build its
URL (``url_for``) and compiles them from an AST: two thirds of the CPU a world's start costs in
a process that has started one before (~20 of ~30 ms; the pytest plugin and the scenario
runner start many), and ~5 % of a cold ``harness up``. The functions depend only on the
route's shape, never on the app, so a process compiles each shape once, the first time a URL
is built from it, and every later app reuses it.

Per request (issue #17, world CPU per sign-in), WorldFlask answers exactly as Flask does with
less of Flask's and werkzeug's own work around each view: its request reads the form limits
without the ``current_app`` proxy and the query and urlencoded body with
:mod:`world_common.urlencoded`, and its URL adapter is made with one host lookup. Measured in
process on a sign-in's four requests (real views, stock vs WorldFlask interleaved, thread CPU,
medians): authorize -9, Okta SSO -5, ACS -23, token -14 us, ~50 us a sign-in.
tests/foundation/test_flask_app.py compares every answer with stock Flask's.
"""
from __future__ import annotations

import os
import threading

from flask import Flask, Request
from werkzeug.routing import Rule
from werkzeug.utils import cached_property
from werkzeug.wsgi import get_host

from world_common import urlencoded

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


def _config_limit(attribute: str, key: str) -> property:
    """Flask's request property for a form limit: the value set on the request (``attribute``),
    else the app's config ``key``, read from the request class's ``flask_config``."""

    def get(request) -> int | None:
        value = getattr(request, attribute)
        return value if value is not None else request.flask_config[key]

    def set_(request, value: int | None) -> None:
        setattr(request, attribute, value)

    return property(get, set_)


class WorldRequest(Request):
    """Flask's request, reading its form limits from its own app's config and its query and
    urlencoded form with :mod:`world_common.urlencoded` (same pairs as werkzeug's ``parse_qsl``).

    Flask's ``max_content_length``, ``max_form_memory_size`` and ``max_form_parts`` each look the
    app up through the ``current_app`` proxy twice, and a form load reads them four times: ~4 us
    of a POST (measured in process). Each app has its own subclass whose ``flask_config`` is that
    app's config (WorldFlask's ``request_class``), so the same live config values are read
    directly. Stock Flask reads werkzeug's defaults instead when no app context is pushed; a
    world's requests are only ever handled inside their app's context."""

    flask_config: dict   # the app's Flask config (Flask's own settings, not world state), per app subclass
    form_data_parser_class = urlencoded.FormParser

    @cached_property
    def args(self):
        """werkzeug's ``args``: the query's pairs, read as ``parse_qsl`` reads them."""
        return self.parameter_storage_class(urlencoded.parse(self.query_string.decode()))

    max_content_length = _config_limit("_max_content_length", "MAX_CONTENT_LENGTH")
    max_form_memory_size = _config_limit("_max_form_memory_size", "MAX_FORM_MEMORY_SIZE")
    max_form_parts = _config_limit("_max_form_parts", "MAX_FORM_PARTS")


class WorldFlask(Flask):
    """Flask, with :class:`SharedBuilderRule` for every route (Flask's ``url_rule_class``), a
    :class:`WorldRequest` subclass of its own as ``request_class``, and no static folder,
    templates folder or instance folder to look for: a world's apps serve no files. Flask would
    otherwise look up each app's import name as a module to find its root (names like
    ``alb-<name>`` are none, so the root became the current directory, and a ``static/``
    directory there would have been served on that host)."""

    url_rule_class = SharedBuilderRule

    def __init__(self, import_name: str, **kwargs) -> None:
        kwargs.setdefault("static_folder", None)
        kwargs.setdefault("root_path", _HERE)
        kwargs.setdefault("instance_path", _HERE)
        super().__init__(import_name, **kwargs)
        self.request_class = type("WorldRequest", (WorldRequest,), {"flask_config": self.config})

    def create_url_adapter(self, request):
        """Flask's adapter for ``request``, made with one ``get_host`` instead of two: Flask
        computes the host, then ``Map.bind_to_environ`` computes it again. For the world's
        routing (no ``TRUSTED_HOSTS``, ``SERVER_NAME``, host or subdomain matching; otherwise
        Flask's own method) the adapter is ``Map.bind`` of the same values werkzeug 3.1's
        ``bind_to_environ`` passes. ~2 us a request, measured in process; tests/foundation/
        test_flask_app.py compares the adapter with Flask's for awkward environs."""
        config, url_map = self.config, self.url_map
        if (request is None or config["TRUSTED_HOSTS"] is not None or config["SERVER_NAME"] is not None
                or url_map.host_matching or self.subdomain_matching):
            return super().create_url_adapter(request)
        environ = request.environ
        request.host = host = get_host(environ, request.trusted_hosts)
        scheme = environ["wsgi.url_scheme"]
        if environ.get("HTTP_UPGRADE", "").lower() == "websocket" and any(
                v.strip(" \t") == "upgrade" for v in environ.get("HTTP_CONNECTION", "").lower().split(",")):
            scheme = "wss" if scheme == "https" else "ws"
        return url_map.bind(host.lower(), _wsgi_string(environ, "SCRIPT_NAME"), url_map.default_subdomain or "",
                            scheme, environ["REQUEST_METHOD"], _wsgi_string(environ, "PATH_INFO"),
                            query_args=_wsgi_string(environ, "QUERY_STRING"))


def _wsgi_string(environ: dict, name: str) -> str | None:
    """A WSGI environ string as werkzeug reads it (latin-1 bytes decoded as UTF-8)."""
    value = environ.get(name)
    return None if value is None else value.encode("latin1").decode(errors="replace")


_HERE = os.path.dirname(os.path.abspath(__file__))
