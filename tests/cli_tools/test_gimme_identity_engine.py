"""gimme-aws-creds in its Identity Engine mode (``force_classic = False`` with a ``client_id``, what
``--action-configure`` writes for an Identity Engine org when the user does not force Classic;
docs/fidelity/okta-mfa-idx.md#okta-mfa-idx-device-grant, #okta-mfa-idx-web-sso-token): it reads
``pipeline: idx``, starts the device authorization grant with the native app's client id, prints
the verification link and polls; the test approves the device by signing alice in at that link;
the tool then exchanges its tokens for a web SSO token, opens /login/token/sso, reads the AWS
app's SAMLResponse and calls STS; the credentials pass ``aws sts get-caller-identity``."""
from __future__ import annotations

import json
import re
import subprocess
import threading

ACCOUNT = "123456789012"


def config(world, role: str) -> str:
    app = world.world.okta_app("AWS Account Federation")
    native = world.world.okta_app("gimme-aws-creds")
    return (f"[DEFAULT]\nokta_org_url = {world.world.okta.org_url}\nokta_auth_server =\n"
            f"client_id = {native.oidc.client_id}\ngimme_creds_server = appurl\naws_appname =\n"
            f"aws_rolename = arn:aws:iam::{ACCOUNT}:role/{role}\nwrite_aws_creds = False\ncred_profile = role\n"
            f"okta_username = alice@example.com\napp_url = {app.embed_link}\nresolve_aws_alias = False\n"
            "include_path = False\npreferred_mfa_type =\nremember_device = False\naws_default_duration = 3600\n"
            # gimme-aws-creds reads a missing or empty force_classic as True (config.py), so the
            # Identity Engine setup says False, as its configure step writes it.
            "device_token =\noutput_format = json\nenable_keychain = False\nopen_browser = False\n"
            "force_classic = False\n")


def approve(world, link: str) -> None:
    http = world.http
    http.cookies.clear()
    page = http.get(link, timeout=15)
    action = re.search(r'action="([^"]+)"', page.text).group(1).replace("&amp;", "&")
    done = http.post(world.world.okta.org_url + action, data={"username": "alice@example.com",
                                                               "password": "Alice-Passw0rd"}, timeout=15)
    http.cookies.clear()
    assert "Device activated" in done.text, done.text[:500]


def test_gimme_aws_creds_identity_engine_device_flow(tools, world):
    path = tools.home / ".okta_aws_login_config"
    path.write_text(config(world, "admin"))
    proc = subprocess.Popen([tools.path("gimme-aws-creds"), "--output-format", "json", "--disable-keychain"],
                            env=tools.env(OKTA_CONFIG=str(path)), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, text=True, cwd=tools.home)
    timer = threading.Timer(120, proc.kill)
    timer.start()
    try:
        seen = []
        for line in proc.stderr:           # the tool prints the verification link, then polls
            seen.append(line)
            if "/activate?user_code=" in line:
                approve(world, line.strip())
                break
        else:
            raise AssertionError("no verification link:\n" + "".join(seen))
        out, err = proc.communicate()
    finally:
        timer.cancel()
    assert proc.returncode == 0, out[-3000:] + "".join(seen) + err[-3000:]
    creds = json.loads(out.strip().splitlines()[-1])["credentials"]
    identity = tools.caller_identity({"AccessKeyId": creds["aws_access_key_id"],
                                      "SecretAccessKey": creds["aws_secret_access_key"],
                                      "SessionToken": creds["aws_session_token"]})
    assert identity["Arn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/admin/alice@example.com"
