"""Okta's AWS Account Federation app: which Role values a user gets (docs/fidelity/aws-signin-sts.md#aws-signin-sts-join-all-roles, docs/fidelity/aws-signin-sts.md#aws-signin-sts-group-filter-default, docs/fidelity/aws-signin-sts.md#aws-signin-sts-role-value-pattern, docs/fidelity/aws-signin-sts.md#aws-signin-sts-app-filter, docs/fidelity/aws-signin-sts.md#aws-signin-sts-roles-without-group-mapping) and the attributes of its assertion."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from mock_okta.aws_app import NoRoles, download_roles, roles_from_assignments, roles_from_groups, saml_attributes
from mock_okta.aws_app.group_mapping import compile_group_filter
from mock_okta.aws_app.role_download import DownloadedRole
from mock_okta.org import Org

DEFAULT_FILTER = r"^aws\#\S+\#(?{{role}}[\w\-]+)\#(?{{accountid}}\d+)$"
PATTERN = "arn:aws:iam::${accountid}:saml-provider/Okta,arn:aws:iam::${accountid}:role/${role}"
PROVIDER = "arn:aws:iam::123456789012:saml-provider/Okta"


def groups(*names, type="OKTA_GROUP"):
    return [SimpleNamespace(name=n, type=type) for n in names]


def test_okta_named_captures_become_python_named_groups():
    match = compile_group_filter(DEFAULT_FILTER).fullmatch("aws#acme#admin#123456789012")
    assert match.group("role") == "admin" and match.group("accountid") == "123456789012"


def test_default_filter_and_pattern():
    values = roles_from_groups(groups("engineering", "aws#acme#admin#123456789012", "aws#prod#ops-team#210987654321"),
                               group_filter=DEFAULT_FILTER, app_filter="okta", role_value_pattern=PATTERN)
    assert values == [f"{PROVIDER},arn:aws:iam::123456789012:role/admin",
                      "arn:aws:iam::210987654321:saml-provider/Okta,arn:aws:iam::210987654321:role/ops-team"]


def test_role_names_the_default_filter_cannot_capture_are_dropped():
    # docs/fidelity/errors.md#errors-role-names-containing-periods: a period is outside [\w\-]+, so the group matches nothing.
    values = roles_from_groups(groups("aws#acme#power.user#123456789012", "aws#acme#dev#123456789012"),
                               group_filter=DEFAULT_FILTER, app_filter="okta", role_value_pattern=PATTERN)
    assert values == [f"{PROVIDER},arn:aws:iam::123456789012:role/dev"]


def test_alternative_filter_captures_periods():
    alt = r"aws_(?{{accountid}}\d+)_(?{{role}}[a-zA-Z0-9+=,.@\-_]+)"
    values = roles_from_groups(groups("aws_123456789012_power.user"), group_filter=alt, app_filter="okta",
                               role_value_pattern=PATTERN)
    assert values == [f"{PROVIDER},arn:aws:iam::123456789012:role/power.user"]


def test_app_filter_without_okta_ignores_okta_groups():
    assert roles_from_groups(groups("aws#acme#admin#123456789012"), group_filter=DEFAULT_FILTER,
                             app_filter="active_directory", role_value_pattern=PATTERN) == []


def test_group_filter_without_role_capture_is_rejected():
    with pytest.raises(ValueError):
        compile_group_filter(r"^aws#(?{{accountid}}\d+)$")


DOWNLOADED = [DownloadedRole(n, f"arn:aws:iam::123456789012:role/{n}", PROVIDER) for n in ("Role1", "Role2", "RoleA", "RoleB")]


def _value(name):
    return f"{PROVIDER},arn:aws:iam::123456789012:role/{name}"


def test_join_all_roles():
    # docs/fidelity/aws-signin-sts.md#aws-signin-sts-join-all-roles: OFF Role1, Role2; ON Role1, Role2, RoleA, RoleB.
    assignments = [{"kind": "user", "name": "u", "saml_roles": ["Role1", "Role2"]},
                   {"kind": "group", "name": "g", "saml_roles": ["RoleA", "RoleB"]}]
    assert roles_from_assignments(assignments, DOWNLOADED, join_all_roles=False) == [_value("Role1"), _value("Role2")]
    assert roles_from_assignments(assignments, DOWNLOADED, join_all_roles=True) == [
        _value("Role1"), _value("Role2"), _value("RoleA"), _value("RoleB")]


def test_roles_not_downloaded_are_not_sent():
    assignments = [{"kind": "user", "name": "u", "saml_roles": ["Role1", "NoSuchRole"]}]
    assert roles_from_assignments(assignments, DOWNLOADED, join_all_roles=False) == [_value("Role1")]


def test_default_world_attributes(world):
    org = Org(world.world.okta)
    app = org.app_by_label("AWS Account Federation")
    attributes = saml_attributes(org, app, org.user_by_login("alice@example.com"), world.services)
    assert attributes == [
        ("https://aws.amazon.com/SAML/Attributes/Role", "urn:oasis:names:tc:SAML:2.0:attrname-format:uri",
         [f"{PROVIDER},arn:aws:iam::123456789012:role/admin", f"{PROVIDER},arn:aws:iam::123456789012:role/readonly"]),
        ("https://aws.amazon.com/SAML/Attributes/RoleSessionName", "urn:oasis:names:tc:SAML:2.0:attrname-format:basic",
         ["alice@example.com"]),
        ("https://aws.amazon.com/SAML/Attributes/SessionDuration", "urn:oasis:names:tc:SAML:2.0:attrname-format:basic",
         ["3600"]),
    ]
    bob = saml_attributes(org, app, org.user_by_login("bob@example.com"), world.services)
    assert bob[0][2] == [f"{PROVIDER},arn:aws:iam::123456789012:role/readonly"]


@pytest.mark.world("worlds/assignments.yaml")
def test_role_download_and_assignments(world):
    org = Org(world.world.okta)
    app = org.app_by_label("AWS Account Federation")
    downloaded = {r.name for r in download_roles(app.aws, world.aws_endpoint_url)}
    assert downloaded == {"admin", "readonly", "dev"}           # not "untrusted"
    alice = saml_attributes(org, app, org.user_by_login("alice@example.com"), world.services)[0]
    assert alice[2] == [_role("admin")]                         # Join all roles off: direct only
    app.aws.joinAllRoles = True
    try:
        joined = saml_attributes(org, app, org.user_by_login("alice@example.com"), world.services)[0]
    finally:
        app.aws.joinAllRoles = False
    assert joined[2] == [_role("admin"), _role("dev"), _role("readonly")]
    # bob is in the group only: its roles; carol has no roles picked: no Role attribute at all
    assert saml_attributes(org, app, org.user_by_login("bob@example.com"), world.services)[0][2] == [
        _role("dev"), _role("readonly")]
    carol = saml_attributes(org, app, org.user_by_login("carol@example.com"), world.services)
    assert [name for name, _f, _v in carol] == ["https://aws.amazon.com/SAML/Attributes/RoleSessionName",
                                                "https://aws.amazon.com/SAML/Attributes/SessionDuration"]


def _role(name):
    return f"{PROVIDER},arn:aws:iam::123456789012:role/{name}"


@pytest.mark.world("worlds/assignments.yaml")
def test_unusable_group_filter_is_an_okta_error(world):
    org = Org(world.world.okta)
    app = org.app_by_label("AWS Account Federation")
    app.aws.useGroupMapping = True
    app.aws.groupFilter = "aws#(unclosed"
    try:
        with pytest.raises(NoRoles):
            saml_attributes(org, app, org.user_by_login("alice@example.com"), world.services)
    finally:
        app.aws.useGroupMapping = False
