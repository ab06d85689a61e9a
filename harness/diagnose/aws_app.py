"""Okta's AWS Account Federation app -> IAM (docs/fidelity/aws-signin-sts.md#aws-signin-sts-aws-app, docs/fidelity/aws-signin-sts.md#aws-signin-sts-sts, docs/fidelity/errors.md#errors-okta-aws-misconfigurations): provider ARNs and
metadata, the roles Okta sends (mock_okta.aws_app's own logic), trust policies, session
duration and names."""
from __future__ import annotations

import re

from harness import diagnose_rules as texts
from mock_okta.app_username import application_username
from mock_okta.aws_app.group_mapping import GroupFilterError, compile_group_filter, role_value
from mock_okta.expressions import ExpressionError
from mock_okta.org import assignment_entries
from mock_okta.saml.response import acs_url_of

from .findings import Finding, Probe, Setting, setting


def app_users(world, app):
    """login -> list of (group name or None, saml_roles) through which the user has the app."""
    okta = world.okta
    out: dict = {}
    for login, roles in assignment_entries(app.users, "user"):
        out.setdefault(login, []).append((None, roles))
    for group, roles in assignment_entries(app.groups, "group"):
        for user in okta.users:
            if group in user.groups or group == "Everyone":
                out.setdefault(user.login, []).append((group, roles))
    return out


def check_aws_app(world, out):
    if not world.okta or not world.aws:
        return
    for app in (a for a in world.okta.apps if a.sign_on_mode == "AWS"):
        AwsAppCheck(world, app, out).run()


