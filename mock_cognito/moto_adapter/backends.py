"""moto's backend objects, read in process (the hot path), and the IAM and STS reads of AWS's
sign-in side.

Part of :mod:`mock_cognito.moto_adapter`, the only door to moto."""
from __future__ import annotations

import functools

from world_common.urls import cognito_domain_host

# ---- moto's backends, read in process --------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _cognito_backends():
    """moto's BackendDict of cognito-idp: one object for the process (moto's reset empties it in
    place), imported at first use; an import statement per read cost ~0.5 us, ~7 reads a sign-in."""
    from moto.cognitoidp.models import cognitoidp_backends  # lazy: moto costs ~0.2 s to import (package docstring)

    return cognitoidp_backends


def cognito_backend(account_id: str, region: str):
    backends = _cognito_backends()
    # moto's BackendDict and its per-account dict are dicts whose [] creates what is missing,
    # under a lock and after copying the keys to a list (~1.3 us, ~8 reads a sign-in); a backend
    # already made is read with dict.get, the same object [] returns (moto's reset empties both
    # dicts, so nothing outlives it). A missing one is made by [] as before.
    backend = dict.get(dict.get(backends, account_id) or {}, region)
    return backend if backend is not None else backends[account_id][region]


def iam_backend(account_id: str):
    from moto.iam.models import iam_backends  # lazy: moto costs ~0.2 s to import (package docstring)

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


# ---- IAM federation and STS credentials (AWS sign-in and AssumeRoleWithSAML) ------------------

def saml_provider_metadata(account_id: str, provider_arn: str) -> str | None:
    """The metadata document of the IAM SAML provider ``provider_arn``, or None if none."""
    for provider in iam_backend(account_id).list_saml_providers():
        if provider.arn == provider_arn:
            return provider.saml_metadata_document
    return None


def iam_role(account_id: str, role_arn: str) -> dict | None:
    """``{"RoleName", "Arn", "RoleId", "AssumeRolePolicyDocument", "MaxSessionDuration"}``."""
    for role in iam_backend(account_id).get_roles():
        if role.arn == role_arn:
            return {"RoleName": role.name, "Arn": role.arn, "RoleId": role.id,
                    "AssumeRolePolicyDocument": role.assume_role_policy_document,
                    "MaxSessionDuration": int(role.max_session_duration or 3600)}
    return None


def account_alias(account_id: str) -> str | None:
    aliases = list(getattr(iam_backend(account_id), "account_aliases", []) or [])
    return aliases[0] if aliases else None


def assume_role_credentials(account_id: str, region: str, role_arn: str, session_name: str,
                            expiration, policy: str | None = None):
    """Temporary credentials for ``role_arn`` made by moto's STS backend (so moto knows them:
    GetCallerIdentity with them answers the assumed role). ``expiration`` (an aware datetime on
    the world's clock) replaces moto's wall-clock expiry."""
    from moto.sts.models import sts_backends  # lazy: moto costs ~0.2 s to import (package docstring)

    backend = sts_backends[account_id]["aws"]
    assumed = backend.assume_role(region_name=region, role_session_name=session_name, role_arn=role_arn,
                                  policy=policy, duration=3600, external_id=None)
    assumed.expiration = expiration.replace(tzinfo=None)
    return {"AccessKeyId": assumed.access_key_id, "SecretAccessKey": assumed.secret_access_key,
            "SessionToken": assumed.session_token, "Arn": assumed.arn, "AssumedRoleId": assumed.user_id}


def pool_domain_host(account_id: str, region: str, pool_id: str) -> str | None:
    """The host of the pool's domain (prefix or custom), as configured now."""
    pool = user_pool(account_id, region, pool_id)
    domain = pool.domain if pool else None
    return cognito_domain_host(domain.domain, region) if domain else None
