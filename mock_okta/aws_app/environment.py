"""Where Okta's AWS Account Federation app posts its SAML response (docs/fidelity/aws-signin-sts.md#aws-signin-sts-acs-destination-recipient; docs/fidelity/iac.md#iac-aws-app-acs).

The ACS follows the app's ``awsEnvironmentType``: commercial AWS ``aws.amazon`` ->
``https://signin.aws.amazon.com/saml``, GovCloud -> ``https://signin.amazonaws-us-gov.com/saml``,
China -> ``https://signin.amazonaws.cn/saml`` (the three hosts: AWS's SAML docs; gimme-aws-creds'
ACS rule). ``loginURL`` is where the console lands after sign-in (the provider docs' example is
``https://console.aws.amazon.com/ec2/home``), not the ACS; a ``loginURL`` that *is* a sign-in ACS
(``https://<region>.signin.aws.amazon.com/saml``, as older world files wrote it) is honoured as the
ACS override. The GovCloud/China value names are inferred (no public capture of the JSON values).
"""
from __future__ import annotations

from world_common import urls
from world_common.world_model import AwsAppSettings

ACS_BY_ENVIRONMENT = {
    "aws.amazon": "https://signin.aws.amazon.com/saml",
    "aws-us-gov": "https://signin.amazonaws-us-gov.com/saml",
    "aws.amazon.us-gov": "https://signin.amazonaws-us-gov.com/saml",
    "aws-cn": "https://signin.amazonaws.cn/saml",
    "aws.cn": "https://signin.amazonaws.cn/saml",
}
DEFAULT_ACS = ACS_BY_ENVIRONMENT["aws.amazon"]


def acs_url(settings: AwsAppSettings | dict) -> str:
    """The ACS (Recipient and Destination) of an AWS app with ``settings`` (``app.aws`` or its mapping)."""
    read = settings.get if isinstance(settings, dict) else lambda key: getattr(settings, key, None)
    login = read("loginURL")
    if urls.is_aws_signin_acs(login):
        return login
    return ACS_BY_ENVIRONMENT.get(read("awsEnvironmentType") or "aws.amazon", DEFAULT_ACS)
