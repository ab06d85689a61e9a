"""world_common.flask_app: apps whose rules share compiled URL builders build and match every
URL exactly as plain Flask does, however many apps of the same shape a process makes."""
from __future__ import annotations

import io
import random
from urllib.parse import parse_qsl

import pytest
from flask import Flask, jsonify, redirect, request, url_for
from werkzeug.test import EnvironBuilder

from world_common import urlencoded
from world_common.flask_app import WorldFlask

ROUTES = [
    ("/", {}),
    ("/oauth2/<server>/v1/authorize", {}),
    ("/api/v1/apps/<app_id>/users/<int:user_id>", {}),
    ("/files/<path:name>", {}),
    ("/page/", {"number": 1}),
    ("/page/<int:number>", {}),
    ("/sso/<kind>/<app_id>", {"kind": "saml"}),
]
VALUES = [
    ("route_0", {}),
    ("route_1", {"server": "default", "state": "a b&c"}),
    ("route_2", {"app_id": "0oa1", "user_id": 42}),
    ("route_3", {"name": "a/b c.txt"}),
    ("route_4", {}),
    ("route_5", {"number": 7}),
    ("route_6", {"app_id": "0oa9", "extra": "1"}),
]


def _app(cls, label: str):
    app = cls(f"test-{label}")
    for index, (rule, defaults) in enumerate(ROUTES):
        app.add_url_rule(rule, f"route_{index}", lambda **kw: label, defaults=defaults or None)
    return app


def _urls(app) -> list[str]:
    with app.test_request_context("/", base_url="https://dev-123456.okta.com"):
        return [url_for(endpoint, _external=True, **values) for endpoint, values in VALUES]


def test_urls_built_as_plain_flask_builds_them():
    expected = _urls(_app(Flask, "plain"))
    first, second = _app(WorldFlask, "first"), _app(WorldFlask, "second")
    assert _urls(first) == expected
    assert _urls(second) == expected
    rules = {r.endpoint: r for r in first.url_map.iter_rules()}
    again = {r.endpoint: r for r in second.url_map.iter_rules()}
    assert rules["route_2"]._build_unknown.__func__ is again["route_2"]._build_unknown.__func__


def test_each_app_answers_with_its_own_views():
    first, second = _app(WorldFlask, "first"), _app(WorldFlask, "second")
    for app, label in ((first, "first"), (second, "second")):
        client = app.test_client()
        assert client.get("/api/v1/apps/0oa1/users/3").get_data(as_text=True) == label
        assert client.get("/page/").get_data(as_text=True) == label
        assert client.get("/files/a/b").get_data(as_text=True) == label


def test_no_static_files_from_the_current_directory(tmp_path, monkeypatch):
    """An app named like no module (``alb-<name>``) gets no root in the current directory,
    so a ``static/`` folder there is not served."""
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "secret.txt").write_text("not the world's")
    monkeypatch.chdir(tmp_path)
    app = WorldFlask("alb-acme-alb")
    assert app.test_client().get("/static/secret.txt").status_code == 404
    assert not any(r.endpoint == "static" for r in app.url_map.iter_rules())


# ---- the request cycle: same answers as stock Flask ------------------------------------------

def _echo_app(cls, **config):
    """An app whose views answer with what Flask read from the request (its args, form,
    files, host, rule, URLs it builds, limits), so two apps' answers differ where their
    reading does."""
    app = cls("echo")
    app.config.update(config)

    def echo(**view_args):
        files = {k: (f.filename, f.read().decode()) for k, f in request.files.items(multi=True)}
        return jsonify(args=list(request.args.items(multi=True)), form=list(request.form.items(multi=True)),
                       files=files, host=request.host, rule=request.url_rule.rule, view_args=view_args,
                       url=request.url, root=url_for("echo", _external=True, **view_args),
                       limits=[request.max_content_length, request.max_form_memory_size, request.max_form_parts])

    def limited():
        request.max_content_length = 10
        return jsonify(form=list(request.form.items(multi=True)))

    def redirected():
        return redirect(request.args.get("to", "/"), 302)

    app.add_url_rule("/echo", "echo", echo, methods=["GET", "POST", "PUT"])
    app.add_url_rule("/echo/<path:rest>", "echo", echo, methods=["GET", "POST"])
    app.add_url_rule("/limited", "limited", limited, methods=["POST"])
    app.add_url_rule("/go", "go", redirected)
    app.add_url_rule("/slash/", "slash", lambda: "slash")
    return app


def _answer(app, environ: dict) -> tuple:
    """(status, headers, body), or the exception the app let out (both apps must agree)."""
    answer = []
    try:
        body = b"".join(app(dict(environ, **{"wsgi.input": io.BytesIO(environ["wsgi.input"].getvalue())}),
                            lambda status, headers, exc_info=None: answer.extend((status, headers))))
    except Exception as exc:   # noqa: BLE001 - the exception is the outcome compared
        return type(exc), str(exc)
    return answer[0], answer[1], body


def _environ(path="/echo", query="", method="GET", body=b"", content_type=None, host="acme.example.com",
             **extra) -> dict:
    environ = EnvironBuilder(path=path, method=method, data=body, content_type=content_type,
                             base_url="https://acme.example.com").get_environ()
    # As the server hands them over, not re-encoded by the builder.
    environ["QUERY_STRING"], environ["HTTP_HOST"] = query, host
    environ.update(extra)
    return environ


