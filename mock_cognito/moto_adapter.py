"""The only door to moto: the AWS control plane of a world.

Writes go through the AWS API (boto3) exactly as a user's IaC would; reads on the hot path go to
moto's backend objects in process (microseconds instead of a millisecond-scale HTTP round trip).
moto's quirks stay here:

* moto's pool ids (``<region>_<32 hex>``), client ids and access keys do not look like AWS's
  and change every run; the harness gives them realistic, stable values (``world_common.urls``)
  by re-keying moto's objects right after creating them.
* moto keeps every account's state in module-level dictionaries, so one process holds one world
  at a time; :func:`reset` clears it between worlds.

moto itself is imported inside the functions that use it, on purpose: importing its models takes
most of a second, and processes that load this module without touching moto's backend (diagnose
without --probe, explain, validate) should not pay for it.
"""
from __future__ import annotations

import functools
import hmac
import json
import logging
import threading
import traceback
from typing import Any

import boto3
import botocore.config

from world_common.urls import cognito_domain_host

from .config import ClientView, PoolView, SchemaAttribute

log = logging.getLogger("okta_aws_harness.moto")
_SERVICES = ("cognito-idp", "iam", "sts")
_lock = threading.Lock()
_world_account = {"id": "123456789012"}   # the account of the world applied last (one per process)


def wsgi_app():
    """moto's own server app (routes by the request's service), served in process."""
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    _share_moto_pool_key()
    return _refuse_what_moto_cannot_parse(DomainDispatcherApplication(create_backend_app))


def _refuse_what_moto_cannot_parse(app):
    """moto answers a request that is not a well-formed AWS API call (a browser visiting
    ``https://sts.amazonaws.com/``, a form with no Action) with a 500 and a traceback. AWS
    answers such requests with a 4xx error; the reference tables do not give its exact body
    (unconfirmed), so the harness answers 400 in the protocol's error shape, naming the problem."""
    def guarded(environ, start_response):
        # moto answers for the world's account (its default is 123456789012): per request, the
        # header moto reads (moto.core.responses.get_current_account), unless a caller named one.
        environ.setdefault("HTTP_X_MOTO_ACCOUNT_ID", _world_account["id"])
        captured: dict = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return lambda data: None

        try:
            body = b"".join(app(environ, capture))
            failed = int(captured.get("status", "500").split(" ", 1)[0]) >= 500
        except Exception:  # moto failed to parse the call: logged, and answered as a client error
            log.warning("moto could not handle %s %s%s:\n%s", environ.get("REQUEST_METHOD"),
                        environ.get("HTTP_HOST", ""), environ.get("PATH_INFO", ""), traceback.format_exc())
            body, failed = b"", True
        if not failed:
            start_response(captured["status"], captured["headers"])
            return [body]
        message = "The request is not an AWS API call this endpoint understands (no valid Action or X-Amz-Target)."
        if environ.get("HTTP_X_AMZ_TARGET") or "json" in environ.get("CONTENT_TYPE", ""):
            out = json.dumps({"__type": "UnknownOperationException", "message": message}).encode()
            ctype = "application/x-amz-json-1.1"
        else:
            out = ("<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code>"
                   f"<Message>{message}</Message></Error><RequestId>00000000-0000-0000-0000-000000000000"
                   "</RequestId></ErrorResponse>").encode()
            ctype = "text/xml"
        start_response("400 Bad Request", [("Content-Type", ctype), ("Content-Length", str(len(out)))])
        return [out]

    return guarded


@functools.lru_cache(maxsize=1)
def _share_moto_pool_key() -> None:
    """moto parses the same bundled private JWK for every user pool it creates (~50-100 ms
    each, most of a world's start-up). The harness never uses moto's own tokens (Cognito's are
    mock_cognito's), so parse it once and share it."""
    from moto.cognitoidp import models

    original = models.jwk.RSAKey.import_key
    parsed: dict = {}

    class _OnceRSAKey:
        @staticmethod
        def import_key(data, *args, **kwargs):
            key = repr((data, args, sorted(kwargs.items())))
            if key not in parsed:
                parsed[key] = original(data, *args, **kwargs)
            return parsed[key]

        def __getattr__(self, name):
            return getattr(models.jwk.RSAKey, name)

    class _Jwk:
        RSAKey = _OnceRSAKey

        def __getattr__(self, name):
            return getattr(original_module, name)

    original_module = models.jwk
    models.jwk = _Jwk()


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


def _in_process(request, **_kwargs):
    """botocore ``before-send`` hook: hand the signed request to moto's own dispatcher in
    process (moto's ``BotocoreStubber``, what ``mock_aws`` uses).

    The request is the one boto3 would send over HTTP (same API, same validation, the same
    response parsers in moto); only the socket, the WSGI environ and moto's per-service Flask
    apps are skipped, which makes applying a world several times cheaper.
    """
    request.headers["X-Moto-Account-Id"] = _world_account["id"]
    response = _stubber()("before-send", request)
    if response is None:
        raise RuntimeError(f"moto has no handler for {request.method} {request.url}")
    return response


