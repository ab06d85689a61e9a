"""The Application Load Balancer's ``authenticate-cognito`` action (docs/fidelity/alb.md#alb-authenticate-cognito).

Contract with mock_cognito.app: :func:`create_apps` returns host -> WSGI app: one per ALB, and
the region's public-key host for ``x-amzn-oidc-data``.
"""
from __future__ import annotations

from flask import Flask, Response

from world_common.flask_app import WorldFlask

from . import oidc_data
from .authenticate import create_app


def _public_keys_app(aws) -> Flask:
    """``https://public-keys.auth.elb.<region>.amazonaws.com/<kid>`` → the PEM public key."""
    app = WorldFlask("alb-public-keys")
    keys = {}
    for lb in aws.LoadBalancers:
        kid, key = oidc_data.signing_key(aws.region, lb.Arn)
        keys[kid] = oidc_data.public_key_pem(key)

    @app.get("/<kid>")
    def public_key(kid):
        if kid not in keys:
            # S3-backed in AWS; the missing-key body is not in the reference (unconfirmed).
            return Response("Not Found\n", 404, content_type="text/plain")
        return Response(keys[kid], 200, content_type="application/octet-stream")

    return app


def create_apps(aws, services) -> dict:
    apps = {f"public-keys.auth.elb.{aws.region}.amazonaws.com": _public_keys_app(aws)}
    for lb in aws.LoadBalancers:
        apps[lb.DNSName.lower()] = create_app(aws, lb, services)
    return apps
