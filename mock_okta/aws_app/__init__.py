"""Okta's "AWS Account Federation" app (docs/fidelity/aws-signin-sts.md#aws-signin-sts-aws-app): which roles a user gets and the
attributes its SAML assertion carries.

Contract with the SAML response builder (mock_okta.saml.response): :func:`saml_attributes`
returns the extra ``(Name, NameFormat, [values])`` attribute statements for an ``AWS`` app, or
raises :class:`NoRoles` when the app's own configuration makes any answer impossible (an
unusable Group Filter, a role download that fails).

A user with no role at all is NOT an Okta error: Okta sends the assertion without Role values
and AWS answers "Your request included an invalid SAML response" (docs/fidelity/errors.md#errors-okta-aws-misconfigurations items 2 and 4,
OKS-AWSINV). Whether Okta omits the attribute or sends it empty is unconfirmed; it is omitted.
"""
from __future__ import annotations

from world_common.services import Services
from world_common.world_model import OktaApp

from ..app_username import application_username
from ..org import Org, User
from .group_mapping import GroupFilterError, roles_from_groups
from .role_download import DownloadedRole, RoleDownloadError, download_roles

ROLE = "https://aws.amazon.com/SAML/Attributes/Role"                        # docs/fidelity/aws-signin-sts.md#aws-signin-sts-role-attribute
ROLE_SESSION_NAME = "https://aws.amazon.com/SAML/Attributes/RoleSessionName"  # docs/fidelity/aws-signin-sts.md#aws-signin-sts-rolesessionname-attribute
SESSION_DURATION = "https://aws.amazon.com/SAML/Attributes/SessionDuration"   # docs/fidelity/aws-signin-sts.md#aws-signin-sts-sessionduration-attribute
URI = "urn:oasis:names:tc:SAML:2.0:attrname-format:uri"
BASIC = "urn:oasis:names:tc:SAML:2.0:attrname-format:basic"

__all__ = ["NoRoles", "saml_attributes", "role_values", "roles_from_assignments",
           "roles_from_groups", "download_roles", "DownloadedRole"]


class NoRoles(Exception):
    """The app's configuration cannot produce the user's roles; the message is for Okta's
    error page."""


def saml_attributes(org: Org, app: OktaApp, user: User, services: Services) -> list[tuple[str, str, list[str]]]:
    """``Role``, ``RoleSessionName``, ``SessionDuration``, in that order (docs/fidelity/okta-saml.md#okta-saml-aws-app-attribute-order)."""
    settings = app.aws
    attributes = []
    roles = role_values(org, app, user, services)
    if roles:
        attributes.append((ROLE, URI, roles))
    attributes.append((ROLE_SESSION_NAME, BASIC, [application_username(app, user)]))
    attributes.append((SESSION_DURATION, BASIC, [str(settings.sessionDuration)]))
    return attributes


def role_values(org: Org, app: OktaApp, user: User, services: Services) -> list[str]:
    """The ``provider-arn,role-arn`` values Okta sends for ``user``."""
    settings = app.aws
    if settings.useGroupMapping:
        try:
            return roles_from_groups(org.groups_of(user), group_filter=settings.groupFilter,
                                     app_filter=settings.appFilter,
                                     role_value_pattern=settings.roleValuePattern)
        except GroupFilterError as exc:
            raise NoRoles(str(exc)) from None
    assignments = org.assignments(app, user)
    if not any(a["saml_roles"] for a in assignments):
        return []
    try:
        downloaded = download_roles(settings, services.aws_endpoint_url)
    except RoleDownloadError as exc:
        raise NoRoles(f"Okta could not download the AWS roles: {exc}") from None
    return roles_from_assignments(assignments, downloaded, join_all_roles=settings.joinAllRoles)


def roles_from_assignments(assignments: list[dict], downloaded: list[DownloadedRole], *,
                           join_all_roles: bool) -> list[str]:
    """"SAML User Roles" of the assignments (docs/fidelity/aws-signin-sts.md#aws-signin-sts-join-all-roles): OFF, the direct
    user assignment's roles only; ON, the union with every group assignment's roles.

    With Join all roles OFF and no direct assignment, the user's app profile comes from the
    first group assignment (Okta's group priority; unconfirmed). A picked role that is not in
    the downloaded list (it no longer trusts the provider, or was deleted) is not sent
    (unconfirmed: Okta's picker only offers downloaded roles)."""
    direct = [a for a in assignments if a["kind"] == "user"]
    if join_all_roles:
        chosen = assignments
    else:
        chosen = direct[:1] or [a for a in assignments if a["kind"] == "group"][:1]
    by_name = {r.name: r for r in downloaded}
    by_arn = {r.arn: r for r in downloaded}
    values: list[str] = []
    for assignment in chosen:
        for picked in assignment["saml_roles"]:
            role = by_name.get(picked) or by_arn.get(picked)
            if role is not None and role.value not in values:
                values.append(role.value)
    return values