@functools.lru_cache(maxsize=1)
def _stubber():
    from moto.core.botocore_stubber import BotocoreStubber

    _share_moto_pool_key()
    stubber = BotocoreStubber()
    stubber.enabled = True
    return stubber


@functools.lru_cache(maxsize=8)
def admin_client(service: str, region: str):
    """A boto3 client that talks to this process's moto without a socket (applying worlds)."""
    # AWS's own endpoint: moto's dispatcher routes by it; nothing leaves the process.
    made = _session().client(service, region_name=region,
                             config=botocore.config.Config(retries={"max_attempts": 1}))
    made.meta.events.register("before-send", _in_process)
    return made


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

def apply_world(aws, endpoint_url: str | None = None) -> None:
    """Create what the world's ``aws`` record describes, through boto3, with realistic ids.

    With no ``endpoint_url`` the calls go to moto in process (see :func:`admin_client`).
    """
    region, account = aws.region, aws.account_id
    _world_account["id"] = str(account)
    if endpoint_url is None:
        idp, iam = admin_client("cognito-idp", region), admin_client("iam", region)
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


# ---- the hosted UI's reads: plain views of moto's stored configuration (mock_cognito.config) -----

_UNIT_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}


def pool_view(account_id: str, region: str, pool_id: str | None = None, host: str | None = None):
    """The pool (by id, or by the domain host serving it) as a :class:`mock_cognito.config.PoolView`."""
    if pool_id is not None:
        pool = user_pool(account_id, region, pool_id)
    else:
        pool = user_pool_for_domain(account_id, region, host) if host else None
    if pool is None:
        return None
    # Real pools always have the standard attributes; moto keeps only the given Schema when one
    # is given, so the standard set is the base and the pool's Schema overrides it.
    schema = dict(_standard_schema())
    for name, attr in pool.schema_attributes.items():
        constraints = getattr(attr, "string_constraints", None)
        schema[name] = SchemaAttribute(name, attr.data_type, bool(attr.mutable), bool(attr.required),
                                       _max_length(constraints) or 2048)
    providers = {}
    for name, provider in pool.identity_providers.items():
        record = dict(provider.extended_config)
        record["ProviderName"] = name
        record.setdefault("IdpIdentifiers", [])
        providers[name] = record
    username_config = pool.extended_config.get("UsernameConfiguration") or {}
    return PoolView(id=pool.id, account_id=account_id, region=region, name=pool.name, schema=schema,
                    providers=providers, case_sensitive=bool(username_config.get("CaseSensitive", True)),
                    lambda_config=dict(pool.extended_config.get("LambdaConfig") or {}))


@functools.lru_cache(maxsize=1)
def _standard_schema() -> dict:
    from moto.cognitoidp.models import CognitoIdpUserPoolAttribute

    return {name: SchemaAttribute(name, spec["AttributeDataType"], spec["Mutable"], spec["Required"],
                                  _max_length(spec.get("StringAttributeConstraints")))
            for name, spec in CognitoIdpUserPoolAttribute.STANDARD_SCHEMA.items()}


def _max_length(constraints) -> int | None:
    try:
        return int((constraints or {}).get("MaxLength")) if constraints and constraints.get("MaxLength") else None
    except (TypeError, ValueError):
        return None


def client_view(account_id: str, region: str, pool_id: str, client_id: str | None):
    """The app client's OAuth settings as a :class:`mock_cognito.config.ClientView`."""
    found = app_client(account_id, region, pool_id, client_id) if client_id else None
    if found is None:
        return None
    cfg = found.extended_config
    units = cfg.get("TokenValidityUnits") or {}

    def seconds(key: str, unit_key: str, default_unit: str, default: int) -> int:
        value = cfg.get(key)
        if value is None:
            return default
        return int(value) * _UNIT_SECONDS[units.get(unit_key) or default_unit]

    return ClientView(
        client_id=found.id, name=cfg.get("ClientName", ""),
        secret=found.secret if found.generate_secret else None,
        callback_urls=list(cfg.get("CallbackURLs") or []), logout_urls=list(cfg.get("LogoutURLs") or []),
        supported_providers=list(cfg.get("SupportedIdentityProviders") or []),
        allowed_flows=list(cfg.get("AllowedOAuthFlows") or []),
        allowed_scopes=list(cfg.get("AllowedOAuthScopes") or []),
        oauth_enabled=bool(cfg.get("AllowedOAuthFlowsUserPoolClient")),
        read_attributes=cfg.get("ReadAttributes"), write_attributes=cfg.get("WriteAttributes"),
        # docs/fidelity/cognito-tokens.md#cognito-tokens-lifetimes: ID and access 1 h, refresh 30 days by default; the API's
        # default units are hours, hours and days.
        id_token_seconds=seconds("IdTokenValidity", "IdToken", "hours", 3600),
        access_token_seconds=seconds("AccessTokenValidity", "AccessToken", "hours", 3600),
        refresh_token_seconds=seconds("RefreshTokenValidity", "RefreshToken", "days", 30 * 86400),
        token_revocation=bool(cfg.get("EnableTokenRevocation", True)))


# ---- federated users, written in process (the hot path) ----------------------------------------