class AwsAppCheck:
    """One AWS Account Federation app against IAM."""

    def __init__(self, world, app, out) -> None:
        self.world, self.app, self.out = world, app, out
        self.settings = app.aws
        self.providers = {p.Arn: p for p in world.aws.SAMLProviders}
        self.roles = {r.Arn: r for r in world.aws.Roles}
        self.provider_arns = [a.strip() for a in (self.settings.identityProviderArn or "").split(",") if a.strip()]
        self.acs = app.saml.recipient or acs_url_of(app)   # the Recipient Okta sends (mock_okta.saml.response)
        self.users = app_users(world, app)

    def console(self, *expect, user=None, role=None):
        return Probe("console", expect, app=self.app.label, user=user, role=role)

    def run(self):
        self.check_providers()
        user_roles = self.group_mapping_roles() if self.settings.useGroupMapping else self.assignment_roles()
        for login in self.users:
            self.check_user_roles(login, user_roles.get(login, []))
        _check_session_names(self.world, self.app, self.users, self.out)

    def check_providers(self):
        settings, app = self.settings, self.app
        for arn in self.provider_arns:
            provider = self.providers.get(arn)
            if provider is None:
                self.out.append(Finding(
                    "aws-provider-arn", "error", f"Identity Provider ARN {arn} is not an IAM SAML provider (there "
                    f"are: {', '.join(self.providers) or 'none'})",
                    [setting(settings, "identityProviderArn", "Okta Identity Provider ARN")],
                    f"{texts.INVALID_SAML_RESPONSE_PAGE} / {texts.PROVIDER_DOES_NOT_EXIST}",
                    "use the IAM SAML provider's ARN exactly (names are case-sensitive)", "docs/fidelity/aws-signin-sts.md#aws-signin-sts-aws-app, docs/fidelity/errors.md#errors-saml-provider-name-identity-provider-arn"
                ).expecting(self.console(texts.PROVIDER_DOES_NOT_EXIST, texts.INVALID_SAML_RESPONSE_PAGE)))
            elif app.entity_id not in (provider.SAMLMetadataDocument or ""):
                self.out.append(Finding(
                    "aws-metadata", "error", f"IAM SAML provider {provider.Name!r} holds metadata of another IdP "
                    f"than Okta app {app.label!r} ({app.entity_id})", [setting(provider, "SAMLMetadataDocument")],
                    f"{texts.SIGNATURE_INVALID_STS} or {texts.ISSUER_NOT_IN_PROVIDER}",
                    "upload this app's IdP metadata", "docs/fidelity/aws-signin-sts.md#aws-signin-sts-sts, docs/fidelity/errors.md#errors-stale-or-wrong-idp-metadata-in").expecting(
                    self.console(texts.SIGNATURE_INVALID_STS, texts.ISSUER_NOT_IN_PROVIDER)))

    def group_mapping_roles(self) -> dict:
        """login -> Role values, by mock_okta.aws_app.group_mapping (the filter Okta applies)."""
        settings, okta = self.settings, self.world.okta
        try:
            pattern = compile_group_filter(settings.groupFilter)
        except GroupFilterError as exc:
            self.out.append(Finding("aws-group-filter", "error", str(exc),
                                    [setting(settings, "groupFilter", "Okta Group Filter")],
                                    texts.INVALID_SAML_RESPONSE_PAGE, "fix the regular expression",
                                    "docs/fidelity/aws-signin-sts.md#aws-signin-sts-aws-app, docs/fidelity/errors.md#errors-group-filter-regex-or-app-filter").expecting(
                                    *[self.console(texts.INVALID_SAML_RESPONSE_PAGE, user=u) for u in list(self.users)[:1]]))
            return {}
        for group in okta.groups:
            if group.name.lower().startswith("aws") and pattern.fullmatch(group.name) is None:
                self.unmatched_group(group, pattern)
        user_roles: dict = {}
        for user in okta.users:
            for group in user.groups:
                match = pattern.fullmatch(group)
                if match and user.login in self.users:
                    captures = {k: v for k, v in match.groupdict().items() if v is not None}
                    user_roles.setdefault(user.login, []).append(role_value(settings.roleValuePattern, captures))
                elif match:
                    self.out.append(Finding(
                        "aws-not-assigned", "warning", f"user {user.login!r} is in {group!r} but not assigned to "
                        f"{self.app.label!r}", [Setting("Okta user", user.login, user.where("login"))],
                        texts.okta_not_assigned(self.app.label), "assign the group to the app",
                        "docs/fidelity/okta-saml.md#okta-saml-idp, docs/fidelity/errors.md#errors-user-not-assigned-to-the-okta").expecting(
                        self.console(texts.okta_not_assigned(self.app.label), user=user.login)))
        return user_roles

    def unmatched_group(self, group, pattern):
        # members with no other role first: for them the group was the only way to a role
        members = sorted((u for u in self.world.okta.users if group.name in u.groups and u.login in self.users),
                         key=lambda u: sum(1 for g in u.groups if pattern.fullmatch(g)))
        members = [u.login for u in members]
        self.out.append(Finding(
            "aws-group-filter", "error", f"group {group.name!r} is not matched by the Group Filter, so its role "
            "is never sent", [Setting("Okta group", group.name, group.where("name")),
                              setting(self.settings, "groupFilter", "Okta Group Filter")],
            texts.INVALID_SAML_RESPONSE_PAGE, "rename the group or widen the filter (role names with periods need "
            r"[\w\-.]+ or [a-zA-Z0-9+=,.@\-_]+)", "docs/fidelity/aws-signin-sts.md#aws-signin-sts-aws-app, docs/fidelity/errors.md#errors-group-filter-regex-or-app-filter, docs/fidelity/errors.md#errors-role-names-containing-periods",
            unprobed="" if members else f"no user assigned to {self.app.label!r} is in {group.name!r}").expecting(
            *[self.console(texts.INVALID_SAML_RESPONSE_PAGE, user=m) for m in members[:1]]))

    def assignment_roles(self) -> dict:
        """login -> Role values from the assignments' SAML User Roles (docs/fidelity/aws-signin-sts.md#aws-signin-sts-join-all-roles; the roles Okta would download are taken to be the IAM roles of the world)."""
        account, out = self.world.aws.account_id, {}
        for login, grants in self.users.items():
            direct = [r for g, r in grants if g is None and r]
            via_groups = [r for g, r in grants if g is not None and r]
            chosen = direct[0] if direct else []
            if self.settings.joinAllRoles or not direct:
                chosen = list(chosen) + [x for r in via_groups for x in r]
            out[login] = [f"arn:aws:iam::{account}:saml-provider/{arn.rsplit('/', 1)[-1]},"
                          f"arn:aws:iam::{account}:role/{r}" if not r.startswith("arn:") else r
                          for arn in self.provider_arns[:1] for r in chosen]
        return out

    def check_user_roles(self, login, values):
        settings, app = self.settings, self.app
        if not values:
            self.out.append(Finding(
                "aws-no-roles", "error", f"Okta sends no Role for {login!r} in {app.label!r}",
                [setting(settings, "groupFilter" if settings.useGroupMapping else "useGroupMapping", "Okta role source"),
                 setting(app, "groups" if app.groups else "users", "Okta assignments")],
                texts.INVALID_SAML_RESPONSE_PAGE, "select SAML User Roles on the assignment (or enable group mapping)",
                "docs/fidelity/aws-signin-sts.md#aws-signin-sts-aws-app, docs/fidelity/errors.md#errors-group-filter-regex-or-app-filter, docs/fidelity/errors.md#errors-user-assigned-but-no-saml-user").expecting(self.console(texts.INVALID_SAML_RESPONSE_PAGE, user=login)))
        for value in values:
            parts = value.split(",")
            provider_arn = next((p for p in parts if ":saml-provider/" in p), "")
            role_arn = next((p for p in parts if ":role/" in p), "")
            if provider_arn and provider_arn not in self.providers:
                self.out.append(Finding(
                    "aws-role-provider", "error", f"the Role value sends provider {provider_arn}, which IAM does not "
                    "have", [setting(settings, "roleValuePattern", "Okta Role Value Pattern")],
                    f"{texts.INVALID_SAML_RESPONSE_PAGE} / {texts.PROVIDER_DOES_NOT_EXIST}",
                    "make the pattern's saml-provider name match IAM exactly", "docs/fidelity/errors.md#errors-saml-provider-name-identity-provider-arn"
                ).expecting(self.console(texts.PROVIDER_DOES_NOT_EXIST, user=login, role=role_arn)))
            role = self.roles.get(role_arn)
            if role is None:
                # without group mapping Okta only sends roles its download found (mock_okta.aws_app
                # roles_from_assignments): no Role at all, AWS's invalid-response page
                sees = texts.NOT_AUTHORIZED if settings.useGroupMapping else texts.INVALID_SAML_RESPONSE_PAGE
                self.out.append(Finding(
                    "aws-role-missing", "error", f"the Role value sends {role_arn}, which IAM does not have",
                    [setting(settings, "roleValuePattern", "Okta Role Value Pattern")] + self.near_roles(role_arn),
                    sees, "create the role or fix the group name",
                    "docs/fidelity/aws-signin-sts.md#aws-signin-sts-sts, docs/fidelity/errors.md#errors-trust-policy-wrong"
                ).expecting(
                    self.console(sees, user=login, role=role_arn)))
                continue
            _check_trust(role, provider_arn, self.acs, self.out,
                         self.console(texts.NOT_AUTHORIZED, user=login, role=role_arn))
            self.check_duration(login, role, role_arn)

    def near_roles(self, role_arn) -> list:
        """IAM roles whose name is close to the one Okta sends (a renamed or mistyped role)."""
        wanted = role_arn.rsplit("/", 1)[-1].lower()
        near = [r for r in self.roles.values() if r.RoleName.lower() != wanted and
                (wanted in r.RoleName.lower() or r.RoleName.lower() in wanted)]
        return [setting(r, "RoleName", "IAM role with a similar name") for r in near[:1]]

    def check_duration(self, login, role, role_arn):
        duration = self.settings.sessionDuration
        if duration > role.MaxSessionDuration:
            self.out.append(Finding(
                "aws-session-duration", "error", f"Session Duration {duration} exceeds role {role.RoleName!r} "
                f"MaxSessionDuration {role.MaxSessionDuration}: the console works, CLI tools that ask for it fail",
                [setting(self.settings, "sessionDuration", "Okta Session Duration"),
                 setting(role, "MaxSessionDuration")], texts.DURATION_EXCEEDS,
                "raise MaxSessionDuration or lower Session Duration", "docs/fidelity/aws-signin-sts.md#aws-signin-sts-sts, docs/fidelity/errors.md#errors-cli-session-longer-than-the-role"
            ).expecting(Probe("cli", (texts.DURATION_EXCEEDS,), app=self.app.label, user=login, role=role_arn)))


