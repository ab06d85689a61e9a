"""The AWS CLI (awscli from PyPI), unmodified, through the world's proxy with ``harness env`` only:
``aws sts assume-role-with-saml`` with the assertion of Okta's AWS app, then
``aws sts get-caller-identity`` with the credentials it returned (docs/fidelity/aws-signin-sts.md#aws-signin-sts-aws-app, docs/fidelity/aws-signin-sts.md#aws-signin-sts-sts)."""
from __future__ import annotations

ACCOUNT = "123456789012"


def test_aws_cli_reaches_the_control_plane_through_the_proxy(tools, world):
    pools = tools.json("aws", "cognito-idp", "list-user-pools", "--max-results", "10", "--output", "json")
    assert [p["Id"] for p in pools["UserPools"]] == [world.world.user_pool("acme-users").Id]


def test_aws_cli_assume_role_with_saml_then_get_caller_identity(tools, world, aws_app_saml):
    action, assertion = aws_app_saml("alice@example.com", "Alice-Passw0rd")
    # docs/fidelity/aws-signin-sts.md#aws-signin-sts-acs-destination-recipient: the form posts to the AWS sign-in endpoint
    assert action == "https://signin.aws.amazon.com/saml"
    result = tools.json("aws", "sts", "assume-role-with-saml", "--output", "json",
                        "--role-arn", f"arn:aws:iam::{ACCOUNT}:role/admin",
                        "--principal-arn", f"arn:aws:iam::{ACCOUNT}:saml-provider/Okta",
                        "--saml-assertion", assertion)
    credentials = result["Credentials"]
    assert credentials["AccessKeyId"].startswith("ASIA")
    assert result["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/admin/alice@example.com"
    identity = tools.caller_identity(credentials)
    assert identity["Account"] == ACCOUNT
    assert identity["Arn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/admin/alice@example.com"


def test_aws_cli_with_a_single_role_assertion(tools, aws_app_saml):
    # bob is only in the read-only group of the default world: one Role value
    _, assertion = aws_app_saml("bob@example.com", "Bob-Passw0rd")
    result = tools.json("aws", "sts", "assume-role-with-saml", "--output", "json",
                        "--role-arn", f"arn:aws:iam::{ACCOUNT}:role/readonly",
                        "--principal-arn", f"arn:aws:iam::{ACCOUNT}:saml-provider/Okta",
                        "--saml-assertion", assertion)
    identity = tools.caller_identity(result["Credentials"])
    assert identity["Arn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/readonly/bob@example.com"


def test_aws_cli_shows_sts_access_denied_for_a_missing_role(tools, aws_app_saml):
    # docs/fidelity/aws-signin-sts.md#aws-signin-sts-not-authorized: role missing → AccessDenied (403)
    _, assertion = aws_app_saml("bob@example.com", "Bob-Passw0rd")
    done = tools.run("aws", "sts", "assume-role-with-saml", "--output", "json",
                     "--role-arn", f"arn:aws:iam::{ACCOUNT}:role/does-not-exist",
                     "--principal-arn", f"arn:aws:iam::{ACCOUNT}:saml-provider/Okta",
                     "--saml-assertion", assertion)
    assert done.returncode != 0
    assert "(AccessDenied) when calling the AssumeRoleWithSAML operation: " \
           "Not authorized to perform sts:AssumeRoleWithSAML" in done.stderr
