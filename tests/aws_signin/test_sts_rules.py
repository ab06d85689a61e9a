"""AssumeRoleWithSAML: each rule of docs/fidelity/aws-signin-sts.md#aws-signin-sts-sts with a passing and a failing case, called
with boto3 through the world's proxy (no endpoint_url). Error codes and messages word for word."""
from __future__ import annotations

import base64
import datetime
import hashlib
import json

import boto3
import botocore.config
import pytest

from world_common import keys

from .assertions import ACCOUNT, ADMIN, PROVIDER, READONLY, aws_app, signed
from .conftest import sts_error

OTHER_ROLE = f"arn:aws:iam::{ACCOUNT}:role/"


def call(sts, saml, role=ADMIN, principal=PROVIDER, **kw):
    return sts.assume_role_with_saml(RoleArn=role, PrincipalArn=principal, SAMLAssertion=saml, **kw)


def fails(sts, saml, role=ADMIN, principal=PROVIDER, **kw):
    return sts_error(sts.assume_role_with_saml, RoleArn=role, PrincipalArn=principal, SAMLAssertion=saml, **kw)


# ---- success and the fields AWS returns (docs/fidelity/aws-signin-sts.md#aws-signin-sts-success-body) -----------------------

def test_success_returns_moto_credentials_and_aws_fields(world, sts):
    out = call(sts, signed(world))
    app = aws_app(world)
    assert out["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/admin/alice@example.com"
    assert out["AssumedRoleUser"]["AssumedRoleId"].startswith("AROA")
    assert out["AssumedRoleUser"]["AssumedRoleId"].endswith(":alice@example.com")
    assert out["Credentials"]["AccessKeyId"].startswith("ASIA")
    assert out["Subject"] == "alice@example.com"
    assert out["SubjectType"] == "unspecified"     # 2.0 nameid-format prefix stripped
    assert out["Issuer"] == app.entity_id
    assert out["Audience"] == "https://signin.aws.amazon.com/saml"
    expected = base64.b64encode(hashlib.sha1(f"{app.entity_id}{ACCOUNT}/Okta".encode()).digest()).decode()
    assert out["NameQualifier"] == expected
    # the credentials are moto's: STS knows them as the assumed role
    env = world.env()
    caller = boto3.client("sts", region_name="us-east-1", verify=env["AWS_CA_BUNDLE"],
                          config=botocore.config.Config(proxies={"https": env["HTTPS_PROXY"]}),
                          aws_access_key_id=out["Credentials"]["AccessKeyId"],
                          aws_secret_access_key=out["Credentials"]["SecretAccessKey"],
                          aws_session_token=out["Credentials"]["SessionToken"]).get_caller_identity()
    assert caller["Arn"] == out["AssumedRoleUser"]["Arn"]


def test_subject_type_keeps_other_prefixes(world, sts):
    fmt = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
    assert call(sts, signed(world, name_id_format=fmt))["SubjectType"] == fmt
    transient = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient"
    assert call(sts, signed(world, name_id_format=transient))["SubjectType"] == "transient"


# ---- provider ---------------------------------------------------------------------------------

def test_unknown_provider(world, sts):
    assert fails(sts, signed(world), principal=f"arn:aws:iam::{ACCOUNT}:saml-provider/Nope") == (
        "InvalidIdentityToken", "Specified provider doesn't exist.", 400)


# ---- signature --------------------------------------------------------------------------------

@pytest.mark.parametrize("response,assertion", [(True, True), (True, False), (False, True)])
def test_signed_response_or_assertion_is_accepted(world, sts, response, assertion):
    assert call(sts, signed(world, sign_response=response, sign_assertion=assertion))["Subject"] == "alice@example.com"


def _retarget(root):
    for value in root.iter("{urn:oasis:names:tc:SAML:2.0:assertion}AttributeValue"):
        if value.text == "alice@example.com":
            value.text = "mallory@example.com"


@pytest.mark.parametrize("kind", ["tampered", "unsigned", "other-key", "tampered-assertion-only"])
def test_bad_signature(world, sts, kind):
    if kind == "tampered":
        saml = signed(world, tamper=_retarget)
    elif kind == "unsigned":
        saml = signed(world, sign_response=False, sign_assertion=False)
    elif kind == "other-key":
        key = keys.rsa_key("tests.aws_signin.other-idp")
        cert = keys.self_signed(key, keys.name(CN="other"), serial=7,
                                 not_before=datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc))
        saml = signed(world, key_cert=(key, cert))
    else:
        saml = signed(world, sign_response=False, tamper=_retarget)
    assert fails(sts, saml) == ("InvalidIdentityToken", "Response signature invalid", 400)


