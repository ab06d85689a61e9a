"""Cognito's OIDC client against mock_okta's OpenID Provider, in the default world: the seed
guides' configuration (Okta OIDC web app, Authorization Code only, scopes ``openid email
profile``, GET attribute request method, mappings email / given_name / family_name)."""
from __future__ import annotations

import jwt as pyjwt
import pytest

from .conftest import APP_CALLBACK, cognito_idp, federated_users

USERS = {"alice@example.com": "Alice-Passw0rd", "bob@example.com": "Bob-Passw0rd",
         "mallory@example.com": "Mallory-Passw0rd"}


def _pool(world):
    pool = world.world.aws.UserPools[0]
    return pool, next(c for c in pool.Clients if c.ClientName == "web-oidc")


def _okta_user(world, login):
    return next(u for u in world.world.okta.users if u.login == login)


def _okta_session(world, agent, login="alice@example.com"):
    org = world.world.okta.org_url
    authn = agent.http.post(f"{org}/api/v1/authn", json={"username": login, "password": USERS[login]}, timeout=15)
    assert authn.status_code == 200, authn.text
    agent.http.get(f"{org}/login/sessionCookieRedirect", allow_redirects=False, timeout=15,
                   params={"token": authn.json()["sessionToken"], "redirectUrl": f"{org}/"})


def _sign_in(world, agent, login="alice@example.com"):
    _okta_session(world, agent, login)
    pool, client = _pool(world)
    return agent.follow(agent.authorize_url(pool, client, "OktaOIDC"))


def _cognito_claims(world, agent, code):
    pool, client = _pool(world)
    response = agent.http.post(f"{pool.domain_url}/oauth2/token", auth=(client.ClientId, client.ClientSecret),
                               data={"grant_type": "authorization_code", "code": code,
                                     "redirect_uri": APP_CALLBACK}, timeout=15)
    assert response.status_code == 200, response.text
    token = response.json()["id_token"]
    jwks = agent.http.get(f"https://cognito-idp.{world.world.aws.region}.amazonaws.com/{pool.Id}"
                          "/.well-known/jwks.json", timeout=15).json()
    kid = pyjwt.get_unverified_header(token)["kid"]
    key = pyjwt.PyJWK(next(k for k in jwks["keys"] if k["kid"] == kid))
    return pyjwt.decode(token, key.key, algorithms=["RS256"], audience=client.ClientId,
                        options={"verify_exp": False})


@pytest.fixture(autouse=True)
def _restore(world):
    pool, _ = _pool(world)
    idp = cognito_idp(world)
    details = idp.describe_identity_provider(UserPoolId=pool.Id, ProviderName="OktaOIDC")["IdentityProvider"]
    yield
    idp.update_identity_provider(UserPoolId=pool.Id, ProviderName="OktaOIDC",
                                 ProviderDetails={k: v for k, v in details["ProviderDetails"].items()
                                                  if k != "attributes_url_add_attributes"})
    for name in federated_users(world, pool):
        idp.admin_delete_user(UserPoolId=pool.Id, Username=name)


def test_seed_guide_configuration_signs_alice_in(world, agent):
    """docs/fidelity/cognito-federation.md#cognito-federation-userinfo-call, docs/fidelity/cognito-federation.md#cognito-federation-attribute-mapping "sub -> username" mapping; docs/fidelity/cognito-tokens.md#cognito-tokens-username, docs/fidelity/cognito-tokens.md#cognito-tokens-id-token-claims."""
    outcome = _sign_in(world, agent)
    assert outcome.at_app, (outcome.response.status_code, outcome.location, outcome.response.text[:300])
    alice = _okta_user(world, "alice@example.com")
    pool, _ = _pool(world)
    assert federated_users(world, pool) == [f"OktaOIDC_{alice.id}"]
    claims = _cognito_claims(world, agent, outcome.params["code"])
    assert claims["cognito:username"] == f"OktaOIDC_{alice.id}"
    assert (claims["email"], claims["given_name"], claims["family_name"]) == ("alice@example.com", "Alice", "Liddell")


