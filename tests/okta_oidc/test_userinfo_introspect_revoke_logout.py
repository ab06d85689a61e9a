"""/v1/userinfo, /v1/introspect, /v1/revoke, /v1/logout and key rotation (docs/fidelity/okta-oidc-api.md#okta-oidc-api-oidc)."""
from __future__ import annotations

import jwt
import pytest
from okta_oidc_helpers import DEFAULT_ORG, TEST_ORG, authorize_code, authorize_params, oidc_app, query_of

from mock_okta.oidc import rotate_keys

ORG_OAUTH = f"{DEFAULT_ORG}/oauth2"
ALICE = ("alice@example.com", "Alice-Passw0rd")


def _tokens(world, http, scope="openid email profile"):
    app = oidc_app(world)
    response = authorize_code(http, f"{ORG_OAUTH}/v1/authorize", authorize_params(app, scope=scope), *ALICE)
    code = query_of(response.headers["Location"])["code"]
    return app, world.http.post(f"{ORG_OAUTH}/v1/token", data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": app.oidc.redirect_uris[0],
        "client_id": app.oidc.client_id, "client_secret": app.oidc.client_secret}).json()


def _client_form(app, **form):
    return {"client_id": app.oidc.client_id, "client_secret": app.oidc.client_secret, **form}


def test_userinfo_get_and_post_okta_aws_2_userinfo(world, http):
    app, tokens = _tokens(world, http)
    alice = next(u for u in world.world.okta.users if u.login == "alice@example.com")
    for method in ("GET", "POST"):     # Cognito's attributes_request_method is GET or POST
        response = world.http.request(method, f"{ORG_OAUTH}/v1/userinfo",
                                      headers={"Authorization": f"Bearer {tokens['access_token']}"})
        assert response.status_code == 200
        body = response.json()
        assert body["sub"] == alice.id
        assert body["email"] == "alice@example.com" and body["email_verified"] is True
        assert body["given_name"] == "Alice" and body["family_name"] == "Liddell"


def test_userinfo_bad_token_okta_aws_2_userinfo(world, http):
    app, tokens = _tokens(world, http)
    tampered = tokens["access_token"][:-4] + ("AAAA" if not tokens["access_token"].endswith("AAAA") else "BBBB")
    for token in ("garbage", tampered, tokens["id_token"], None):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = world.http.get(f"{ORG_OAUTH}/v1/userinfo", headers=headers)
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"] == (
            'Bearer error="invalid_token", error_description="The access token is invalid"')


