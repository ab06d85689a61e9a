"""Custom authorization servers and app settings from worlds/oidc.yaml: PKCE, a public client,
refresh tokens with offline_access, the groups claim filter (docs/fidelity/okta-oidc-api.md#okta-oidc-api-oidc)."""
from __future__ import annotations

import jwt
import pytest
from okta_oidc_helpers import TEST_ORG, authorize_code, authorize_params, oidc_app, pkce_pair, query_of

pytestmark = pytest.mark.world("worlds/oidc.yaml")
DANA = ("dana@acme.test", "Dana-Passw0rd")
DEFAULT = f"{TEST_ORG}/oauth2/default"


def _server(world, name):
    return next(s for s in world.world.okta.authorization_servers if s.name == name)


def _code(http, app, base=DEFAULT, **extra):
    response = authorize_code(http, f"{base}/v1/authorize", authorize_params(app, **extra), *DANA)
    return query_of(response.headers["Location"])["code"]


def _keys(world, base):
    return jwt.PyJWKSet.from_dict(world.http.get(f"{base}/v1/keys").json())


def _verify(world, token, base, audience):
    kid = jwt.get_unverified_header(token)["kid"]
    key = next(k for k in _keys(world, base).keys if k.key_id == kid)
    return jwt.decode(token, key.key, algorithms=["RS256"], audience=audience, issuer=base)


def _basic_token(world, app, base=DEFAULT, **form):
    return world.http.post(f"{base}/v1/token", data=form, auth=(app.oidc.client_id, app.oidc.client_secret))


def test_custom_server_tokens_okta_aws_2_custom_authorization_server_and_access_token(world, http):
    app = oidc_app(world, "Portal")
    code = _code(http, app)
    body = _basic_token(world, app, grant_type="authorization_code", code=code,
                        redirect_uri=app.oidc.redirect_uris[0]).json()
    id_claims = _verify(world, body["id_token"], DEFAULT, app.oidc.client_id)
    assert id_claims["iss"] == DEFAULT
    access = _verify(world, body["access_token"], DEFAULT, "api://default")
    assert access["cid"] == app.oidc.client_id and access["sub"] == "dana@acme.test"
    # signed by the default server's key, which the org server does not publish
    org_kids = {k.key_id for k in _keys(world, f"{TEST_ORG}/oauth2").keys}
    assert jwt.get_unverified_header(body["id_token"])["kid"] not in org_kids


def test_named_custom_server_issuer_and_audience(world, http):
    server = _server(world, "payments")
    base = f"{TEST_ORG}/oauth2/{server.id}"
    app = oidc_app(world, "Portal")
    code = _code(http, app, base=base)
    body = _basic_token(world, app, base=base, grant_type="authorization_code", code=code,
                        redirect_uri=app.oidc.redirect_uris[0]).json()
    assert _verify(world, body["access_token"], base, "api://payments")["iss"] == base


def test_code_from_one_server_refused_at_another_okta_oauth_error_mismatched_authorization_server(world, http):
    app = oidc_app(world, "Portal")
    code = _code(http, app)
    response = _basic_token(world, app, base=f"{TEST_ORG}/oauth2", grant_type="authorization_code", code=code,
                            redirect_uri=app.oidc.redirect_uris[0])
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_request",
                               "error_description": "The grant was issued for another authorization server."}


def test_code_of_another_client_okta_oauth_error_mismatched_client(world, http):
    portal, strict = oidc_app(world, "Portal"), oidc_app(world, "Strict Portal")
    code = _code(http, portal)
    response = world.http.post(f"{DEFAULT}/v1/token", data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": portal.oidc.redirect_uris[0],
        "client_id": strict.oidc.client_id, "client_secret": strict.oidc.client_secret})
    assert response.json() == {"error": "invalid_grant", "error_description":
                               "The grant was issued to another client. Please make sure the 'client_id' matches "
                               "the one used at the authorize request."}


def _strict_redeem(world, app, code, **extra):
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": app.oidc.redirect_uris[0],
            "client_id": app.oidc.client_id, "client_secret": app.oidc.client_secret}
    form.update(extra)
    return world.http.post(f"{DEFAULT}/v1/token", data={k: v for k, v in form.items() if v is not None})


def test_pkce_s256_success_and_failures_okta_aws_2_token_grant_errors(world, http):
    app = oidc_app(world, "Strict Portal")
    verifier, challenge = pkce_pair()
    kwargs = {"code_challenge": challenge, "code_challenge_method": "S256"}
    assert _strict_redeem(world, app, _code(http, app, **kwargs), code_verifier=verifier).status_code == 200
    wrong = _strict_redeem(world, app, _code(http, app, **kwargs), code_verifier=pkce_pair()[0])
    assert wrong.json() == {"error": "invalid_grant", "error_description": "PKCE verification failed."}
    missing = _strict_redeem(world, app, _code(http, app, **kwargs))
    assert missing.json() == {"error": "invalid_request",
                              "error_description": "PKCE code verifier is required by the application."}


