"""The ALB's behaviour before any sign-in (docs/fidelity/alb.md#alb-authenticate-cognito): the redirect to Cognito, deny and allow,
header hygiene in both directions, forged cookies, the public-key host. No IdP involved."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from harness.internet import routed_session

DEFAULT_ALB = "https://acme-alb-1234567890.us-east-1.elb.amazonaws.com"
EDGE_ALB = "https://edge-alb-42.us-east-1.elb.amazonaws.com"   # the echo world's ALB (conftest)

OIDC = ("x-amzn-oidc-data", "x-amzn-oidc-identity", "x-amzn-oidc-accesstoken")


def _session(running):
    return routed_session(running.port, running.world.hosts(), running.ca_file)


def test_no_session_redirects_to_the_pools_authorize_endpoint(world):
    # docs/fidelity/alb.md#alb-alb-cognito-flow: no cookie → 302 to Cognito /oauth2/authorize, callback
    # https://<ALB>/oauth2/idpresponse; "Action config": Scope as configured.
    with _session(world) as http:
        response = http.get(f"{DEFAULT_ALB}/some/page?q=1", allow_redirects=False)
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert (location.scheme, location.hostname, location.path) == (
        "https", "myapp.auth.us-east-1.amazoncognito.com", "/oauth2/authorize")
    query = {k: v[0] for k, v in parse_qs(location.query).items()}
    client = world.world.client("acme-users", "web")
    assert query["client_id"] == client.ClientId
    assert query["redirect_uri"] == f"{DEFAULT_ALB}/oauth2/idpresponse"
    assert query["response_type"] == "code"
    assert query["scope"] == "openid email profile"
    assert len(query["state"]) >= 16


def test_each_login_gets_its_own_state(world):
    with _session(world) as http:
        states = {parse_qs(urlsplit(http.get(f"{DEFAULT_ALB}/", allow_redirects=False)
                                    .headers["Location"]).query)["state"][0] for _ in range(3)}
    assert len(states) == 3


@pytest.mark.alb_mode("authenticate")
def test_extra_params_are_added_to_the_authorize_request(echo_world):
    # docs/fidelity/alb.md#alb-action-config: AuthenticationRequestExtraParams (≤ 10) go to the IdP request.
    with _session(echo_world) as http:
        response = http.get(f"{EDGE_ALB}/", allow_redirects=False)
    query = {k: v[0] for k, v in parse_qs(urlsplit(response.headers["Location"]).query).items()}
    assert query["identity_provider"] == "Okta" and query["lang"] == "fr"
    assert query["scope"] == "openid"   # the default Scope


@pytest.mark.alb_mode("deny")
def test_deny_answers_401_and_never_reaches_the_target(echo_world):
    # docs/fidelity/alb.md#alb-action-config: OnUnauthenticatedRequest deny → 401.
    with _session(echo_world) as http:
        response = http.get(f"{EDGE_ALB}/private", allow_redirects=False)
    assert response.status_code == 401
    assert "X-Upstream" not in response.headers


@pytest.mark.alb_mode("allow")
def test_allow_forwards_without_claims_and_drops_forged_headers(echo_world):
    # Headers from the client are overwritten (issue 9; docs/fidelity/alb.md#alb-headers-to-targets).
    forged = {name: "forged-by-the-client" for name in OIDC}
    with _session(echo_world) as http:
        response = http.get(f"{EDGE_ALB}/anything?x=1", headers=forged, allow_redirects=False)
    assert response.status_code == 200
    assert response.headers["X-Upstream"] == "echo"
    seen = response.json()
    assert seen["path"] == "/anything?x=1"
    assert not set(OIDC) & set(seen["headers"])


@pytest.mark.alb_mode("allow")
def test_oidc_headers_from_the_target_are_removed_from_responses(echo_world):
    with _session(echo_world) as http:
        response = http.get(f"{EDGE_ALB}/", allow_redirects=False)
    assert response.headers["X-Upstream"] == "echo"
    for name in OIDC:
        assert name not in response.headers


@pytest.mark.alb_mode("allow")
def test_cookies_the_target_sets_go_to_that_client_only(echo_world):
    with _session(echo_world) as first, _session(echo_world) as second:
        answer = first.get(f"{EDGE_ALB}/", allow_redirects=False)
        assert answer.cookies.get("target-cookie") == "set-by-the-target"
        seen = second.get(f"{EDGE_ALB}/", allow_redirects=False).json()
    assert "cookie" not in seen["headers"]


@pytest.mark.alb_mode("deny")
def test_a_forged_session_cookie_is_not_a_session(echo_world):
    with _session(echo_world) as http:
        http.cookies.set("EdgeSession-0", "bm90LWEtc2Vzc2lvbg==", domain="edge-alb-42.us-east-1.elb.amazonaws.com")
        response = http.get(f"{EDGE_ALB}/", allow_redirects=False)
    assert response.status_code == 401


@pytest.mark.alb_mode("deny")
def test_idpresponse_without_a_login_in_progress_is_401(echo_world):
    with _session(echo_world) as http:
        response = http.get(f"{EDGE_ALB}/oauth2/idpresponse?code=abc&state=never-issued", allow_redirects=False)
    assert response.status_code == 401


def test_public_key_host_serves_the_pem_for_a_kid(world):
    # docs/fidelity/alb.md#alb-public-key-url: https://public-keys.auth.elb.{region}.amazonaws.com/{kid} (PEM).
    from mock_cognito.alb import oidc_data

    lb = world.world.aws.LoadBalancers[0]
    kid, _ = oidc_data.signing_key("us-east-1", lb.Arn)
    with _session(world) as http:
        response = http.get(f"https://public-keys.auth.elb.us-east-1.amazonaws.com/{kid}")
        missing = http.get("https://public-keys.auth.elb.us-east-1.amazonaws.com/00000000-0000-4000-8000-000000000000")
    assert response.status_code == 200
    key = serialization.load_pem_public_key(response.content)
    assert isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name == "secp256r1"
    assert missing.status_code == 404


def test_alb_is_listed_in_the_endpoints(world):
    assert {"name": "acme-alb", "url": DEFAULT_ALB} in world.endpoints()["albs"]
