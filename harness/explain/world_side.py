"""The configuration a capture is explained against: the world (a world file or IaC) applied to
this process's moto through :mod:`mock_cognito.moto_adapter`, so the mocks' own checks read it
exactly as they do when the world runs; plus the names of its settings (the selector paths a
scenario's ``world: set:`` uses) with their file:line.

moto keeps one control plane per process: explaining replaces whatever this process's moto
holds, so it refuses while a world is running in the same process.
"""
from __future__ import annotations

import os
from urllib.parse import urlsplit

from mock_cognito import moto_adapter
from mock_cognito.saml.metadata import IdpMetadata, MetadataError, parse_metadata
from mock_okta.saml.metadata import metadata_for_world_app
from world_common.world_model.record import plain

from .. import runtime


class ExplainInputError(ValueError):
    """Bad input (exit 2): the message names the problem."""


def setting(path: str, record=None, name: str | None = None, value=None, key: str | None = None) -> dict:
    """One setting: its selector path, value and file:line (``record.where(name)``, or the line of
    the ``key`` entry of a mapping field such as ``AttributeMapping``)."""
    if record is not None and name is not None and value is None:
        value = record.get(name) if key is None else (record.get(name) or {}).get(key)
    where = record.where(name) if record is not None else ""
    container = record.get(name) if record is not None and name else None
    lines = getattr(container, "lines", None)
    if key is not None and lines and key in lines:
        line = lines[key]
        where = f"{getattr(line, 'file', record.loc(name)[0])}:{line}"
    return {"path": path, "value": plain(value), "where": where}


class WorldSide:
    def __init__(self, world, idp_metadata: bytes | None = None) -> None:
        active = getattr(runtime, "_active", None)
        if active is not None and not active.stopped:
            raise ExplainInputError("a world is running in this process; explain needs this process's moto "
                                    "(stop the world first)")
        self.world = world
        self.idp_metadata = idp_metadata
        moto_adapter.reset()
        if world.aws is not None:
            moto_adapter.apply_world(world.aws)

    # ---- AWS side --------------------------------------------------------------------------------
    @property
    def aws(self):
        return self.world.aws

    def pools(self) -> list:
        return list(self.aws.UserPools) if self.aws else []

    def pool_record(self, *, host: str | None = None, pool_id: str | None = None):
        for pool in self.pools():
            if host and pool.domain_host and pool.domain_host.lower() == host.lower():
                return pool
            if pool_id and pool.Id == pool_id:
                return pool
        return None

    def pool_view(self, pool):
        return moto_adapter.pool_view(self.aws.account_id, self.aws.region, pool.Id)

    def client_view(self, pool, client_id: str | None):
        return moto_adapter.client_view(self.aws.account_id, self.aws.region, pool.Id, client_id)

    def client_record(self, pool, client_id: str | None):
        return next((c for c in pool.Clients if c.get("ClientId") == client_id), None)

    @staticmethod
    def pool_path(pool) -> str:
        return f"aws.UserPools[PoolName={pool.PoolName}]"

    def provider_path(self, pool, provider) -> str:
        return f"{self.pool_path(pool)}.IdentityProviders[ProviderName={provider.ProviderName}]"

    def client_path(self, pool, client) -> str:
        return f"{self.pool_path(pool)}.Clients[ClientName={client.ClientName}]"

    def provider_record(self, pool, name: str | None):
        return next((p for p in pool.IdentityProviders if p.ProviderName == name), None)

    def is_aws_signin(self, host: str) -> bool:
        return host in ("signin.aws.amazon.com", f"{self.aws.region}.signin.aws.amazon.com") if self.aws else False

    # ---- Okta side -------------------------------------------------------------------------------
    @property
    def okta(self):
        return self.world.okta

    def okta_host(self) -> str:
        return (urlsplit(self.okta.org_url).hostname or "").lower() if self.okta else ""

    def okta_app(self, *, entity_id: str | None = None, label: str | None = None, client_id: str | None = None):
        for app in (self.okta.apps if self.okta else []):
            if entity_id and app.entity_id == entity_id:
                return app
            if label and app.label == label:
                return app
            if client_id and app.sign_on_mode == "OPENID_CONNECT" and app.oidc.client_id == client_id:
                return app
        return None

    def okta_user(self, login: str | None):
        return next((u for u in (self.okta.users if self.okta else []) if u.login == login), None)

    @staticmethod
    def app_path(app) -> str:
        return f"okta.apps[label={app.label}]"

    def okta_issuers(self) -> list[str]:
        if not self.okta:
            return []
        org = self.okta.org_url.rstrip("/")
        return [org] + [f"{org}/oauth2/{s.id}" for s in self.okta.authorization_servers]

    # ---- the IdP metadata a SAML provider trusts -------------------------------------------------
    def saml_metadata(self, provider) -> tuple[IdpMetadata | None, str]:
        """(metadata, where it came from) for a Cognito SAML provider record: ``--idp-metadata``,
        its ``MetadataFile``, or its ``MetadataURL`` when that is a world Okta app's metadata URL."""
        if self.idp_metadata is not None:
            return self._parsed(self.idp_metadata, "--idp-metadata")
        details = provider.ProviderDetails
        if details.get("MetadataFile"):
            return self._parsed(details["MetadataFile"].encode(), "ProviderDetails.MetadataFile")
        url = details.get("MetadataURL")
        local = url[len("file://"):] if url and url.startswith("file://") else url
        if local and os.path.isfile(local):   # IaC whose MetadataURL names a file
            with open(local, "rb") as fh:
                return self._parsed(fh.read(), f"MetadataURL {url}")
        for app in (self.okta.apps if self.okta else []):
            if url and app.metadata_url == url:
                xml = metadata_for_world_app(self.world, app)
                return self._parsed(xml.encode(), f"MetadataURL (Okta app {app.label!r})")
        return None, (f"MetadataURL {url} is not a metadata URL of this world's Okta; pass --idp-metadata"
                      if url else "the provider has no MetadataFile or MetadataURL")

    @staticmethod
    def _parsed(xml: bytes, origin: str):
        try:
            return parse_metadata(xml), origin
        except MetadataError as exc:
            raise ExplainInputError(f"{origin}: {exc}") from None
