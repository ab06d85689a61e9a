"""Cognito's OIDC client against a provider the project did not write (joserfc, second_provider.py).

Each test names the docs/fidelity row it checks.
"""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import jwt as pyjwt
import pytest

from .conftest import APP_CALLBACK, federated_users
from .second_provider import CLIENT_ID, CLIENT_SECRET, ISSUER, SUBJECT

pytestmark = pytest.mark.world("worlds/second_idp.yaml")

USERNAME = f"SecondIdP_{SUBJECT}"


def _pool(world):
    pool = world.world.aws.UserPools[0]
    return pool, pool.Clients[0]


def _sign_in(world, agent, provider="SecondIdP", **extra):
    pool, client = _pool(world)
    return agent.follow(agent.authorize_url(pool, client, provider, **extra))


def _assert_rejected(world, agent, outcome, description):
    """docs/fidelity/cognito-tokens.md#cognito-tokens-error-delivery-rule, docs/fidelity/cognito-federation.md#cognito-federation-oidc: error=invalid_request to the app; no user."""
    assert outcome.at_app, outcome.response.text[:300]
    assert outcome.params["error"] == "invalid_request"
    assert outcome.params["error_description"] == description
    assert "code" not in outcome.params
    assert federated_users(world, _pool(world)[0]) == []


@pytest.fixture(autouse=True)
def _no_users_left(world):
    yield
    from .conftest import cognito_idp

    pool = world.world.aws.UserPools[0]
    for name in federated_users(world, pool):
        cognito_idp(world).admin_delete_user(UserPoolId=pool.Id, Username=name)


# ---- docs/fidelity/cognito-federation.md#cognito-federation-authorization-request-to-idp -----------------------------------------------

