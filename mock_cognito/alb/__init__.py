"""The Application Load Balancer's ``authenticate-cognito`` action (docs/fidelity/alb.md#alb-authenticate-cognito).

Contract with mock_cognito.app: :func:`create_apps` returns host -> WSGI app: one per ALB, and
the region's public-key host for ``x-amzn-oidc-data``.

Modules: :mod:`.authenticate` (the flow's steps, no Flask), :mod:`.views` (HTTP glue),
:mod:`.oidc_data` (the ``x-amzn-oidc-data`` token), :mod:`.session_cookie` (the session cookie).
"""
from __future__ import annotations

from flask import Flask

from world_common.flask_app import WorldFlask
from world_common.services import Services
from world_common.world_model import AwsAccount, LoadBalancer

from ..context import install
from . import oidc_data, views
from .authenticate import AuthenticateAction


def create_app(aws: AwsAccount, lb: LoadBalancer, services: Services) -> Flask:
    """The app of one load balancer's host."""
    app = WorldFlask(f"alb-{lb.Name}")
    install(app, AuthenticateAction(aws, lb, services))
    app.register_blueprint(views.bp)
    return app


def _public_keys_app(aws: AwsAccount) -> Flask:
    """``https://public-keys.auth.elb.<region>.amazonaws.com/<kid>``; its state: kid → PEM."""
    app = WorldFlask("alb-public-keys")
    keys = {}
    for lb in aws.LoadBalancers:
        kid, key = oidc_data.signing_key(aws.region, lb.Arn)
        keys[kid] = oidc_data.public_key_pem(key)
    install(app, keys)
    app.register_blueprint(views.public_keys_bp)
    return app


def create_apps(aws: AwsAccount, services: Services) -> dict:
    apps = {f"public-keys.auth.elb.{aws.region}.amazonaws.com": _public_keys_app(aws)}
    for lb in aws.LoadBalancers:
        apps[lb.DNSName.lower()] = create_app(aws, lb, services)
    return apps
