"""Cognito's ACS verifies signatures with the world's one verifier (world_common.xmldsig),
keeping Cognito's own texts; the IdP certificate's validity dates count at sign-in
(docs/fidelity/cognito-federation.md#cognito-federation-expired-idp-signing-cert-at-sign-in);
the bearer confirmation's own NotOnOrAfter counts
(docs/fidelity/cognito-federation.md#cognito-federation-subject-confirmation-expiry)."""
from __future__ import annotations

import datetime as dt

import pytest
import saml_idp
from cognito_helpers import EXT_WORLD, callback_params, unique

from mock_cognito import errors
from mock_cognito.saml import response
from world_common import keys

pytestmark = pytest.mark.world(EXT_WORLD)


def test_the_acs_verifies_with_the_one_verifier(cognito, verifier_calls):
    seen = verifier_calls
    assert "code" in callback_params(cognito.sp_sign_in(unique(), sign="both"))
    assert [name for name, _ in seen] == ["Response", "Assertion"]
    assert all(at is not None for _, at in seen)     # the certificate's dates count
    seen.clear()
    refused = callback_params(cognito.sp_sign_in(unique(), key=saml_idp.ROGUE_KEY))
    assert refused["error_description"] == errors.ASSERTION_SIGNATURE_INVALID
    assert [name for name, _ in seen] == ["Assertion"]


def _expect(cognito, certificate, now) -> response.Expectations:
    return response.Expectations(audience=f"urn:amazon:cognito:sp:{cognito.pool.Id}", acs_url=cognito.acs,
                                 certificates=(certificate,), request_id="_request", now=now.timestamp())


def test_an_expired_idp_certificate_no_longer_verifies(cognito):
    now = cognito.world.clock.now()
    current = keys.self_signed(saml_idp.IDP_KEY, keys.name(CN="idp.example.org"), serial=70,
                               not_before=now - dt.timedelta(days=1))
    expired = keys.self_signed(saml_idp.IDP_KEY, keys.name(CN="idp.example.org"), serial=71,
                               not_before=now - dt.timedelta(days=400), days=365)
    for sign, text in (("assertion", errors.ASSERTION_SIGNATURE_INVALID), ("response", errors.RESPONSE_SIGNATURE_INVALID)):
        xml = saml_idp.b64(cognito.response_xml("alice", "_request", sign=sign))
        assert response.validate(xml, _expect(cognito, current, now)).name_id == "alice"
        with pytest.raises(response.SamlError) as refused:
            response.validate(xml, _expect(cognito, expired, now))
        assert refused.value.description == text


def test_the_confirmation_expires_on_its_own(cognito):
    now = cognito.world.clock.now()
    description = callback_params(cognito.sp_sign_in(
        unique(), confirmation_not_on_or_after=now - dt.timedelta(seconds=1)))["error_description"]
    assert description == errors.EXPIRED
