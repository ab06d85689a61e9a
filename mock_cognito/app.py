"""Application factories for AWS's side: one WSGI app per host the AWS account serves."""
from __future__ import annotations

from world_common.services import Services
from world_common.world_model import AwsAccount

from . import alb, aws_signin, cognito_idp, hosted_ui, triggers
from .saml import signing_certificate
from .store import Store
from .tokens import signing_keys


def create_apps(aws: AwsAccount, services: Services) -> dict:
    """Host name -> WSGI app for every host of the AWS account ``aws`` (the world's record), and
    the pattern ``*.auth.<region>.amazoncognito.com`` -> a callable giving the hosted UI of a
    prefix domain created through the API after start (or None: no such domain)."""
    store = Store()   # the hosted UI's tokens and sessions, which the user-pool API can revoke
    functions = triggers.world_functions(aws, services)
    apps = {f"cognito-idp.{aws.region}.amazonaws.com": cognito_idp.CognitoIdp(aws, services, store),
            "iam.amazonaws.com": services.moto_app}
    apps.update(hosted_ui.create_apps(aws, services, store, functions))
    apps.update(aws_signin.create_apps(aws, services))
    apps.update(alb.create_apps(aws, services))
    for pool in aws.UserPools:  # every signing key exists before the world reports ready
        signing_keys(pool.Id)
        signing_certificate.signing_key(pool.Id)
    return apps
