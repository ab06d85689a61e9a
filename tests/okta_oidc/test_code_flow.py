"""The authorization code flow against the default world's "Cognito OIDC" app (docs/fidelity/okta-oidc-api.md#okta-oidc-api-oidc):
sign-in through the shared Okta session, codes, the token response, ID and access token claims.
Tokens are verified with PyJWT against the JWKS fetched over HTTP."""
from __future__ import annotations

import base64
import hashlib

import jwt
from okta_oidc_helpers import DEFAULT_ORG, authorize_code, authorize_params, oidc_app, query_of

AUTHORIZE = f"{DEFAULT_ORG}/oauth2/v1/authorize"
TOKEN = f"{DEFAULT_ORG}/oauth2/v1/token"
ALICE = ("alice@example.com", "Alice-Passw0rd")


def _code(http, app, **extra):
    params = authorize_params(app, **extra)
    response = authorize_code(http, AUTHORIZE, params, *ALICE)
    query = query_of(response.headers["Location"])
    assert response.headers["Location"].startswith(app.oidc.redirect_uris[0] + "?")
    assert query["state"] == params["state"]
    return query["code"], params


def _redeem(world, app, code, **extra):
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": app.oidc.redirect_uris[0],
            "client_id": app.oidc.client_id, "client_secret": app.oidc.client_secret}
    form.update(extra)
    return world.http.post(TOKEN, data=form)


def _verify(world, token, audience, issuer=DEFAULT_ORG, jwks_path="/oauth2/v1/keys"):
    jwks = jwt.PyJWKSet.from_dict(world.http.get(DEFAULT_ORG + jwks_path).json())
    kid = jwt.get_unverified_header(token)["kid"]
    key = next(k for k in jwks.keys if k.key_id == kid)
    return jwt.decode(token, key.key, algorithms=["RS256"], audience=audience, issuer=issuer)


def test_code_flow_end_to_end_okta_aws_2_token_success(world, http):
    app = oidc_app(world)
    code, params = _code(http, app)
    response = _redeem(world, app, code)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    body = response.json()
    # docs/fidelity/okta-oidc-api.md#okta-oidc-api-token-success: no refresh_token without offline_access
    assert list(body) == ["access_token", "token_type", "expires_in", "scope", "id_token"]
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    assert body["scope"] == "openid email profile"


def test_id_token_claims_okta_aws_2_id_token_base_claims_and_2a(world, http):
    app = oidc_app(world)
    code, params = _code(http, app)
    body = _redeem(world, app, code).json()
    header = jwt.get_unverified_header(body["id_token"])
    assert header == {"alg": "RS256", "kid": header["kid"]}        # docs/fidelity/okta-oidc-api.md#okta-oidc-api-id-token-header
    claims = _verify(world, body["id_token"], app.oidc.client_id)
    alice = next(u for u in world.world.okta.users if u.login == "alice@example.com")
    assert claims["ver"] == 1
    assert claims["sub"] == alice.id and claims["sub"].startswith("00u") and len(claims["sub"]) == 20
    assert claims["iss"] == DEFAULT_ORG and claims["aud"] == app.oidc.client_id
    assert claims["exp"] - claims["iat"] == 3600
    assert claims["jti"].startswith("ID.")
    assert claims["amr"] == ["pwd"]
    assert claims["idp"].startswith("00o") and len(claims["idp"]) == 20
    assert claims["nonce"] == params["nonce"]
    assert claims["auth_time"] <= claims["iat"]
    digest = hashlib.sha256(body["access_token"].encode()).digest()
    assert claims["at_hash"] == base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode()
    # docs/fidelity/okta-oidc-api.md#okta-oidc-api-scope-dependent-claims: profile and email
    assert claims["email"] == "alice@example.com" and claims["email_verified"] is True
    assert claims["given_name"] == "Alice" and claims["family_name"] == "Liddell"
    assert claims["name"] == "Alice Liddell" and claims["preferred_username"] == "alice@example.com"
    assert "groups" not in claims


def test_scope_limits_claims_okta_aws_2_scope_dependent_claims(world, http):
    app = oidc_app(world)
    code, _ = _code(http, app, scope="openid email")
    claims = _verify(world, _redeem(world, app, code).json()["id_token"], app.oidc.client_id)
    assert claims["email"] == "alice@example.com"
    assert not {"name", "given_name", "family_name", "preferred_username"} & set(claims)


