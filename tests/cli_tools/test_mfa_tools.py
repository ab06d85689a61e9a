"""Command-line tools through MFA (docs/fidelity/okta-mfa-idx.md#okta-mfa-idx-authn-states): carol
(Google Authenticator, secret JBSWY3DPEHPK3PXP; the default world's sign-on policy asks her for a
second factor) gets credentials with gimme-aws-creds (Classic, ``preferred_mfa_type``),
aws-okta-processor (``--factor``) and the AWS CLI (``credential_process`` running
aws-okta-processor); the credentials pass ``aws sts get-caller-identity``."""
from __future__ import annotations

import json

import pyotp

ACCOUNT = "123456789012"
SECRET = "JBSWY3DPEHPK3PXP"


class Authenticator(pyotp.TOTP):
    """pyotp's TOTP accepting the 80-bit secret of the issue (Google Authenticator accepts it)."""
    min_secret_length_bits = 80


def code(world) -> str:
    return Authenticator(SECRET).at(world.clock.time())


def gimme_config(world, login, password, role, **settings) -> str:
    app = world.world.okta_app("AWS Account Federation")
    lines = {"okta_org_url": world.world.okta.org_url, "okta_auth_server": "", "client_id": "",
             "gimme_creds_server": "appurl", "aws_appname": "", "aws_rolename": f"arn:aws:iam::{ACCOUNT}:role/{role}",
             "write_aws_creds": "False", "cred_profile": "role", "okta_username": login, "okta_password": password,
             "app_url": app.embed_link, "resolve_aws_alias": "False", "include_path": "False",
             "preferred_mfa_type": "", "remember_device": "False", "aws_default_duration": "3600",
             "device_token": "", "output_format": "json", "force_classic": "True", "enable_keychain": "False",
             **settings}
    return "[DEFAULT]\n" + "".join(f"{k} = {v}\n" for k, v in lines.items())


def credentials_of(done) -> dict:
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    creds = json.loads(done.stdout.strip().splitlines()[-1])["credentials"]
    return {"AccessKeyId": creds["aws_access_key_id"], "SecretAccessKey": creds["aws_secret_access_key"],
            "SessionToken": creds["aws_session_token"]}


def test_gimme_aws_creds_classic_with_totp(tools, world):
    config = tools.home / ".okta_aws_login_config"
    config.write_text(gimme_config(world, "carol@example.com", "Carol-Passw0rd", "admin",
                                   preferred_mfa_type="token:software:totp"))
    done = tools.run("gimme-aws-creds", "--output-format", "json", "--disable-keychain", "--mfa-code", code(world),
                     env=tools.env(OKTA_CONFIG=str(config)))
    identity = tools.caller_identity(credentials_of(done))
    assert identity["Arn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/admin/carol@example.com"


def _aop_args(world, role):
    return ["authenticate", "--no-okta-cache", "--no-aws-cache", "--silent", "--user", "carol@example.com",
            "--pass", "Carol-Passw0rd", "--organization", world.okta_host, "--factor", "token:software:totp:google",
            "--role", f"arn:aws:iam::{ACCOUNT}:role/{role}", "--region", "us-east-1"]


def test_aws_okta_processor_with_totp_then_the_aws_cli(tool_runner, legacy_signin_world):
    world = legacy_signin_world
    tools = tool_runner(world)
    done = tools.run("aws-okta-processor", *_aop_args(world, "readonly"), stdin=code(world) + "\n")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    credentials = json.loads(done.stdout)
    assert tools.caller_identity(credentials)["Arn"] == \
        f"arn:aws:sts::{ACCOUNT}:assumed-role/readonly/carol@example.com"
    # The AWS CLI with aws-okta-processor as its credential_process (its documented use): the code
    # reaches the tool through the CLI's standard input.
    process = " ".join([tools.path("aws-okta-processor"), *_aop_args(world, "admin")])
    (tools.home / ".aws").mkdir(exist_ok=True)
    (tools.home / ".aws" / "config").write_text(f"[profile carol]\ncredential_process = {process}\n"
                                               "region = us-east-1\n")
    env = {k: v for k, v in tools.env().items() if not k.startswith("AWS_ACCESS") and not k.startswith("AWS_SECRET")
           and k != "AWS_SESSION_TOKEN"}
    done = tools.run("aws", "sts", "get-caller-identity", "--profile", "carol", "--output", "json",
                     stdin=code(world) + "\n", env=env)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert json.loads(done.stdout)["Arn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/admin/carol@example.com"