# ---- issuer and audience ----------------------------------------------------------------------

def test_issuer_must_be_the_provider_entity_id(world, sts):
    assert fails(sts, signed(world, issuer="http://www.okta.com/exkSomeOtherApp0h7")) == (
        "InvalidIdentityToken", "Issuer not present in specified provider", 400)


def test_audience_must_be_amazon_webservices(world, sts):
    assert fails(sts, signed(world, audience="urn:amazon:cognito:sp:us-east-1_abc")) == (
        "InvalidIdentityToken", "Response does not contain the required audience.", 400)


# ---- time -------------------------------------------------------------------------------------

def test_not_on_or_after(world, sts):
    # NotOnOrAfter 2 minutes after issue, inside the 5-minute redeem window (which STS checks first)
    saml = signed(world, lifetime=120)
    world.clock.advance(90)
    assert call(sts, saml)["Subject"] == "alice@example.com"
    world.clock.advance(60)
    assert fails(sts, saml) == ("ExpiredTokenException", "Response has expired", 400)


def test_redeemed_within_five_minutes_of_issuance(world, sts):
    saml = signed(world, lifetime=3600)
    world.clock.advance(290)
    assert call(sts, saml)["Subject"] == "alice@example.com"
    world.clock.advance(20)
    assert fails(sts, saml) == ("ExpiredTokenException", "Token must be redeemed within 5 minutes of issuance", 400)


# ---- subject, RoleSessionName, SourceIdentity -------------------------------------------------

def test_no_name_id_is_not_authorized(world, sts):
    assert fails(sts, signed(world, name_id=None)) == (
        "AccessDenied", "Not authorized to perform sts:AssumeRoleWithSAML", 403)


def test_role_session_name_required(world, sts):
    assert fails(sts, signed(world, session_name=None)) == (
        "InvalidIdentityToken", "RoleSessionName is required in AuthnResponse", 400)


@pytest.mark.parametrize("name", ["John Doe", "a", "x" * 65, "DOMAIN\\alice"])
def test_role_session_name_pattern(world, sts, name):
    assert fails(sts, signed(world, session_name=name)) == (
        "InvalidIdentityToken", "RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}", 400)


@pytest.mark.parametrize("name", ["ab", "x" * 64, "a.b+c=d,e@f-g_h"])
def test_role_session_name_pattern_accepts(world, sts, name):
    assert call(sts, signed(world, session_name=name))["AssumedRoleUser"]["Arn"].endswith(f"/admin/{name}")


SOURCE_IDENTITY = "https://aws.amazon.com/SAML/Attributes/SourceIdentity"


@pytest.mark.parametrize("value", ["aws:alice", "has space", "a"])
def test_source_identity_pattern(world, sts, value):
    assert fails(sts, signed(world, extra_attributes=[(SOURCE_IDENTITY, [value])])) == (
        "InvalidIdentityToken", 'Source Identity must match [a-zA-Z_0-9+=,.@-]{2,64} and not begin with "aws:"', 400)


# ---- the Role attribute pair ------------------------------------------------------------------

