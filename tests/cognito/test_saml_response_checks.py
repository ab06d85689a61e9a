"""/saml2/idpresponse checks and bad input (docs/fidelity/cognito-federation.md#cognito-federation-saml, docs/fidelity/errors.md#errors-cognito, docs/fidelity/cognito-federation.md#cognito-federation-mock-surface): Cognito's error, never a 500,
never a user created from a response that failed a check."""
from __future__ import annotations

import base64
import datetime as dt
from html import unescape

import pytest
import saml_idp
from cognito_helpers import EXT_WORLD, callback_params, unique
from lxml import etree

from mock_cognito import errors

pytestmark = pytest.mark.world(EXT_WORLD)
SAML = "urn:oasis:names:tc:SAML:2.0:assertion"


def assert_no_user(cognito, name_id: str, provider: str = "ExtIdP") -> None:
    from mock_cognito import moto_adapter

    aws = cognito.world.world.aws
    assert moto_adapter.find_user(aws.account_id, aws.region, cognito.pool.Id, f"{provider}_{name_id}") is None


def saml_error(cognito, name_id: str, **kw) -> str:
    params = callback_params(cognito.sp_sign_in(name_id, **kw))
    assert params["error"] == "server_error", params
    assert_no_user(cognito, name_id)
    return params["error_description"]


def test_wrong_audience(cognito):
    # docs/fidelity/cognito-federation.md#cognito-federation-sp-entity-id-audience-uri, docs/fidelity/errors.md#errors-audience-restriction-application-with-identifier-not-found, docs/fidelity/errors.md#errors-wrong-sp-entity-id-audience.
    name = unique()
    relay_state, request_id, _, _ = cognito.start_saml()
    xml = saml_idp.build_response(now=cognito.world.clock.now(), name_id=name, acs_url=cognito.acs,
                                  audience="urn:amazon:cognito:sp:us-east-1_OtherPool", in_response_to=request_id)
    params = callback_params(cognito.post_acs(saml_idp.b64(xml), relay_state))
    assert params["error_description"] == errors.AUDIENCE_RESTRICTION
    assert_no_user(cognito, name)


def test_wrong_recipient(cognito):
    # docs/fidelity/cognito-federation.md#cognito-federation-required-assertion-content: SubjectConfirmationData@Recipient = ACS URL.
    assert saml_error(cognito, unique(), recipient="https://elsewhere.example.com/acs") == errors.RECIPIENT_MISMATCH


def test_the_subject_must_be_confirmed_by_the_bearer_method(cognito):
    # docs/fidelity/errors.md#errors-saml-subject-confirmation-method: a holder-of-key (or any
    # non-bearer) SubjectConfirmation does not confirm the subject of a browser SSO response.
    hok = "urn:oasis:names:tc:SAML:2.0:cm:holder-of-key"
    assert saml_error(cognito, unique(), confirmation_method=hok) == errors.SUBJECT_CONFIRMATION_METHOD


def test_in_response_to_must_be_the_request_id(cognito):
    # docs/fidelity/cognito-federation.md#cognito-federation-required-assertion-content: Response@InResponseTo and SubjectConfirmationData@InResponseTo.
    name = unique()
    relay_state, _, _, _ = cognito.start_saml()
    xml = cognito.response_xml(name, "_not-the-request")
    params = callback_params(cognito.post_acs(saml_idp.b64(xml), relay_state))
    assert params["error_description"] == errors.IN_RESPONSE_TO_MISMATCH
    assert_no_user(cognito, name)


def test_expired_and_not_yet_valid(cognito):
    # docs/fidelity/cognito-federation.md#cognito-federation-notbefore-notonorafter-clock-skew-tolerance (no skew published: none allowed).
    now = cognito.world.clock.now()
    assert saml_error(cognito, unique(), not_on_or_after=now - dt.timedelta(seconds=1)) == errors.EXPIRED
    assert saml_error(cognito, unique(), not_before=now + dt.timedelta(minutes=2)) == errors.NOT_YET_VALID


def test_replayed_assertion_id(cognito):
    # docs/fidelity/cognito-federation.md#cognito-federation-replay-protection: the same assertion ID a second time.
    first = callback_params(cognito.sp_sign_in(unique(), assertion_id="_replayed-assertion-1"))
    assert "code" in first
    assert saml_error(cognito, unique(), assertion_id="_replayed-assertion-1") == errors.REPLAYED


def test_response_larger_than_100000_characters(cognito):
    # docs/fidelity/cognito-federation.md#cognito-federation-max-samlresponse-size: 100,000 characters.
    name = unique()
    relay_state, request_id, _, _ = cognito.start_saml()
    xml = cognito.response_xml(name, request_id, attributes={"filler": ["x" * 1000] * 80})
    encoded = saml_idp.b64(xml)
    assert len(encoded) > 100_000
    params = callback_params(cognito.post_acs(encoded, relay_state))
    assert params["error_description"] == errors.TOO_LARGE
    assert_no_user(cognito, name)


XXE = b"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">&x;</samlp:Response>"""
BOMB = b"""<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">&d;&d;&d;&d;</samlp:Response>"""


@pytest.mark.parametrize("body", ["%%%not-base64%%%", base64.b64encode(b"not xml at all").decode(),
                                  base64.b64encode(XXE).decode(), base64.b64encode(BOMB).decode()],
                         ids=["not-base64", "not-xml", "xxe", "xml-bomb"])
