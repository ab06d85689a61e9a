"""Discovery documents and JWKS of the org and custom authorization servers (docs/fidelity/okta-oidc-api.md#okta-oidc-api-oidc)."""
from __future__ import annotations

import pytest
from joserfc.jwk import RSAKey
from okta_oidc_helpers import DEFAULT_ORG, TEST_ORG

from mock_okta.oidc import rotate_keys


def test_org_server_discovery_okta_aws_2_org_authorization_server(world):
    # docs/fidelity/okta-oidc-api.md#okta-oidc-api-org-authorization-server: issuer is the org URL, endpoints under /oauth2/v1.
    doc = world.http.get(f"{DEFAULT_ORG}/.well-known/openid-configuration").json()
    assert doc["issuer"] == DEFAULT_ORG
    assert doc["authorization_endpoint"] == f"{DEFAULT_ORG}/oauth2/v1/authorize"
    assert doc["token_endpoint"] == f"{DEFAULT_ORG}/oauth2/v1/token"
    assert doc["userinfo_endpoint"] == f"{DEFAULT_ORG}/oauth2/v1/userinfo"
    assert doc["jwks_uri"] == f"{DEFAULT_ORG}/oauth2/v1/keys"
    assert doc["end_session_endpoint"] == f"{DEFAULT_ORG}/oauth2/v1/logout"
    assert doc["introspection_endpoint"] == f"{DEFAULT_ORG}/oauth2/v1/introspect"
    assert doc["revocation_endpoint"] == f"{DEFAULT_ORG}/oauth2/v1/revoke"


def test_default_custom_server_always_present_okta_aws_2_custom_authorization_server(world):
    # The default world lists no authorization servers; `default` exists anyway.
    doc = world.http.get(f"{DEFAULT_ORG}/oauth2/default/.well-known/openid-configuration").json()
    assert doc["issuer"] == f"{DEFAULT_ORG}/oauth2/default"
    assert doc["authorization_endpoint"] == f"{DEFAULT_ORG}/oauth2/default/v1/authorize"
    assert doc["jwks_uri"] == f"{DEFAULT_ORG}/oauth2/default/v1/keys"
    oauth = world.http.get(f"{DEFAULT_ORG}/oauth2/default/.well-known/oauth-authorization-server").json()
    assert oauth["issuer"] == doc["issuer"]


def test_discovery_fields_okta_aws_2_discovery_fields(world):
    doc = world.http.get(f"{DEFAULT_ORG}/.well-known/oauth-authorization-server").json()
    assert doc["response_types_supported"] == ["code", "code id_token", "code token", "code id_token token",
                                               "id_token", "id_token token"]
    assert doc["response_modes_supported"] == ["query", "fragment", "form_post", "okta_post_message"]
    assert doc["subject_types_supported"] == ["public"]
    assert doc["id_token_signing_alg_values_supported"] == ["RS256"]
    assert {"client_secret_basic", "client_secret_post", "none"} <= set(doc["token_endpoint_auth_methods_supported"])
    assert doc["scopes_supported"][:3] == ["openid", "profile", "email"]
    assert "offline_access" in doc["scopes_supported"] and "groups" in doc["scopes_supported"]
    assert doc["code_challenge_methods_supported"] == ["S256"]


@pytest.mark.world("worlds/oidc.yaml")
def test_named_custom_server_has_aus_id_and_own_issuer_okta_aws_2_custom_authorization_server(world):
    server = next(s for s in world.world.okta.authorization_servers if s.name == "payments")
    assert server.id.startswith("aus") and len(server.id) == 20
    doc = world.http.get(f"{TEST_ORG}/oauth2/{server.id}/.well-known/openid-configuration").json()
    assert doc["issuer"] == f"{TEST_ORG}/oauth2/{server.id}"
    assert doc["token_endpoint"] == f"{TEST_ORG}/oauth2/{server.id}/v1/token"


def test_unknown_server_is_E0000007_okta_aws_2_unknown_auth_server(world):
    for path in ("/oauth2/ausNOPE/.well-known/openid-configuration", "/oauth2/ausNOPE/v1/keys",
                 "/oauth2/ausNOPE/v1/authorize?client_id=x"):
        response = world.http.get(DEFAULT_ORG + path, allow_redirects=False)
        assert response.status_code == 404
        body = response.json()
        assert body["errorSummary"].endswith(" (AuthorizationServer)")
        assert body["errorCode"] == "E0000007"
        assert body["errorSummary"] == "Not found: Resource not found: ausNOPE (AuthorizationServer)"
        assert body["errorLink"] == "E0000007" and body["errorId"].startswith("oae") and body["errorCauses"] == []
    # the org server has no id of its own in URLs
    assert world.http.get(f"{DEFAULT_ORG}/oauth2/org/v1/keys", allow_redirects=False).status_code == 404


def test_jwks_has_two_rs256_keys_with_kid_okta_aws_2_jwks(world):
    response = world.http.get(f"{DEFAULT_ORG}/oauth2/v1/keys")
    assert response.status_code == 200
    assert "must-revalidate" in response.headers["Cache-Control"]
    assert response.headers["Cache-Control"].startswith("max-age=")
    keys = response.json()["keys"]
    assert len(keys) >= 2
    assert len({k["kid"] for k in keys}) == len(keys)
    for key in keys:
        assert (key["alg"], key["kty"], key["use"], key["e"]) == ("RS256", "RSA", "sig", "AQAB")
        # an implementation we did not write reads it as a 2048-bit RSA public key
        assert RSAKey.import_key(key).as_dict()["n"] == key["n"]


def test_each_server_has_its_own_keys(world):
    org = {k["kid"] for k in world.http.get(f"{DEFAULT_ORG}/oauth2/v1/keys").json()["keys"]}
    default = {k["kid"] for k in world.http.get(f"{DEFAULT_ORG}/oauth2/default/v1/keys").json()["keys"]}
    assert org and default and not org & default


def test_rotate_keys_publishes_a_new_signing_key_and_keeps_the_old(fresh_world):
    before = [k["kid"] for k in fresh_world.http.get(f"{DEFAULT_ORG}/oauth2/v1/keys").json()["keys"]]
    new_kid = rotate_keys(fresh_world, "org")
    after = [k["kid"] for k in fresh_world.http.get(f"{DEFAULT_ORG}/oauth2/v1/keys").json()["keys"]]
    assert new_kid == before[1]           # the published "next" key becomes the signing key
    assert set(before) <= set(after)      # the old signing key still verifies older tokens
    assert len(after) == 3                # docs/fidelity/okta-oidc-api.md#okta-oidc-api-jwks: 2–3 keys
    # the default server was not touched
    assert rotate_keys(fresh_world, "default") not in after
