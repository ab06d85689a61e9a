"""A world's AWS side applied as the AWS API calls a user's IaC would make, then re-keyed to
realistic, stable ids (``world_common.urls``).

The calls go straight to moto's backends in process (:mod:`.direct`), or, given an endpoint,
through boto3 to a moto server (the same calls, over HTTP).

Part of :mod:`mock_cognito.moto_adapter`, the only door to moto."""
from __future__ import annotations

import json
from typing import Any

from . import direct
from .backends import cognito_backend, iam_backend, user_pool
from .server import _lock, _world_account, client

# ---- applying a world's AWS side through the API ----------------------------------------------

def apply_world(aws, endpoint_url: str | None = None) -> None:
    """Create what the world's ``aws`` record describes, with realistic ids.

    With no ``endpoint_url`` the calls go to moto's backends in process (:mod:`.direct`);
    with one, through boto3 to the moto server there.
    """
    region, account = aws.region, aws.account_id
    _world_account["id"] = str(account)
    if endpoint_url is None:
        idp, iam = direct.CognitoIdp(str(account), region), direct.Iam(str(account), region)
    else:
        idp, iam = client("cognito-idp", endpoint_url, region), client("iam", endpoint_url, region)
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
    if pool.LambdaConfig is not None:
        kwargs["LambdaConfig"] = {k: v for k, v in pool.LambdaConfig.to_dict().items() if v is not None}
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
    for user in pool.Users:
        _create_native_user(idp, pool.Id, user)
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


def _create_native_user(idp, pool_id: str, user) -> None:
    """A pool's native user, through the API (AdminCreateUser, AdminSetUserPassword)."""
    args = {"UserPoolId": pool_id, "Username": user.Username, "MessageAction": "SUPPRESS",
            "UserAttributes": [{"Name": k, "Value": v} for k, v in user.Attributes.items()]}
    if user.TemporaryPassword:
        args["TemporaryPassword"] = user.TemporaryPassword
    idp.admin_create_user(**args)
    if user.Password:
        idp.admin_set_user_password(UserPoolId=pool_id, Username=user.Username, Password=user.Password,
                                    Permanent=True)
    if not user.Enabled:
        idp.admin_disable_user(UserPoolId=pool_id, Username=user.Username)


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
