"""HTTP glue of the app stand-in: its pages and redirects (see :mod:`harness.app_standin`)."""
from __future__ import annotations

import json
from urllib.parse import urlencode

from flask import Blueprint, current_app, jsonify, request
from markupsafe import escape

from .relying_party import RelyingParty, SignInFailed

EXTENSION = "app_standin"

bp = Blueprint("app_standin", __name__)


def _rp() -> RelyingParty:
    return current_app.extensions[EXTENSION]


def _page(title: str, body: str, status: int = 200):
    return (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{escape(title)}</title></head>"
            f"<body><h1>{escape(title)}</h1>{body}</body></html>", status)


@bp.errorhandler(SignInFailed)
def _failed(exc: SignInFailed):
    text = exc.description or exc.code
    return _page("Sign-in failed", f'<p id="error" data-error="{escape(exc.code)}">{escape(text)}</p>', exc.status)


@bp.get("/")
def home():
    links = "".join(f'<li><a href="/login?{escape(urlencode({"client": name}))}" data-client="{escape(name)}">'
                    f"Sign in with {escape(name)}</a></li>" for name in _rp().clients)
    return _page("Example app", f"<ul>{links}</ul>")


@bp.get("/login")
def login():
    return "", 302, {"Location": _rp().authorize_url(request.args.get("client"), request.args)}


@bp.get("/callback")
def callback_view():
    client_name, claims = _rp().finish(request.args)
    logout = f'/logout?{escape(urlencode({"client": client_name}))}'
    return _page("Signed in", f'<pre id="claims">{escape(json.dumps(claims, indent=2, sort_keys=True))}</pre>'
                              f'<p><a id="sign-out" href="{logout}">Sign out</a></p>')


@bp.get("/logout")
def logout():
    """Sign out as an app using the hosted UI does: to Cognito's /logout
    (docs/fidelity/cognito-tokens.md#cognito-tokens-logout)."""
    return "", 302, {"Location": _rp().logout_url(request.args.get("client"))}


# Behind the ALB (issue 9, docs/fidelity/alb.md#alb-headers-to-targets): the x-amzn-oidc-* headers
# this app received, as JSON, or as a page for a browser. Added by the ALB developer.
@bp.get("/headers")
def oidc_headers():
    received = {k.lower(): v for k, v in request.headers.items() if k.lower().startswith("x-amzn-oidc-")}
    if request.accept_mimetypes.best_match(["application/json", "text/html"]) != "text/html":
        return jsonify(received)
    rows = "".join(f"<dt>{escape(k)}</dt><dd><code id='{escape(k)}'>{escape(v)}</code></dd>"
                   for k, v in sorted(received.items()))
    return f"<!doctype html><title>Headers</title><h1>Headers from the load balancer</h1><dl>{rows}</dl>", 200
