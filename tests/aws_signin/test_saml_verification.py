"""AWS's side of the SAML response: signatures go through the world's one verifier
(world_common.xmldsig) with AWS's refusals, the IdP certificate's validity dates count
(docs/fidelity/aws-signin-sts.md#aws-signin-sts-certificate-validity-dates), and the subject
confirmation is AWS's (docs/fidelity/aws-signin-sts.md#aws-signin-sts-subject-confirmation)."""
from __future__ import annotations

import base64
import datetime as dt

import pytest

from mock_cognito.aws_signin import assume_role, errors
from mock_cognito.aws_signin.saml_response import Provider
from world_common import keys

from .assertions import PROVIDER, aws_app, okta_key_cert, signed
from .conftest import sts_error

INVALID = "Invalid SAML response: "


def fails(sts, saml, role="arn:aws:iam::123456789012:role/admin"):
    return sts_error(sts.assume_role_with_saml, RoleArn=role, PrincipalArn=PROVIDER, SAMLAssertion=saml)


def test_sts_and_the_sign_in_page_verify_with_the_one_verifier(world, sts, verifier_calls):
    seen = verifier_calls
    out = sts.assume_role_with_saml(RoleArn="arn:aws:iam::123456789012:role/admin", PrincipalArn=PROVIDER,
                                    SAMLAssertion=signed(world))
    assert out["Subject"] == "alice@example.com"
    assert [name for name, _ in seen] == ["Response", "Assertion"]
    assert all(at is not None for _, at in seen)     # the certificate's dates count
    seen.clear()
    assert fails(sts, signed(world, tamper=_retarget)) == ("InvalidIdentityToken", errors.SIGNATURE_INVALID, 400)
    assert [name for name, _ in seen] == ["Response"]


def _retarget(root):
    root.find(".//{urn:oasis:names:tc:SAML:2.0:assertion}NameID").text = "mallory@example.com"


def _provider(world, cert) -> Provider:
    return Provider(PROVIDER, aws_app(world).entity_id, [cert])


def test_an_expired_idp_certificate_no_longer_verifies(world):
    key, _ = okta_key_cert(world)
    now = world.clock.now()
    current = keys.self_signed(key, keys.name(CN="okta"), serial=70, not_before=now - dt.timedelta(days=1))
    expired = keys.self_signed(key, keys.name(CN="okta"), serial=71, not_before=now - dt.timedelta(days=400),
                               days=365)
    saml = signed(world)
    assert assume_role.verified(saml, _provider(world, current), now).name_id == "alice@example.com"
    with pytest.raises(errors.InvalidIdentityToken) as refused:
        assume_role.verified(saml, _provider(world, expired), now)
    assert refused.value.message == errors.SIGNATURE_INVALID


def test_the_subject_confirmation_must_be_bearer(world, sts):
    code, message, status = fails(sts, signed(world, confirmation_method="urn:oasis:names:tc:SAML:2.0:cm:holder-of-key"))
    assert (code, status) == ("InvalidIdentityToken", 400)
    assert message.startswith(INVALID) and "Method" in message


def test_exactly_one_subject_confirmation(world, sts):
    for count in (0, 2):
        code, message, _ = fails(sts, signed(world, confirmations=count))
        assert code == "InvalidIdentityToken" and message == (
            f"{INVALID}expected exactly one SubjectConfirmation, found {count}")


def test_the_subject_confirmation_data_needs_not_on_or_after(world, sts):
    assert fails(sts, signed(world, confirmation_lifetime=None)) == (
        "InvalidIdentityToken", f"{INVALID}the SubjectConfirmationData has no NotOnOrAfter", 400)


def test_the_recipient_must_be_an_aws_sign_in_endpoint(world, sts):
    assert fails(sts, signed(world, recipient="https://sp.example.com/acs")) == (
        "InvalidIdentityToken",
        f"{INVALID}the SubjectConfirmationData Recipient https://sp.example.com/acs is not an AWS sign-in endpoint", 400)
    # A regional endpoint is AWS's: it passes this check, then the role's trust policy (SAML:aud
    # is the global endpoint in the default world) refuses it.
    assert fails(sts, signed(world, recipient="https://us-east-1.signin.aws.amazon.com/saml")) == (
        "AccessDenied", errors.NOT_AUTHORIZED, 403)


def test_the_subject_confirmation_expires_on_its_own(world, sts):
    # NotOnOrAfter of the SubjectConfirmationData passed while the Conditions still hold.
    saml = signed(world, lifetime=240, confirmation_lifetime=60)
    world.clock.advance(90)
    assert fails(sts, saml) == ("ExpiredTokenException", errors.RESPONSE_EXPIRED, 400)


def test_a_dtd_is_refused_before_anything_is_read(world, sts):
    xxe = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           b'<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">&x;</samlp:Response>')
    assert fails(sts, base64.b64encode(xxe).decode()) == ("InvalidIdentityToken", f"{INVALID}not XML", 400)
