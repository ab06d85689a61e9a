"""The client application stand-in (``https://app.example.com`` in the default world).

A small web app that signs in with the user pool's hosted UI the way a real app does: it
redirects to ``/oauth2/authorize``, takes the code at ``/callback``, exchanges it at
``/oauth2/token``, verifies the ID token against the pool's JWKS and shows the claims.
"""
from __future__ import annotations

from flask import Flask


def create_app(app_record, world, services) -> Flask:
    app = Flask("app_standin")

    @app.get("/")
    def home():
        return "<!doctype html><title>Example app</title><h1>Example app</h1>", 200

    # Behind the ALB (issue 9, cognito.md §7 "Headers to targets"): the x-amzn-oidc-* headers
    # this app received, as JSON, or as a page for a browser. Added by the ALB developer.
    @app.get("/headers")
    def oidc_headers():
        from flask import jsonify, request
        from markupsafe import escape

        received = {k.lower(): v for k, v in request.headers.items() if k.lower().startswith("x-amzn-oidc-")}
        if request.accept_mimetypes.best_match(["application/json", "text/html"]) != "text/html":
            return jsonify(received)
        rows = "".join(f"<dt>{escape(k)}</dt><dd><code id='{escape(k)}'>{escape(v)}</code></dd>"
                       for k, v in sorted(received.items()))
        return f"<!doctype html><title>Headers</title><h1>Headers from the load balancer</h1><dl>{rows}</dl>", 200

    return app
