"""aws-okta-processor (PyPI), unmodified, against mock_okta and the AWS side (docs/fidelity/okta-oidc-api.md#okta-oidc-api-cli-clients):
/api/v1/authn → /api/v1/sessions → /api/v1/users/me/appLinks (``appName == "amazon_aws"``) →
the app's linkUrl with the ``sid`` cookie → SAMLResponse → with several roles, the role page
POSTed at https://signin.aws.amazon.com/saml → STS; the credentials then pass
``aws sts get-caller-identity``.

The tool reads only AWS's legacy role chooser (``fieldset > div.saml-account``, docs/fidelity/aws-signin-sts.md#aws-signin-sts-role-chooser-legacy-html); against the current Next.js page a multi-role user fails inside
the tool (``soup.find("fieldset")`` is None), so the multi-role test runs with the world's
``signin_page: legacy``.
"""
from __future__ import annotations

ACCOUNT = "123456789012"


def _authenticate(tools, running, login, password, role):
    return tools.json("aws-okta-processor", "authenticate", "--no-okta-cache", "--no-aws-cache", "--silent",
                      "--user", login, "--pass", password, "--organization", running.okta_host,
                      "--role", f"arn:aws:iam::{ACCOUNT}:role/{role}", "--region", "us-east-1")


def test_single_role_user_gets_credentials_that_sts_accepts(tools, world):
    credentials = _authenticate(tools, world, "bob@example.com", "Bob-Passw0rd", "readonly")
    assert credentials["AccessKeyId"].startswith("ASIA")
    identity = tools.caller_identity(credentials)
    assert identity["Arn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/readonly/bob@example.com"


def test_multi_role_user_picks_a_role_from_the_legacy_page(tool_runner, legacy_signin_world):
    tools = tool_runner(legacy_signin_world)
    credentials = _authenticate(tools, legacy_signin_world, "alice@example.com", "Alice-Passw0rd", "readonly")
    identity = tools.caller_identity(credentials)
    assert identity["Arn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/readonly/alice@example.com"
