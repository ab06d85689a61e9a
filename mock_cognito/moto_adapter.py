"""The only door to moto: the AWS control plane of a world.

Writes go through the AWS API (boto3) exactly as a user's IaC would; reads on the hot path go to
moto's backend objects in process (microseconds instead of a millisecond-scale HTTP round trip).
moto's quirks stay here:

* moto's pool ids (``<region>_<32 hex>``), client ids and access keys do not look like AWS's
  and change every run; the harness gives them realistic, stable values (``world_common.urls``)
  by re-keying moto's objects right after creating them.
* moto keeps every account's state in module-level dictionaries, so one process holds one world
  at a time; :func:`reset` clears it between worlds.
"""
from __future__ import annotations

import functools
import json
import threading
from typing import Any

import boto3
import botocore.config

_SERVICES = ("cognito-idp", "iam", "sts")
_lock = threading.Lock()


def wsgi_app():
    """moto's own server app (routes by the request's service), served in process."""
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    return DomainDispatcherApplication(create_backend_app)


def reset() -> None:
    """Forget every pool, client, user, role and provider (moto is per process)."""
    from moto.backends import get_backend

    for service in _SERVICES:
        get_backend(service).reset()


@functools.lru_cache(maxsize=1)
def _session() -> boto3.session.Session:
    return boto3.session.Session(aws_access_key_id="AKIAHARNESSADMIN0000", aws_secret_access_key="harness",
                                 region_name="us-east-1")


@functools.lru_cache(maxsize=32)
def client(service: str, endpoint_url: str, region: str):
    """A boto3 client for ``service`` at moto's endpoint (clients are cached: ~50 ms each to make)."""
    with _lock:
        return _session().client(service, endpoint_url=endpoint_url, region_name=region,
                                 config=botocore.config.Config(retries={"max_attempts": 1}))


# ---- moto's backends, read in process --------------------------------------------------------

def cognito_backend(account_id: str, region: str):
    from moto.cognitoidp.models import cognitoidp_backends

    return cognitoidp_backends[account_id][region]


def iam_backend(account_id: str):
    from moto.iam.models import iam_backends

    return iam_backends[account_id]["global"]


def user_pool(account_id: str, region: str, pool_id: str):
    return cognito_backend(account_id, region).user_pools.get(pool_id)


def user_pool_for_domain(account_id: str, region: str, host: str):
    """The pool whose domain (prefix or custom domain) serves ``host``."""
    backend = cognito_backend(account_id, region)
    suffix = f".auth.{region}.amazoncognito.com"
    key = host[: -len(suffix)] if host.endswith(suffix) else host
    domain = backend.user_pool_domains.get(key)
    return backend.user_pools.get(domain.user_pool_id) if domain else None


def app_client(account_id: str, region: str, pool_id: str, client_id: str):
    pool = user_pool(account_id, region, pool_id)
    return pool.clients.get(client_id) if pool else None


def identity_provider(account_id: str, region: str, pool_id: str, name: str):
    pool = user_pool(account_id, region, pool_id)
    return pool.identity_providers.get(name) if pool else None


# ---- applying a world's AWS side through the API ----------------------------------------------

def apply_world(aws, endpoint_url: str) -> None:
    """Create what the world's ``aws`` record describes, through boto3, with realistic ids."""
    region, account = aws.region, aws.account_id
    idp = client("cognito-idp", endpoint_url, region)
    iam = client("iam", endpoint_url, region)
    for provider in aws.SAMLProviders:
        arn = iam.create_saml_provider(Name=provider.Name,
                                       SAMLMetadataDocument=provider.SAMLMetadataDocument)["SAMLProviderArn"]
        assert arn == provider.Arn, (arn, provider.Arn)
    for role in aws.Roles:
        iam.create_role(RoleName=role.RoleName, Path=role.Path, Description=role.Description,
                        AssumeRolePolicyDocument=json.dumps(role.AssumeRolePolicyDocument),
                        MaxSessionDuration=role.MaxSessionDuration)
    for user in aws.Users:
        iam.create_user(UserName=user.UserName)
        for i, statement in enumerate(user.Policies):
            iam.put_user_policy(UserName=user.UserName, PolicyName=f"policy-{i}",
                                PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [statement]}))
        if user.AccessKey:
            created = iam.create_access_key(UserName=user.UserName)["AccessKey"]["AccessKeyId"]
            _rekey_access_key(account, created, user.AccessKeyId, user.SecretAccessKey)
    for pool in aws.UserPools:
        _apply_pool(idp, pool, account, region)