def test_role_first_order_is_accepted(world, sts):
    saml = signed(world, roles=[f"{ADMIN},{PROVIDER}"])
    assert call(sts, saml)["AssumedRoleUser"]["Arn"].endswith("/admin/alice@example.com")


@pytest.mark.parametrize("roles", [
    None, [], [""], [ADMIN], [f"{PROVIDER},{ADMIN},{READONLY}"], [f"{PROVIDER},arn:aws:iam::12:role/admin"],
    [f"{PROVIDER},{READONLY}"],
], ids=["missing", "no-values", "empty", "one-arn", "three-arns", "malformed-arn", "other-role"])
def test_role_arn_and_principal_must_be_a_pair_of_the_role_attribute(world, sts, roles):
    assert fails(sts, signed(world, roles=roles)) == (
        "AccessDenied", "Not authorized to perform sts:AssumeRoleWithSAML", 403)


def test_role_in_the_assertion_must_exist(world, sts):
    ghost = f"{OTHER_ROLE}ghost"
    assert fails(sts, signed(world, roles=[f"{PROVIDER},{ghost}"]), role=ghost) == (
        "AccessDenied", "Not authorized to perform sts:AssumeRoleWithSAML", 403)


# ---- trust policy -----------------------------------------------------------------------------

def _iam(world):
    env = world.env()
    return boto3.client("iam", region_name="us-east-1", verify=env["AWS_CA_BUNDLE"],
                        config=botocore.config.Config(proxies={"https": env["HTTPS_PROXY"]}),
                        aws_access_key_id=env["AWS_ACCESS_KEY_ID"], aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"])


_CREATED: list[str] = []


@pytest.fixture(autouse=True)
def _delete_created_roles(world):
    """Roles made by a test are deleted after it: the world is shared with other test files."""
    yield
    iam = _iam(world)
    while _CREATED:
        try:
            iam.delete_role(RoleName=_CREATED.pop())
        except iam.exceptions.NoSuchEntityException:
            pass


def _role(world, name, *, actions=("sts:AssumeRoleWithSAML",), condition=None, principal=PROVIDER, max_session=3600):
    statement = {"Effect": "Allow", "Principal": {"Federated": principal}, "Action": list(actions)}
    if condition is not None:
        statement["Condition"] = condition
    iam = _iam(world)
    try:
        iam.delete_role(RoleName=name)
    except iam.exceptions.NoSuchEntityException:
        pass
    iam.create_role(RoleName=name, MaxSessionDuration=max_session,
                    AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [statement]}))
    _CREATED.append(name)
    return f"{OTHER_ROLE}{name}"