def test_okta_issuer_mismatch_org_vs_default_is_bad_id_token_issuer(world, agent):
    """docs/fidelity/cognito-federation.md#cognito-federation-okta-oidc-issuer-choice, docs/fidelity/cognito-federation.md#cognito-federation-id-token-iss-check, docs/fidelity/errors.md#errors-oidc-oidc-issuer-not-byte-equal: oidc_issuer is
    the org URL while the endpoints are /oauth2/default's, whose tokens carry its own issuer."""
    pool, _ = _pool(world)
    org = world.world.okta.org_url
    okta_app = next(a for a in world.world.okta.apps if a.label == "Cognito OIDC")
    cognito_idp(world).update_identity_provider(UserPoolId=pool.Id, ProviderName="OktaOIDC", ProviderDetails={
        "client_id": okta_app.oidc.client_id, "client_secret": okta_app.oidc.client_secret,
        "authorize_scopes": "openid email profile", "attributes_request_method": "GET", "oidc_issuer": org,
        "authorize_url": f"{org}/oauth2/default/v1/authorize", "token_url": f"{org}/oauth2/default/v1/token",
        "attributes_url": f"{org}/oauth2/default/v1/userinfo", "jwks_uri": f"{org}/oauth2/default/v1/keys"})
    outcome = _sign_in(world, agent)
    assert outcome.at_app
    assert outcome.params["error"] == "invalid_request"
    assert outcome.params["error_description"] == f"Bad id_token issuer {org}/oauth2/default"
    assert federated_users(world, pool) == []


def test_custom_default_server_as_issuer_signs_in(world, agent):
    """docs/fidelity/cognito-federation.md#cognito-federation-discovery, docs/fidelity/cognito-federation.md#cognito-federation-okta-oidc-issuer-choice: oidc_issuer = the custom server."""
    pool, _ = _pool(world)
    org = world.world.okta.org_url
    okta_app = next(a for a in world.world.okta.apps if a.label == "Cognito OIDC")
    cognito_idp(world).update_identity_provider(UserPoolId=pool.Id, ProviderName="OktaOIDC", ProviderDetails={
        "client_id": okta_app.oidc.client_id, "client_secret": okta_app.oidc.client_secret,
        "authorize_scopes": "openid email profile", "attributes_request_method": "GET",
        "oidc_issuer": f"{org}/oauth2/default"})
    outcome = _sign_in(world, agent)
    assert outcome.at_app and "code" in outcome.params, outcome.location


def test_rotated_okta_keys_are_refetched_by_kid(world, agent):
    """docs/fidelity/cognito-federation.md#cognito-federation-idp-requirements: keys published at jwks_uri, picked by kid."""
    from mock_okta.oidc import rotate_keys

    assert _sign_in(world, agent).at_app          # JWKS cached
    rotate_keys(world, "org")
    outcome = agent.follow(agent.authorize_url(*_pool(world), "OktaOIDC"))
    assert outcome.at_app and "code" in outcome.params, outcome.location


def test_wrong_client_secret_relays_okta_invalid_client(world, agent):
    """docs/fidelity/cognito-federation.md#cognito-federation-idp-returns-standard-oauth-error; Okta's text (docs/fidelity/okta-oidc-api.md#okta-oidc-api-token-auth-errors-401)."""
    pool, _ = _pool(world)
    idp = cognito_idp(world)
    details = idp.describe_identity_provider(UserPoolId=pool.Id, ProviderName="OktaOIDC")["IdentityProvider"]
    changed = {k: v for k, v in details["ProviderDetails"].items() if k != "attributes_url_add_attributes"}
    changed["client_secret"] = "not-the-secret"
    idp.update_identity_provider(UserPoolId=pool.Id, ProviderName="OktaOIDC", ProviderDetails=changed)
    outcome = _sign_in(world, agent)
    assert outcome.params["error"] == "invalid_request"
    assert outcome.params["error_description"] == (
        "OktaOIDC Error - 401 invalid_client Client authentication failed. "
        "Either the client or the client credentials are invalid.")
    assert federated_users(world, pool) == []


def test_user_not_assigned_in_okta_reaches_the_app_as_an_error(world, agent):
    """docs/fidelity/okta-oidc-api.md#okta-oidc-api-user-not-assigned; how Cognito relays an IdP authorize error is
    unconfirmed (docs/fidelity/cognito-federation.md#cognito-federation-open-questions): the IdP's error and description, unchanged."""
    outcome = _sign_in(world, agent, "mallory@example.com")
    assert outcome.at_app
    assert outcome.params["error"] == "access_denied"
    assert outcome.params["error_description"] == "User is not assigned to the client application."
    assert federated_users(world, _pool(world)[0]) == []