def test_authorize_sends_cognito_state_nonce_and_scopes_to_the_discovered_endpoint(world, agent, second_idp):
    pool, client = _pool(world)
    first = agent.get(agent.authorize_url(pool, client, "SecondIdP", login_hint="carol@example.test",
                                          prompt="login consent"))
    assert first.status_code == 302
    target = urlsplit(first.headers["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{ISSUER}/authorize"   # from discovery
    params = {k: v[0] for k, v in parse_qs(target.query).items()}
    assert params["response_type"] == "code"
    assert params["client_id"] == CLIENT_ID
    assert params["redirect_uri"] == f"https://{pool.domain_host}/oauth2/idpresponse"
    assert params["scope"] == "openid email profile"
    assert params["state"] and params["state"] != "app-state-123"      # Cognito's own, opaque
    assert params["nonce"]
    assert params["login_hint"] == "carol@example.test"
    assert params["prompt"] == "login consent"


def test_prompt_none_is_not_forwarded(world, agent, second_idp):
    pool, client = _pool(world)
    first = agent.get(agent.authorize_url(pool, client, "SecondIdP", prompt="none"))
    assert "prompt" not in parse_qs(urlsplit(first.headers["Location"]).query)


# ---- docs/fidelity/cognito-federation.md#cognito-federation-token-request-to-idp, docs/fidelity/cognito-federation.md#cognito-federation-userinfo-call, docs/fidelity/cognito-tokens.md#cognito-tokens-username "sub -> username" ----------------

def test_sign_in_creates_provider_prefixed_user_and_returns_cognito_code(world, agent, second_idp):
    outcome = _sign_in(world, agent)
    assert outcome.at_app, outcome.response.text[:300]
    assert outcome.params["state"] == "app-state-123"
    assert "code" in outcome.params
    assert federated_users(world, _pool(world)[0]) == [USERNAME]


def test_code_exchange_is_client_secret_post_never_basic(world, agent, second_idp):
    _sign_in(world, agent)
    pool, _ = _pool(world)
    [call] = second_idp.token_requests
    assert call["authorization"] is None
    assert call["form"] == {"grant_type": "authorization_code",
                            "redirect_uri": f"https://{pool.domain_host}/oauth2/idpresponse",
                            "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                            "code": call["form"]["code"]}


def test_userinfo_called_with_configured_method(world, agent, second_idp):
    _sign_in(world, agent, "SecondIdP")
    _sign_in(world, agent, "SecondIdPExplicit", scope="openid email")
    assert second_idp.userinfo_methods == ["GET", "POST"]


def test_explicit_endpoints_skip_nothing_and_sign_in(world, agent, second_idp):
    outcome = _sign_in(world, agent, "SecondIdPExplicit")
    assert outcome.at_app and "code" in outcome.params
    assert federated_users(world, _pool(world)[0]) == [f"SecondIdPExplicit_{SUBJECT}"]


def test_cognito_tokens_carry_the_mapped_claims(world, agent, second_idp):
    """docs/fidelity/cognito-tokens.md#cognito-tokens-id-token-claims, docs/fidelity/cognito-tokens.md#cognito-tokens-username; checked with PyJWT against Cognito's JWKS."""
    outcome = _sign_in(world, agent)
    pool, client = _pool(world)
    response = agent.http.post(f"{pool.domain_url}/oauth2/token", timeout=15,
                               auth=(client.ClientId, client.ClientSecret),
                               data={"grant_type": "authorization_code", "code": outcome.params["code"],
                                     "redirect_uri": APP_CALLBACK})
    assert response.status_code == 200, response.text
    id_token = response.json()["id_token"]
    jwks = pyjwt.PyJWKClient(f"https://cognito-idp.{world.world.aws.region}.amazonaws.com/{pool.Id}"
                             "/.well-known/jwks.json")
    jwks.fetch_data = lambda: agent.http.get(jwks.uri, timeout=15).json()
    key = jwks.get_signing_key_from_jwt(id_token)
    claims = pyjwt.decode(id_token, key.key, algorithms=["RS256"], audience=client.ClientId,
                          options={"verify_exp": False})
    assert claims["cognito:username"] == USERNAME
    assert claims["email"] == "carol@example.test"
    assert claims["given_name"] == "Carol" and claims["family_name"] == "Jones"


def test_hs256_id_token_verified_with_client_secret(world, agent, second_idp):
    """docs/fidelity/cognito-federation.md#cognito-federation-idp-requirements (HMAC-SHA), "id_token signature (HMAC)"."""
    second_idp.behaviour.alg = "HS256"
    outcome = _sign_in(world, agent)
    assert outcome.at_app and "code" in outcome.params


def test_es256_id_token_verified_by_kid(world, agent, second_idp):
    """docs/fidelity/cognito-federation.md#cognito-federation-idp-requirements: ECDSA-signed ID tokens, key picked by kid from jwks_uri."""
    second_idp.behaviour.alg = "ES256"
    outcome = _sign_in(world, agent)
    assert outcome.at_app and "code" in outcome.params


def test_rs256_token_naming_the_ec_key_is_rejected(world, agent, second_idp):
    """A kid that names a key of another type: no suitable key, bad signature (text unconfirmed)."""
    second_idp.behaviour.kid = "second-ec"
    _assert_rejected(world, agent, _sign_in(world, agent), "Bad id_token signature")


# ---- bad input: each rejected with the row's error and no user -----------------------------------

def test_issuer_not_byte_equal_is_bad_id_token_issuer(world, agent, second_idp):
    """docs/fidelity/cognito-federation.md#cognito-federation-id-token-iss-check / docs/fidelity/errors.md#errors-oidc-oidc-issuer-not-byte-equal: a trailing slash is another issuer."""
    second_idp.behaviour.iss = ISSUER + "/"
    _assert_rejected(world, agent, _sign_in(world, agent), f"Bad id_token issuer {ISSUER}/")


def test_hs256_signed_with_public_key_fails_symmetric_mac(world, agent, second_idp):
    """docs/fidelity/cognito-federation.md#cognito-federation-id-token-signature-hmac (unconfirmed text): key confusion."""
    second_idp.behaviour.alg = "HS256-public-key"
    _assert_rejected(world, agent, _sign_in(world, agent),
                     "invalid_token_signature: Error when verifying Symmetric MAC")


def test_alg_none_rejected(world, agent, second_idp):
    """docs/fidelity/cognito-federation.md#cognito-federation-idp-requirements: signed ID tokens only (text unconfirmed)."""
    second_idp.behaviour.alg = "none"
    _assert_rejected(world, agent, _sign_in(world, agent), "Bad id_token signature: alg none not allowed")


def test_unknown_kid_rejected(world, agent, second_idp):
    """docs/fidelity/cognito-federation.md#cognito-federation-idp-requirements: kid published at jwks_uri (text unconfirmed)."""
    second_idp.behaviour.kid = "not-published"
    _assert_rejected(world, agent, _sign_in(world, agent),
                     "Bad id_token signature: no key with kid not-published")


def test_wrong_audience_rejected(world, agent, second_idp):
    """docs/fidelity/cognito-federation.md#cognito-federation-id-token-aud-exp-checks (text unconfirmed)."""
    second_idp.behaviour.aud = "someone-else"
    _assert_rejected(world, agent, _sign_in(world, agent), "Bad id_token audience someone-else")


def test_expired_id_token_rejected(world, agent, second_idp):
    """docs/fidelity/cognito-federation.md#cognito-federation-id-token-aud-exp-checks (text unconfirmed); exp on the world's clock."""
    second_idp.behaviour.exp_in = -5
    outcome = _sign_in(world, agent)
    assert outcome.params["error_description"].startswith("Bad id_token: expired at ")
    _assert_rejected(world, agent, outcome, outcome.params["error_description"])


def test_nonce_mismatch_rejected(world, agent, second_idp):
    """docs/fidelity/cognito-federation.md#cognito-federation-nonce-handling: Cognito generates and validates the nonce (text unconfirmed)."""
    second_idp.behaviour.nonce = "replayed-nonce"
    _assert_rejected(world, agent, _sign_in(world, agent), "Bad id_token nonce")


def test_idp_oauth_error_relayed(world, agent, second_idp):
    """docs/fidelity/cognito-federation.md#cognito-federation-idp-returns-standard-oauth-error: <IdP name> Error - <status> <error> <description>."""
    second_idp.behaviour.token_error = (400, {"error": "invalid_request",
                                              "error_description": "The request is missing a required parameter : client_secret"})
    _assert_rejected(world, agent, _sign_in(world, agent),
                     "SecondIdP Error - 400 invalid_request The request is missing a required parameter : client_secret")


def test_non_oauth_token_failure_is_bad_token_response(world, agent, second_idp):
    """docs/fidelity/cognito-federation.md#cognito-federation-non-json-failed-token-response."""
    second_idp.behaviour.token_error = (400, "Failure: 'Request failed with status code 400'")
    _assert_rejected(world, agent, _sign_in(world, agent),
                     "Bad token response: HTTP/1.1 400 Bad Request, entity: "
                     "Failure: 'Request failed with status code 400'")


def test_userinfo_refused_is_username_attribute_mapping_required(world, agent, second_idp):
    """docs/fidelity/cognito-federation.md#cognito-federation-userinfo-failure."""
    second_idp.behaviour.userinfo_status = 403
    _assert_rejected(world, agent, _sign_in(world, agent), "username attribute mapping required")


def test_replayed_idpresponse_is_refused(world, agent, second_idp):
    """A state is single-use: the same IdP response twice gives Cognito's error page (text per
    docs/fidelity/errors.md#errors-cognito "(page) An error was encountered with the requested page"; condition unconfirmed)."""
    pool, client = _pool(world)
    outcome = agent.follow(agent.authorize_url(pool, client, "SecondIdP"),
                           stop=lambda r: "/oauth2/idpresponse?" in r.headers.get("Location", ""))
    idpresponse = outcome.location
    first = agent.get(idpresponse)
    assert first.is_redirect and "code=" in first.headers["Location"]
    again = agent.get(idpresponse)
    assert again.status_code == 400
    assert "An error was encountered with the requested page." in again.text
    assert federated_users(world, pool) == [USERNAME]


def test_foreign_code_relays_the_idp_refusal(world, agent, second_idp):
    """A code the IdP never issued for this sign-in: the IdP's invalid_grant, relayed (docs/fidelity/cognito-federation.md#cognito-federation-oidc)."""
    pool, client = _pool(world)
    outcome = agent.follow(agent.authorize_url(pool, client, "SecondIdP"),
                           stop=lambda r: "/oauth2/idpresponse?" in r.headers.get("Location", ""))
    state = parse_qs(urlsplit(outcome.location).query)["state"][0]
    forged = agent.get(f"https://{pool.domain_host}/oauth2/idpresponse?code=forged-code&state={state}")
    result = type(outcome)(forged, [])
    _assert_rejected(world, agent, result, "SecondIdP Error - 400 invalid_grant unknown or used code")


def test_unknown_state_is_refused(world, agent, second_idp):
    pool, _ = _pool(world)
    response = agent.get(f"https://{pool.domain_host}/oauth2/idpresponse?code=abc&state=not-cognitos")
    assert response.status_code == 400
    assert "An error was encountered with the requested page." in response.text
    assert second_idp.token_requests == []
    assert federated_users(world, pool) == []


def test_round_trip_over_five_minutes_is_something_went_wrong(world, agent, second_idp):
    """docs/fidelity/cognito-federation.md#cognito-federation-5-minute-cap: "Something went wrong"."""
    pool, client = _pool(world)
    outcome = agent.follow(agent.authorize_url(pool, client, "SecondIdP"),
                           stop=lambda r: "/oauth2/idpresponse?" in r.headers.get("Location", ""))
    world.clock.advance(301)
    response = agent.get(outcome.location)
    assert "Something went wrong" in response.text
    assert second_idp.token_requests == []
    assert federated_users(world, pool) == []


# ---- docs/fidelity/cognito-federation.md#cognito-federation-discovery, network errors ----------------------------------------------------------------

def test_discovery_error_relayed_to_the_app(world, agent, second_idp):
    """docs/fidelity/cognito-federation.md#cognito-federation-idp-returns-standard-oauth-error: relayed from /.well-known/openid-configuration too."""
    outcome = _sign_in(world, agent, "BrokenDiscovery")
    _assert_rejected(world, agent, outcome, "BrokenDiscovery Error - 404 not_found no such issuer")
    assert second_idp.authorize_requests == []


def test_non_https_endpoint_fails_the_login(world, agent, second_idp):
    """docs/fidelity/cognito-federation.md#cognito-federation-discovery: endpoints must be HTTPS, "Otherwise the login will fail" (text unconfirmed)."""
    outcome = _sign_in(world, agent, "PlainHttpJwks")
    _assert_rejected(world, agent, outcome,
                     "Identity provider endpoint must use https: http://idp.example.test/jwks")


def test_token_endpoint_timeout(world, agent, second_idp, monkeypatch):
    """docs/fidelity/cognito-federation.md#cognito-federation-token-endpoint-timeout [doc] AUTHZ. Cognito's timeout value is unpublished; the
    harness's is shortened here so the test does not wait for it."""
    from mock_cognito.oidc_federation import idp_http

    monkeypatch.setattr(idp_http, "TIMEOUT", 0.2)
    second_idp.behaviour.token_delay = 1.0
    _assert_rejected(world, agent, _sign_in(world, agent), "Timeout occurred in calling IdP token endpoint")


def test_jwks_timeout(world, agent, second_idp, monkeypatch):
    """docs/fidelity/cognito-federation.md#cognito-federation-jwks-fetch-timeout [doc] AUTHZ (the documented doubled prefix kept); a new kid forces
    the JWKS to be fetched again."""
    from mock_cognito.oidc_federation import idp_http

    monkeypatch.setattr(idp_http, "TIMEOUT", 0.2)
    second_idp.behaviour.kid = "rotated-kid"
    second_idp.behaviour.jwks_delay = 1.0
    _assert_rejected(world, agent, _sign_in(world, agent), "error_description=Timeout in calling jwks uri")


def test_unreachable_token_endpoint_is_connection_reset(world, agent, second_idp):
    """docs/fidelity/cognito-federation.md#cognito-federation-network-errors [doc] AUTHZ: the IdP cannot be reached."""
    from .conftest import cognito_idp

    pool, _ = _pool(world)
    idp = cognito_idp(world)
    record = idp.describe_identity_provider(UserPoolId=pool.Id, ProviderName="SecondIdPExplicit")["IdentityProvider"]
    details = {k: v for k, v in record["ProviderDetails"].items() if k != "attributes_url_add_attributes"}
    idp.update_identity_provider(UserPoolId=pool.Id, ProviderName="SecondIdPExplicit",
                                 ProviderDetails={**details, "token_url": "https://gone.example.test/token"})
    try:
        outcome = _sign_in(world, agent, "SecondIdPExplicit")
    finally:
        idp.update_identity_provider(UserPoolId=pool.Id, ProviderName="SecondIdPExplicit", ProviderDetails=details)
    _assert_rejected(world, agent, outcome, "Connection reset")