def _apply_pool(idp, pool, account: str, region: str) -> None:
    schema = []
    for attr in pool.Schema:
        entry = {"Name": attr.Name, "AttributeDataType": attr.AttributeDataType, "Mutable": attr.Mutable,
                 "Required": attr.Required, "DeveloperOnlyAttribute": attr.DeveloperOnlyAttribute}
        if attr.StringAttributeConstraints:
            entry["StringAttributeConstraints"] = dict(attr.StringAttributeConstraints)
        if attr.NumberAttributeConstraints:
            entry["NumberAttributeConstraints"] = dict(attr.NumberAttributeConstraints)
        schema.append(entry)
    kwargs: dict[str, Any] = {"PoolName": pool.PoolName}
    if schema:  # the API rejects an empty list; no Schema means the standard attributes only
        kwargs["Schema"] = schema
    if pool.UsernameAttributes:
        kwargs["UsernameAttributes"] = list(pool.UsernameAttributes)
    if pool.AliasAttributes:
        kwargs["AliasAttributes"] = list(pool.AliasAttributes)
    if pool.UsernameConfiguration:
        kwargs["UsernameConfiguration"] = dict(pool.UsernameConfiguration)
    created = idp.create_user_pool(**kwargs)["UserPool"]["Id"]
    _rekey_pool(account, region, created, pool.Id, pool.Arn)
    if pool.Domain:
        idp.create_user_pool_domain(Domain=pool.Domain, UserPoolId=pool.Id)
    for provider in pool.IdentityProviders:
        args = {"UserPoolId": pool.Id, "ProviderName": provider.ProviderName,
                "ProviderType": provider.ProviderType, "ProviderDetails": dict(provider.ProviderDetails),
                "AttributeMapping": dict(provider.AttributeMapping)}
        if provider.IdpIdentifiers:
            args["IdpIdentifiers"] = list(provider.IdpIdentifiers)
        idp.create_identity_provider(**args)
    for group in pool.Groups:
        args = {"UserPoolId": pool.Id, "GroupName": group.GroupName}
        for key in ("Description", "Precedence", "RoleArn"):
            if group[key] is not None:
                args[key] = group[key]
        idp.create_group(**args)
    for app_client in pool.Clients:
        args = {"UserPoolId": pool.Id}
        for key, value in app_client.items():
            if key in ("ClientId", "ClientSecret") or value is None:
                continue
            if key == "TokenValidityUnits":
                value = value.to_dict()
            args[key] = list(value) if isinstance(value, list) else value
        made = idp.create_user_pool_client(**args)["UserPoolClient"]["ClientId"]
        _rekey_client(account, region, pool.Id, made, app_client.ClientId, app_client.ClientSecret)


def _rekey_pool(account: str, region: str, old: str, new: str, arn: str) -> None:
    backend = cognito_backend(account, region)
    with _lock:
        pool = backend.user_pools.pop(old)
        pool.id = new
        pool.arn = arn
        backend.user_pools[new] = pool


def _rekey_client(account: str, region: str, pool_id: str, old: str, new: str, secret: str | None) -> None:
    pool = user_pool(account, region, pool_id)
    with _lock:
        app_client = pool.clients.pop(old)
        app_client.id = new
        if secret is not None:
            app_client.secret = secret
        pool.clients[new] = app_client


def _rekey_access_key(account: str, old: str, new: str, secret: str) -> None:
    backend = iam_backend(account)
    with _lock:
        key = backend.access_keys.pop(old, None)
        if key is None:  # moto keys the dict by physical_resource_id
            for k, v in list(backend.access_keys.items()):
                if v.access_key_id == old:
                    key = backend.access_keys.pop(k)
        key.access_key_id = new
        key.secret_access_key = secret
        backend.access_keys[getattr(key, "physical_resource_id", new)] = key
