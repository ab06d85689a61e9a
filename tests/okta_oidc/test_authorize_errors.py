"""/v1/authorize errors, delivered as Okta delivers them (docs/fidelity/okta-oidc-api.md#okta-oidc-api-oidc): an error page when
the redirect URI cannot be trusted, otherwise a redirect carrying error, error_description, state."""
from __future__ import annotations

import pytest
from okta_oidc_helpers import DEFAULT_ORG, TEST_ORG, authorize_params, oidc_app, query_of

AUTHORIZE = f"{DEFAULT_ORG}/oauth2/v1/authorize"


def _get(http, params, url=AUTHORIZE):
    return http.get(url, params=params, allow_redirects=False)


def _error_redirect(response, app):
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith(app.oidc.redirect_uris[0] + "?")
    return query_of(location)


def test_unregistered_redirect_uri_shows_okta_400_page_okta_aws_2_bad_redirect_uri(world, http):
    app = oidc_app(world)
    response = _get(http, authorize_params(app, redirect_uri="https://evil.example.com/callback"))
    assert response.status_code == 400
    assert "Location" not in response.headers          # not a redirect
    page = response.text
    assert "Your request resulted in an error." in page
    assert "Identity Provider: Unknown" in page
    assert "Error Code: invalid_request" in page
    admin = f"https://dev-123456-admin.okta.com/admin/app/oidc_client/instance/{app.oidc.client_id}#tab-general"
    assert ("Description: The &#x27;redirect_uri&#x27; parameter must be a Login redirect URI in the client app "
            f"settings: {admin}") in page


def test_redirect_uri_must_match_exactly_okta_aws_2_authorize_parameters(world, http):
    app = oidc_app(world)
    for almost in (app.oidc.redirect_uris[0] + "/", app.oidc.redirect_uris[0].upper(),
                   app.oidc.redirect_uris[0] + "?x=1", None):
        response = _get(http, authorize_params(app, redirect_uri=almost))
        assert response.status_code == 400 and "Location" not in response.headers


def test_unknown_client_okta_aws_2_bad_client_id(world, http):
    app = oidc_app(world)
    response = _get(http, authorize_params(app, client_id="0oaDOESNOTEXIST00000"))
    assert response.status_code == 400 and "Location" not in response.headers
    assert "Error Code: invalid_client" in response.text
    assert "Description: Invalid value for &#x27;client_id&#x27; parameter." in response.text


def test_missing_state_okta_aws_2_missing_invalid_state(world, http):
    app = oidc_app(world)
    params = authorize_params(app)
    del params["state"]
    query = _error_redirect(_get(http, params), app)
    assert query == {"error": "invalid_request",
                     "error_description": "The authentication request has an invalid 'state' parameter."}


def test_unknown_scope_okta_aws_2_bad_scope(world, http):
    app = oidc_app(world)
    response = _get(http, authorize_params(app, scope="openid email superpowers", state="s1"))
    assert response.headers["Location"].endswith(
        "?error=invalid_scope&error_description=The+requested+scope+is+invalid%2C+unknown%2C+or+malformed"
        "&state=s1")


def test_profile_without_openid_okta_oauth_error_openid_scope_required(world, http):
    app = oidc_app(world)
    query = _error_redirect(_get(http, authorize_params(app, scope="email profile", state="s2")), app)
    assert query == {"error": "invalid_scope", "state": "s2", "error_description":
                     "Requests for ID tokens or access tokens with OpenID scopes require the 'openid' scope."}


def test_response_type_not_configured_okta_aws_2_unsupported_response_type(world, http):
    app = oidc_app(world)
    query = _error_redirect(_get(http, authorize_params(app, response_type="token", state="s3")), app)
    assert query == {"error": "unsupported_response_type", "state": "s3", "error_description":
                     "The response type is not supported by the authorization server. Configured response "
                     "types: [code]."}


def test_pkce_plain_method_refused_okta_aws_2_pkce_on_authorize(world, http):
    app = oidc_app(world)
    query = _error_redirect(_get(http, authorize_params(app, code_challenge="abc", code_challenge_method="plain")),
                            app)
    assert query["error"] == "invalid_request"
    assert query["error_description"].startswith("PKCE code challenge method is not supported. Valid values: [")


def test_pkce_challenge_illegal_characters_okta_aws_2_pkce_on_authorize(world, http):
    app = oidc_app(world)
    query = _error_redirect(_get(http, authorize_params(app, code_challenge="a b+c/d=",
                                                        code_challenge_method="S256")), app)
    assert query["error_description"] == "PKCE code challenge contains illegal characters."


@pytest.mark.world("worlds/oidc.yaml")
def test_pkce_required_by_app_okta_aws_2_pkce_on_authorize(world, http):
    for label in ("Strict Portal", "SPA"):     # pkce_required, and a public client
        app = oidc_app(world, label)
        response = _get(http, authorize_params(app), url=f"{TEST_ORG}/oauth2/default/v1/authorize")
        query = _error_redirect(response, app)
        assert query["error"] == "invalid_request"
        assert query["error_description"] == "PKCE code challenge is required by the application."


def test_prompt_none_without_session_okta_aws_2_prompt_none(world, http):
    app = oidc_app(world)
    query = _error_redirect(_get(http, authorize_params(app, prompt="none", state="s4")), app)
    assert query == {"error": "login_required", "state": "s4",
                     "error_description": "The client specified not to prompt, but the user is not logged in."}


def test_no_session_goes_to_okta_sign_in_page(world, http):
    app = oidc_app(world)
    response = _get(http, authorize_params(app, login_hint="alice@example.com"))
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/login/login.htm?fromURI=") or location.startswith(
        f"{DEFAULT_ORG}/login/login.htm?fromURI=")
    from_uri = query_of(location)["fromURI"]
    assert from_uri.startswith(AUTHORIZE + "?")
    assert query_of(from_uri)["login_hint"] == "alice@example.com"


def test_error_redirect_sets_no_referrer_okta_aws_2_authorize_success(world, http):
    app = oidc_app(world)
    response = _get(http, authorize_params(app, prompt="none"))
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_unknown_response_mode_okta_oauth_error_unsupported_response_mode(world, http):
    app = oidc_app(world)
    query = _error_redirect(_get(http, authorize_params(app, response_mode="carrier_pigeon", state="s5")), app)
    assert query == {"error": "unsupported_response_mode", "state": "s5", "error_description":
                     "The response mode is not supported by the authorization server. Valid response modes: "
                     "[query, fragment, form_post, okta_post_message]."}


def test_form_post_delivers_error_as_auto_posting_form_okta_aws_2_authorize_parameters(world, http):
    app = oidc_app(world)
    response = _get(http, authorize_params(app, response_mode="form_post", prompt="none", state="s6"))
    assert response.status_code == 200
    page = response.text
    assert f'action="{app.oidc.redirect_uris[0]}"' in page
    assert '<input type="hidden" name="error" value="login_required"/>' in page
    assert '<input type="hidden" name="state" value="s6"/>' in page
