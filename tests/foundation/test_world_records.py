"""A world file loads into the typed records of world_common.world_model: each field has its
declared type and default, short names are expanded once, and every record still says where
each of its fields was written."""
from __future__ import annotations

import dataclasses
import types
import typing

import pytest

from harness.world import WorldError, load, load_text
from world_common import world_model
from world_common.world_model import (
    AwsAccount,
    Located,
    OktaApp,
    SamlSettings,
    UserPool,
    UserPoolClient,
    WorldRecord,
)

SMALL = """\
name: typed
okta:
  apps:
    - label: Cognito SAML
      sign_on_mode: SAML_2_0
      saml:
        sso_url: https://myapp.auth.us-east-1.amazoncognito.com/saml2/idpresponse
        subject_name_id_format: emailAddress
aws:
  account_id: 123456789012
  UserPools:
    - PoolName: acme
      Domain: myapp
      Clients:
        - ClientName: web
          GenerateSecret: true
"""


def test_a_world_file_loads_into_typed_records_with_their_defaults():
    world = load_text(SMALL, "small.yaml")
    assert isinstance(world.record, WorldRecord)
    app = world.okta.apps[0]
    assert isinstance(app, OktaApp) and isinstance(app.saml, SamlSettings)
    # short Name ID format names become URNs; recipient and destination default to the SSO URL
    assert app.saml.subject_name_id_format == "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
    assert app.saml.recipient == app.saml.destination == app.saml.sso_url
    assert app.saml.response_signed is True and app.saml.signature_algorithm == "RSA_SHA256"
    assert isinstance(world.aws, AwsAccount) and world.aws.account_id == "123456789012"  # coerced to a string
    pool = world.aws.UserPools[0]
    assert isinstance(pool, UserPool) and pool.Id.startswith("us-east-1_")
    assert pool.domain_host == "myapp.auth.us-east-1.amazoncognito.com"
    client = pool.Clients[0]
    assert isinstance(client, UserPoolClient) and client.ClientSecret and client.EnableTokenRevocation is True
    assert client.AllowedOAuthFlows == [] and client.TokenValidityUnits is None


def test_records_keep_the_file_and_line_of_each_field():
    world = load_text(SMALL, "small.yaml")
    assert world.okta.apps[0].saml.where("subject_name_id_format") == "small.yaml:8"
    assert world.aws.UserPools[0].Clients[0].where("GenerateSecret") == "small.yaml:16"
    assert world.aws.UserPools[0].where() == "small.yaml:12"


def test_an_aws_app_gets_its_saml_and_aws_settings_normalised_from_nothing():
    world = load_text("okta:\n  apps:\n    - {label: A, sign_on_mode: AWS}\n", "a.yaml")
    app = world.okta.apps[0]
    assert app.saml.subject_name_id_format == "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
    assert app.aws.sessionDuration == 3600 and app.aws.loginURL == "https://signin.aws.amazon.com/saml"


@pytest.mark.parametrize("text, expected", [
    ("okta:\n  apps:\n    - label: A\n      sign_on_mode: SAML_2_0\n      saml: {subject_name_id_format: email}\n",
     "a.yaml:5: okta.apps[0].saml.subject_name_id_format: 'email' is not a Name ID format; use one of "
     "unspecified, emailAddress, persistent, transient, x509SubjectName"),
    ("aws:\n  account_id: 12\n", "a.yaml:2: aws.account_id: '12' is not an AWS account id (12 digits)"),
    ("aws:\n  UserPools:\n    - PoolName: p\n      Clients: [{ClientName: c, AllowedOAuthFlows: [token]}]\n",
     "a.yaml:4: aws.UserPools[0].Clients[0].AllowedOAuthFlows[0]: 'token' is not one of: code, implicit, "
     "client_credentials"),
    ("okta:\n  users:\n    - {login: a, pasword: x}\n",
     "a.yaml:3: okta.users[0].pasword: unknown field 'pasword' in Okta user; did you mean 'password'?"),
])
def test_problems_name_the_file_line_and_field(text, expected):
    with pytest.raises(WorldError) as caught:
        load_text(text, "a.yaml")
    assert str(caught.value) == expected


def test_derived_fields_cannot_be_written_in_a_world_file():
    with pytest.raises(WorldError, match="unknown field 'ClientId' in user pool client"):
        load_text("aws:\n  UserPools:\n    - PoolName: p\n      Clients: [{ClientName: c, ClientId: x}]\n", "a.yaml")


def _records(module) -> list[type]:
    return [v for v in vars(module).values() if isinstance(v, type) and issubclass(v, Located) and v is not Located]


def test_every_field_of_the_default_world_has_its_declared_type():
    def walk(record):
        hints = typing.get_type_hints(type(record))
        for spec in dataclasses.fields(record):
            value = getattr(record, spec.name)
            if value is not None:
                assert _fits(value, hints[spec.name]), (type(record).__name__, spec.name, value)
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, Located):
                    walk(item)

    walk(load().record)
    assert len(_records(world_model)) > 30


def _fits(value, annotation) -> bool:
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if annotation is typing.Any:
        return True
    if origin in (typing.Union, types.UnionType):
        return any(_fits(value, a) for a in args if a is not type(None))
    if origin is typing.Literal:
        return value in args
    if origin is list:
        return isinstance(value, list) and all(_fits(v, args[0]) for v in value)
    if origin is dict:
        return isinstance(value, dict) and all(_fits(v, args[1]) for v in value.values())
    return isinstance(value, annotation)


def test_a_saml_provider_document_shorter_than_iam_takes_is_refused_at_its_line():
    text = "aws:\n  SAMLProviders:\n    - Name: Okta\n      SAMLMetadataDocument: <md:EntityDescriptor/>\n"
    with pytest.raises(WorldError) as caught:
        load_text(text, "a.yaml")
    assert str(caught.value) == ("a.yaml:4: aws.SAMLProviders[0].SAMLMetadataDocument: SAMLMetadataDocument is 22 "
                                 "characters; IAM takes a metadata document of 1000 to 10000000 characters")
