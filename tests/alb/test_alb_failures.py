"""The ALB's answers when a step of the flow fails (docs/fidelity/alb.md#alb-authenticate-cognito):
Cognito's error at /oauth2/idpresponse, a code Cognito refuses, a target that does not answer."""
from __future__ import annotations

import socket
from urllib.parse import parse_qs, urlsplit

import pytest

from harness.internet import routed_session

EDGE_ALB = "https://edge-alb-42.us-east-1.elb.amazonaws.com"   # the echo world's ALB (conftest)


def _session(running):
    return routed_session(running.port, running.world.hosts(), running.ca_file)


def _state_of_a_login(http) -> str:
    location = http.get(f"{EDGE_ALB}/page", allow_redirects=False).headers["Location"]
    return parse_qs(urlsplit(location).query)["state"][0]


@pytest.mark.alb_mode("authenticate")
def test_an_error_from_cognito_is_401_naming_it(echo_world):
    with _session(echo_world) as http:
        state = _state_of_a_login(http)
        response = http.get(f"{EDGE_ALB}/oauth2/idpresponse", params={"state": state, "error": "access_denied"},
                            allow_redirects=False)
        again = http.get(f"{EDGE_ALB}/oauth2/idpresponse", params={"state": state, "code": "x"},
                         allow_redirects=False)
    assert response.status_code == 401 and "access_denied" in response.text
    assert again.status_code == 401    # the login's state is used up


@pytest.mark.alb_mode("authenticate")
def test_a_code_cognito_refuses_is_500_naming_the_token_exchange(echo_world):
    with _session(echo_world) as http:
        state = _state_of_a_login(http)
        response = http.get(f"{EDGE_ALB}/oauth2/idpresponse", params={"state": state, "code": "not-a-code"},
                            allow_redirects=False)
    assert response.status_code == 500
    assert "the token exchange failed" in response.text and "invalid_grant" in response.text
    assert not [c for c in response.cookies if c.name.startswith("EdgeSession")]


_DEAD_TARGET_WORLD = """
name: alb-dead-target
aws:
  UserPools:
    - PoolName: dead-users
      Domain: dead
      Clients:
        - ClientName: alb
          GenerateSecret: true
          CallbackURLs: [https://dead-alb-7.us-east-1.elb.amazonaws.com/oauth2/idpresponse]
          AllowedOAuthFlows: [code]
          AllowedOAuthScopes: [openid]
          AllowedOAuthFlowsUserPoolClient: true
  LoadBalancers:
    - Name: dead-alb
      DNSName: dead-alb-7.us-east-1.elb.amazonaws.com
      AuthenticateCognitoConfig:
        UserPoolArn: ${{user_pool:dead-users.arn}}
        UserPoolClientId: ${{user_pool_client:dead-users/alb.id}}
        UserPoolDomain: dead
        OnUnauthenticatedRequest: allow
      Target: http://127.0.0.1:{port}
"""


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_target_that_does_not_answer_is_502(_harness_world_pool, tmp_path):
    path = tmp_path / "dead-target.yaml"
    path.write_text(_DEAD_TARGET_WORLD.format(port=_closed_port()))
    running = _harness_world_pool.get(str(path))
    with _session(running) as http:
        response = http.get("https://dead-alb-7.us-east-1.elb.amazonaws.com/anything", allow_redirects=False)
    assert response.status_code == 502 and "did not answer" in response.text
