"""AWS's sign-in side of IAM federation: ``signin.aws.amazon.com/saml`` with its role picker,
and STS ``AssumeRoleWithSAML`` (docs/fidelity/aws-signin-sts.md#aws-signin-sts-aws-app, docs/fidelity/aws-signin-sts.md#aws-signin-sts-sts).

* :mod:`.saml_response` reads and verifies the SAMLResponse against an IAM SAML provider;
* :mod:`.trust_policy` evaluates a role's trust policy with the SAML condition keys;
* :mod:`.assume_role` is AssumeRoleWithSAML's rules (errors in :mod:`.errors`);
* :mod:`.sts_endpoint` is STS's Query-protocol front (other actions go to moto);
* :mod:`.signin` / :mod:`.pages` are the console sign-in, role pickers and console stand-in.

Contract with mock_cognito.app: :func:`create_apps` returns host -> WSGI app.
"""
from __future__ import annotations

from world_common.services import Services
from world_common.world_model import AwsAccount

from . import signin, sts_endpoint


def create_apps(aws: AwsAccount, services: Services) -> dict:
    region = aws.region
    sts = sts_endpoint.StsEndpoint(aws, services)
    console = signin.create_app(aws, services)
    return {"sts.amazonaws.com": sts, f"sts.{region}.amazonaws.com": sts,
            "signin.aws.amazon.com": console, f"{region}.signin.aws.amazon.com": console}
