"""IdP-initiated SAML sign-in (docs/fidelity/cognito-federation.md#cognito-federation-idp-initiated-sso-switch, docs/fidelity/cognito-federation.md#cognito-federation-idp-initiated-post-body, docs/fidelity/cognito-federation.md#cognito-federation-idp-initiated-freshness-window, docs/fidelity/cognito-federation.md#cognito-federation-idp-initiated-assertion-must-not-carry-inresponseto)."""
from __future__ import annotations

import datetime as dt
from html import unescape
from urllib.parse import urlencode

import pytest
import saml_idp
from cognito_helpers import CALLBACK, EXT_WORLD, callback_params, unique

from mock_cognito import errors

pytestmark = pytest.mark.world(EXT_WORLD)


def relay(cognito, provider="ExtIdP", client="web", **extra) -> str:
    params = {"identity_provider": provider, "client_id": cognito.client(client).ClientId, "redirect_uri": CALLBACK,
              "response_type": "code", "scope": "openid email"}
    params.update(extra)
    return urlencode({k: v for k, v in params.items() if v is not None})


def test_unsolicited_response_signs_in_when_idpinit_is_on(cognito):
    name = unique("tile")
    xml = cognito.response_xml(name, None)
    params = callback_params(cognito.post_acs(saml_idp.b64(xml), relay(cognito)))
    assert set(params) == {"code"}   # no state: none was in the RelayState
    tokens = cognito.token(grant_type="authorization_code", code=params["code"], redirect_uri=CALLBACK).json()
    claims = cognito.verify(tokens["id_token"], "id")
    assert claims["cognito:username"] == f"ExtIdP_{name}"
    assert "nonce" not in claims or claims["nonce"]


def test_idp_initiated_with_idp_identifier(cognito):
    # docs/fidelity/cognito-federation.md#cognito-federation-idp-initiated-post-body: … (or idp_identifier=); SignedReqIdP has IDPInit off → page.
    xml = cognito.response_xml(unique(), None)
    response = cognito.post_acs(saml_idp.b64(xml), relay(cognito, provider=None, idp_identifier="example.org"))
    assert response.status_code == 400
    assert errors.INVALID_SAMLRESPONSE_OR_RELAYSTATE in unescape(response.text)


def test_unsolicited_response_fails_when_idpinit_is_off(cognito):
    # docs/fidelity/cognito-federation.md#cognito-federation-idp-initiated-sso-switch: off → "Invalid samlResponse or relayState from identity provider"; docs/fidelity/errors.md#errors-okta-tile-idp-initiated-login-with.
    xml = cognito.response_xml(unique(), None)
    response = cognito.post_acs(saml_idp.b64(xml), relay(cognito, provider="ImmutableIdP"))
    assert response.status_code == 400
    assert "Invalid samlResponse or relayState from identity provider" in unescape(response.text)


def test_in_response_to_is_refused_when_idp_initiated(cognito):
    xml = cognito.response_xml(unique(), "_some-request")
    params = callback_params(cognito.post_acs(saml_idp.b64(xml), relay(cognito, state="s")))
    assert params == {"error": "server_error", "error_description": errors.IDP_INIT_IN_RESPONSE_TO, "state": "s"}


def test_assertion_older_than_six_minutes_is_refused(cognito):
    now = cognito.world.clock.now()
    old = cognito.response_xml(unique(), None, issue_instant=now - dt.timedelta(minutes=6, seconds=1),
                               not_on_or_after=now + dt.timedelta(minutes=5))
    params = callback_params(cognito.post_acs(saml_idp.b64(old), relay(cognito)))
    assert params["error_description"] == errors.IDP_INIT_TOO_OLD
    recent = cognito.response_xml(unique(), None, issue_instant=now - dt.timedelta(minutes=5, seconds=50),
                                  not_on_or_after=now + dt.timedelta(minutes=5))
    assert "code" in callback_params(cognito.post_acs(saml_idp.b64(recent), relay(cognito)))


def test_relay_state_with_an_unregistered_redirect_uri_is_a_page(cognito):
    xml = cognito.response_xml(unique(), None)
    response = cognito.post_acs(saml_idp.b64(xml), relay(cognito, redirect_uri="https://evil.example.com/cb"))
    assert response.status_code == 400
    assert errors.INVALID_SAMLRESPONSE_OR_RELAYSTATE in unescape(response.text)