def test_userinfo_token_of_another_server_is_invalid(world, http):
    _, tokens = _tokens(world, http)
    response = world.http.get(f"{ORG_OAUTH}/default/v1/userinfo",
                              headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert response.status_code == 401


def test_userinfo_expired_access_token_okta_aws_2_lifetimes(world, http):
    _, tokens = _tokens(world, http)
    world.clock.advance(3601)
    response = world.http.get(f"{ORG_OAUTH}/v1/userinfo", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert response.status_code == 401


def test_userinfo_openid_only_is_insufficient_scope_okta_aws_2_userinfo(world, http):
    _, tokens = _tokens(world, http, scope="openid")
    response = world.http.get(f"{ORG_OAUTH}/v1/userinfo", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert response.status_code == 403
    assert response.headers["WWW-Authenticate"] == (
        'Bearer error="insufficient_scope", error_description="The access token must provide access to at least '
        'one of these scopes - profile, email, address or phone"')


def test_introspect_active_then_revoked_okta_aws_2_introspect_and_revoke(world, http):
    app, tokens = _tokens(world, http)
    url = f"{ORG_OAUTH}/v1/introspect"
    body = world.http.post(url, data=_client_form(app, token=tokens["access_token"])).json()
    claims = jwt.decode(tokens["access_token"], options={"verify_signature": False})
    assert body == {"active": True, "token_type": "Bearer", "scope": "openid email profile",
                    "client_id": app.oidc.client_id, "username": "alice@example.com", "exp": claims["exp"],
                    "iat": claims["iat"], "sub": "alice@example.com", "aud": DEFAULT_ORG, "iss": DEFAULT_ORG,
                    "jti": claims["jti"], "uid": claims["uid"]}
    revoked = world.http.post(f"{ORG_OAUTH}/v1/revoke", data=_client_form(app, token=tokens["access_token"]))
    assert revoked.status_code == 200
    assert world.http.post(url, data=_client_form(app, token=tokens["access_token"])).json() == {"active": False}
    userinfo = world.http.get(f"{ORG_OAUTH}/v1/userinfo", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert userinfo.status_code == 401


def test_introspect_unknown_token_is_inactive_okta_aws_2_introspect(world):
    app = oidc_app(world)
    body = world.http.post(f"{ORG_OAUTH}/v1/introspect", data=_client_form(app, token="nonsense")).json()
    assert body == {"active": False}


def test_introspect_and_revoke_need_client_auth_and_token(world):
    app = oidc_app(world)
    for endpoint in ("introspect", "revoke"):
        no_client = world.http.post(f"{ORG_OAUTH}/v1/{endpoint}", data={"token": "x"})
        assert no_client.status_code == 401
        assert no_client.json() == {"error": "invalid_client", "error_description": "No client credentials found."}
        no_token = world.http.post(f"{ORG_OAUTH}/v1/{endpoint}", data=_client_form(app))
        assert no_token.json() == {"error": "invalid_request", "error_description": "The 'token' parameter is required."}


def test_revoke_garbage_is_still_200_okta_aws_2_revoke(world):
    app = oidc_app(world)
    response = world.http.post(f"{ORG_OAUTH}/v1/revoke", data=_client_form(app, token="never-issued"))
    assert response.status_code == 200 and response.text == ""


def test_rotated_keys_sign_new_tokens_and_old_tokens_still_verify_okta_aws_2_jwks(fresh_world):
    from harness import internet

    http = internet.routed_session(fresh_world.port, fresh_world.world.hosts(), fresh_world.ca_file)
    _, before = _tokens(fresh_world, http)
    new_kid = rotate_keys(fresh_world, "org")
    http.cookies.clear()
    _, after = _tokens(fresh_world, http)
    assert jwt.get_unverified_header(after["id_token"])["kid"] == new_kid
    assert jwt.get_unverified_header(before["id_token"])["kid"] != new_kid
    jwks = jwt.PyJWKSet.from_dict(fresh_world.http.get(f"{ORG_OAUTH}/v1/keys").json())
    for token in (before["id_token"], after["id_token"]):
        kid = jwt.get_unverified_header(token)["kid"]
        key = next(k for k in jwks.keys if k.key_id == kid)
        jwt.decode(token, key.key, algorithms=["RS256"], options={"verify_aud": False})


@pytest.mark.world("worlds/oidc.yaml")
def test_logout_ends_session_and_redirects_okta_aws_2_logout(world, http):
    app = oidc_app(world, "Portal")
    base = f"{TEST_ORG}/oauth2/default"
    response = authorize_code(http, f"{base}/v1/authorize", authorize_params(app), "dana@acme.test", "Dana-Passw0rd")
    code = query_of(response.headers["Location"])["code"]
    tokens = world.http.post(f"{base}/v1/token", data={"grant_type": "authorization_code", "code": code,
                                                       "redirect_uri": app.oidc.redirect_uris[0]},
                             auth=(app.oidc.client_id, app.oidc.client_secret)).json()
    bad = http.get(f"{base}/v1/logout", params={"id_token_hint": tokens["id_token"],
                                                "post_logout_redirect_uri": "https://evil.example.com/"},
                   allow_redirects=False)
    assert bad.status_code == 400
    assert ("The &#x27;post_logout_redirect_uri&#x27; parameter must be a Logout redirect URI in the client app "
            "settings.") in bad.text
    out = http.get(f"{base}/v1/logout", params={"id_token_hint": tokens["id_token"], "state": "bye-1",
                                                "post_logout_redirect_uri": "https://portal.acme.test/bye"},
                   allow_redirects=False)
    assert out.status_code == 302 and out.headers["Location"] == "https://portal.acme.test/bye?state=bye-1"
    # the Okta session is gone: the next authorize asks for a sign-in again
    again = http.get(f"{base}/v1/authorize", params=authorize_params(app), allow_redirects=False)
    assert "/login/login.htm" in again.headers["Location"]
