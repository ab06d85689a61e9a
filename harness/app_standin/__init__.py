"""The client application stand-in (``https://app.example.com`` in the default world).

A small web app that signs in with the user pool's hosted UI the way a real app does: it
redirects to ``/oauth2/authorize`` (state, nonce, PKCE S256), takes the code at ``/callback``,
exchanges it at ``/oauth2/token`` with the client secret, verifies the ID token against the
pool's JWKS with PyJWT (iss, aud, token_use, exp, nonce: docs/fidelity/cognito-tokens.md#cognito-tokens-token-validation-rules-for-consumers) and shows the claims.

Page selectors: ``GET /`` has one ``a[data-client="<ClientName>"]`` "Sign in with <ClientName>"
link per client; ``/callback`` shows the ID token's claims as JSON in ``<pre id="claims">``, or
Cognito's error in ``<p id="error">`` (``data-error`` holds the ``error`` code, the text is the
``error_description``, or the code when there is none).

Modules: :mod:`.relying_party` (the OpenID Connect client, no Flask), :mod:`.views` (HTTP glue).
Per-app state: ``app.extensions["app_standin"]``, the app's
:class:`~.relying_party.RelyingParty`.
"""
from __future__ import annotations

from flask import Flask

from world_common.flask_app import WorldFlask
from world_common.services import Services
from world_common.world_model import ClientApp

from . import views
from .relying_party import RelyingParty

__all__ = ["create_app"]


def create_app(app_record: ClientApp, world, services: Services) -> Flask:
    app = WorldFlask("app_standin")
    app.extensions[views.EXTENSION] = RelyingParty(app_record, world, services)
    app.register_blueprint(views.bp)
    return app
