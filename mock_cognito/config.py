"""What the hosted UI reads from the control plane, as plain values (no moto types).

``mock_cognito.moto_adapter`` builds these from moto's stored configuration at request time, so
a change made through boto3 (UpdateUserPoolClient, UpdateIdentityProvider) takes effect on the
next request, as it does in Cognito.

Providers are DescribeIdentityProvider-shaped mappings (``ProviderName``, ``ProviderType``,
``ProviderDetails``, ``AttributeMapping``, ``IdpIdentifiers``), the shape the OIDC federation
modules read too.
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SchemaAttribute:
    name: str            # "email", "custom:tenant"
    data_type: str
    mutable: bool
    required: bool
    max_length: int | None = None


@dataclass
class PoolView:
    id: str
    account_id: str
    region: str
    name: str
    providers: dict[str, dict]
    # UsernameConfiguration.CaseSensitive; the API's default (no UsernameConfiguration) is true
    # (docs/fidelity/cognito-triggers.md#cognito-triggers-case-insensitive-username).
    case_sensitive: bool = True
    lambda_config: dict = field(default_factory=dict)
    # What builds ``schema`` from moto's pool, called at the view's first read of it: most
    # requests (the token endpoint, /oauth2/authorize) never read the schema, and building its
    # ~20 attributes costs ~4 us a view (~10 us in a busy server, measured with
    # /tmp benchmarks of pool_view). Read within the request like every other field, so as fresh.
    read_schema: Callable[[], dict[str, SchemaAttribute]] = field(default=dict, repr=False, compare=False)

    @functools.cached_property
    def schema(self) -> dict[str, SchemaAttribute]:
        """{attribute name: SchemaAttribute}: the standard attributes, overridden by the pool's Schema."""
        return self.read_schema()

    @property
    def issuer(self) -> str:
        # docs/fidelity/cognito-tokens.md#cognito-tokens-issuer-original.
        return f"https://cognito-idp.{self.region}.amazonaws.com/{self.id}"

    @property
    def sp_entity_id(self) -> str:
        # docs/fidelity/cognito-federation.md#cognito-federation-sp-entity-id-audience-uri.
        return f"urn:amazon:cognito:sp:{self.id}"

    def provider(self, name: str | None) -> dict | None:
        return self.providers.get(name) if name else None


@dataclass
class ClientView:
    client_id: str
    name: str
    secret: str | None
    callback_urls: list[str]
    logout_urls: list[str]
    supported_providers: list[str]
    allowed_flows: list[str]
    allowed_scopes: list[str]
    oauth_enabled: bool
    read_attributes: list[str] | None
    write_attributes: list[str] | None
    id_token_seconds: int
    access_token_seconds: int
    refresh_token_seconds: int
    token_revocation: bool = True
    extra: dict = field(default_factory=dict)


def provider_type(provider: dict) -> str:
    return provider.get("ProviderType", "")


def provider_name(provider: dict) -> str:
    return provider.get("ProviderName", "")


def details(provider: dict) -> dict:
    return provider.get("ProviderDetails") or {}


def is_on(provider: dict, key: str) -> bool:
    """ProviderDetails flags are strings (docs/fidelity/cognito-federation.md#cognito-federation-providerdetails-keys)."""
    return str(details(provider).get(key, "")).lower() == "true"
