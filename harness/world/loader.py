"""Load a world file: YAML -> validated records -> identities -> references -> cross-checks.

Every problem is a :class:`WorldError` naming the file, the line and the field; all problems
of one pass are reported together.
"""
from __future__ import annotations

import json
import os
import pathlib

from mock_okta.expressions import ExpressionError, validate
from mock_okta.saml.metadata import metadata_for_world_app
from world_common.world_model import AwsAccount, ClientApp, OktaApp, OktaOrg, WorldRecord

from . import identities, references, yaml_source
from .errors import WorldError, WorldErrors
from .model import WORLD
from .references import function_arn
from .schema import Ctx

DEFAULT_WORLD = pathlib.Path(__file__).with_name("default.yaml")


class World:
    """A loaded, validated world: ``okta``, ``aws`` and ``apps`` records plus lookups."""

    def __init__(self, record: WorldRecord, source: str, text: str) -> None:
        self.record = record
        self.source = source
        self.text = text
        self.okta: OktaOrg | None = record.okta
        self.aws: AwsAccount | None = record.aws
        self.apps: list[ClientApp] = record.apps
        self.name: str = record.name

    # lookups used across the harness
    def okta_app(self, label: str) -> OktaApp:
        return next(a for a in self.okta.apps if a.label == label)

    def user_pool(self, name: str):
        return next(p for p in self.aws.UserPools if p.PoolName == name)

    def client(self, pool_name: str, client_name: str):
        return next(c for c in self.user_pool(pool_name).Clients if c.ClientName == client_name)

    def hosts(self) -> list[str]:
        """Every host name the world serves."""
        hosts: list[str] = []
        if self.okta:
            hosts.append(self.okta.org_url.split("//", 1)[1].split("/", 1)[0])
        if self.aws:
            region = self.aws.region
            for pool in self.aws.UserPools:
                if pool.domain_host:
                    hosts.append(pool.domain_host)
            hosts += [
                f"cognito-idp.{region}.amazonaws.com", "iam.amazonaws.com", "sts.amazonaws.com",
                f"sts.{region}.amazonaws.com", "signin.aws.amazon.com", f"{region}.signin.aws.amazon.com",
                f"public-keys.auth.elb.{region}.amazonaws.com",
            ]
            hosts += [lb.DNSName for lb in self.aws.LoadBalancers]
        for app in self.apps:
            hosts.append(app.url.split("//", 1)[1].split("/", 1)[0])
        return list(dict.fromkeys(h.lower() for h in hosts))


def _late_resolvers() -> dict:
    def okta_metadata(world, app):
        return metadata_for_world_app(world, app)

    return {"okta_app.metadata": okta_metadata}


def load_text(text: str, file: str = "<world>") -> World:
    data = yaml_source.load(text, file)
    ctx = Ctx(file)
    record = WORLD.check(data, ctx, "", getattr(data, "line", 1))
    if ctx.errors:
        raise WorldErrors(ctx.errors)
    identities.assign(record)
    _check_unique(record, ctx)
    if ctx.errors:
        raise WorldErrors(ctx.errors)
    errors = references.resolve(record, file, _late_resolvers())
    if errors:
        raise WorldErrors(errors)
    _cross_check(record, ctx)
    if ctx.errors:
        raise WorldErrors(ctx.errors)
    return World(record, file, text)


