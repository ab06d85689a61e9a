"""Cognito's AuthnRequest XML (mock_cognito/saml/authn_request.py) is written from a template: it
must be byte for byte what pysaml2's protocol classes write for the same values, escaping
included."""
from __future__ import annotations

import datetime as dt

import pytest
from saml2.saml import Issuer
from saml2.samlp import AuthnRequest, NameIDPolicy

from mock_cognito.saml import authn_request
from world_common.clock import saml_instant

NOW = dt.datetime(2026, 11, 30, 17, 30, 1, 234000, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize("destination, acs_url, pool_id", [
    ("https://dev-123456.okta.com/app/x/exk1/sso/saml", "https://myapp.auth.us-east-1.amazoncognito.com/saml2/idpresponse",
     "us-east-1_AbC123"),
    ('https://idp.example/sso?a=1&b="2"<>\t\r\nünï', "https://sp.example/acs?x=<&>", "eu-west-1_&<>\"ü"),
])
def test_the_template_writes_what_pysaml2_writes(destination, acs_url, pool_id):
    request_id = authn_request.new_id()
    expected = AuthnRequest(
        id=request_id, version="2.0", issue_instant=saml_instant(NOW), destination=destination,
        assertion_consumer_service_url=acs_url, protocol_binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST",
        issuer=Issuer(text=f"urn:amazon:cognito:sp:{pool_id}"),
        name_id_policy=NameIDPolicy(format=authn_request.UNSPECIFIED, allow_create="true")).to_string()
    assert authn_request.build(request_id=request_id, pool_id=pool_id, acs_url=acs_url, destination=destination,
                               now=NOW) == expected
