"""What a hosted-UI app (one per pool domain) knows of its world, kept where Flask keeps per-app
state: ``app.extensions["mock_cognito"]``.

Every view of the hosted UI, the OAuth endpoints, the SAML and OIDC federation and the end of a
federated sign-in reads it through :func:`ctx` (inside a request of that app).
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

    def pool(self) -> PoolView | None:
        return moto_adapter.pool_view(self.account_id, self.region, host=self.host)

    def client(self, pool: PoolView, client_id: str | None) -> ClientView | None:
        return moto_adapter.client_view(self.account_id, self.region, pool.id, client_id)


def install(app: Flask, context: Context) -> None:
    app.extensions[EXTENSION] = context


def ctx() -> Context:
    return current_app.extensions[EXTENSION]
