"""The org's authorization servers (docs/fidelity/okta-oidc-api.md#okta-oidc-api-org-authorization-server, docs/fidelity/okta-oidc-api.md#okta-oidc-api-custom-authorization-server, docs/fidelity/okta-oidc-api.md#okta-oidc-api-lifetimes).

* the org authorization server: issuer ``https://<org>``, endpoints ``/oauth2/v1/...``;
* custom authorization servers: issuer ``https://<org>/oauth2/<id>``, endpoints
  ``/oauth2/<id>/v1/...``; ``default`` always exists (dev orgs ship it), others come from the
  world file's ``okta.authorization_servers`` (ids ``aus…``).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from world_common import urls
from world_common.world_model import OktaOrg

ORG = ""   # the org authorization server's key: empty, so no /oauth2/<id>/ URL can name it

# docs/fidelity/okta-oidc-api.md#okta-oidc-api-lifetimes: ID token 60 min everywhere; access token 60 min on the org AS;
# custom AS access lifetime comes from its policy (5 min–24 h): the default policy's rule value
# of 1 hour is unconfirmed. Refresh 90 days on the org AS; the custom default policy's refresh
# lifetime is unconfirmed (the table only says "≥ access lifetime") and uses the same 90 days.
# Codes live 300 s.
ID_TOKEN_LIFETIME = 3600
ACCESS_TOKEN_LIFETIME = 3600
REFRESH_TOKEN_LIFETIME = 90 * 24 * 3600
CODE_LIFETIME = 300

# docs/fidelity/okta-oidc-api.md#okta-oidc-api-discovery-fields-sample: scopes_supported.
OIDC_SCOPES = ("openid", "profile", "email", "address", "phone", "offline_access", "groups")
# Scopes that ask for claims about the user; without ``openid`` they fail (OK-OAUTHERR
# openid_scope_required).
CLAIM_SCOPES = ("profile", "email", "address", "phone", "groups")


@dataclass
class AuthorizationServer:
    key: str                 # ORG, "default" or an aus… id
    issuer: str
    base_url: str            # where /v1/... hangs: https://<org>/oauth2 or https://<org>/oauth2/<id>
    audiences: list[str] = field(default_factory=list)
    name: str = ""

    @property
    def is_org(self) -> bool:
        return self.key == ORG

    def endpoint(self, name: str) -> str:
        return f"{self.base_url}/v1/{name}"

    @property
    def access_token_audience(self) -> str:
        # docs/fidelity/okta-oidc-api.md#okta-oidc-api-access-token: a custom server's ``aud`` is its audience
        # (``api://default`` for ``default``); org AS access tokens are for Okta's own APIs and
        # carry the org URL (their format "may change"; the value is unconfirmed).
        return self.audiences[0] if self.audiences else self.issuer

    @property
    def scopes(self) -> tuple[str, ...]:
        # The org server also grants Okta's own scopes; okta.apps.sso is the one the web SSO token
        # exchange needs (docs/fidelity/okta-mfa-idx.md#okta-mfa-idx-web-sso-token).
        return OIDC_SCOPES + (("okta.apps.sso",) if self.is_org else ())


def build(okta: OktaOrg) -> dict[str, AuthorizationServer]:
    """Every server of the org, keyed by its URL id (``ORG`` for the org server)."""
    org = okta.org_url.rstrip("/")
    servers = {ORG: AuthorizationServer(ORG, urls.okta_org_issuer(org), f"{org}/oauth2", [org], "Org")}
    servers["default"] = AuthorizationServer("default", urls.okta_custom_issuer(org, "default"),
                                             f"{org}/oauth2/default", ["api://default"], "default")
    for record in okta.authorization_servers:
        server_id = record.id or (
            "default" if record.name == "default" else urls.okta_id("aus", f"{org}:{record.name}"))
        servers[server_id] = AuthorizationServer(
            server_id, record.issuer or urls.okta_custom_issuer(org, server_id),
            f"{org}/oauth2/{server_id}", list(record.audiences), record.name)
    return servers
