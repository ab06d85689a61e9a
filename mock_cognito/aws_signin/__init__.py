"""AWS's sign-in side of IAM federation: ``signin.aws.amazon.com/saml`` with its role picker,
and STS ``AssumeRoleWithSAML`` (okta-aws.md §4, §5).

Contract with mock_cognito.app: :func:`create_apps` returns host -> WSGI app.
"""
from __future__ import annotations


def create_apps(aws, services) -> dict:
    region = aws.region
    # Until issue 6 lands, STS is moto's as it is.
    return {h: services.moto_app for h in ("sts.amazonaws.com", f"sts.{region}.amazonaws.com")}