def load(path: str | os.PathLike | None = None) -> World:
    """Load the world file at ``path`` (the embedded default world when ``None``)."""
    target = pathlib.Path(path) if path is not None else DEFAULT_WORLD
    try:
        text = target.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise WorldError("no such world file", file=str(target)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise WorldError(f"cannot read the world file: {exc}", file=str(target)) from None
    return load_text(text, str(target))


def _check_unique(world: WorldRecord, ctx: Ctx) -> None:
    def unique(items, key, what, path):
        seen = set()
        for i, item in enumerate(items or []):
            if item is None:
                continue
            value = getattr(item, key)
            if value in seen:
                ctx.error(f"two {what}s are named {value!r}", item.loc(key)[1], f"{path}[{i}].{key}")
            seen.add(value)

    if world.okta:
        unique(world.okta.users, "login", "Okta user", "okta.users")
        unique(world.okta.groups, "name", "Okta group", "okta.groups")
        unique(world.okta.apps, "label", "Okta app", "okta.apps")
        unique(world.okta.authorization_servers, "name", "authorization server", "okta.authorization_servers")
    if world.aws:
        unique(world.aws.UserPools, "PoolName", "user pool", "aws.UserPools")
        for i, pool in enumerate(world.aws.UserPools):
            unique(pool.Clients, "ClientName", "app client", f"aws.UserPools[{i}].Clients")
            unique(pool.IdentityProviders, "ProviderName", "identity provider",
                   f"aws.UserPools[{i}].IdentityProviders")
        unique(world.aws.Roles, "RoleName", "IAM role", "aws.Roles")
        unique(world.aws.SAMLProviders, "Name", "IAM SAML provider", "aws.SAMLProviders")


def _cross_check(world: WorldRecord, ctx: Ctx) -> None:
    """References by name that are not ``${...}``: groups of users, assignments, enabled IdPs."""
    okta, aws = world.okta, world.aws
    if okta:
        _cross_check_okta(okta, ctx)
    if aws:
        _cross_check_aws(aws, ctx)
    for i, app in enumerate(world.apps):
        pools = {p.PoolName: p for p in (aws.UserPools if aws else [])}
        pool = pools.get(app.user_pool)
        if pool is None:
            ctx.error(f"user pool {app.user_pool!r} is not defined in aws.UserPools", app.loc("user_pool")[1],
                      f"apps[{i}].user_pool")
            continue
        names = {c.ClientName for c in pool.Clients}
        for j, name in enumerate(app.clients):
            if name not in names:
                ctx.error(f"user pool {pool.PoolName!r} has no client {name!r}", app.loc("clients")[1],
                          f"apps[{i}].clients[{j}]")



def _cross_check_okta(okta: OktaOrg, ctx: Ctx) -> None:
    groups = {g.name for g in okta.groups} | {"Everyone"}
    logins = {u.login for u in okta.users}
    for i, user in enumerate(okta.users):
        for j, group in enumerate(user.groups):
            if group not in groups:
                ctx.error(f"user {user.login!r} is in group {group!r}, which okta.groups does not define",
                          user.loc("groups")[1], f"okta.users[{i}].groups[{j}]")
    for i, app in enumerate(okta.apps):
        for field, key, known in (("users", "user", logins), ("groups", "group", groups)):
            line = app.loc(field)[1]
            for j, entry in enumerate(getattr(app, field)):
                name = entry.get(key) if isinstance(entry, dict) else entry
                if not isinstance(name, str) or name not in known:
                    ctx.error(f"app {app.label!r} is assigned to {key} {name!r}, which okta.{field} does not define",
                              line, f"okta.apps[{i}].{field}[{j}]")
                if isinstance(entry, dict):
                    _check_assignment(entry, {key, "saml_roles"}, ctx, line, f"okta.apps[{i}].{field}[{j}]")
        if app.saml is not None:
            _check_saml_expressions(app, ctx, f"okta.apps[{i}].saml")


def _cross_check_aws(aws: AwsAccount, ctx: Ctx) -> None:
    for i, pool in enumerate(aws.UserPools):
        idps = {p.ProviderName for p in pool.IdentityProviders} | {"COGNITO"}
        for j, client in enumerate(pool.Clients):
            for k, name in enumerate(client.SupportedIdentityProviders):
                if name not in idps:
                    # CreateUserPoolClient fails the same way (docs/fidelity/cognito-tokens.md#cognito-tokens-endpoints).
                    ctx.error(f"client {client.ClientName!r} enables identity provider {name!r}, which "
                              f"user pool {pool.PoolName!r} does not define",
                              client.loc("SupportedIdentityProviders")[1],
                              f"aws.UserPools[{i}].Clients[{j}].SupportedIdentityProviders[{k}]")
    _check_triggers(aws, ctx)
    for i, provider in enumerate(aws.SAMLProviders):
        size = len(provider.SAMLMetadataDocument or "")
        if not 1000 <= size <= 10_000_000:
            # CreateSAMLProvider's length constraint (docs/fidelity/aws-signin-sts.md#aws-signin-sts-saml-metadata-length).
            ctx.error(f"SAMLMetadataDocument is {size} characters; IAM takes a metadata document of 1000 to "
                      f"10000000 characters", provider.loc("SAMLMetadataDocument")[1],
                      f"aws.SAMLProviders[{i}].SAMLMetadataDocument")
    for i, role in enumerate(aws.Roles):
        doc = role.AssumeRolePolicyDocument
        if isinstance(doc, str):
            try:
                role.AssumeRolePolicyDocument = json.loads(doc)
            except ValueError as exc:
                ctx.error(f"AssumeRolePolicyDocument is not valid JSON: {exc}",
                          role.loc("AssumeRolePolicyDocument")[1], f"aws.Roles[{i}].AssumeRolePolicyDocument")
        elif not isinstance(doc, dict):
            ctx.error("AssumeRolePolicyDocument must be a policy mapping or its JSON",
                      role.loc("AssumeRolePolicyDocument")[1], f"aws.Roles[{i}].AssumeRolePolicyDocument")


def _check_triggers(aws, ctx: Ctx) -> None:
    """Every trigger ARN of a pool's LambdaConfig names a function of aws.Functions (the harness
    runs only functions it has the code of)."""

    arns = {function_arn(aws, f.FunctionName) for f in aws.Functions}
    for i, pool in enumerate(aws.UserPools):
        config = pool.LambdaConfig
        if config is None:
            continue
        for key, value in config.items():
            arn = value.LambdaArn if key == "PreTokenGenerationConfig" and value is not None else value
            if arn and arn not in arns:
                ctx.error(f"{key} names {arn}, which is not a function of aws.Functions "
                          f"(declare it there and write ${{function:<name>.arn}})",
                          config.loc(key)[1], f"aws.UserPools[{i}].LambdaConfig.{key}")


def _check_saml_expressions(app, ctx: Ctx, path: str) -> None:
    """Okta Expression Language outside the supported subset fails loading (issue 3)."""

    for j, statement in enumerate(app.saml.attribute_statements):
        if statement.type != "EXPRESSION":
            continue
        for k, value in enumerate(statement.values):
            try:
                validate(value)
            except ExpressionError as exc:
                ctx.error(f"app {app.label!r}, attribute statement {statement.name!r}: unsupported expression "
                          f"{value!r}: {exc}", statement.loc("values")[1], f"{path}.attribute_statements[{j}].values[{k}]")
    template = app.saml.user_name_template
    if template:
        try:
            validate(template)
        except ExpressionError as exc:
            ctx.error(f"app {app.label!r}, Application username: unsupported expression {template!r}: {exc}",
                      app.saml.loc("user_name_template")[1], f"{path}.user_name_template")


def _check_assignment(entry: dict, allowed: set, ctx: Ctx, line, path) -> None:
    for key in entry:
        if key not in allowed:
            ctx.error(f"unknown field {key!r} in assignment; known fields: {', '.join(sorted(allowed))}", line,
                      f"{path}.{key}")