def test_bad_input_is_cognitos_error_not_a_500(cognito, body):
    relay_state, _, _, _ = cognito.start_saml()
    params = callback_params(cognito.post_acs(body, relay_state))
    assert params["error"] == "server_error"
    assert params["error_description"] == errors.MALFORMED


def test_signature_wrapping_is_refused(cognito):
    # A signed assertion for one user kept, plus an unsigned evil assertion read first.
    name, evil = unique(), unique("evil")
    relay_state, request_id, _, _ = cognito.start_saml()
    root = etree.fromstring(cognito.response_xml(name, request_id))
    signed = root.find(f"{{{SAML}}}Assertion")
    forged = etree.fromstring(cognito.response_xml(evil, request_id, sign="none")).find(f"{{{SAML}}}Assertion")
    forged.set("ID", signed.get("ID"))
    root.insert(list(root).index(signed), forged)
    params = callback_params(cognito.post_acs(saml_idp.b64(etree.tostring(root)), relay_state))
    assert params["error"] == "server_error"
    assert_no_user(cognito, evil)
    assert_no_user(cognito, name)


def test_comment_inside_name_id_is_refused(cognito):
    # The classic comment truncation: admin<!---->.evil.example signed, read as "admin".
    name = unique("admin")
    relay_state, request_id, _, _ = cognito.start_saml()
    xml = cognito.response_xml(name + ".evil.example", request_id)
    xml = xml.replace(f">{name}.evil.example<".encode(), f">{name}<!---->.evil.example<".encode())
    params = callback_params(cognito.post_acs(saml_idp.b64(xml), relay_state))
    assert params["error"] == "server_error"
    assert_no_user(cognito, name)
    assert_no_user(cognito, name + ".evil.example")


def test_unsigned_response_is_refused(cognito):
    # docs/fidelity/cognito-federation.md#cognito-federation-response-vs-assertion-signature (neither signed: unconfirmed, refused here).
    assert saml_error(cognito, unique(), sign="none") == errors.UNSIGNED


def test_missing_relay_state_is_a_page(cognito):
    # docs/fidelity/errors.md#errors-cognito "(page) Invalid samlResponse or relayState from identity provider".
    name = unique()
    _, request_id, _, _ = cognito.start_saml()
    response = cognito.post_acs(saml_idp.b64(cognito.response_xml(name, request_id)), None)
    assert response.status_code == 400
    assert errors.INVALID_SAMLRESPONSE_OR_RELAYSTATE in unescape(response.text)
    assert_no_user(cognito, name)


def test_altered_relay_state_is_a_page(cognito):
    # docs/fidelity/cognito-federation.md#cognito-federation-relaystate: missing/altered → "Invalid relayState from identity provider".
    relay_state, request_id, _, _ = cognito.start_saml()
    response = cognito.post_acs(saml_idp.b64(cognito.response_xml(unique(), request_id)), relay_state + "x")
    assert response.status_code == 400
    assert "Invalid relayState from identity provider" in unescape(response.text)


def test_get_on_the_acs_is_the_error_page(cognito):
    # docs/fidelity/cognito-federation.md#cognito-federation-acs-endpoint, docs/fidelity/errors.md#errors-cognito "(page) An error was encountered…".
    response = cognito.get("/saml2/idpresponse")
    assert response.status_code == 405 and errors.REQUESTED_PAGE in unescape(response.text)


def test_sp_initiated_session_expires_after_five_minutes(cognito):
    # docs/fidelity/cognito-federation.md#cognito-federation-sp-initiated-session-timeout: "Something went wrong".
    name = unique()
    relay_state, request_id, _, _ = cognito.start_saml()
    cognito.world.clock.advance(301)
    response = cognito.post_acs(saml_idp.b64(cognito.response_xml(name, request_id)), relay_state)
    assert response.status_code == 400 and "Something went wrong" in response.text
    assert_no_user(cognito, name)


def test_encrypted_responses(cognito):
    # docs/fidelity/cognito-federation.md#cognito-federation-encrypted-assertions: with EncryptedResponses on, an EncryptedAssertion to the per-IdP
    # certificate is accepted and an unencrypted response is not.
    from mock_cognito.saml.signing_certificate import encryption_certificate

    cert = encryption_certificate(cognito.pool.Id, "EncIdP")
    name = unique("enc")
    ok = callback_params(cognito.sp_sign_in(name, provider="EncIdP", sign="response", encrypt_to=cert,
                                            attributes={"email": f"{name}@example.org"}))
    assert "code" in ok
    tokens = cognito.token(grant_type="authorization_code", code=ok["code"],
                                                    redirect_uri="https://app.example.com/callback").json()
    assert cognito.verify(tokens["id_token"], "id")["cognito:username"] == f"EncIdP_{name}"
    refused = callback_params(cognito.sp_sign_in(unique(), provider="EncIdP"))
    assert refused["error_description"] == errors.NOT_ENCRYPTED


def test_idp_status_other_than_success(cognito):
    description = saml_error(cognito, unique(), status="Requester")
    assert description == errors.STATUS_NOT_SUCCESS.format(status="urn:oasis:names:tc:SAML:2.0:status:Requester")
