"""A user's own app in another language, unmodified: examples/node-app (Node, aws-jwt-verify from
the npm registry) against a world with nothing but ``harness env``.

It signs in with the pool's hosted UI and verifies Cognito's ID token with CognitoJwtVerifier;
behind the ALB (the world's ALB targets it on 127.0.0.1) it verifies x-amzn-oidc-data with
AlbJwtVerifier, which fetches the key from https://public-keys.auth.elb.<region>.amazonaws.com.
"""
from __future__ import annotations

import html
import json
import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

import harness.world
from mock_cognito.alb import oidc_data

ROOT = Path(__file__).resolve().parents[2]
NODE_APP = ROOT / "examples" / "node-app"
ALB = "https://acme-alb-1234567890.us-east-1.elb.amazonaws.com"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _install_node_dependencies() -> None:
    for tool in ("node", "npm"):
        assert shutil.which(tool), f"{tool} is not installed (scripts/setup.sh installs Node.js 20 and npm)"
    if not (NODE_APP / "node_modules" / "aws-jwt-verify").exists():
        done = subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=NODE_APP, capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr


def _world_file(directory: Path, port: int) -> Path:
    """The default world, its ALB forwarding to the Node app and the `web` client also accepting the
    app's callback (http://localhost is the one plain-HTTP callback Cognito allows, docs/fidelity/cognito-tokens.md#cognito-tokens-endpoints)."""
    text = (Path(harness.world.__file__).parent / "default.yaml").read_text()
    alb_callback = "            - https://acme-alb-1234567890.us-east-1.elb.amazonaws.com/oauth2/idpresponse\n"
    assert text.count("      Target: https://app.example.com\n") == 1 and text.count(alb_callback) == 1
    text = text.replace("      Target: https://app.example.com\n", f"      Target: http://127.0.0.1:{port}\n")
    text = text.replace(alb_callback, alb_callback + f"            - http://localhost:{port}/callback\n")
    path = directory / f"node-app-world-{port}.yaml"
    path.write_text(text)
    return path


@pytest.fixture(scope="module")
def node_app(_harness_world_pool, tmp_path_factory):
    _install_node_dependencies()
    port = _free_port()
    running = _harness_world_pool.get(str(_world_file(tmp_path_factory.mktemp("node"), port)))
    pool = running.world.user_pool("acme-users")
    client = running.world.client("acme-users", "web")
    env = dict(os.environ, **running.env(), PORT=str(port), APP_URL=f"http://localhost:{port}",
               COGNITO_DOMAIN=pool.domain_url, USER_POOL_ID=pool.Id, CLIENT_ID=client.ClientId,
               CLIENT_SECRET=client.ClientSecret, IDENTITY_PROVIDER="Okta",
               ALB_ARN=running.world.aws.LoadBalancers[0].Arn, NODE_NO_WARNINGS="1")
    process = subprocess.Popen(["node", "server.js"], cwd=NODE_APP, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            if requests.get(f"{url}/healthz", timeout=1).status_code == 200:
                break
        except requests.ConnectionError:
            assert process.poll() is None, process.stdout.read()
            time.sleep(0.1)
    else:
        process.kill()
        raise AssertionError("the Node app did not start")
    yield running, url
    process.terminate()
    process.wait(timeout=10)


def _claims_on(page: str) -> dict:
    found = re.search(r'<pre id="claims">(.*?)</pre>', page, re.S)
    assert found, page[:1000]
    return json.loads(html.unescape(found.group(1)))


def _alb_token(running, *, key=None, client_id=None) -> str:
    lb = running.world.aws.LoadBalancers[0]
    kid, alb_key = oidc_data.signing_key(running.world.aws.region, lb.Arn)
    pool = running.world.user_pool("acme-users")
    return oidc_data.encode({"sub": "0f3e5c1a-user", "email": "alice@example.com", "email_verified": "true"},
                            kid=kid, key=key or alb_key, issuer=pool.issuer,
                            client_id=client_id or running.world.client("acme-users", "web").ClientId,
                            signer=lb.Arn, exp=int(time.time()) + 120)


def test_aws_jwt_verify_accepts_the_albs_token_shape(node_app):
    # aws-jwt-verify's AlbJwtVerifier checks ES256 over the padded segments, signer, client, iss,
    # exp, with the key from the public-key host through HTTPS_PROXY (docs/fidelity/alb.md#alb-authenticate-cognito).
    running, url = node_app
    response = requests.get(f"{url}/alb", headers={"x-amzn-oidc-data": _alb_token(running),
                                                   "x-amzn-oidc-identity": "0f3e5c1a-user"}, timeout=15)
    assert response.status_code == 200, response.text
    assert _claims_on(response.text)["email"] == "alice@example.com"


def test_aws_jwt_verify_rejects_a_token_not_signed_by_the_alb(node_app):
    from cryptography.hazmat.primitives.asymmetric import ec

    running, url = node_app
    forged = _alb_token(running, key=ec.generate_private_key(ec.SECP256R1()))
    response = requests.get(f"{url}/alb", headers={"x-amzn-oidc-data": forged}, timeout=15)
    assert response.status_code == 401
    assert "signature" in response.text.lower()
    other_client = requests.get(f"{url}/alb", headers={"x-amzn-oidc-data": _alb_token(running, client_id="x")},
                                timeout=15)
    assert other_client.status_code == 401


def test_the_node_app_signs_in_with_the_hosted_ui(node_app, http_user):
    running, url = node_app
    user = http_user(running)
    final = user.follow(user.get(f"http://localhost:{url.rsplit(':', 1)[1]}/login"))
    assert final.status_code == 200, final.text[:1000]
    claims = _claims_on(final.text)   # verified by CognitoJwtVerifier against the pool's JWKS
    pool = running.world.user_pool("acme-users")
    assert claims["iss"] == pool.issuer
    assert claims["aud"] == running.world.client("acme-users", "web").ClientId
    assert claims["token_use"] == "id"
    assert claims["email"] == "alice@example.com"


def test_the_node_app_behind_the_alb_verifies_x_amzn_oidc_data(node_app, http_user):
    running, _ = node_app
    user = http_user(running)
    final = user.follow(user.get(f"{ALB}/alb"))
    assert final.status_code == 200, final.text[:1000]
    claims = _claims_on(final.text)
    assert claims["email"] == "alice@example.com"
    identity = re.search(r'<p id="identity">(.*?)</p>', final.text).group(1)
    assert claims["sub"] == identity