def _check_trust(role, provider_arn, acs, out, probe):
    findings, needle = [], None
    statements = role.AssumeRolePolicyDocument.get("Statement", []) if isinstance(
        role.AssumeRolePolicyDocument, dict) else []
    statements = statements if isinstance(statements, list) else [statements]
    ok = False
    for statement in statements:
        actions = statement.get("Action", [])
        actions = [actions] if isinstance(actions, str) else actions
        federated = (statement.get("Principal") or {}).get("Federated", [])
        federated = [federated] if isinstance(federated, str) else federated
        condition = (statement.get("Condition") or {}).get("StringEquals", {})
        aud = condition.get("SAML:aud") or condition.get("saml:aud")
        problems = []
        if statement.get("Effect") != "Allow":
            problems.append("Effect is not Allow")
        if "sts:AssumeRoleWithSAML" not in actions and "sts:*" not in actions:
            problems.append("Action lacks sts:AssumeRoleWithSAML")
        if provider_arn not in federated:
            problems.append(f"Principal Federated is {federated}, not {provider_arn}")
        if aud is not None and acs not in ([aud] if isinstance(aud, str) else aud):
            problems.append(f"SAML:aud is {aud!r} but Okta sends Recipient {acs!r}")
        if not problems:
            ok = True
            break
        findings += problems
        needle = needle or (aud if isinstance(aud, str) and "SAML:aud" in " ".join(problems) else None)
    if not ok:
        out.append(Finding("aws-trust-policy", "error", f"role {role.RoleName!r} does not trust this sign-in: "
                           + "; ".join(findings or ["no statement"]),
                           [setting(role, "AssumeRolePolicyDocument", needle=needle)], texts.NOT_AUTHORIZED,
                           "Allow sts:AssumeRoleWithSAML to the provider with SAML:aud = the ACS URL",
                           "docs/fidelity/aws-signin-sts.md#aws-signin-sts-trust-policy-console, docs/fidelity/errors.md#errors-trust-policy-wrong").expecting(probe))


def app_username(app, user) -> str | None:
    """The application username Okta sends (mock_okta's own evaluation); None when the
    template cannot be evaluated (the world loader reports that)."""
    try:
        return application_username(app, user)
    except ExpressionError:
        return None


def _check_session_names(world, app, users, out):
    pattern = re.compile(texts.ROLE_SESSION_NAME_PATTERN)
    for user in world.okta.users:
        if user.login not in users:
            continue
        name = app_username(app, user)
        if name is not None and not pattern.fullmatch(name):
            out.append(Finding("aws-session-name", "error", f"the app username of {user.login!r} is {name!r}, "
                               "not a valid RoleSessionName", [setting(app.saml, "user_name_template",
                                                                       "Okta Application username")],
                               texts.ROLE_SESSION_NAME, "use the Okta username or an email",
                               "docs/fidelity/aws-signin-sts.md#aws-signin-sts-aws-app, docs/fidelity/aws-signin-sts.md#aws-signin-sts-sts, docs/fidelity/errors.md#errors-application-username-unsuitable-for-rolesessionname").expecting(
                               Probe("console", (texts.ROLE_SESSION_NAME,), app=app.label, user=user.login)))