@pytest.mark.parametrize("condition,ok", [
    ({"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}, True),
    ({"StringEquals": {"SAML:aud": "https://us-east-1.signin.aws.amazon.com/saml"}}, False),
    ({"StringEquals": {"SAML:sub": "alice@example.com"}}, True),
    ({"StringEquals": {"SAML:sub": "bob@example.com"}}, False),
    ({"StringLike": {"saml:sub": "*@example.com"}}, True),
    ({"StringEquals": {"SAML:sub_type": "persistent"}}, False),
    ({"StringEquals": {"SAML:sub_type": "unspecified"}}, True),
    ({"StringEquals": {"SAML:doc": f"{ACCOUNT}/Okta"}}, True),
    ({"StringEquals": {"SAML:iss": "http://www.okta.com/exkNotThisOne"}}, False),
], ids=["aud", "aud-regional", "sub", "sub-other", "sub-like", "sub_type-wrong", "sub_type", "doc", "iss-wrong"])
def test_trust_policy_saml_conditions(world, sts, condition, ok):
    role = _role(world, "trust-condition", condition=condition)
    saml = signed(world, roles=[f"{PROVIDER},{role}"])
    if ok:
        assert call(sts, saml, role=role)["AssumedRoleUser"]["Arn"].endswith("/trust-condition/alice@example.com")
    else:
        assert fails(sts, saml, role=role) == ("AccessDenied", "Not authorized to perform sts:AssumeRoleWithSAML", 403)


def test_trust_policy_iss_and_namequalifier(world, sts):
    app = aws_app(world)
    qualifier = base64.b64encode(hashlib.sha1(f"{app.entity_id}{ACCOUNT}/Okta".encode()).digest()).decode()
    role = _role(world, "trust-iss", condition={"StringEquals": {"SAML:iss": app.entity_id,
                                                                  "SAML:namequalifier": qualifier}})
    assert call(sts, signed(world, roles=[f"{PROVIDER},{role}"]), role=role)["Issuer"] == app.entity_id


def test_trust_policy_must_name_the_provider_and_the_action(world, sts):
    other = _role(world, "trust-other-provider", principal=f"arn:aws:iam::{ACCOUNT}:saml-provider/Other")
    assert fails(sts, signed(world, roles=[f"{PROVIDER},{other}"]), role=other)[0] == "AccessDenied"
    wrong_action = _role(world, "trust-wrong-action", actions=("sts:AssumeRoleWithWebIdentity",))
    assert fails(sts, signed(world, roles=[f"{PROVIDER},{wrong_action}"]), role=wrong_action) == (
        "AccessDenied", "Not authorized to perform sts:AssumeRoleWithSAML", 403)


def test_source_identity_needs_set_source_identity(world, sts):
    attrs = [(SOURCE_IDENTITY, ["alice"])]
    without = _role(world, "trust-no-sourceid")
    assert fails(sts, signed(world, roles=[f"{PROVIDER},{without}"], extra_attributes=attrs), role=without) == (
        "AccessDenied", "Not authorized to perform sts:AssumeRoleWithSAML", 403)
    with_it = _role(world, "trust-sourceid", actions=("sts:AssumeRoleWithSAML", "sts:SetSourceIdentity"))
    out = call(sts, signed(world, roles=[f"{PROVIDER},{with_it}"], extra_attributes=attrs), role=with_it)
    assert out["SourceIdentity"] == "alice"


def test_principal_tags_need_tag_session(world, sts):
    attrs = [("https://aws.amazon.com/SAML/Attributes/PrincipalTag:team", ["blue"])]
    without = _role(world, "trust-no-tags")
    assert fails(sts, signed(world, roles=[f"{PROVIDER},{without}"], extra_attributes=attrs), role=without)[0] == "AccessDenied"
    with_it = _role(world, "trust-tags", actions=("sts:AssumeRoleWithSAML", "sts:TagSession"))
    assert call(sts, signed(world, roles=[f"{PROVIDER},{with_it}"], extra_attributes=attrs), role=with_it)


# ---- duration ---------------------------------------------------------------------------------

def test_duration_seconds_within_max_session_duration(world, sts):
    saml = signed(world, session_duration=None)
    out = call(sts, saml, DurationSeconds=3600)
    assert (out["Credentials"]["Expiration"] - world.clock.now()).total_seconds() == pytest.approx(3600, abs=5)
    assert fails(sts, saml, DurationSeconds=7200) == (
        "ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.", 400)


def test_longer_max_session_duration_allows_longer_sessions(world, sts):
    role = _role(world, "trust-long", max_session=43200)
    out = call(sts, signed(world, roles=[f"{PROVIDER},{role}"], session_duration=None), role=role, DurationSeconds=7200)
    assert (out["Credentials"]["Expiration"] - world.clock.now()).total_seconds() == pytest.approx(7200, abs=5)


# ---- unreadable input -------------------------------------------------------------------------

@pytest.mark.parametrize("saml", ["not base64 at all!", base64.b64encode(b"<not-xml").decode(),
                                  base64.b64encode(b"<x/>").decode()])
def test_unreadable_assertion_is_an_sts_error_not_a_500(world, sts, saml):
    code, message, status = fails(sts, saml)
    assert (code, status) == ("InvalidIdentityToken", 400)
    assert message.startswith("Invalid SAML response")
