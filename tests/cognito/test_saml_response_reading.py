"""Cognito's reading of a verified assertion (mock_cognito.saml.response._check) gives what
ElementPath's find/findall/findtext read from the same document: several attribute statements
and repeated attributes in document order, an empty assertion Issuer falling back to the
Response's, nested and repeated elements, and only direct children counted."""
from __future__ import annotations

from mock_cognito.saml.response import Expectations, _check
from world_common.saml_xml import NS, parse

DOC = b"""<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"
    xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="r1" InResponseTo="req-1">
  <saml:Issuer>http://idp.example/response-issuer</saml:Issuer>
  <samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>
  <saml:Assertion ID="a1" IssueInstant="2026-01-01T00:00:00Z">
    <saml:Issuer/>
    <saml:Subject>
      <saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"> alice@example.com </saml:NameID>
      <saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:holder-of-key">
        <saml:SubjectConfirmationData Recipient="https://wrong.example/acs" InResponseTo="req-1"/>
      </saml:SubjectConfirmation>
      <saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">
        <saml:SubjectConfirmationData Recipient="https://d.example/saml2/idpresponse" InResponseTo="req-1"
            NotOnOrAfter="2026-01-01T00:05:00Z"/>
      </saml:SubjectConfirmation>
    </saml:Subject>
    <saml:Conditions NotBefore="2025-12-31T23:59:00Z" NotOnOrAfter="2026-01-01T00:05:00Z">
      <saml:AudienceRestriction><saml:Audience>urn:other</saml:Audience></saml:AudienceRestriction>
      <saml:AudienceRestriction><saml:Audience>urn:amazon:cognito:sp:pool</saml:Audience></saml:AudienceRestriction>
    </saml:Conditions>
    <saml:AuthnStatement SessionIndex="s-9"/>
    <saml:AttributeStatement>
      <saml:Attribute Name="groups"><saml:AttributeValue>a</saml:AttributeValue><saml:AttributeValue/></saml:Attribute>
      <saml:Attribute Name="email"><saml:AttributeValue>alice@example.com</saml:AttributeValue></saml:Attribute>
      <wrapper><saml:Attribute Name="hidden"><saml:AttributeValue>x</saml:AttributeValue></saml:Attribute></wrapper>
    </saml:AttributeStatement>
    <saml:AttributeStatement>
      <saml:Attribute Name="groups"><saml:AttributeValue>b</saml:AttributeValue></saml:Attribute>
      <saml:Attribute><saml:AttributeValue>nameless</saml:AttributeValue></saml:Attribute>
    </saml:AttributeStatement>
  </saml:Assertion>
</samlp:Response>"""


def _expected(root, assertion):
    attributes = {}
    for attribute in assertion.iterfind("saml:AttributeStatement/saml:Attribute", NS):
        values = [v.text or "" for v in attribute.findall("saml:AttributeValue", NS)]
        attributes.setdefault(attribute.get("Name", ""), []).extend(values)
    name_id = assertion.find("saml:Subject/saml:NameID", NS)
    return {"issuer": assertion.findtext("saml:Issuer", namespaces=NS) or root.findtext("saml:Issuer", namespaces=NS),
            "name_id": name_id.text.strip(), "name_id_format": name_id.get("Format"),
            "session_index": assertion.find("saml:AuthnStatement", NS).get("SessionIndex"),
            "assertion_id": "a1", "attributes": attributes}


def test_the_assertion_is_read_as_elementpath_reads_it():
    root = parse(DOC)
    assertion = root.find("saml:Assertion", NS)
    valid = _check(root, assertion, Expectations(
        audience="urn:amazon:cognito:sp:pool", acs_url="https://d.example/saml2/idpresponse", certificates=(),
        request_id="req-1", now=1767225660.0))
    assert vars(valid) == _expected(root, assertion)
    assert valid.issuer == "http://idp.example/response-issuer"
    assert valid.attributes == {"groups": ["a", "", "b"], "email": ["alice@example.com"], "": ["nameless"]}
