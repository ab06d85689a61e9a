"""The default world's SAML apps: Okta -> Cognito (SAML) and Okta's AWS Account Federation app
(docs/fidelity/okta-saml.md#okta-saml-idp, docs/fidelity/aws-signin-sts.md#aws-signin-sts-aws-app)."""
from lxml import etree

from .saml_tools import NS, idp_cert_pem, saml_response, sign_in, xmlsec1_verify


def test_cognito_saml_app_posts_to_the_user_pool(w):
    app = w.world.okta_app("Cognito SAML")
    pool = w.world.user_pool("acme-users")
    sign_in(w, "alice@example.com", "Alice-Passw0rd")
    action, xml, fields = saml_response(w.http.get(app.embed_link).text)
    assert action == f"https://{pool.domain_host}/saml2/idpresponse"
    assert fields["RelayState"].startswith("identity_provider=Okta&client_id=")
    root = etree.fromstring(xml)
    assert root.findtext(".//saml2:Audience", namespaces=NS) == f"urn:amazon:cognito:sp:{pool.Id}"
    name_id = root.find(".//saml2:NameID", NS)
    assert name_id.get("Format") == "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
    assert xmlsec1_verify(xml, idp_cert_pem(w, app), "Assertion").returncode == 0


def test_aws_app_response(w):
    app = w.world.okta_app("AWS Account Federation")
    assert app.embed_link.endswith("/272") and "/home/amazon_aws/" in app.embed_link
    sign_in(w, "alice@example.com", "Alice-Passw0rd")
    r = w.http.get(app.embed_link)
    assert r.status_code == 200, r.text
    action, xml, fields = saml_response(r.text)
    # docs/fidelity/aws-signin-sts.md#aws-signin-sts-acs-destination-recipient, docs/fidelity/aws-signin-sts.md#aws-signin-sts-audience, docs/fidelity/okta-saml.md#okta-saml-aws-app-nameid-format
    assert action == "https://signin.aws.amazon.com/saml" and fields["RelayState"] == ""
    root = etree.fromstring(xml)
    assert root.get("Destination") == "https://signin.aws.amazon.com/saml"
    assert root.findtext(".//saml2:Audience", namespaces=NS) == "urn:amazon:webservices"
    assert root.find(".//saml2:NameID", NS).get("Format") == "urn:oasis:names:tc:SAML:2.0:nameid-format:unspecified"
    cert = idp_cert_pem(w, app)
    assert xmlsec1_verify(xml, cert, "Response").returncode == 0
    assert xmlsec1_verify(xml, cert, "Assertion").returncode == 0
    metadata = etree.fromstring(w.http.get(app.metadata_url).content)
    assert [f.text for f in metadata.iterfind(".//md:NameIDFormat", NS)] == [
        "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress", "urn:oasis:names:tc:SAML:2.0:nameid-format:unspecified"]


def test_aws_app_not_assigned(w):
    sign_in(w, "mallory@example.com", "Mallory-Passw0rd")
    r = w.http.get(w.world.okta_app("AWS Account Federation").embed_link)
    assert r.status_code == 403 and "you are not assigned this app in Okta" in r.text
