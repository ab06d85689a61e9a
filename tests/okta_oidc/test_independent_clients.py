"""Our Okta checked by an OAuth/OIDC client we did not write: Authlib's requests client reads the
discovery document, builds the authorize URL (state, nonce, PKCE S256), exchanges the code
with client_secret_post / client_secret_basic, and Authlib's OIDC claims classes validate the
ID token (signature by kid from the JWKS, iss, aud, exp, nonce, at_hash)."""
from __future__ import annotations

import time
import warnings

import pytest
from okta_oidc_helpers import DEFAULT_ORG, TEST_ORG, authorize_code, oidc_app, query_of

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from authlib.integrations.requests_client import OAuth2Session
    from authlib.jose import JsonWebKey
    from authlib.jose import jwt as authlib_jwt
    from authlib.oidc.core import CodeIDToken

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _client(world, app, method):
    client = OAuth2Session(app.oidc.client_id, app.oidc.client_secret, scope="openid email profile",
                           redirect_uri=app.oidc.redirect_uris[0], token_endpoint_auth_method=method,
                           code_challenge_method="S256")
    client.trust_env = False
    client.verify = world.http.verify
    for prefix, adapter in world.http.adapters.items():
        client.mount(prefix, adapter)
    return client


def _flow(world, http, issuer, app, method, user):
    discovery = world.http.get(f"{issuer}/.well-known/openid-configuration").json()
    assert discovery["issuer"] == issuer
    client = _client(world, app, method)
    verifier = "v" * 20 + "-authlib-independent-check-verifier"
    nonce = "n-authlib-1"
    url, state = client.create_authorization_url(discovery["authorization_endpoint"], nonce=nonce,
                                                 code_verifier=verifier)
    redirect = authorize_code(http, url, {}, *user).headers["Location"]
    assert query_of(redirect)["state"] == state
    token = client.fetch_token(discovery["token_endpoint"], authorization_response=redirect, code_verifier=verifier)
    jwks = JsonWebKey.import_key_set(world.http.get(discovery["jwks_uri"]).json())
    claims = authlib_jwt.decode(token["id_token"], jwks, claims_cls=CodeIDToken,
                                claims_options={"iss": {"essential": True, "value": issuer}},
                                claims_params={"nonce": nonce, "client_id": app.oidc.client_id,
                                               "access_token": token["access_token"]})
    claims.validate(now=int(time.time()))
    return client, discovery, token, claims


def test_authlib_client_against_org_server_client_secret_post(world, http):
    app = oidc_app(world)          # the default world's "Cognito OIDC" app, client_secret_post
    client, discovery, token, claims = _flow(world, http, DEFAULT_ORG, app, "client_secret_post",
                                             ("alice@example.com", "Alice-Passw0rd"))
    assert claims["email"] == "alice@example.com"
    assert claims["at_hash"]       # checked against the access token by CodeIDToken.validate
    userinfo = client.get(discovery["userinfo_endpoint"]).json()
    assert userinfo["sub"] == claims["sub"]


@pytest.mark.world("worlds/oidc.yaml")
def test_authlib_client_against_custom_server_client_secret_basic(world, http):
    app = oidc_app(world, "Portal")  # client_secret_basic
    _, _, token, claims = _flow(world, http, f"{TEST_ORG}/oauth2/default", app, "client_secret_basic",
                                ("dana@acme.test", "Dana-Passw0rd"))
    assert claims["iss"] == f"{TEST_ORG}/oauth2/default"
    assert token["token_type"] == "Bearer"


def test_authlib_rejects_a_token_from_the_wrong_issuer(world, http):
    # The issuer mismatch Cognito reports as "Bad id_token issuer": tokens of the org server do
    # not validate against the /oauth2/default issuer (docs/fidelity/cognito-federation.md#cognito-federation-okta-oidc-issuer-choice).
    app = oidc_app(world)
    _, _, token, _ = _flow(world, http, DEFAULT_ORG, app, "client_secret_post",
                           ("alice@example.com", "Alice-Passw0rd"))
    jwks = JsonWebKey.import_key_set(world.http.get(f"{DEFAULT_ORG}/oauth2/v1/keys").json())
    claims = authlib_jwt.decode(token["id_token"], jwks, claims_cls=CodeIDToken,
                                claims_options={"iss": {"essential": True, "value": f"{DEFAULT_ORG}/oauth2/default"}},
                                claims_params={"client_id": app.oidc.client_id})
    # (Authlib raises joserfc's InvalidClaimError or its own, depending on its version)
    with pytest.raises(Exception, match=r"Invalid claim.{0,3}iss"):
        claims.validate(now=int(time.time()))
