"""https://signin.aws.amazon.com/saml (docs/fidelity/aws-signin-sts.md#aws-signin-sts-aws-post-handling, the two role
choosers, "Invalid-response page"), read with the parsers of real command-line clients:
gimme-aws-creds (``gimme_aws_creds.aws.AwsResolver``) and aws-okta-processor
(``aws_okta_processor.core.saml``), both from PyPI."""
from __future__ import annotations

import base64
import json
from datetime import datetime, timezone

import pytest
from aws_okta_processor.core import saml as aop_saml
from bs4 import BeautifulSoup
from gimme_aws_creds.aws import AwsResolver

from .assertions import ACCOUNT, ADMIN, PROVIDER, READONLY, signed

ACS = "https://signin.aws.amazon.com/saml"
INVALID = "Your request included an invalid SAML response. To logout, click here."


@pytest.fixture
def signin_page(world):
    """Set the world's picker page for one test (``aws.signin_page`` is read per request)."""
    aws = world.world.aws
    before = aws.signin_page

    def use(kind):
        aws.signin_page = kind
    yield use
    aws.signin_page = before


@pytest.fixture
def client_env(world, monkeypatch):
    """The world's env for the clients' own ``requests`` calls (proxy + CA bundle)."""
    for key, value in world.env().items():
        monkeypatch.setenv(key, value)


def test_current_page_meta_data(world, signin_page):
    signin_page("current")
    saml = signed(world)
    page = world.http.post(ACS, data={"SAMLResponse": saml, "RelayState": ""})
    assert page.status_code == 200
    meta = BeautifulSoup(page.text, "html.parser").find("meta", {"name": "data"})
    data = json.loads(base64.b64decode(meta["content"]))
    assert data["roles_accounts"] == {ACCOUNT: [ADMIN, READONLY]}
    assert data["SAMLResponse"] == saml and data["region"] == "IAD"
    assert BeautifulSoup(page.text, "html.parser").find("fieldset") is None


@pytest.mark.parametrize("kind", ["current", "legacy"])
def test_gimme_aws_creds_reads_both_pages(world, signin_page, client_env, kind):
    signin_page(kind)
    roles = AwsResolver(verify_ssl_certs=world.ca_file)._enumerate_saml_roles(signed(world), ACS)
    assert [(r.idp, r.role, r.friendly_role_name) for r in roles] == [
        (PROVIDER, ADMIN, "admin"), (PROVIDER, READONLY, "readonly")]
    assert {r.friendly_account_name for r in roles} == {f"Account: {ACCOUNT}"}


def test_aws_okta_processor_reads_the_legacy_page(world, signin_page, client_env):
    signin_page("legacy")
    roles = aop_saml.get_aws_roles(saml_assertion=signed(world))
    assert list(roles) == [f"Account: {ACCOUNT}"]
    account = roles[f"Account: {ACCOUNT}"]
    assert {arn: (r.role_description, r.principal_arn) for arn, r in account.items()} == {
        ADMIN: ("admin", PROVIDER), READONLY: ("readonly", PROVIDER)}


def test_legacy_page_shape(world, signin_page):
    signin_page("legacy")
    soup = BeautifulSoup(world.http.post(ACS, data={"SAMLResponse": signed(world), "RelayState": ""}).text,
                         "html.parser")
    form = soup.find("form", id="saml_form")
    assert form["action"] == "/saml" and form["method"] == "post"
    assert {i["name"] for i in form.find_all("input", type="hidden")} == {"RelayState", "SAMLResponse", "name", "portal"}
    assert [i["value"] for i in form.find_all("input", {"name": "roleIndex"})] == [ADMIN, READONLY]
    assert soup.find("div", class_="saml-account-name").get_text() == f"Account: {ACCOUNT}"


def _console(world, response):
    assert response.status_code == 302
    location = response.headers["Location"]
    page = world.http.get(f"https://signin.aws.amazon.com{location}" if location.startswith("/") else location)
    soup = BeautifulSoup(page.text, "html.parser")
    return {k: soup.find(id=k).get_text() for k in ("assumed-role-arn", "session-name", "expiration")}


@pytest.mark.parametrize("host", ["signin.aws.amazon.com", "us-east-1.signin.aws.amazon.com"])
def test_one_role_goes_straight_to_the_console(world, host):
    saml = signed(world, roles=[f"{PROVIDER},{READONLY}"], session_duration="7200")
    console = _console(world, world.http.post(f"https://{host}/saml", data={"SAMLResponse": saml, "RelayState": ""},
                                              allow_redirects=False))
    assert console["assumed-role-arn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/readonly/alice@example.com"
    assert console["session-name"] == "alice@example.com"
    # console sessions last the SessionDuration attribute (docs/fidelity/aws-signin-sts.md#aws-signin-sts-session-limits)
    expires = datetime.strptime(console["expiration"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    assert abs((expires - world.clock.now()).total_seconds() - 7200) < 5


def test_choosing_a_role_on_the_picker(world, signin_page):
    signin_page("legacy")
    saml = signed(world)
    console = _console(world, world.http.post(ACS, data={"SAMLResponse": saml, "RelayState": "", "roleIndex": ADMIN},
                                              allow_redirects=False))
    assert console["assumed-role-arn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/admin/alice@example.com"


@pytest.mark.parametrize("fields", [
    {"roles": None}, {"roles": []}, {"roles": [ADMIN]}, {"roles": [f"{PROVIDER},{ADMIN},{READONLY}"]},
    {"roles": ["arn:aws:iam::1:saml-provider/Okta,arn:aws:iam::1:role/x"]},
    {"roles": [f"arn:aws:iam::{ACCOUNT}:saml-provider/Nope,{ADMIN}"]},
    {"issuer": "http://www.okta.com/exkWrong"}, {"audience": "urn:wrong"},
], ids=["missing", "no-values", "one-arn", "three-arns", "malformed", "unknown-provider", "issuer", "audience"])
def test_invalid_response_page(world, fields):
    page = world.http.post(ACS, data={"SAMLResponse": signed(world, **fields), "RelayState": ""}, allow_redirects=False)
    assert page.status_code == 200
    soup = BeautifulSoup(page.text, "html.parser")
    assert soup.find(id="error-message").get_text() == INVALID
    assert "/console/" not in page.headers.get("Location", "")


def test_tampered_or_garbage_responses_get_the_invalid_page(world):
    for saml in (signed(world, sign_response=False, sign_assertion=False), "%%%", ""):
        page = world.http.post(ACS, data={"SAMLResponse": saml})
        assert page.status_code == 200 and INVALID in BeautifulSoup(page.text, "html.parser").get_text()


def test_role_that_fails_sts_rules_gets_the_invalid_page(world):
    # a role the trust policy does not allow for this Recipient (SAML:aud) cannot be signed in to
    saml = signed(world, recipient="https://us-east-1.signin.aws.amazon.com/saml", roles=[f"{PROVIDER},{ADMIN}"])
    page = world.http.post("https://us-east-1.signin.aws.amazon.com/saml", data={"SAMLResponse": saml})
    soup = BeautifulSoup(page.text, "html.parser")
    assert soup.find(id="error-message").get_text() == INVALID
    assert "AccessDenied" in soup.find(id="harness-detail").get_text()
