"""IdP metadata (docs/fidelity/okta-saml.md#okta-saml-metadata-document), validated against the SAML 2.0 metadata
schema that python3-saml ships."""
import os

import onelogin.saml2
import pytest
from lxml import etree

from .saml_tools import NS, SETTINGS_WORLD

pytestmark = pytest.mark.world(SETTINGS_WORLD)
SCHEMAS = os.path.join(os.path.dirname(onelogin.saml2.__file__), "schemas")


@pytest.fixture(scope="module")
def schema():
    cwd = os.getcwd()
    os.chdir(SCHEMAS)   # the XSDs import each other by relative path
    try:
        return etree.XMLSchema(etree.parse(os.path.join(SCHEMAS, "saml-schema-metadata-2.0.xsd")))
    finally:
        os.chdir(cwd)


@pytest.mark.parametrize("label", ["Plain SP", "Legacy SHA1 Email", "Signed Requests SP"])
def test_metadata_is_schema_valid_and_okta_shaped(w, schema, label):
    app = w.world.okta_app(label)
    r = w.http.get(app.metadata_url)
    assert r.status_code == 200 and "xml" in r.headers["Content-Type"]
    doc = etree.fromstring(r.content)
    schema.assertValid(doc)
    assert doc.get("entityID") == app.entity_id and doc.get("validUntil") is None
    idp = doc.find("md:IDPSSODescriptor", NS)
    assert idp.get("WantAuthnRequestsSigned") == ("true" if label == "Signed Requests SP" else "false")
    keys = idp.findall("md:KeyDescriptor", NS)
    assert [k.get("use") for k in keys] == ["signing"]
    sso = idp.findall("md:SingleSignOnService", NS)
    assert {s.get("Binding").rsplit(":", 1)[1] for s in sso} == {"HTTP-POST", "HTTP-Redirect"}
    assert {s.get("Location") for s in sso} == {app.sso_url}
    formats = [f.text for f in idp.findall("md:NameIDFormat", NS)]
    assert "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified" in formats
    slo = idp.findall("md:SingleLogoutService", NS)
    assert bool(slo) == (label == "Plain SP")


def test_metadata_is_stable_across_requests(w):
    app = w.world.okta_app("Plain SP")
    assert w.http.get(app.metadata_url).content == w.http.get(app.metadata_url).content
