"""The hosted UI's reads: plain views of moto's stored configuration (:mod:`mock_cognito.config`).

Part of :mod:`mock_cognito.moto_adapter`, the only door to moto."""
from __future__ import annotations

import functools

from ..config import ClientView, PoolView, SchemaAttribute
from .backends import app_client, user_pool, user_pool_for_domain

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
    providers = {}
    for name, provider in pool.identity_providers.items():
        record = dict(provider.extended_config)
        record["ProviderName"] = name
        record.setdefault("IdpIdentifiers", [])
        providers[name] = record
    username_config = pool.extended_config.get("UsernameConfiguration") or {}
    return PoolView(id=pool.id, account_id=account_id, region=region, name=pool.name, providers=providers,
                    case_sensitive=bool(username_config.get("CaseSensitive", True)),
                    lambda_config=dict(pool.extended_config.get("LambdaConfig") or {}),
                    read_schema=functools.partial(_schema, pool))


def _schema(pool) -> dict[str, SchemaAttribute]:
    # Real pools always have the standard attributes; moto keeps only the given Schema when one
    # is given, so the standard set is the base and the pool's Schema overrides it.
    schema = dict(_standard_schema())
    for name, attr in pool.schema_attributes.items():
        constraints = getattr(attr, "string_constraints", None)
        schema[name] = SchemaAttribute(name, attr.data_type, bool(attr.mutable), bool(attr.required),
                                       _max_length(constraints) or 2048)
    return schema


@functools.lru_cache(maxsize=1)
def _standard_schema() -> dict:
    from moto.cognitoidp.models import CognitoIdpUserPoolAttribute  # lazy: moto costs ~0.2 s to import

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