def test_access_token_claims_okta_aws_2_access_token(world, http):
    app = oidc_app(world)
    code, _ = _code(http, app)
    claims = _verify(world, _redeem(world, app, code).json()["access_token"], DEFAULT_ORG)
    alice = next(u for u in world.world.okta.users if u.login == "alice@example.com")
    assert claims["ver"] == 1 and claims["jti"].startswith("AT.")
    assert claims["cid"] == app.oidc.client_id and claims["uid"] == alice.id
    assert claims["sub"] == "alice@example.com"
    assert claims["scp"] == ["openid", "email", "profile"]
    assert claims["exp"] - claims["iat"] == 3600


def test_code_is_single_use_okta_aws_2_token_grant_errors(world, http):
    app = oidc_app(world)
    code, _ = _code(http, app)
    assert _redeem(world, app, code).status_code == 200
    replay = _redeem(world, app, code)
    assert replay.status_code == 400
    assert replay.json() == {"error": "invalid_grant",
                             "error_description": "The authorization code is invalid or has expired."}


def test_code_expires_after_300_seconds_okta_aws_2_authorize_success(world, http):
    app = oidc_app(world)
    code, _ = _code(http, app)
    world.clock.advance(301)
    response = _redeem(world, app, code)
    assert response.json()["error_description"] == "The authorization code is invalid or has expired."


def test_code_still_valid_just_before_expiry(world, http):
    app = oidc_app(world)
    code, _ = _code(http, app)
    world.clock.advance(295)
    assert _redeem(world, app, code).status_code == 200


def test_redirect_uri_must_match_at_token_okta_aws_2_token_grant_errors(world, http):
    app = oidc_app(world)
    code, _ = _code(http, app)
    response = _redeem(world, app, code, redirect_uri="https://myapp.auth.us-east-1.amazoncognito.com/other")
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_grant", "error_description":
                               "The 'redirect_uri' does not match the redirection URI used in the authorization "
                               "request."}


def test_verifier_without_challenge_okta_oauth_error_pkce_missing_challenge_verifier_present(world, http):
    app = oidc_app(world)
    code, _ = _code(http, app)
    response = _redeem(world, app, code, code_verifier="x" * 43)
    assert response.json()["error_description"] == ("PKCE code challenge should be specified in the authorize "
                                                    "request for code verification.")


def test_not_assigned_user_okta_aws_2_user_not_assigned(world, http):
    app = oidc_app(world)
    params = authorize_params(app, state="st-mallory")
    response = authorize_code(http, AUTHORIZE, params, "mallory@example.com", "Mallory-Passw0rd")
    assert response.headers["Location"] == (
        f"{app.oidc.redirect_uris[0]}?error=access_denied"
        "&error_description=User+is+not+assigned+to+the+client+application.&state=st-mallory")


def test_one_session_serves_later_requests(world, http):
    app = oidc_app(world)
    _code(http, app)
    # signed in now: the next authorize answers at once, without the sign-in page
    response = http.get(AUTHORIZE, params=authorize_params(app), allow_redirects=False)
    assert response.headers["Location"].startswith(app.oidc.redirect_uris[0] + "?code=")


def test_prompt_none_with_session_and_prompt_login_okta_aws_2_authorize_parameters(world, http):
    app = oidc_app(world)
    _code(http, app)
    silent = http.get(AUTHORIZE, params=authorize_params(app, prompt="none"), allow_redirects=False)
    assert "code" in query_of(silent.headers["Location"])
    forced = http.get(AUTHORIZE, params=authorize_params(app, prompt="login"), allow_redirects=False)
    assert "/login/login.htm?fromURI=" in forced.headers["Location"]


def test_session_token_completes_without_sign_in_page_okta_aws_2_session_token(world, http):
    app = oidc_app(world)
    authn = world.http.post(f"{DEFAULT_ORG}/api/v1/authn", json={"username": ALICE[0], "password": ALICE[1]})
    assert authn.status_code == 200
    token = authn.json()["sessionToken"]
    response = http.get(AUTHORIZE, params=authorize_params(app, sessionToken=token), allow_redirects=False)
    assert response.status_code == 302
    assert "code" in query_of(response.headers["Location"])
    assert "sid" in response.cookies
    # the token is one-time: a second use does not sign anyone in
    again = world.http.get(AUTHORIZE, params=authorize_params(app, sessionToken=token), allow_redirects=False)
    assert "/login/login.htm" in again.headers["Location"]
