"""Okta's Users API "Update a user" (partial update, ``POST /api/v1/users/{id}``; OK-USERS) on
the default world: success, the E-codes (docs/fidelity/okta-oidc-api.md#okta-oidc-api-e-code-catalogue), and the change
showing in the next SAML response's NameID and attributes."""
from lxml import etree

from .saml_tools import NS, idp_cert_pem, saml_response, sign_in, xmlsec1_verify

EMAIL_ATTR = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"


def token(w) -> dict:
    return {"Authorization": f"SSWS {w.world.okta.api_tokens[0].token}"}


def update(w, key, body, headers=None):
    return w.http.post(f"{w.world.okta.org_url}/api/v1/users/{key}", json=body,
                       headers=token(w) if headers is None else headers)


def tile_assertion(w, login, password):
    """Sign in at Okta, click the Cognito SAML tile: the signed SAML response's NameID and attributes."""
    w.http.cookies.clear()
    sign_in(w, login, password)
    app = w.world.okta_app("Cognito SAML")
    page = w.http.get(app.embed_link)
    assert page.status_code == 200, page.text[:500]
    _, xml, _ = saml_response(page.text)
    assert xmlsec1_verify(xml, idp_cert_pem(w, app)).returncode == 0
    root = etree.fromstring(xml)
    attrs = {a.get("Name"): [v.text for v in a.findall("saml2:AttributeValue", NS)]
             for a in root.iterfind(".//saml2:Attribute", NS)}
    return root.findtext(".//saml2:Subject/saml2:NameID", namespaces=NS), attrs


def test_partial_update_merges_and_shows_in_the_next_saml_response(fresh_world):
    w = fresh_world
    alice = w.world.okta.users[0]
    assert tile_assertion(w, "alice@example.com", "Alice-Passw0rd")[0] == "alice@example.com"
    r = update(w, alice.id, {"profile": {"email": "Alice@Example.com", "firstName": "Alicia"}})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["id"] == alice.id and body["status"] == "ACTIVE"
    assert body["_links"]["self"]["href"] == f"{w.world.okta.org_url}/api/v1/users/{alice.id}"
    # Partial update: what was not sent keeps its value.
    assert body["profile"]["email"] == "Alice@Example.com" and body["profile"]["firstName"] == "Alicia"
    assert body["profile"]["lastName"] == "Liddell"
    assert w.http.get(f"{w.world.okta.org_url}/api/v1/users/{alice.id}", headers=token(w)).json() == body
    name_id, attrs = tile_assertion(w, "alice@example.com", "Alice-Passw0rd")
    assert name_id == "Alice@Example.com"   # user_name_template ${source.email}
    assert attrs[EMAIL_ATTR] == ["Alice@Example.com"] and attrs["given_name"] == ["Alicia"]


def test_update_by_login_and_a_login_change_keeps_sessions_and_assignments(fresh_world):
    w = fresh_world
    org = w.world.okta.org_url
    w.http.cookies.clear()
    sign_in(w, "bob@example.com", "Bob-Passw0rd")   # a live session before the change
    r = update(w, "bob@example.com", {"profile": {"login": "robert@example.com", "email": "robert@example.com"}})
    assert r.status_code == 200, r.text
    assert w.http.get(f"{org}/api/v1/users/me/appLinks").status_code == 200   # the old session still works
    assert {link["label"] for link in w.http.get(f"{org}/api/v1/users/me/appLinks").json()} >= {"Cognito SAML"}
    old = w.http.post(f"{org}/api/v1/authn", json={"username": "bob@example.com", "password": "Bob-Passw0rd"})
    assert old.status_code == 401 and old.json()["errorCode"] == "E0000004"
    name_id, _ = tile_assertion(w, "robert@example.com", "Bob-Passw0rd")   # still assigned, new email
    assert name_id == "robert@example.com"
    assert w.http.get(f"{org}/api/v1/users/robert@example.com", headers=token(w)).json()["id"] == r.json()["id"]


def test_bad_token_is_e0000011(fresh_world):
    w = fresh_world
    bearer = {"Authorization": f"Bearer {w.world.okta.api_tokens[0].token}"}
    for headers in ({"Authorization": "SSWS wrong"}, {}, bearer):
        r = update(w, w.world.okta.users[0].id, {"profile": {"firstName": "Eve"}}, headers=headers)
        body = r.json()
        assert r.status_code == 401 and body["errorCode"] == "E0000011"
        assert body["errorSummary"] == "Invalid token provided" and body["errorCauses"] == []
    me = w.http.get(f"{w.world.okta.org_url}/api/v1/users/{w.world.okta.users[0].id}", headers=token(w))
    assert me.json()["profile"]["firstName"] == "Alice"


def test_unknown_user_is_e0000007(fresh_world):
    r = update(fresh_world, "00unotauser000000000", {"profile": {"firstName": "X"}})
    body = r.json()
    assert r.status_code == 404 and body["errorCode"] == "E0000007"
    assert body["errorSummary"] == "Not found: Resource not found: 00unotauser000000000 (User)"


def test_invalid_profiles_are_e0000001_and_change_nothing(fresh_world):
    w = fresh_world
    alice = w.world.okta.users[0].id
    for profile, field in [({"login": "bob@EXAMPLE.com"}, "login"), ({"email": "not-an-email"}, "email"),
                           ({"firstName": ""}, "firstName"), ({"lastName": "x" * 51}, "lastName"),
                           ({"login": None}, "login")]:
        r = update(w, alice, {"profile": profile})
        body = r.json()
        assert r.status_code == 400 and body["errorCode"] == "E0000001", (profile, body)
        assert body["errorSummary"] == f"Api validation failed: {field}"
        assert body["errorCauses"] and body["errorCauses"][0]["errorSummary"].startswith(f"{field}: ")
    for bad in ({"profile": "x"}, {"credentials": {"password": {"value": "x"}}}):
        assert update(w, alice, bad).json()["errorCode"] == "E0000001"
    r = w.http.post(f"{w.world.okta.org_url}/api/v1/users/{alice}", data="{not json", headers=token(w))
    assert r.status_code == 400 and r.json()["errorCode"] == "E0000003"
    now = w.http.get(f"{w.world.okta.org_url}/api/v1/users/{alice}", headers=token(w)).json()["profile"]
    assert now["email"] == "alice@example.com" and now["firstName"] == "Alice"


def test_a_value_xml_cannot_carry_gets_an_error_page_naming_it_not_a_500(fresh_world):
    # docs/fidelity/okta-saml.md#okta-saml-value-not-xml
    w = fresh_world
    alice = w.world.okta.users[0]
    assert update(w, alice.id, {"profile": {"firstName": "Ali\x01ce"}}).status_code == 200
    w.http.cookies.clear()
    sign_in(w, "alice@example.com", "Alice-Passw0rd")
    page = w.http.get(w.world.okta_app("Cognito SAML").embed_link)
    assert page.status_code == 400
    assert "SAMLResponse" not in page.text
    assert "U+0001, which XML 1.0 does not allow" in page.text and "Ali\\x01ce" in page.text
