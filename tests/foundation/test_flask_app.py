"""world_common.flask_app: apps whose rules share compiled URL builders build and match every
URL exactly as plain Flask does, however many apps of the same shape a process makes."""
from __future__ import annotations

from flask import Flask, url_for

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
