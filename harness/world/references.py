"""``${kind:name.attribute}`` references between the parts of a world.

One world file stays consistent because values point at each other instead of repeating ids:

    audience: ${user_pool:acme-users.sp_entity_id}
    MetadataURL: ${okta_app:Cognito SAML.metadata_url}

``${...}`` without a colon (``${source.login}``, ``${accountid}``) is Okta's own syntax and is
left alone.
"""
from __future__ import annotations

import re
from typing import Callable

from world_common.urls import lambda_function_arn
from world_common.world_model import Located

from .errors import WorldError

REFERENCE = re.compile(r"\$\{([a-z_]+):([^}]*)\}")

KINDS = {
    "okta": "okta:org_url",
    "aws": "aws:account_id | aws:region",
    "okta_app": "okta_app:<label>.<id|name|entity_id|sso_url|metadata_url|metadata|embed_link|client_id|client_secret>",
    "okta_auth_server": "okta_auth_server:<name>.<id|issuer>",
    "user_pool": "user_pool:<PoolName>.<id|arn|domain_url|sp_entity_id|acs_url|idpresponse_url|issuer>",
    "user_pool_client": "user_pool_client:<PoolName>/<ClientName>.<id|secret>",
    "saml_provider": "saml_provider:<Name>.arn",
    "role": "role:<RoleName>.arn",
    "iam_user": "iam_user:<UserName>.<arn|access_key_id|secret_access_key>",
    "load_balancer": "load_balancer:<Name>.<url|arn|dns_name>",
    "function": "function:<FunctionName>.arn",
}


class Resolver:
    """Looks a reference up in a world whose identities are assigned."""

    def __init__(self, world, late: dict[str, Callable] | None = None) -> None:
        self.world = world
        self.late = late or {}

    def value(self, kind: str, body: str) -> str:
        w = self.world
        if kind == "okta":
            if body == "org_url" and w.okta:
                return w.okta.org_url
            raise KeyError(body)
        if kind == "aws":
            if body in ("account_id", "region") and w.aws:
                return getattr(w.aws, body)
            raise KeyError(body)
        name, _, attr = body.rpartition(".")
        if not name:
            raise KeyError(body)
        okta_apps = w.okta.apps if w.okta else []
        servers = w.okta.authorization_servers if w.okta else []
        pools = w.aws.UserPools if w.aws else []
        if kind == "okta_app":
            app = _find(okta_apps, "label", name)
            table = {"id": app.id, "name": app.name, "embed_link": app.embed_link}
            if app.saml is not None:
                table.update(entity_id=app.entity_id, sso_url=app.sso_url, metadata_url=app.metadata_url)
                if attr == "metadata":
                    return self.late["okta_app.metadata"](w, app)
            if app.oidc is not None:
                table.update(client_id=app.oidc.client_id, client_secret=app.oidc.client_secret or "")
            return table[attr]
        if kind == "okta_auth_server":
            if name == "org" and w.okta:
                return {"id": "org", "issuer": w.okta.org_url}[attr]
            server = _find(servers, "name", name)
            return {"id": server.id, "issuer": server.issuer}[attr]
        if kind == "user_pool":
            pool = _find(pools, "PoolName", name)
            table = {"id": pool.Id, "arn": pool.Arn, "sp_entity_id": pool.sp_entity_id, "issuer": pool.issuer}
            if pool.domain_url:
                table.update(domain_url=pool.domain_url, domain=pool.Domain,
                             acs_url=f"{pool.domain_url}/saml2/idpresponse",
                             idpresponse_url=f"{pool.domain_url}/oauth2/idpresponse")
            return table[attr]
        if kind == "user_pool_client":
            pool_name, _, client_name = name.partition("/")
            pool = _find(pools, "PoolName", pool_name)
            client = _find(pool.Clients, "ClientName", client_name)
            return {"id": client.ClientId, "secret": client.ClientSecret or ""}[attr]
        if kind == "saml_provider":
            return {"arn": _find((w.aws.SAMLProviders if w.aws else []), "Name", name).Arn}[attr]
        if kind == "role":
            return {"arn": _find((w.aws.Roles if w.aws else []), "RoleName", name).Arn}[attr]
        if kind == "iam_user":
            user = _find((w.aws.Users if w.aws else []), "UserName", name)
            return {"arn": user.Arn, "access_key_id": user.AccessKeyId,
                    "secret_access_key": user.SecretAccessKey}[attr]
        if kind == "function":
            fn = _find((w.aws.Functions if w.aws else []), "FunctionName", name)
            return {"arn": function_arn(w.aws, fn.FunctionName)}[attr]
        if kind == "load_balancer":
            lb = _find((w.aws.LoadBalancers if w.aws else []), "Name", name)
            return {"url": lb.url, "arn": lb.Arn, "dns_name": lb.DNSName}[attr]
        raise KeyError(kind)


def function_arn(aws, name: str) -> str:
    return lambda_function_arn(aws.region, aws.account_id, name)


def _find(items, key: str, name: str):
    for item in items or []:
        if item is not None and getattr(item, key) == name:
            return item
    raise LookupError(name)


def resolve(world, file: str, late: dict[str, Callable] | None = None) -> list[WorldError]:
    """Replace every reference in place; return one error per reference that does not resolve."""
    resolver = Resolver(world, late)
    errors: list[WorldError] = []

    def sub(text: str, line, path) -> str:
        def one(match: re.Match) -> str:
            kind, body = match.group(1), match.group(2)
            try:
                value = resolver.value(kind, body)
            except LookupError as exc:
                if kind not in KINDS:
                    errors.append(WorldError(
                        f"unknown reference kind {kind!r} in {match.group(0)}; kinds: {', '.join(KINDS)}",
                        file=file, line=line, field=path))
                elif isinstance(exc, KeyError):
                    errors.append(WorldError(
                        f"{match.group(0)} names no attribute {exc.args[0]!r}; the form is ${{{KINDS[kind]}}}",
                        file=file, line=line, field=path))
                else:
                    errors.append(WorldError(
                        f"{match.group(0)} refers to {kind} {exc.args[0]!r}, which this world does not define",
                        file=file, line=line, field=path))
                return match.group(0)
            if value is None:
                errors.append(WorldError(f"{match.group(0)} has no value in this world", file=file,
                                         line=line, field=path))
                return match.group(0)
            return str(value)

        return REFERENCE.sub(one, text)

    def walk(value, line, path):
        if isinstance(value, Located):
            for key, item in list(value.items()):
                value[key] = walk(item, value.loc(key)[1], f"{path}.{key}" if path else key)
            return value
        if isinstance(value, list):
            return [walk(item, line, f"{path}[{i}]") for i, item in enumerate(value)]
        if isinstance(value, dict):
            lines = getattr(value, "lines", {})
            for key in list(value):
                value[key] = walk(value[key], lines.get(key, line), f"{path}.{key}")
            return value
        if isinstance(value, str) and "${" in value:
            return sub(value, line, path)
        return value

    walk(world, world.loc()[1], "")
    return errors
