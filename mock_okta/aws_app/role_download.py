"""Okta's role download (docs/fidelity/aws-signin-sts.md#aws-signin-sts-roles-without-group-mapping): with the IAM access key
of the app's API integration, Okta lists the account's roles and keeps the ones whose trust
policy trusts the Identity Provider ARN for ``sts:AssumeRoleWithSAML``. Admins then pick
"SAML User Roles" for each user or group assignment from that list.

Over the AWS API (boto3) like Okta itself, never moto's internals.
"""
from __future__ import annotations

import functools
import json
import threading
import urllib.parse
from dataclasses import dataclass

from world_common.world_model import AwsAppSettings

_lock = threading.Lock()


@dataclass(frozen=True)
class DownloadedRole:
    name: str
    arn: str
    provider_arn: str

    @property
    def value(self) -> str:
        # docs/fidelity/aws-signin-sts.md#aws-signin-sts-role-value-okta: provider first, no space.
        return f"{self.provider_arn},{self.arn}"


class RoleDownloadError(Exception):
    """Okta could not list the roles (no key, wrong key, no permission)."""


@functools.lru_cache(maxsize=16)
def _iam(endpoint_url: str, access_key: str, secret_key: str):
    # lazy: boto3 costs ~0.1 s to import, and an org whose admin never downloads roles needs none
    import boto3
    import botocore.config

    with _lock:
        return boto3.session.Session(aws_access_key_id=access_key, aws_secret_access_key=secret_key,
                                     region_name="us-east-1").client(
            "iam", endpoint_url=endpoint_url, config=botocore.config.Config(retries={"max_attempts": 1}))


def provider_arns(identity_provider_arn: str | None) -> list[str]:
    """The app's Identity Provider ARN field is a comma-separated list (one per account)."""
    return [p.strip() for p in (identity_provider_arn or "").split(",") if p.strip()]


def download_roles(settings: AwsAppSettings, endpoint_url: str) -> list[DownloadedRole]:
    """The roles that trust one of ``settings.identityProviderArn``'s providers."""
    if not settings.accessKey or not settings.secretKey:
        raise RoleDownloadError("the app has no Access Key / Secret Key to download roles with")
    import botocore.exceptions  # lazy: as boto3 in _iam

    providers = provider_arns(settings.identityProviderArn)
    iam = _iam(endpoint_url, settings.accessKey, settings.secretKey)
    roles: list[DownloadedRole] = []
    try:
        for page in iam.get_paginator("list_roles").paginate():
            for role in page["Roles"]:
                provider = trusted_provider(role.get("AssumeRolePolicyDocument"), providers)
                if provider:
                    roles.append(DownloadedRole(role["RoleName"], role["Arn"], provider))
    except botocore.exceptions.ClientError as exc:
        raise RoleDownloadError(str(exc)) from None
    return roles


def trusted_provider(document, providers: list[str]) -> str | None:
    """The first of ``providers`` that an Allow statement of the trust policy names as its
    Federated principal for ``sts:AssumeRoleWithSAML`` (or ``sts:*``/``*``)."""
    if isinstance(document, str):
        document = json.loads(urllib.parse.unquote(document))
    statements = (document or {}).get("Statement", [])
    if isinstance(statements, dict):
        statements = [statements]
    for statement in statements:
        if statement.get("Effect") != "Allow":
            continue
        actions = statement.get("Action", [])
        actions = [actions] if isinstance(actions, str) else actions
        if not any(a.lower() in ("sts:assumerolewithsaml", "sts:*", "*") for a in actions):
            continue
        federated = (statement.get("Principal") or {}).get("Federated", [])
        federated = [federated] if isinstance(federated, str) else federated
        for provider in providers:
            if provider in federated:
                return provider
    return None