def test_public_client_none_with_pkce_okta_aws_2_token_client_auth(world, http):
    app = oidc_app(world, "SPA")
    verifier, challenge = pkce_pair()
    code = _code(http, app, code_challenge=challenge, code_challenge_method="S256")
    response = world.http.post(f"{DEFAULT}/v1/token", data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": app.oidc.redirect_uris[0],
        "client_id": app.oidc.client_id, "code_verifier": verifier})
    assert response.status_code == 200 and "id_token" in response.json()


def test_refresh_token_only_with_offline_access_okta_aws_2_token_success(world, http):
    app = oidc_app(world, "Portal")
    without = _basic_token(world, app, grant_type="authorization_code", code=_code(http, app),
                           redirect_uri=app.oidc.redirect_uris[0]).json()
    assert "refresh_token" not in without
    body = _basic_token(world, app, grant_type="authorization_code",
                        code=_code(http, app, scope="openid profile offline_access"),
                        redirect_uri=app.oidc.redirect_uris[0]).json()
    assert list(body) == ["access_token", "token_type", "expires_in", "scope", "refresh_token", "id_token"]
    refreshed = _basic_token(world, app, grant_type="refresh_token", refresh_token=body["refresh_token"])
    assert refreshed.status_code == 200
    new = refreshed.json()
    assert new["access_token"] != body["access_token"]
    assert _verify(world, new["id_token"], DEFAULT, app.oidc.client_id)["sub"].startswith("00u")
    # narrower scope on refresh
    narrower = _basic_token(world, app, grant_type="refresh_token", refresh_token=body["refresh_token"],
                            scope="openid offline_access").json()
    assert narrower["scope"] == "openid offline_access"
    wider = _basic_token(world, app, grant_type="refresh_token", refresh_token=body["refresh_token"],
                         scope="openid email")
    assert wider.json()["error"] == "access_denied"
    # revoked refresh tokens stop working (docs/fidelity/okta-oidc-api.md#okta-oidc-api-revoke)
    revoke = world.http.post(f"{DEFAULT}/v1/revoke", data={"token": body["refresh_token"]},
                             auth=(app.oidc.client_id, app.oidc.client_secret))
    assert revoke.status_code == 200
    gone = _basic_token(world, app, grant_type="refresh_token", refresh_token=body["refresh_token"])
    assert gone.json() == {"error": "invalid_grant", "error_description": "The refresh token is invalid or expired."}


def test_refresh_token_expires_after_90_days_okta_aws_2_lifetimes(world, http):
    app = oidc_app(world, "Portal")
    body = _basic_token(world, app, grant_type="authorization_code",
                        code=_code(http, app, scope="openid offline_access"),
                        redirect_uri=app.oidc.redirect_uris[0]).json()
    world.clock.advance(90 * 24 * 3600 + 1)
    expired = _basic_token(world, app, grant_type="refresh_token", refresh_token=body["refresh_token"])
    assert expired.json()["error_description"] == "The refresh token is invalid or expired."


def test_groups_claim_filter_okta_aws_2_groups_claim(world, http):
    # Portal's filter: STARTS_WITH "eng" (case-sensitive); Dana is in Engineering, eng-admins, Sales.
    app = oidc_app(world, "Portal")
    with_groups = _basic_token(world, app, grant_type="authorization_code",
                               code=_code(http, app, scope="openid groups"),
                               redirect_uri=app.oidc.redirect_uris[0]).json()
    assert _verify(world, with_groups["id_token"], DEFAULT, app.oidc.client_id)["groups"] == ["eng-admins"]
    without = _basic_token(world, app, grant_type="authorization_code", code=_code(http, app, scope="openid"),
                           redirect_uri=app.oidc.redirect_uris[0]).json()
    assert "groups" not in _verify(world, without["id_token"], DEFAULT, app.oidc.client_id)


def test_user_assigned_through_group(world, http):
    # Portal is assigned to the Engineering group; Eve is not in it.
    app = oidc_app(world, "Portal")
    response = authorize_code(http, f"{DEFAULT}/v1/authorize", authorize_params(app, state="s"),
                              "eve@acme.test", "Eve-Passw0rd")
    assert query_of(response.headers["Location"])["error_description"] == (
        "User is not assigned to the client application.")


def test_address_and_phone_claims_okta_aws_2_scope_dependent_claims(world, http):
    app = oidc_app(world, "Portal")
    body = _basic_token(world, app, grant_type="authorization_code",
                        code=_code(http, app, scope="openid address phone profile"),
                        redirect_uri=app.oidc.redirect_uris[0]).json()
    claims = _verify(world, body["id_token"], DEFAULT, app.oidc.client_id)
    assert claims["address"] == {"locality": "Washington", "country": "US"}
    assert claims["phone_number"] == "+1 555 0100"
    assert claims["middle_name"] == "Katherine"
