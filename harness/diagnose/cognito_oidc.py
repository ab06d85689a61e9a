"""Okta OIDC app -> Cognito OIDC IdP (docs/fidelity/cognito-federation.md#cognito-federation-oidc, docs/fidelity/okta-oidc-api.md#okta-oidc-api-oidc): issuer and explicit
endpoints, scopes, client id/secret and authentication, redirect URI, grant type."""
from __future__ import annotations

import re

from harness import diagnose_rules as texts

from .clients import check_client
from .findings import Finding, Probe, setting
from .links import oidc_links
from .mapping import check_mapping

ENDPOINTS = ("authorize_url", "token_url", "attributes_url", "jwks_uri")


def issuers_of(okta) -> dict:
    """issuer -> authorization server name: the org server, ``default`` and the world's own
    (mock_okta.oidc.servers)."""
    if not okta:
        return {}
    issuers = {okta.org_url: "org"}
    for server in okta.authorization_servers:
        issuers[server.issuer] = server.name
    issuers.setdefault(f"{okta.org_url}/oauth2/default", "default")
    return issuers


def endpoint_issuer(org_url: str, url: str) -> str | None:
    """The issuer of the authorization server an Okta endpoint URL belongs to: ``/oauth2/v1/*``
    is the org server (issuer = the org URL), ``/oauth2/<id>/v1/*`` the custom server ``<id>``."""
    match = re.match(re.escape(org_url.rstrip("/")) + r"/oauth2/(?:([^/]+)/)?v1/", url or "")
    if not match:
        return None
    return org_url.rstrip("/") + (f"/oauth2/{match.group(1)}" if match.group(1) else "")


def check_cognito_oidc(world, out):
    issuers = issuers_of(world.okta)
    for app, pool, provider in oidc_links(world):
        OidcCheck(world, issuers, app, pool, provider, out).run()


