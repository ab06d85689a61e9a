"""/oauth2/token (refresh, client_credentials), /oauth2/userInfo, /oauth2/revoke, /logout, the
pool's discovery document and JWKS (docs/fidelity/cognito-tokens.md#cognito-tokens-federated-user, docs/fidelity/cognito-tokens.md#cognito-tokens-endpoints)."""
from __future__ import annotations

import base64
from urllib.parse import parse_qs, urlsplit

import pytest
import saml_idp
from cognito_helpers import CALLBACK, EXT_WORLD, callback_params, unique
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from lxml import etree

from mock_cognito import moto_adapter

pytestmark = pytest.mark.world(EXT_WORLD)


def signed_in(cognito, name=None, **kw):
    redirect = cognito.sp_sign_in(name or unique(), **kw)
    response = cognito.exchange(redirect)
    assert response.status_code == 200, response.text
    return response.json(), redirect


def test_refresh_keeps_auth_time_and_issues_no_new_refresh_token(cognito):
    # docs/fidelity/cognito-tokens.md#cognito-tokens-refresh-behaviour, docs/fidelity/cognito-tokens.md#cognito-tokens-federated-session-length (no IdP contact).
    tokens, _ = signed_in(cognito)
    first = cognito.verify(tokens["id_token"], "id")
    cognito.world.clock.advance(600)
    refreshed = cognito.token(grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    assert refreshed.status_code == 200, refreshed.text
    body = refreshed.json()
    assert "refresh_token" not in body
    again = cognito.verify(body["id_token"], "id")
    assert again["auth_time"] == first["auth_time"] and again["iat"] >= first["iat"] + 600
    assert again["origin_jti"] == first["origin_jti"]


def test_refresh_token_of_another_client_is_invalid_grant(cognito):
    tokens, _ = signed_in(cognito)
    response = cognito.token(client="corp", grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    assert response.status_code == 400 and response.json() == {"error": "invalid_grant"}


@pytest.mark.parametrize("form, error", [({"grant_type": "password"}, "unsupported_grant_type"),
                                         ({}, "invalid_request"),
                                         ({"grant_type": "authorization_code", "code": "nope",
                                           "redirect_uri": CALLBACK}, "invalid_grant")])
def test_token_errors(cognito, form, error):
    # docs/fidelity/cognito-tokens.md#cognito-tokens-token-errors: HTTP 400 JSON.
    response = cognito.token(**form)
    assert response.status_code == 400 and response.json() == {"error": error}


def test_userinfo_returns_the_users_attributes(cognito):
    # docs/fidelity/cognito-tokens.md#cognito-tokens-oauth2-userinfo, docs/fidelity/alb.md#alb-x-amzn-oidc-data-payload (email_verified as a string).
    name = unique()
    tokens, _ = signed_in(cognito, name)
    response = cognito.http.get(f"{cognito.base}/oauth2/userInfo", timeout=10,
                                headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert response.status_code == 200
    info = response.json()
    assert info["username"] == f"ExtIdP_{name}" and info["email"] == f"{name}@example.org"
    assert info["email_verified"] == "false"
    assert info["sub"] == cognito.verify(tokens["id_token"], "id")["sub"]


def test_userinfo_errors_are_in_www_authenticate(cognito):
    # docs/fidelity/cognito-tokens.md#cognito-tokens-oauth2-userinfo: 400 invalid_request, 401 invalid_token, with the exact descriptions.
    missing = cognito.http.get(f"{cognito.base}/oauth2/userInfo", timeout=10)
    assert missing.status_code == 400
    assert 'error_description="Bad OAuth2 request at UserInfo Endpoint"' in missing.headers["WWW-Authenticate"]
    bad = cognito.http.get(f"{cognito.base}/oauth2/userInfo", timeout=10, headers={"Authorization": "Bearer abc"})
    assert bad.status_code == 401
    assert ('error="invalid_token", error_description="Access token is expired, disabled, or deleted, or the user '
            'has globally signed out."') in bad.headers["WWW-Authenticate"]


def test_expired_access_token_is_refused_at_userinfo(cognito):
    tokens, _ = signed_in(cognito)
    cognito.world.clock.advance(3601)   # docs/fidelity/cognito-tokens.md#cognito-tokens-lifetimes: 1 h by default
    response = cognito.http.get(f"{cognito.base}/oauth2/userInfo", timeout=10,
                                headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert response.status_code == 401


def test_revoke_ends_the_refresh_token_and_its_access_tokens(cognito):
    # docs/fidelity/cognito-tokens.md#cognito-tokens-oauth2-revoke: "Revokes refresh token + derived access tokens".
    tokens, _ = signed_in(cognito)
    app_client = cognito.client("web")
    revoked = cognito.http.post(f"{cognito.base}/oauth2/revoke", data={"token": tokens["refresh_token"]},
                                auth=(app_client.ClientId, app_client.ClientSecret), timeout=10)
    assert revoked.status_code == 200
    refresh = cognito.token(grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    assert refresh.json() == {"error": "invalid_grant"}
    info = cognito.http.get(f"{cognito.base}/oauth2/userInfo", timeout=10,
                            headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert info.status_code == 401


def test_client_credentials(cognito):
    # docs/fidelity/cognito-tokens.md#cognito-tokens-oauth2-token grant_type=client_credentials: an access token only.
    response = cognito.token(client="machine", grant_type="client_credentials", scope="orders/read")
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"access_token", "expires_in", "token_type"}
    claims = cognito.verify(body["access_token"], "access", client="machine")
    assert claims["scope"] == "orders/read" and claims["sub"] == cognito.client("machine").ClientId
    assert cognito.token(client="web", grant_type="client_credentials").json() == {"error": "unauthorized_client"}


def test_implicit_flow_puts_tokens_in_the_fragment(cognito):
    # docs/fidelity/cognito-tokens.md#cognito-tokens-success-redirect: implicit → #id_token=…&access_token=…&token_type&expires_in&state.
    response = cognito.sp_sign_in(unique(), authorize={"response_type": "token"})
    location = response.headers["Location"]
    assert location.startswith(CALLBACK + "#")
    fragment = {k: v[0] for k, v in parse_qs(urlsplit(location).fragment).items()}
    assert fragment["state"] == "app-state-1" and fragment["expires_in"] == "3600"
    assert "refresh_token" not in fragment
    cognito.verify(fragment["id_token"], "id")


def test_prompt_none_with_a_session_signs_in_without_the_idp(cognito):
    # docs/fidelity/cognito-tokens.md#cognito-tokens-endpoints "prompt=none" (silent sign-in with the managed-login session); docs/fidelity/cognito-tokens.md#cognito-tokens-federated-user "session cookie 1 h".
    cognito.sp_sign_in(unique())
    assert cognito.http.cookies.get("cognito", domain=urlsplit(cognito.base).hostname)
    silent = cognito.authorize(prompt="none")
    assert "code" in callback_params(silent)
    cognito.world.clock.advance(3601)
    assert callback_params(cognito.authorize(prompt="none"))["error"] == "login_required"


def test_logout_with_saml_slo_sends_a_signed_logout_request(cognito):
    # docs/fidelity/cognito-federation.md#cognito-federation-single-logout-slo: IDPSignout on → LogoutRequest to the IdP, always signed; the
    # LogoutResponse comes back by POST to /saml2/logout; then logout_uri. docs/fidelity/cognito-tokens.md#cognito-tokens-logout.
    name = unique()
    cognito.sp_sign_in(name)
    response = cognito.get("/logout", client_id=cognito.client("web").ClientId, logout_uri="https://app.example.com/")
    location = response.headers["Location"]
    assert location.startswith("https://idp.example.org/slo?SAMLRequest=")
    signed_part, _, signature = location.split("?", 1)[1].rpartition("&Signature=")
    _, query, xml = saml_idp.read_redirect(location)
    request = etree.fromstring(xml)
    assert request.findtext("{urn:oasis:names:tc:SAML:2.0:assertion}NameID") == name
    from urllib.parse import unquote_plus

    from mock_cognito.saml.signing_certificate import certificate_b64

    cert = x509.load_der_x509_certificate(base64.b64decode(certificate_b64(cognito.pool.Id)))
    cert.public_key().verify(base64.b64decode(unquote_plus(signature)), signed_part.encode(), padding.PKCS1v15(),
                             hashes.SHA256())
    logout_response = (f'<samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_lr1" '
                       f'Version="2.0" IssueInstant="2026-01-01T00:00:00Z" InResponseTo="{request.get("ID")}">'
                       f'<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/>'
                       f'</samlp:Status></samlp:LogoutResponse>')
    back = cognito.http.post(f"{cognito.base}/saml2/logout", allow_redirects=False, timeout=10,
                             data={"SAMLResponse": base64.b64encode(logout_response.encode()).decode(),
                                   "RelayState": query["RelayState"]})
    assert back.status_code == 302 and back.headers["Location"] == "https://app.example.com/"
    assert callback_params(cognito.authorize(prompt="none"))["error"] == "login_required"


def test_saml2_logout_accepts_post_only(cognito):
    # docs/fidelity/cognito-federation.md#cognito-federation-slo-response-binding: GET → 400 with Allow: POST.
    response = cognito.get("/saml2/logout")
    assert response.status_code == 400 and response.headers["Allow"] == "POST"


def test_logout_uri_must_be_registered(cognito):
    response = cognito.get("/logout", client_id=cognito.client("web").ClientId, logout_uri="https://evil.example.com/")
    assert response.status_code == 400


def test_discovery_document_and_jwks(cognito):
    # docs/fidelity/cognito-tokens.md#cognito-tokens-discovery-jwks, docs/fidelity/cognito-tokens.md#cognito-tokens-issuer-original, docs/fidelity/cognito-tokens.md#cognito-tokens-oidc-discovery-document.
    doc = cognito.http.get(f"{cognito.pool.issuer}/.well-known/openid-configuration", timeout=10).json()
    assert doc["issuer"] == f"https://cognito-idp.us-east-1.amazonaws.com/{cognito.pool.Id}"
    assert doc["authorization_endpoint"] == f"{cognito.base}/oauth2/authorize"
    assert doc["token_endpoint"] == f"{cognito.base}/oauth2/token"
    assert doc["jwks_uri"] == f"{cognito.pool.issuer}/.well-known/jwks.json"
    assert doc["id_token_signing_alg_values_supported"] == ["RS256"]
    keys = cognito.http.get(doc["jwks_uri"], timeout=10).json()["keys"]
    assert len(keys) == 2 and {k["alg"] for k in keys} == {"RS256"}


def test_a_pool_created_through_the_api_after_start_has_its_jwks(cognito):
    # docs/fidelity/cognito-tokens.md#cognito-tokens-discovery-jwks: which pools exist is moto's
    # answer for the JWKS as for discovery (before: discovery answered, the JWKS was a 404).
    client = moto_adapter.client("cognito-idp", cognito.world.aws_endpoint_url, "us-east-1")
    pool_id = client.create_user_pool(PoolName=f"late-{unique()}")["UserPool"]["Id"]
    issuer = f"https://cognito-idp.us-east-1.amazonaws.com/{pool_id}"
    doc = cognito.http.get(f"{issuer}/.well-known/openid-configuration", timeout=10)
    assert doc.status_code == 200 and doc.json()["jwks_uri"] == f"{issuer}/.well-known/jwks.json"
    keys = cognito.http.get(doc.json()["jwks_uri"], timeout=10)
    assert keys.status_code == 200, keys.text
    assert len(keys.json()["keys"]) == 2
    assert cognito.http.get(f"{issuer}x/.well-known/jwks.json", timeout=10).status_code == 404


def test_logout_with_redirect_uri_signs_out_and_shows_the_sign_in_page(cognito):
    # docs/fidelity/cognito-tokens.md#cognito-tokens-logout: redirect_uri + response_type → sign out, then sign in again; the session ends.
    name = unique()   # through an IdP without IDPSignout, so no SAML single logout first
    cognito.sp_sign_in(name, provider="ImmutableIdP", attributes={"email": f"{name}@example.org"})
    response = cognito.get("/logout", client_id=cognito.client("web").ClientId, redirect_uri=CALLBACK,
                           response_type="code", state="again")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?")
    assert "state=again" in response.headers["Location"]
    assert callback_params(cognito.authorize(prompt="none"))["error"] == "login_required"
