"""Per-app state of mock_cognito's Flask apps, kept where Flask keeps it: ``app.extensions``.

The one shape, for every app of this package: ``app.extensions["mock_cognito"]`` holds one
object, set by :func:`install` when the app is made and read by :func:`app_state` inside a
request; nothing else (no ``app.config``, closures, module globals or blueprint record hooks).
Its class depends on the kind of app:

* a pool domain's hosted UI (:mod:`mock_cognito.hosted_ui`): :class:`Context`, read with
  :func:`ctx` by the hosted UI, the OAuth endpoints, SAML and OIDC federation;
* a load balancer's host: :class:`mock_cognito.alb.authenticate.AuthenticateAction`; the
  region's ALB public-key host: ``{kid: PEM}``;
* the console sign-in host: :class:`mock_cognito.aws_signin.signin.Console`;
* ``cognito-idp.<region>``: :class:`mock_cognito.cognito_idp.CognitoIdp` (the dispatcher in front of moto).

The plain WSGI fronts that are not Flask apps (STS, the cognito-idp dispatcher) are objects
whose attributes are their state.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app

from . import moto_adapter
from .config import ClientView, PoolView
from .saml.metadata import MetadataCache
from .store import Store

EXTENSION = "mock_cognito"


@dataclass
class Context:
    account_id: str
    region: str
    host: str
    services: object
    store: Store
    metadata: MetadataCache
    functions: object = None   # the world's Lambda functions (mock_cognito.triggers.Functions)
    # OIDC federation's sign-ins in flight and caches (mock_cognito.oidc_federation.views.State)
    oidc_federation: object = None

    def pool(self) -> PoolView | None:
        return moto_adapter.pool_view(self.account_id, self.region, host=self.host)

    def client(self, pool: PoolView, client_id: str | None) -> ClientView | None:
        return moto_adapter.client_view(self.account_id, self.region, pool.id, client_id)


def install(app: Flask, state) -> None:
    app.extensions[EXTENSION] = state


def app_state():
    """The state of the app handling the current request."""
    return current_app.extensions[EXTENSION]


def ctx() -> Context:
    """The state of the current pool-domain app."""
    return app_state()
