"""One org's OpenID Provider state: its authorization servers, their key rings, the store of
codes and refresh tokens, and the clock. Built once per org app (see ``views``)."""
from __future__ import annotations

from world_common import urls
from world_common.world_model import OktaOrg

from ..org import Org
from . import errors
from . import servers as servers_mod
from .device import DeviceStore
from .keys import KeyRing
from .store import Store


class Provider:
    def __init__(self, okta: OktaOrg, org: Org, clock) -> None:
        self.okta = okta
        self.org = org
        self.clock = clock
        self.org_url = okta.org_url.rstrip("/")
        # The org id (docs/fidelity/okta-oidc-api.md#okta-oidc-api-id-formats: ``00o…``), the ``idp`` claim of tokens
        # minted for users who signed in to Okta itself (docs/fidelity/okta-oidc-api.md#okta-oidc-api-id-token-base-claims).
        self.org_id = urls.okta_id("00o", okta.org_url)
        self.servers = servers_mod.build(okta)
        self.keyrings = {key: KeyRing(f"{self.org_url}:{key}") for key in self.servers}
        self.store = Store()
        self.devices = DeviceStore()
        # ``updated_at`` of every profile: the world file does not say when a user changed.
        self.profiles_updated_at = int(clock.time())

    def server(self, key: str):
        server = self.servers.get(key)
        if server is None:
            raise errors.NotFound(key)
        return server

    def keyring(self, server) -> KeyRing:
        return self.keyrings[server.key]

    def now(self) -> int:
        return int(self.clock.time())

    def rotate_keys(self, server_id: str = "org"):
        """``server_id``: ``"org"`` for the org server, else a custom server's id."""
        key = servers_mod.ORG if server_id == "org" else server_id
        return self.keyrings[self.server(key).key].rotate()
