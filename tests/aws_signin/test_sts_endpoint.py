"""STS over the wire: AWS's XML bodies (docs/fidelity/aws-signin-sts.md#aws-signin-sts-error-body, docs/fidelity/aws-signin-sts.md#aws-signin-sts-success-body), the
``aws`` CLI with nothing but the world's env, regional and global hosts, and pass-through of
other actions to moto."""
from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest
from lxml import etree

from .assertions import ADMIN, PROVIDER, signed

NS = {"sts": "https://sts.amazonaws.com/doc/2011-06-15/"}


@pytest.mark.parametrize("host", ["sts.amazonaws.com", "sts.us-east-1.amazonaws.com"])
def test_error_body_is_aws_xml(world, host):
    response = world.http.post(f"https://{host}/", data={
        "Action": "AssumeRoleWithSAML", "Version": "2011-06-15", "RoleArn": ADMIN, "PrincipalArn": PROVIDER,
        "SAMLAssertion": signed(world, session_name=None)})
    assert response.status_code == 400
    root = etree.fromstring(response.content)
    assert root.tag == "{https://sts.amazonaws.com/doc/2011-06-15/}ErrorResponse"
    assert [child.tag.split("}")[1] for child in root.find("sts:Error", NS)] == ["Type", "Code", "Message"]
    assert root.findtext("sts:Error/sts:Type", namespaces=NS) == "Sender"
    assert root.findtext("sts:Error/sts:Code", namespaces=NS) == "InvalidIdentityToken"
    assert root.findtext("sts:Error/sts:Message", namespaces=NS) == "RoleSessionName is required in AuthnResponse"
    assert root.findtext("sts:RequestId", namespaces=NS)


def test_missing_parameter_is_an_error_not_a_500(world):
    response = world.http.post("https://sts.amazonaws.com/", data={"Action": "AssumeRoleWithSAML", "RoleArn": ADMIN})
    assert response.status_code == 400
    assert etree.fromstring(response.content).findtext("sts:Error/sts:Code", namespaces=NS) == "MissingParameter"


def test_success_body_shape(world):
    response = world.http.post("https://sts.amazonaws.com/", data={
        "Action": "AssumeRoleWithSAML", "Version": "2011-06-15", "RoleArn": ADMIN, "PrincipalArn": PROVIDER,
        "SAMLAssertion": signed(world)})
    assert response.status_code == 200
    result = etree.fromstring(response.content).find("sts:AssumeRoleWithSAMLResult", NS)
    assert {c.tag.split("}")[1] for c in result} == {
        "Audience", "AssumedRoleUser", "Credentials", "Issuer", "NameQualifier", "Subject", "SubjectType"}
    assert [c.tag.split("}")[1] for c in result.find("sts:Credentials", NS)] == [
        "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"]


def test_other_actions_pass_through_to_moto(sts):
    assert sts.get_caller_identity()["Account"]


def _aws_cli(world, *args):
    env = {**os.environ, **world.env()}
    return subprocess.run([shutil.which("aws"), *args], env=env, capture_output=True, text=True, timeout=120)


def test_aws_cli_assume_role_with_saml(world):
    assert shutil.which("aws"), "the aws CLI (pip package awscli) must be installed"
    ok = _aws_cli(world, "sts", "assume-role-with-saml", "--role-arn", ADMIN, "--principal-arn", PROVIDER,
                  "--saml-assertion", signed(world), "--output", "json")
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["AssumedRoleUser"]["Arn"] == "arn:aws:sts::123456789012:assumed-role/admin/alice@example.com"
    bad = _aws_cli(world, "sts", "assume-role-with-saml", "--role-arn", ADMIN, "--principal-arn", PROVIDER,
                   "--saml-assertion", signed(world, session_name="John Doe"), "--duration-seconds", "3600")
    assert bad.returncode != 0
    assert ("An error occurred (InvalidIdentityToken) when calling the AssumeRoleWithSAML operation: "
            "RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}") in bad.stderr


@pytest.mark.parametrize("algorithms", [("RSA_SHA256", "SHA256"), ("RSA_SHA1", "SHA1")])
def test_oktas_own_response_is_accepted(world, sts, algorithms):
    """The seam: the response mock_okta builds for the AWS app (with this package's Role values)
    is what STS accepts, with either of Okta's signature algorithms."""
    from mock_okta.org import Org
    from mock_okta.saml import response

    org = Org(world.world.okta)
    app = org.app_by_label("AWS Account Federation")
    before = (app.saml.signature_algorithm, app.saml.digest_algorithm)
    app.saml.signature_algorithm, app.saml.digest_algorithm = algorithms
    try:
        built = response.build(org, app, org.user_by_login("bob@example.com"), world.services)
    finally:
        app.saml.signature_algorithm, app.saml.digest_algorithm = before
    out = sts.assume_role_with_saml(RoleArn="arn:aws:iam::123456789012:role/readonly", PrincipalArn=PROVIDER,
                                    SAMLAssertion=built.b64)
    assert out["AssumedRoleUser"]["Arn"] == "arn:aws:sts::123456789012:assumed-role/readonly/bob@example.com"
    assert out["Issuer"] == app.entity_id
