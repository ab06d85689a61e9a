"""Single logout (docs/fidelity/okta-saml.md#okta-saml-single-logout): a LogoutRequest signed by the SP (built and
signed by python3-saml) ends the Okta session; the signed LogoutResponse passes xmlsec1."""
import base64

import pytest
from lxml import etree

from .saml_tools import NS, SETTINGS_WORLD, form, idp_cert_pem, onelogin_settings, sign_in, xmlsec1_verify

pytestmark = pytest.mark.world(SETTINGS_WORLD)


def test_sp_initiated_logout_ends_the_session(w):
    from onelogin.saml2.auth import OneLogin_Saml2_Auth

    app = w.world.okta_app("Plain SP")
    sign_in(w, "alice@example.com", "Alice-Passw0rd")
    assert w.http.get(w.world.okta.org_url + "/api/v1/sessions/me").status_code == 200
    cert = idp_cert_pem(w, app)
    settings = onelogin_settings(app, cert, signed_requests=True)
    auth = OneLogin_Saml2_Auth({"https": "on", "http_host": "sp.example.com", "script_name": "/logout"}, settings)
    url = auth.logout(return_to="after", name_id="alice@example.com")
    assert url.startswith(app.sso_url.replace("/sso/saml", "/slo/saml"))
    r = w.http.get(url)
    assert r.status_code == 200, r.text
    action, fields = form(r.text)
    assert action == "https://sp.example.com/saml/slo" and fields["RelayState"] == "after"
    xml = base64.b64decode(fields["SAMLResponse"])
    root = etree.fromstring(xml)
    assert root.tag == "{urn:oasis:names:tc:SAML:2.0:protocol}LogoutResponse"
    assert root.get("InResponseTo") == auth.get_last_request_id()
    assert root.find("saml2p:Status/saml2p:StatusCode", NS).get("Value").endswith(":Success")
    result = xmlsec1_verify(xml, cert, "Response")
    assert result.returncode == 0, result.stderr
    assert w.http.get(w.world.okta.org_url + "/api/v1/sessions/me").status_code == 404


def test_unsigned_logout_request_is_refused(w):
    from onelogin.saml2.auth import OneLogin_Saml2_Auth

    app = w.world.okta_app("Plain SP")
    sign_in(w, "alice@example.com", "Alice-Passw0rd")
    settings = onelogin_settings(app, idp_cert_pem(w, app), signed_requests=False)
    auth = OneLogin_Saml2_Auth({"https": "on", "http_host": "sp.example.com", "script_name": "/logout"}, settings)
    r = w.http.get(auth.logout(name_id="alice@example.com"))
    assert r.status_code == 400 and "not signed" in r.text
    assert w.http.get(w.world.okta.org_url + "/api/v1/sessions/me").status_code == 200


def test_slo_not_enabled(w):
    app = w.world.okta_app("Legacy SHA1 Email")
    r = w.http.get(app.sso_url.replace("/sso/saml", "/slo/saml"), params={"SAMLRequest": "x"})
    assert r.status_code == 400 and "Single Logout is not enabled" in r.text
