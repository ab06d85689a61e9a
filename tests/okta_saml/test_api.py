"""The API subset command-line clients use (docs/fidelity/okta-oidc-api.md#okta-oidc-api-api, docs/fidelity/okta-oidc-api.md#okta-oidc-api-cli-clients), over HTTP."""
import re

import pytest

from .saml_tools import SETTINGS_WORLD, saml_response

pytestmark = pytest.mark.world(SETTINGS_WORLD)
TOKEN = {"Authorization": "SSWS 00test-api-token"}


def api(w, path):
    return w.world.okta.org_url + path


def authn(w, username="alice@example.com", password="Alice-Passw0rd"):
    return w.http.post(api(w, "/api/v1/authn"), json={"username": username, "password": password})


def test_authn_success_shape(w):
    r = authn(w)
    assert r.status_code == 200
    body = r.json()
    # docs/fidelity/okta-oidc-api.md#okta-oidc-api-primary-auth
    assert body["status"] == "SUCCESS" and body["sessionToken"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", body["expiresAt"])
    user = body["_embedded"]["user"]
    assert user["id"] == w.world.okta.users[0].id and user["id"].startswith("00u") and len(user["id"]) == 20
    assert user["profile"]["login"] == "alice@example.com" and user["profile"]["firstName"] == "Alice"


@pytest.mark.parametrize("username,password", [("alice@example.com", "nope"), ("ghost@example.com", "x"),
                                               ("carol@example.com", "Carol-Passw0rd")])
def test_authn_failure_is_e0000004(w, username, password):
    r = authn(w, username, password)
    assert r.status_code == 401
    body = r.json()
    # docs/fidelity/okta-oidc-api.md#okta-oidc-api-primary-auth-failure
    assert body["errorCode"] == "E0000004" and body["errorSummary"] == "Authentication failed"
    assert body["errorLink"] == "E0000004" and body["errorId"].startswith("oae") and body["errorCauses"] == []


def test_authn_with_unreadable_body_is_a_json_error(w):
    r = w.http.post(api(w, "/api/v1/authn"), data=b"{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and r.json()["errorCode"] == "E0000003"


def test_session_from_token_then_me_then_embed_link(w):
    token = authn(w).json()["sessionToken"]
    r = w.http.post(api(w, "/api/v1/sessions"), json={"sessionToken": token})
    assert r.status_code == 200
    session = r.json()
    # docs/fidelity/okta-oidc-api.md#okta-oidc-api-id-formats, docs/fidelity/okta-oidc-api.md#okta-oidc-api-create-session
    assert re.fullmatch(r"102[\w-]{22}", session["id"])
    assert session["status"] == "ACTIVE" and session["login"] == "alice@example.com" and session["amr"] == ["pwd"]
    w.http.cookies.clear()
    w.http.cookies.set("sid", session["id"], domain=w.world.okta.org_url.split("//")[1])
    me = w.http.get(api(w, "/api/v1/sessions/me"))
    assert me.status_code == 200 and me.json()["id"] == session["id"]
    links = w.http.get(api(w, "/api/v1/users/me/appLinks")).json()
    labels = {link["label"]: link for link in links}
    assert "Plain SP" in labels and "Inactive SP" not in labels
    plain = labels["Plain SP"]
    app = w.world.okta_app("Plain SP")
    assert plain["linkUrl"] == app.embed_link and plain["appInstanceId"] == app.id
    assert plain["appAssignmentId"].startswith("0ua")
    r = w.http.get(plain["linkUrl"])
    assert "SAMLResponse" in r.text
    # the token was one-time
    assert w.http.post(api(w, "/api/v1/sessions"), json={"sessionToken": token}).status_code == 401


def test_session_me_without_a_session(w):
    r = w.http.get(api(w, "/api/v1/sessions/me"))
    assert r.status_code == 404 and r.json()["errorCode"] == "E0000007"
    assert w.http.get(api(w, "/api/v1/users/me/appLinks")).json()["errorCode"] == "E0000005"


def test_session_cookie_redirect_sets_sid_and_dt(w):
    token = authn(w).json()["sessionToken"]
    r = w.http.get(api(w, "/login/sessionCookieRedirect"),
                   params={"checkAccountSetupComplete": "true", "token": token,
                           "redirectUrl": "http://localhost:8080/login"}, allow_redirects=False)
    # docs/fidelity/okta-oidc-api.md#okta-oidc-api-session-cookie-redirect, docs/fidelity/okta-oidc-api.md#okta-oidc-api-cli-clients gimme-aws-creds needs sid and DT
    assert r.status_code == 302 and r.headers["Location"] == "http://localhost:8080/login"
    assert "sid" in r.cookies and "DT" in r.cookies
    again = w.http.get(api(w, "/login/sessionCookieRedirect"), params={"token": token, "redirectUrl": "/"},
                       allow_redirects=False)
    assert again.status_code == 401 and "sid" not in again.cookies


def test_session_token_expires_after_five_minutes(w):
    token = authn(w).json()["sessionToken"]
    w.clock.advance(301)
    assert w.http.post(api(w, "/api/v1/sessions"), json={"sessionToken": token}).status_code == 401


def test_embed_link_with_session_token_sets_sid(w):
    token = authn(w).json()["sessionToken"]
    r = w.http.get(w.world.okta_app("Plain SP").embed_link, params={"sessionToken": token, "RelayState": "x/y"})
    assert r.status_code == 200 and "sid" in r.cookies
    _, _, fields = saml_response(r.text)
    assert fields["RelayState"] == "x/y"


def test_apps_api_needs_an_ssws_token(w):
    r = w.http.get(api(w, "/api/v1/apps"))
    assert r.status_code == 401 and r.json()["errorCode"] == "E0000011"
    assert r.json()["errorSummary"] == "Invalid token provided"
    r = w.http.get(api(w, "/api/v1/apps"), headers={"Authorization": "SSWS wrong"})
    assert r.status_code == 401
    apps = w.http.get(api(w, "/api/v1/apps"), headers=TOKEN).json()
    plain = next(a for a in apps if a["label"] == "Plain SP")
    assert plain["signOnMode"] == "SAML_2_0" and plain["settings"]["signOn"]["idpIssuer"].startswith("http://www.okta.com/exk")
    meta = w.http.get(plain["_links"]["metadata"]["href"], headers=TOKEN)
    assert meta.status_code == 200 and b"EntityDescriptor" in meta.content
    missing = w.http.get(api(w, "/api/v1/apps/0oaNOPE/sso/saml/metadata"), headers=TOKEN)
    assert missing.status_code == 404 and missing.json()["errorSummary"] == "Not found: Resource not found: 0oaNOPE (AppInstance)"


def test_user_app_links_with_token(w):
    r = w.http.get(api(w, "/api/v1/users/bob@example.com/appLinks"), headers=TOKEN)
    assert [link["label"] for link in r.json()] == ["Legacy SHA1 Email"]


def test_okta_organization_endpoint(w):
    body = w.http.get(api(w, "/.well-known/okta-organization")).json()
    assert body["id"].startswith("00o")


def test_unknown_api_path_is_json_404(w):
    r = w.http.get(api(w, "/api/v1/nothing"))
    assert r.status_code == 404 and r.json()["errorCode"] == "E0000007"