def find_user(account_id: str, region: str, pool_id: str, username: str) -> dict | None:
    """{"username", "sub", "status", "attributes": {name: value}, "groups": [names by precedence]}."""
    pool = user_pool(account_id, region, pool_id)
    user = _user_named(pool, username) if pool else None
    if user is None:
        return None
    groups = sorted(user.groups, key=lambda g: (g.precedence is None, g.precedence or 0, g.group_name))
    return {"username": user.username, "sub": user.id, "status": user.status, "enabled": user.enabled,
            "attributes": dict(user.attribute_lookup), "groups": [g.group_name for g in groups],
            "group_roles": [g.role_arn for g in groups if g.role_arn]}


def _user_named(pool, username: str):
    """The user called ``username``; in a pool whose UsernameConfiguration has
    ``CaseSensitive: false``, whatever the case."""
    user = pool.users.get(username)
    if user is None and not (pool.extended_config.get("UsernameConfiguration") or {}).get("CaseSensitive", True):
        lowered = username.lower()
        user = next((u for name, u in pool.users.items() if name.lower() == lowered), None)
    return user


def save_federated_user(account_id: str, region: str, pool_id: str, username: str,
                        attributes: dict[str, str], group: str) -> dict:
    """Create (status ``EXTERNAL_PROVIDER``) or update the user, and put it in ``group``
    (created on first use, docs/fidelity/cognito-tokens.md#cognito-tokens-auto-created-group)."""
    from moto.cognitoidp.models import CognitoIdpGroup, CognitoIdpUser

    pool = user_pool(account_id, region, pool_id)
    with _lock:
        user = pool.users.get(username)
        if user is None:
            user = CognitoIdpUser(pool_id, username, None, "EXTERNAL_PROVIDER", [])
            pool.users[username] = user
        user.update_attributes([{"Name": k, "Value": v} for k, v in attributes.items()])
        found = pool.groups.get(group)
        if found is None:
            found = CognitoIdpGroup(pool_id, group, "", None, None)
            pool.groups[group] = found
        found.users.add(user)
        user.groups.add(found)
    return find_user(account_id, region, pool_id, username)


# ---- native users' passwords (managed login) ------------------------------------------------

def password_matches(account_id: str, region: str, pool_id: str, username: str, password: str) -> dict | None:
    """The user (find_user's view) when ``username`` (or an email/phone username attribute) has
    this password, else None."""
    pool = user_pool(account_id, region, pool_id)
    user = pool._get_user(username) if pool else None
    if user is None:
        user = _user_named(pool, username) if pool else None
    if user is None or user.password is None or not hmac.compare_digest(user.password.encode(), password.encode()):
        return None
    return find_user(account_id, region, pool_id, user.username)


def set_permanent_password(region: str, pool_id: str, username: str, password: str) -> str | None:
    """AdminSetUserPassword (Permanent) through the API; moto's error message, or None."""
    client = admin_client("cognito-idp", region)
    try:
        client.admin_set_user_password(UserPoolId=pool_id, Username=username, Password=password, Permanent=True)
    except client.exceptions.ClientError as exc:
        return exc.response.get("Error", {}).get("Message") or str(exc)
    return None


# ---- account links (mock_cognito.account_linking): kept on moto's pool, reset with it ------------

def links(account_id: str, region: str, pool_id: str) -> dict:
    """{(ProviderName, ProviderAttributeName, ProviderAttributeValue): destination username}."""
    pool = user_pool(account_id, region, pool_id)
    return dict(getattr(pool, "harness_links", {})) if pool else {}


def add_link(account_id: str, region: str, pool_id: str, key: tuple, username: str, identity: dict) -> None:
    """Link ``key`` to the user and add ``identity`` to the user's ``identities`` attribute."""
    pool = user_pool(account_id, region, pool_id)
    with _lock:
        pool.__dict__.setdefault("harness_links", {})[key] = username
        user = pool.users[username]
        current = [i for i in _identities(user) if (i.get("providerName"), i.get("userId")) != (key[0], key[2])]
        user.update_attributes([{"Name": "identities",
                                 "Value": json.dumps(current + [identity], separators=(",", ":"))}])


def remove_link(account_id: str, region: str, pool_id: str, key: tuple) -> None:
    """AdminDisableProviderForUser: the link goes (and the identity from the linked user), and a
    federated user ``{Provider}_{value}`` is disabled."""
    pool = user_pool(account_id, region, pool_id)
    with _lock:
        username = pool.__dict__.setdefault("harness_links", {}).pop(key, None)
        user = pool.users.get(username) if username else None
        if user is not None:
            kept = [i for i in _identities(user) if (i.get("providerName"), i.get("userId")) != (key[0], key[2])]
            user.update_attributes([{"Name": "identities", "Value": json.dumps(kept, separators=(",", ":"))}])
    federated = _user_named(pool, f"{key[0]}_{key[2]}")
    if federated is not None:
        federated.enabled = False


def _identities(user) -> list[dict]:
    try:
        return list(json.loads(user.attribute_lookup.get("identities") or "[]"))
    except ValueError:
        return []


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
    from moto.sts.models import sts_backends

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
