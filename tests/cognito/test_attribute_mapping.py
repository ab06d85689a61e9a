"""AttributeMapping applied as Cognito applies it (docs/fidelity/cognito-federation.md#cognito-federation-attribute-mapping), errors as docs/fidelity/errors.md#errors-cognito reports them."""
from __future__ import annotations

import pytest
import saml_idp
from cognito_helpers import EXT_WORLD, callback_params, unique

from mock_cognito import moto_adapter

pytestmark = pytest.mark.world(EXT_WORLD)


def stored(cognito, username: str) -> dict:
    aws = cognito.world.world.aws
    return moto_adapter.find_user(aws.account_id, aws.region, cognito.pool.Id, username)["attributes"]


def test_required_attribute_absent_on_first_sign_in(cognito):
    # docs/fidelity/cognito-federation.md#cognito-federation-required-attribute-absent-on-first-sign-in, docs/fidelity/errors.md#errors-required-pool-attribute-not-sent-or (attribute name mismatch).
    name = unique()
    params = callback_params(cognito.sp_sign_in(name, attributes={"emailaddress": "x@example.org"}))
    assert params["error"] == "server_error"
    assert params["error_description"] == "Invalid SAML response received: Invalid user attributes: email: The attribute is required"


def test_required_attribute_removed_later(cognito):
    # docs/fidelity/cognito-federation.md#cognito-federation-required-attribute-removed-later.
    name = unique()
    assert "code" in callback_params(cognito.sp_sign_in(name))
    params = callback_params(cognito.sp_sign_in(name, attributes={"firstName": "X"}))
    assert params["error_description"] == ("Invalid SAML response received: Invalid user attributes: email: "
                                           "Required attribute cannot be deleted")


def test_immutable_attribute_fails_the_second_sign_in(cognito):
    # docs/fidelity/cognito-federation.md#cognito-federation-immutable-mapped-attribute, docs/fidelity/errors.md#errors-mapping-onto-an-immutable-attribute: first sign-in works, the second fails with the same value.
    name = unique()
    attributes = {"email": f"{name}@example.org", "nickname": "nick"}
    assert "code" in callback_params(cognito.sp_sign_in(name, provider="ImmutableIdP", attributes=attributes))
    params = callback_params(cognito.sp_sign_in(name, provider="ImmutableIdP", attributes=attributes))
    assert params == {"error": "server_error", "state": "app-state-1",
                      "error_description": "Invalid user attributes: user.nickname: Attribute cannot be updated."}


def test_mapping_to_username_is_refused_for_saml(cognito):
    # docs/fidelity/cognito-federation.md#cognito-federation-mapping-to-username-saml.
    params = callback_params(cognito.sp_sign_in(unique(), provider="UsernameIdP",
                                                attributes={"email": "u@example.org", "uid": "u"}))
    assert params["error_description"] == ("Error in SAML response processing: Invalid user attributes: username: "
                                           "Attribute does not exist in the schema.")


def test_custom_attribute_missing_from_the_schema(cognito):
    # docs/fidelity/cognito-federation.md#cognito-federation-custom-attribute-missing-from-schema, docs/fidelity/errors.md#errors-mapping-to-non-existent-reserved-attributes.
    params = callback_params(cognito.sp_sign_in(unique(), provider="UnknownCustomIdP",
                                                attributes={"email": "u@example.org", "role": "admin"}))
    assert params["error_description"] == ("Invalid SAML response received: Invalid user attributes: "
                                           "Type for attribute {custom:chatbot_role} could not be determined")


def test_absent_optional_claim_is_left_and_present_ones_rewritten(cognito):
    # docs/fidelity/cognito-federation.md#cognito-federation-absent-optional-claim, docs/fidelity/cognito-federation.md#cognito-federation-update-on-every-sign-in.
    name = unique()
    first = {saml_idp.EMAIL_CLAIM: f"{name}@example.org", "firstName": "Ann", "department": "Sales"}
    callback_params(cognito.sp_sign_in(name, attributes=first))
    callback_params(cognito.sp_sign_in(name, attributes={saml_idp.EMAIL_CLAIM: f"{name}@example.org",
                                                         "department": "Legal"}))
    attrs = stored(cognito, f"ExtIdP_{name}")
    assert attrs["given_name"] == "Ann" and attrs["custom:department"] == "Legal"


def test_multi_valued_and_empty_values(cognito):
    # docs/fidelity/cognito-federation.md#cognito-federation-multi-valued-saml-attribute: "[v1, v2]"; one value bare; "Multi-value encoding".
    name = unique()
    callback_params(cognito.sp_sign_in(name, attributes={saml_idp.EMAIL_CLAIM: f"{name}@example.org",
                                                         "groups": ["a/b", "c.d-e_f*"], "department": ["one"]}))
    attrs = stored(cognito, f"ExtIdP_{name}")
    assert attrs["custom:groups"] == "[a%2Fb, c.d-e_f*]" and attrs["custom:department"] == "one"


def test_values_over_2048_characters_fail(cognito):
    # docs/fidelity/cognito-federation.md#cognito-federation-value-length: ≤ 2,048 characters (error text unconfirmed).
    name = unique()
    params = callback_params(cognito.sp_sign_in(name, attributes={saml_idp.EMAIL_CLAIM: f"{name}@example.org",
                                                                  "department": "d" * 2049}))
    assert params["error"] == "server_error" and "custom:department" in params["error_description"]


def test_username_longer_than_128_characters(cognito):
    # docs/fidelity/cognito-federation.md#cognito-federation-username-length-limit.
    name = "n" * 130
    params = callback_params(cognito.sp_sign_in(name))
    assert params["error_description"] == (
        f"Error in SAML response processing: 1 validation error detected: Value 'ExtIdP_{name}' at 'userName' "
        "failed to satisfy constraint: Member must have length less than or equal to 128")
