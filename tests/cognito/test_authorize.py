"""/oauth2/authorize, /login and /error as Cognito validates and delivers them (docs/fidelity/cognito-tokens.md#cognito-tokens-endpoints, docs/fidelity/errors.md#errors-cognito)."""
from __future__ import annotations

from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from cognito_helpers import CALLBACK, EXT_WORLD, callback_params

from mock_cognito import errors

pytestmark = pytest.mark.world(EXT_WORLD)


def test_unregistered_redirect_uri_goes_to_the_error_page_not_the_app(cognito):
    # docs/fidelity/cognito-tokens.md#cognito-tokens-redirect-uri-mismatch, docs/fidelity/errors.md#errors-redirect-mismatch-no-description, docs/fidelity/errors.md#errors-callback-url-not-registered-exactly (trailing slash).
    response = cognito.authorize(redirect_uri=CALLBACK + "/")
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location == f"/error?error=redirect_mismatch&client_id={cognito.client('web').ClientId}"
    page = cognito.get("/error", error="redirect_mismatch", client_id=cognito.client("web").ClientId)
    assert page.status_code == 400
    assert errors.REQUESTED_PAGE in unescape(page.text)


@pytest.mark.parametrize("provider", ["NoSuchIdP", "extidp"])
def test_unknown_or_wrong_case_identity_provider(cognito, provider):
    # docs/fidelity/cognito-tokens.md#cognito-tokens-idp-not-enabled-for-client-wrong-name (case-sensitive); docs/fidelity/errors.md#errors-cognito page text.
    response = cognito.authorize(identity_provider=provider)
    assert response.status_code == 400
    assert "Login option is not available. Please try another one" in unescape(response.text)


def test_identity_provider_not_enabled_on_the_client(cognito):
    response = cognito.authorize(client="corp", identity_provider="ExtIdP")
    assert "Login option is not available. Please try another one" in unescape(response.text)


def test_client_without_oauth_flows(cognito):
    # docs/fidelity/cognito-tokens.md#cognito-tokens-oauth-disabled-on-client, docs/fidelity/errors.md#errors-client-is-not-enabled-for-oauth2-0-flows
    response = cognito.authorize(client="no-oauth", identity_provider="ExtIdP")
    assert response.status_code == 400
    assert "Client is not enabled for OAuth2.0 flows." in unescape(response.text)


@pytest.mark.parametrize("params, error", [
    ({"response_type": None}, "invalid_request"),                                    # docs/fidelity/cognito-tokens.md#cognito-tokens-malformed-request
    ({"code_challenge": "abc", "code_challenge_method": "plain"}, "invalid_request"),  # docs/fidelity/cognito-tokens.md#cognito-tokens-pkce: S256 only
    ({"code_challenge": "abc"}, "invalid_request"),                                  # challenge without method
    ({"scope": "openid bogus"}, "invalid_scope"),                                    # docs/fidelity/cognito-tokens.md#cognito-tokens-bad-scope
])
def test_malformed_requests_go_to_the_callback(cognito, params, error):
    params = callback_params(cognito.authorize(**params))
    assert params == {"error": error, "state": "app-state-1"}


def test_flow_not_allowed_is_unauthorized_client(cognito):
    # docs/fidelity/cognito-tokens.md#cognito-tokens-grant-not-allowed: response_type=token while the client allows only code.
    assert callback_params(cognito.authorize(client="public", response_type="token"))["error"] == "unauthorized_client"


def test_valid_but_not_enabled_scopes_are_ignored(cognito):
    # docs/fidelity/cognito-tokens.md#cognito-tokens-bad-scope: "Scopes valid but not enabled are silently ignored".
    response = cognito.authorize(scope="openid phone", identity_provider=None)
    query = parse_qs(urlsplit(response.headers["Location"]).query)
    assert query["scope"] == ["openid"]


def test_without_identity_provider_the_login_page_lists_the_clients_idps(cognito):
    # docs/fidelity/cognito-tokens.md#cognito-tokens-oauth2-authorize → /login with the same parameters; docs/fidelity/cognito-tokens.md#cognito-tokens-login.
    response = cognito.authorize()
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?")
    page = cognito.http.get(cognito.base + response.headers["Location"], timeout=10)
    assert page.status_code == 200
    for name in ("ExtIdP", "SignedReqIdP", "EncIdP"):
        assert f'data-provider="{name}">{name}</button>' in page.text
    assert 'id="idp-identifier-email"' not in page.text   # not every SAML IdP has identifiers


def test_email_box_when_every_saml_idp_has_identifiers_and_domain_picks_the_idp(cognito):
    # docs/fidelity/cognito-federation.md#cognito-federation-idpidentifiers: the email box; the domain part goes as idp_identifier.
    client_id = cognito.client("corp").ClientId
    page = cognito.get("/login", client_id=client_id, redirect_uri=CALLBACK, response_type="code")
    assert 'id="idp-identifier-email"' in page.text and 'id="idp-identifier-submit"' in page.text
    step = cognito.get("/login", client_id=client_id, redirect_uri=CALLBACK, response_type="code",
                       email="carol@example.org")
    assert "idp_identifier=example.org" in step.headers["Location"]
    to_idp = cognito.http.get(cognito.base + step.headers["Location"], allow_redirects=False, timeout=10)
    assert to_idp.headers["Location"].startswith("https://idp.example.org/sso?SAMLRequest=")


def test_unknown_idp_identifier(cognito):
    response = cognito.authorize(client="corp", idp_identifier="nowhere.test")
    assert "Login option is not available. Please try another one" in unescape(response.text)


def test_prompt_none_without_a_session_is_login_required(cognito):
    # docs/fidelity/cognito-tokens.md#cognito-tokens-prompt-none-without-session.
    assert callback_params(cognito.authorize(prompt="none")) == {"error": "login_required", "state": "app-state-1"}


def test_client_settings_changed_through_the_api_take_effect(fresh_world):
    # Configuration is read from moto at request time (issue 4 "App-client rules from moto").
    import boto3
    from cognito_helpers import Cognito

    cognito = Cognito(fresh_world)
    idp = boto3.client("cognito-idp", region_name="us-east-1", endpoint_url=fresh_world.aws_endpoint_url,
                       aws_access_key_id="x", aws_secret_access_key="y")
    client = cognito.client("public")
    current = idp.describe_user_pool_client(UserPoolId=cognito.pool.Id, ClientId=client.ClientId)["UserPoolClient"]
    update = {k: current[k] for k in ("SupportedIdentityProviders", "AllowedOAuthFlows", "AllowedOAuthScopes",
                                      "AllowedOAuthFlowsUserPoolClient")}
    idp.update_user_pool_client(UserPoolId=cognito.pool.Id, ClientId=client.ClientId,
                                CallbackURLs=["https://other.example.com/cb"], **update)
    response = cognito.authorize(client="public", identity_provider="ExtIdP")
    cognito.http.close()
    assert response.headers["Location"].startswith("/error?error=redirect_mismatch")
