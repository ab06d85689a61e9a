"""gimme-aws-creds (PyPI), unmodified, against mock_okta and the AWS side (docs/fidelity/okta-oidc-api.md#okta-oidc-api-cli-clients):
Okta Classic authn → /login/sessionCookieRedirect → the AWS app's embed link (``appurl`` mode) →
SAMLResponse → the role page at signin.aws.amazon.com/saml → STS AssumeRoleWithSAML; the
credentials then pass ``aws sts get-caller-identity``."""
from __future__ import annotations

import json

ACCOUNT = "123456789012"


def _config(world, role: str) -> str:
    app = world.world.okta_app("AWS Account Federation")
    # The org's /.well-known/okta-organization says pipeline "idx": force_classic selects the
    # Classic /api/v1/authn flow (the Identity Engine flow needs an OAuth client and device grant).
    return f"""[DEFAULT]
okta_org_url = {world.world.okta.org_url}
okta_auth_server =
client_id =
gimme_creds_server = appurl
aws_appname =
aws_rolename = arn:aws:iam::{ACCOUNT}:role/{role}
write_aws_creds = False
cred_profile = role
okta_username = alice@example.com
okta_password = Alice-Passw0rd
app_url = {app.embed_link}
resolve_aws_alias = False
include_path = False
preferred_mfa_type =
remember_device = False
aws_default_duration = 3600
device_token =
output_format = json
force_classic = True
enable_keychain = False
"""


def test_gimme_aws_creds_gets_credentials_that_sts_accepts(tools, world):
    config = tools.home / ".okta_aws_login_config"
    config.write_text(_config(world, "admin"))
    done = tools.run("gimme-aws-creds", "--output-format", "json", "--disable-keychain",
                     env=tools.env(OKTA_CONFIG=str(config)))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["role"]["arn"] == f"arn:aws:iam::{ACCOUNT}:role/admin"
    creds = result["credentials"]
    identity = tools.caller_identity({"AccessKeyId": creds["aws_access_key_id"],
                                      "SecretAccessKey": creds["aws_secret_access_key"],
                                      "SessionToken": creds["aws_session_token"]})
    assert identity["Arn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/admin/alice@example.com"