FORMS = [b"a=1&b=2&a=3", b"SAMLResponse=PHNhbWxwOlJlc3BvbnNl%2Bx%2Fy%3D%3D&RelayState=xyz", b"", b"&&=&a&b=",
         b"a+b=c+d&%41%42=%e2%82%ac", b"bad=%ff%fe&half=%e2%82&pct=%&pct2=%4&pct3=%zz", b"x=\xc3\xa9\xe2\x82\xac",
         b"x=\xff\xfe", b"k=v;w=z", b"a=b=c", b"%2B=%2b&+=+"]
QUERIES = ["", "a=1&a=2", "SAMLRequest=fZLB%2Bx%2Fy%3D&RelayState=r", "x=%ff&y=%C3%A9&z=%", "=&&a", "q=a+b%20c",
           "k=\xc3\xa9", "x=\xff"]


def _requests() -> list[dict]:
    form = "application/x-www-form-urlencoded"
    environs = [_environ(query=q) for q in QUERIES]
    environs += [_environ(method="POST", body=b, content_type=form) for b in FORMS]
    environs += [
        _environ(method="POST", body=b"a=1", content_type="application/x-www-form-urlencoded; charset=utf-8"),
        _environ(method="POST", body=b"a=1", content_type="text/plain"),
        _environ(method="POST", body=b"--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.txt\"\r\n\r\n"
                 b"hello\r\n--b\r\nContent-Disposition: form-data; name=\"t\"\r\n\r\nv\r\n--b--\r\n",
                 content_type="multipart/form-data; boundary=b"),
        _environ(method="POST", body=b"a=12345678901234", content_type=form, path="/limited"),
        _environ(method="PUT", body=b"a=1", content_type=form),
        _environ(path="/echo/a/%C3%A9/b", query="x=1"),
        _environ(path="/echo/\xc3\xa9"),                      # PATH_INFO as latin-1 WSGI string
        _environ(path="/nowhere"), _environ(path="/slash", query="a=1"), _environ(method="DELETE"),
        _environ(method="HEAD"), _environ(method="OPTIONS"),
        _environ(path="/go", query="to=https%3A%2F%2Fapp.example.com%2Fcb%3Fcode%3Dx%26state%3D%C3%A9+%7B%7D"),
        _environ(path="/go", query="to=/relative path"),
        _environ(host="ACME.Example.COM:443"), _environ(host="acme.example.com:8443"),
        _environ(host="a..b"), _environ(host="xn--bcher-kva.example"), _environ(host="b\xc3\xbccher.example"),
        _environ(HTTP_CONNECTION="keep-alive, Upgrade", HTTP_UPGRADE="websocket"),
        _environ(SCRIPT_NAME="/mount"),
    ]
    return environs


@pytest.mark.parametrize("config", [{}, {"MAX_CONTENT_LENGTH": 40, "MAX_FORM_MEMORY_SIZE": 8, "MAX_FORM_PARTS": 1}])
def test_every_request_answered_as_stock_flask_answers_it(config):
    """Status, headers in order and body of each request equal stock Flask's: the form and
    query reading, the URL adapter, the limits (413s) and the error pages (404, 405, 308)."""
    stock, world = _echo_app(Flask, **config), _echo_app(WorldFlask, **config)
    for environ in _requests():
        assert _answer(world, environ) == _answer(stock, environ), environ["PATH_INFO"]


def test_the_url_adapter_is_flasks():
    stock, world = _echo_app(Flask), _echo_app(WorldFlask)
    fields = ("server_name", "script_name", "subdomain", "url_scheme", "path_info", "default_method", "query_args")
    for environ in _requests():
        adapters, hosts = [], []
        for app in (stock, world):
            request = app.request_class(environ)
            try:
                adapter = app.create_url_adapter(request)
                adapters.append(tuple(getattr(adapter, f) for f in fields))
            except Exception as exc:   # noqa: BLE001 - the same exception is the expected outcome
                adapters.append((type(exc), str(exc)))
            hosts.append(request.__dict__.get("host"))
        assert adapters[0] == adapters[1] and hosts[0] == hosts[1], environ


def test_urlencoded_pairs_are_parse_qsl_pairs():
    """world_common.urlencoded.parse gives parse_qsl's pairs (werkzeug's arguments), for the
    corpus above and for random strings of the characters that matter to it."""
    corpus = [b.decode("utf-8", "surrogateescape") for b in FORMS] + QUERIES
    rng = random.Random(17)
    alphabet = ["%", "+", "=", "&", ";", "a", "B", "0", "f", "F", "2", "3", "D", "e", "%2B", "%2b", "%2F", "%2f", "%3D",
                "%3d", "%ff", "%C3", "%A9", "%e2%82%ac", "é", " ", "%0", "%%", "\x00"]
    corpus += ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 30))) for _ in range(3000)]
    for text in corpus:
        assert urlencoded.parse(text) == parse_qsl(text, keep_blank_values=True, errors="werkzeug.url_quote"), text
        assert urlencoded.parse(text, "replace") == parse_qsl(text, keep_blank_values=True), text   # Okta's reader


def test_each_app_reads_its_own_limits():
    small, large = WorldFlask("small"), WorldFlask("large")
    small.config["MAX_CONTENT_LENGTH"], large.config["MAX_CONTENT_LENGTH"] = 10, 1000
    for app, limit in ((small, 10), (large, 1000)):
        with app.test_request_context("/", method="POST"):
            assert request.max_content_length == limit
            request.max_content_length = 5
            assert request.max_content_length == 5