class OidcCheck:
    def __init__(self, world, issuers, app, pool, provider, out) -> None:
        self.world, self.issuers, self.app, self.pool, self.provider, self.out = world, issuers, app, pool, provider, out
        self.details = provider.ProviderDetails
        self.link = dict(app=app.label if app else None, pool=pool.PoolName, provider=provider.ProviderName)

    def sign_in(self, *expect):
        return Probe("authorize", expect, **self.link)

    def here(self, key, label=None):
        return setting(self.provider, "ProviderDetails", label or key, key)

    def run(self):
        if not self.check_issuer():
            self.check_endpoints()
        if "openid" not in self.details.get("authorize_scopes", "").split():
            self.out.append(Finding("oidc-scopes", "error", "authorize_scopes lacks openid",
                                    [self.here("authorize_scopes")], "no ID token from Okta", "include openid",
                                    "docs/fidelity/cognito-federation.md#cognito-federation-providerdetails",
                                    unprobed="what Cognito shows without an ID token is not in the reference"))
        if self.app is None:
            self.out.append(Finding(
                "oidc-client", "error", f"client_id {self.details.get('client_id')!r} is no Okta OIDC app",
                [self.here("client_id")], f"invalid_client: {texts.OKTA_INVALID_CLIENT_ID}",
                "copy the Okta app's Client ID", "docs/fidelity/okta-oidc-api.md#okta-oidc-api-bad-client-id").expecting(
                self.sign_in(texts.OKTA_INVALID_CLIENT_ID)))
            return
        self.check_app()
        check_mapping(self.app, self.pool, self.provider, self.out, sent=False)
        for client in self.pool.Clients:
            if self.provider.ProviderName in client.SupportedIdentityProviders:
                check_client(self.pool, client, self.provider, self.out)

    def check_issuer(self) -> bool:
        """True when oidc_issuer is no issuer of the org (an error reported)."""
        issuer = self.details.get("oidc_issuer", "")
        if issuer in self.issuers:
            return False
        near = next((i for i in self.issuers if i.rstrip("/") == issuer.rstrip("/")), None)
        if near:
            sees = texts.callback_error(texts.INVALID_REQUEST, texts.bad_issuer(near))
        else:
            server = issuer.rstrip("/").rsplit("/", 1)[-1]
            sees = f"{self.provider.ProviderName} Error - 404 E0000007 {texts.okta_auth_server_not_found(server)}"
        org = self.world.okta.org_url if self.world.okta else ""
        self.out.append(Finding("oidc-issuer", "error", f"oidc_issuer {issuer!r} is not an issuer of the Okta org "
                                f"(known: {', '.join(self.issuers)})", [self.here("oidc_issuer")], sees,
                                f"set oidc_issuer to {near or org} exactly", "docs/fidelity/cognito-federation.md#cognito-federation-oidc, docs/fidelity/errors.md#errors-cognito, docs/fidelity/errors.md#errors-oidc-oidc-issuer-not-byte-equal"
                                ).expecting(self.sign_in(sees)))
        return True

    def check_endpoints(self):
        """Explicit endpoints of another authorization server than ``oidc_issuer``: the ID token
        then comes from that server and carries its issuer (mock_cognito.oidc_federation's
        check_claims: "Bad id_token issuer")."""
        if not self.world.okta:
            return
        issuer = self.details.get("oidc_issuer", "")
        wrong = {key: endpoint_issuer(self.world.okta.org_url, self.details.get(key, ""))
                 for key in ENDPOINTS if self.details.get(key)}
        wrong = {key: other for key, other in wrong.items() if other is not None and other != issuer}
        if not wrong:
            return
        token_issuer = wrong.get("token_url")
        sees = texts.callback_error(texts.INVALID_REQUEST, texts.bad_issuer(token_issuer)) if token_issuer else \
            "the sign-in fails at Okta (the endpoints belong to another authorization server)"
        finding = Finding(
            "oidc-issuer", "error", f"oidc_issuer is {issuer!r} but {', '.join(wrong)} belong to the authorization "
            f"server {sorted(set(wrong.values()))[0]!r}",
            [self.here(key) for key in wrong] + [self.here("oidc_issuer")], sees,
            f"use the endpoints of {issuer} (or drop them: Cognito discovers them from the issuer)",
            "docs/fidelity/cognito-federation.md#cognito-federation-providerdetails, Discovery; docs/fidelity/errors.md#errors-oidc-oidc-issuer-not-byte-equal")
        if token_issuer:
            finding.expecting(self.sign_in(texts.bad_issuer(token_issuer)))
        else:
            finding.unprobed = "what Okta shows for a code from another authorization server is not in the reference"
        self.out.append(finding)

    def check_app(self):
        app, pool, provider, oidc = self.app, self.pool, self.provider, self.app.oidc
        idpresponse = f"{pool.domain_url}/oauth2/idpresponse"
        if pool.domain_url and idpresponse not in oidc.redirect_uris:
            sees = texts.okta_bad_redirect_uri(self.world.okta.org_url, oidc.client_id)
            self.out.append(Finding(
                "oidc-redirect", "error", f"Okta app {app.label!r} does not list {idpresponse}",
                [setting(oidc, "redirect_uris", "Okta Sign-in redirect URIs"),
                 setting(pool, "Domain", "user pool Domain")], sees,
                f"add {idpresponse} to the Okta app's Sign-in redirect URIs", "docs/fidelity/okta-oidc-api.md#okta-oidc-api-oidc; docs/fidelity/cognito-federation.md#cognito-federation-oidc"
            ).expecting(self.sign_in(sees)))
        auth_failed = texts.idp_error(provider.ProviderName, 401, "invalid_client", texts.OKTA_CLIENT_AUTH_FAILED)
        if oidc.token_endpoint_auth_method != "client_secret_post":
            self.out.append(Finding(
                "oidc-client-auth", "error", f"Okta app {app.label!r} authenticates clients with "
                f"{oidc.token_endpoint_auth_method}; Cognito only sends client_secret_post",
                [setting(oidc, "token_endpoint_auth_method", "Okta Client authentication")], auth_failed,
                "set Client authentication to client_secret_post", "docs/fidelity/cognito-federation.md#cognito-federation-idp-requirements; docs/fidelity/okta-oidc-api.md#okta-oidc-api-oidc"
            ).expecting(self.sign_in(auth_failed)))
        elif self.details.get("client_secret") != oidc.client_secret:
            self.out.append(Finding(
                "oidc-secret", "error", "client_secret differs from the Okta app's secret",
                [self.here("client_secret"), setting(oidc, "client_secret", "Okta client secret")], auth_failed,
                "copy the Okta app's client secret", "docs/fidelity/okta-oidc-api.md#okta-oidc-api-token-auth-errors-401").expecting(
                self.sign_in(auth_failed)))
        if "authorization_code" not in oidc.grant_types:
            unsupported = texts.okta_unsupported_response_type("token")
            self.out.append(Finding(
                "oidc-grant", "error", f"Okta app {app.label!r} does not allow the authorization code grant",
                [setting(oidc, "grant_types", "Okta Grant type")], unsupported, "allow Authorization Code",
                "docs/fidelity/okta-oidc-api.md#okta-oidc-api-oidc").expecting(self.sign_in(unsupported.split(" Configured")[0])))
