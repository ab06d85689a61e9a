"""The local internet: real host names over TLS with the harness CA, through the proxy too."""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time

import boto3
import botocore.config
import requests


def test_hosts_answer_through_the_routed_session(world):
    org = world.http.get("https://dev-123456.okta.com/.well-known/okta-organization")
    assert org.status_code == 200
    assert org.json()["_links"]["organization"]["href"] == "https://dev-123456.okta.com"
    pool = world.world.user_pool("acme-users")
    jwks = world.http.get(f"https://cognito-idp.us-east-1.amazonaws.com/{pool.Id}/.well-known/jwks.json")
    assert jwks.status_code == 200
    assert {k["alg"] for k in jwks.json()["keys"]} == {"RS256"}


def test_proxy_reaches_world_hosts_with_the_harness_ca(world):
    proxies = {"https": world.proxy.url}
    response = requests.get("https://dev-123456.okta.com/.well-known/okta-organization", proxies=proxies,
                            verify=world.ca_file, timeout=10)
    assert response.status_code == 200


def test_proxy_refuses_hosts_outside_the_world(world):
    proxies = {"https": world.proxy.url}
    try:
        requests.get("https://www.example.org/", proxies=proxies, verify=world.ca_file, timeout=10)
    except requests.exceptions.ProxyError as exc:
        assert "502" in str(exc)
    else:
        raise AssertionError("the proxy let a request out of the world")


def test_certificate_is_not_trusted_without_the_harness_ca(world):
    proxies = {"https": world.proxy.url}
    try:
        requests.get("https://dev-123456.okta.com/", proxies=proxies, timeout=10)
    except requests.exceptions.SSLError:
        pass
    else:
        raise AssertionError("the world's certificate verified without the harness CA")


def test_boto3_reaches_moto_through_the_proxy_with_env_only(world):
    env = world.env()
    config = botocore.config.Config(proxies={"https": env["HTTPS_PROXY"]})
    client = boto3.client("cognito-idp", region_name=env["AWS_DEFAULT_REGION"], verify=env["AWS_CA_BUNDLE"],
                          aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
                          aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"], config=config)
    pools = client.list_user_pools(MaxResults=10)["UserPools"]
    assert [p["Id"] for p in pools] == [world.world.user_pool("acme-users").Id]
    described = client.describe_user_pool_client(UserPoolId=pools[0]["Id"],
                                                 ClientId=world.world.client("acme-users", "web").ClientId)
    assert described["UserPoolClient"]["ClientSecret"] == world.world.client("acme-users", "web").ClientSecret


def test_endpoints_describe_the_world(world):
    endpoints = world.endpoints()
    assert endpoints["proxy"] == world.proxy.url
    assert os.path.exists(endpoints["ca_file"])
    assert any(a.startswith("--host-resolver-rules=") for a in endpoints["chromium_args"])
    assert endpoints["okta"]["org_url"] == "https://dev-123456.okta.com"
    saml = next(a for a in endpoints["okta"]["apps"] if a["label"] == "Cognito SAML")
    assert saml["sign_on_mode"] == "SAML_2_0" and saml["metadata_url"].endswith("/sso/saml/metadata")
    assert saml["embed_link"].startswith("https://dev-123456.okta.com/home/")
    aws = endpoints["aws"]
    assert (aws["account_id"], aws["region"]) == ("123456789012", "us-east-1")
    assert aws["endpoint_url"].startswith("http://127.0.0.1:")
    pool = aws["user_pools"][0]
    assert pool["name"] == "acme-users" and pool["domain_url"] == "https://myapp.auth.us-east-1.amazoncognito.com"
    assert {c["name"] for c in pool["clients"]} == {"web", "web-oidc"}
    assert endpoints["apps"][0]["url"] == "https://app.example.com"


def test_clock_moves_without_sleeping(world):
    before = world.clock.time()
    world.clock.advance(3600)
    assert world.clock.time() - before >= 3600


def test_harness_up_json_and_env(tmp_path):
    endpoints_file = tmp_path / "endpoints.json"
    # its own state file: a world another run keeps under the default one is not this test's
    proc = subprocess.Popen([sys.executable, "-m", "harness_cli", "up", "--json", str(endpoints_file),
                             "--state", str(tmp_path / "state.json")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 60
        while not endpoints_file.exists() and time.time() < deadline and proc.poll() is None:
            time.sleep(0.05)
        assert endpoints_file.exists(), proc.stderr.read() if proc.poll() is not None else "timed out"
        endpoints = json.loads(endpoints_file.read_text())
        for key in ("proxy", "ca_file", "chromium_args", "okta", "aws", "apps"):
            assert key in endpoints
        pool_id = endpoints["aws"]["user_pools"][0]["id"]
        proxies = {"https": endpoints["proxy"]}
        for url in ("https://dev-123456.okta.com/.well-known/okta-organization",
                    f"https://cognito-idp.us-east-1.amazonaws.com/{pool_id}/.well-known/jwks.json"):
            assert requests.get(url, proxies=proxies, verify=endpoints["ca_file"], timeout=10).status_code == 200
        env = subprocess.run([sys.executable, "-m", "harness_cli", "env", "--endpoints", str(endpoints_file)],
                             capture_output=True, text=True, timeout=60)
        assert env.returncode == 0
        assert re.search(r"^export HTTPS_PROXY=http://127\.0\.0\.1:\d+$", env.stdout, re.M)
        assert f"export AWS_CA_BUNDLE={endpoints['ca_file']}" in env.stdout
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    assert proc.returncode == 0


def test_extra_hosts_are_served_with_the_world_certificate(_harness_world_pool):
    import harness

    _harness_world_pool.close()  # one world per process
    from flask import Flask

    idp = Flask("second-idp")
    idp.add_url_rule("/hello", "hello", lambda: "from the test's own host")
    with harness.start(extra_hosts={"idp.example.test": idp}) as world:
        assert world.http.get("https://idp.example.test/hello").text == "from the test's own host"
        via_proxy = requests.get("https://idp.example.test/hello", proxies={"https": world.proxy.url},
                                 verify=world.ca_file, timeout=10)
        assert via_proxy.status_code == 200
        assert any("MAP idp.example.test " in arg for arg in world.chromium_args())


def test_requests_moto_cannot_parse_get_a_client_error_not_a_500(world):
    for url, kwargs in (
        ("https://iam.amazonaws.com/", {"data": {"Version": "2010-05-08"},
                                         "headers": {"Authorization": "AWS4-HMAC-SHA256 Credential=AKIAX/20260101/us-east-1/iam/aws4_request"}}),
        ("https://cognito-idp.us-east-1.amazonaws.com/", {"data": "{not json",
                                                          "headers": {"X-Amz-Target": "AWSCognitoIdentityProviderService.Nope",
                                                                      "Content-Type": "application/x-amz-json-1.1"}}),
    ):
        response = world.http.post(url, **kwargs)
        assert 400 <= response.status_code < 500, (url, response.status_code, response.text[:200])
