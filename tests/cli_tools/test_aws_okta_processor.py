"""aws-okta-processor (PyPI), unmodified, against mock_okta and the AWS side (okta-aws.md §6):
/api/v1/authn → /api/v1/sessions → /api/v1/users/me/appLinks (``appName == "amazon_aws"``) →
the app's linkUrl with the ``sid`` cookie → SAMLResponse → (several roles) the role page at
https://signin.aws.amazon.com/saml → STS; the credentials then pass
``aws sts get-caller-identity``."""
from __future__ import annotations

ACCOUNT = "123456789012"


def test_aws_okta_processor_gets_credentials_that_sts_accepts(tools, world):
    org_host = world.okta_host
    credentials = tools.json("aws-okta-processor", "authenticate", "--no-okta-cache", "--no-aws-cache",
                             "--silent", "--user", "alice@example.com", "--pass", "Alice-Passw0rd",
                             "--organization", org_host, "--role", f"arn:aws:iam::{ACCOUNT}:role/readonly",
                             "--region", "us-east-1")
    assert credentials["AccessKeyId"].startswith("ASIA")
    identity = tools.caller_identity(credentials)
    assert identity["Arn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/readonly/alice@example.com"
