"""/v1/token client authentication and grant-type errors (docs/fidelity/okta-oidc-api.md#okta-oidc-api-token-client-auth,
"/token auth errors", "/token grant errors", "Error body")."""
from __future__ import annotations

import pytest
from okta_oidc_helpers import DEFAULT_ORG, TEST_ORG, oidc_app

TOKEN = f"{DEFAULT_ORG}/oauth2/v1/token"


def _assert_error(response, status, error, description):
    assert response.status_code == status
    assert response.headers["Content-Type"] == "application/json;charset=UTF-8"
    assert response.json() == {"error": error, "error_description": description}


def _post_form(app, **extra):
    form = {"grant_type": "authorization_code", "code": "not-a-code", "redirect_uri": app.oidc.redirect_uris[0],
            "client_id": app.oidc.client_id, "client_secret": app.oidc.client_secret}
    form.update(extra)
    return {k: v for k, v in form.items() if v is not None}


def test_no_client_credentials_okta_aws_2_token_auth_errors(world):
    response = world.http.post(TOKEN, data={"grant_type": "authorization_code", "code": "x"})
    _assert_error(response, 401, "invalid_client", "No client credentials found.")


def test_client_id_without_secret_for_confidential_client_okta_aws_2_token_auth_errors(world):
    app = oidc_app(world)
    response = world.http.post(TOKEN, data=_post_form(app, client_secret=None))
    _assert_error(response, 401, "invalid_client", "No client credentials found.")


def test_wrong_secret_okta_aws_2_token_auth_errors(world):
    app = oidc_app(world)
    response = world.http.post(TOKEN, data=_post_form(app, client_secret="wrong"))
    _assert_error(response, 401, "invalid_client",
                  "Client authentication failed. Either the client or the client credentials are invalid.")


def test_wrong_method_basic_for_post_client_okta_aws_2_token_auth_errors(world):
    # The Cognito OIDC app is client_secret_post; Basic is the wrong method for it.
    app = oidc_app(world)
    response = world.http.post(TOKEN, data={"grant_type": "authorization_code", "code": "x",
                                            "redirect_uri": app.oidc.redirect_uris[0]},
                               auth=(app.oidc.client_id, app.oidc.client_secret))
    _assert_error(response, 401, "invalid_client",
                  "Client authentication failed. Either the client or the client credentials are invalid.")


def test_malformed_basic_header_okta_aws_2_token_auth_errors(world):
    response = world.http.post(TOKEN, data={"grant_type": "authorization_code", "code": "x"},
                               headers={"Authorization": "Basic %%%not-base64"})
    _assert_error(response, 401, "invalid_client", "Found Authentication header but was not valid client credentials.")


def test_header_and_body_credentials_okta_aws_2_token_auth_errors(world):
    app = oidc_app(world)
    response = world.http.post(TOKEN, data=_post_form(app), auth=(app.oidc.client_id, app.oidc.client_secret))
    _assert_error(response, 401, "invalid_request",
                  "Cannot supply multiple client credentials. Use one of the following: credentials in the "
                  "Authorization header, credentials in the post body, or a client_assertion in the post body.")


def test_credentials_in_query_okta_aws_2_token_auth_errors(world):
    app = oidc_app(world)
    response = world.http.post(TOKEN, params={"client_id": app.oidc.client_id,
                                              "client_secret": app.oidc.client_secret},
                               data={"grant_type": "authorization_code", "code": "x"})
    _assert_error(response, 400, "invalid_request", "Client credentials cannot be supplied via query parameters.")


def test_unknown_client_id_okta_aws_2_bad_client_id(world):
    response = world.http.post(TOKEN, data={"grant_type": "authorization_code", "code": "x",
                                            "client_id": "0oaDOESNOTEXIST00000"})
    _assert_error(response, 401, "invalid_client", "Invalid value for 'client_id' parameter.")


def test_grant_type_not_configured_okta_aws_2_token_grant_errors(world):
    app = oidc_app(world)
    response = world.http.post(TOKEN, data=_post_form(app, grant_type="refresh_token", refresh_token="x"))
    _assert_error(response, 400, "unauthorized_client",
                  "The client is not authorized to use the provided grant type. Configured grant types: "
                  "[authorization_code].")


def test_unknown_grant_type_okta_oauth_error_unsupported_grant_type(world):
    app = oidc_app(world)
    response = world.http.post(TOKEN, data=_post_form(app, grant_type="magic"))
    _assert_error(response, 400, "unsupported_grant_type",
                  "The authorization grant type is not supported by the authorization server. Configured grant "
                  "types: [authorization_code].")


def test_invalid_code_okta_aws_2_token_grant_errors(world):
    app = oidc_app(world)
    response = world.http.post(TOKEN, data=_post_form(app))
    _assert_error(response, 400, "invalid_grant", "The authorization code is invalid or has expired.")


@pytest.mark.world("worlds/oidc.yaml")
def test_basic_client_and_refresh_grant_configured_okta_aws_2_token_client_auth(world):
    # Portal uses client_secret_basic and allows refresh_token: an unknown refresh token is an
    # invalid grant, not a client error.
    app = oidc_app(world, "Portal")
    response = world.http.post(f"{TEST_ORG}/oauth2/default/v1/token",
                               data={"grant_type": "refresh_token", "refresh_token": "nope"},
                               auth=(app.oidc.client_id, app.oidc.client_secret))
    _assert_error(response, 400, "invalid_grant", "The refresh token is invalid or expired.")


@pytest.mark.world("worlds/oidc.yaml")
def test_public_client_needs_no_secret_okta_aws_2_token_client_auth(world):
    app = oidc_app(world, "SPA")
    response = world.http.post(f"{TEST_ORG}/oauth2/default/v1/token",
                               data={"grant_type": "authorization_code", "code": "nope",
                                     "client_id": app.oidc.client_id, "redirect_uri": app.oidc.redirect_uris[0],
                                     "code_verifier": "v" * 43})
    _assert_error(response, 400, "invalid_grant", "The authorization code is invalid or has expired.")
