"""Application factories for AWS's side: one WSGI app per host the AWS account serves."""
from __future__ import annotations

from flask import Flask, jsonify

from world_common.services import Services


def _cognito_idp_app(aws, services: Services) -> Flask:
    """``https://cognito-idp.<region>.amazonaws.com``: the pools' JWKS and discovery; everything
    else (the JSON API) is moto's."""
    app = Flask("mock_cognito.cognito_idp")
    pools = {p.Id: p for p in aws.UserPools}

    @app.get("/<pool_id>/.well-known/jwks.json")
    def jwks(pool_id):
        from .tokens import jwks_for_pool

        if pool_id not in pools:
            return _moto_like_not_found(pool_id)
        return jsonify(jwks_for_pool(aws, pools[pool_id]))

    moto = services.moto_app

    def dispatch(environ, start_response):
        path = environ.get("PATH_INFO", "")
        if environ.get("REQUEST_METHOD") == "GET" and "/.well-known/" in path:
            return app(environ, start_response)
        return moto(environ, start_response)

    return dispatch


def _moto_like_not_found(pool_id):
    # cognito.md is silent on the body for an unknown pool's JWKS; S3-style XML from the real
    # endpoint is not documented, so a plain 404 names what is missing (unconfirmed shape).
    return jsonify({"message": f"User pool {pool_id} does not exist."}), 404


def create_apps(aws, services: Services) -> dict:
    """Host name -> WSGI app for every host of the AWS account ``aws`` (the world's record)."""
    from . import alb, aws_signin, hosted_ui

    apps = {f"cognito-idp.{aws.region}.amazonaws.com": _cognito_idp_app(aws, services),
            "iam.amazonaws.com": services.moto_app}
    apps.update(hosted_ui.create_apps(aws, services))
    apps.update(aws_signin.create_apps(aws, services))
    apps.update(alb.create_apps(aws, services))
    return apps
