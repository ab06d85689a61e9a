"""App client checks (docs/fidelity/cognito-tokens.md#cognito-tokens-endpoints, docs/fidelity/alb.md#alb-authenticate-cognito): IdP enabled, OAuth flows, callback URLs, scopes,
IdP-initiated restrictions, the ALB's callback."""
from __future__ import annotations

from harness import diagnose_rules as texts

from .findings import Finding, Probe, Setting, setting
from .links import oidc_links, saml_links


def from_tile(authorize_text: str) -> str:
    """What a Default RelayState's bad parameter shows: the tile gets Cognito's IdP-initiated
    page (mock_cognito maps every authorize error in an IdP-initiated RelayState to it, docs/fidelity/cognito-federation.md#cognito-federation-idp-initiated-post-body); an app sending the same parameters to /oauth2/authorize gets docs/fidelity/cognito-tokens.md#cognito-tokens-endpoints's."""
    return f"Okta tile: {texts.IDP_INIT_OFF}; the same parameters at /oauth2/authorize: {authorize_text}"


def tile_and_authorize(link: dict, params: dict, authorize_text: str) -> tuple:
    return (Probe("tile", (texts.IDP_INIT_OFF,), **link),
            Probe("authorize", (authorize_text,), params=params, **link))


def check_client(pool, client, provider, out, redirect_uri=None, scope=None, origin=None, link=None, relay=None):
    link = link or dict(pool=pool.PoolName, provider=provider.ProviderName)
    link = dict(link, client=client.ClientId)

    def sees(authorize_text):
        return from_tile(authorize_text) if relay else authorize_text

    def probes(authorize_text):
        if relay:
            return tile_and_authorize(link, relay, authorize_text)
        return (Probe("authorize", (authorize_text,), **link),)

    if provider.ProviderName not in client.SupportedIdentityProviders:
        out.append(Finding("idp-not-enabled", "error", f"client {client.ClientName!r} does not enable IdP "
                           f"{provider.ProviderName!r}",
                           [setting(client, "SupportedIdentityProviders"), setting(provider, "ProviderName")],
                           sees(texts.LOGIN_OPTION_NOT_AVAILABLE),
                           f"add {provider.ProviderName} to the client's SupportedIdentityProviders",
                           "docs/fidelity/cognito-tokens.md#cognito-tokens-endpoints, docs/fidelity/errors.md#errors-idp-not-enabled-on-the-app").expecting(*probes(texts.LOGIN_OPTION_NOT_AVAILABLE)))
    if not client.AllowedOAuthFlowsUserPoolClient or "code" not in client.AllowedOAuthFlows:
        out.append(Finding("oauth-flows", "error", f"client {client.ClientName!r} is not enabled for the "
                           "authorization code flow", [setting(client, "AllowedOAuthFlowsUserPoolClient"),
                                                       setting(client, "AllowedOAuthFlows")],
                           sees(texts.CLIENT_NOT_ENABLED_FOR_OAUTH),
                           "set AllowedOAuthFlowsUserPoolClient: true and AllowedOAuthFlows: [code]",
                           "docs/fidelity/cognito-tokens.md#cognito-tokens-endpoints (causes unconfirmed)").expecting(*probes(texts.CLIENT_NOT_ENABLED_FOR_OAUTH)))
    if redirect_uri and redirect_uri not in client.CallbackURLs:
        close = [u for u in client.CallbackURLs if u.lower().rstrip("/") == redirect_uri.lower().rstrip("/")]
        out.append(Finding("callback-url", "error", f"redirect_uri {redirect_uri!r} is not registered exactly "
                           f"on client {client.ClientName!r}" + (f" (registered: {close[0]!r})" if close else ""),
                           [origin or Setting("redirect_uri", redirect_uri, "?"), setting(client, "CallbackURLs")],
                           sees(texts.redirect_mismatch(client.ClientId)),
                           "register the URL exactly (scheme, host case, port, trailing slash)", "docs/fidelity/cognito-tokens.md#cognito-tokens-endpoints, docs/fidelity/errors.md#errors-callback-url-not-registered-exactly"
                           ).expecting(*probes(texts.redirect_mismatch(client.ClientId))))
    if scope:
        missing = [s for s in scope.replace("+", " ").split() if s not in client.AllowedOAuthScopes]
        if missing:
            out.append(Finding("oauth-scopes", "warning", f"scopes {missing} are not allowed on client "
                               f"{client.ClientName!r}; Cognito silently drops them",
                               [origin or Setting("scope", scope, "?"), setting(client, "AllowedOAuthScopes")],
                               "tokens without those scopes' claims", "add them to AllowedOAuthScopes",
                               "docs/fidelity/cognito-tokens.md#cognito-tokens-bad-scope", unprobed="a sign-in succeeds; only the tokens differ"))
    if str(provider.ProviderDetails.get("IDPInit", "")).lower() == "true":
        others = [n for n in client.SupportedIdentityProviders if n == "COGNITO" or n not in
                  {p.ProviderName for p in pool.IdentityProviders if p.ProviderType == "SAML"}]
        if others:
            out.append(Finding("idp-init-client", "error", f"client {client.ClientName!r} uses IdP-initiated IdP "
                               f"{provider.ProviderName!r} but also lists {others}",
                               [setting(client, "SupportedIdentityProviders")],
                               "UpdateUserPoolClient is rejected (error text unconfirmed)",
                               "list only SAML IdPs on this client", "docs/fidelity/cognito-federation.md#cognito-federation-idp-initiated-app-client-restriction",
                               unprobed="the AWS API refuses it; no sign-in shows it"))


def check_clients(world, out):
    """Clients of an ALB: callback URL and scopes (docs/fidelity/alb.md#alb-authenticate-cognito)."""
    for lb in (world.aws.LoadBalancers if world.aws else []):
        config = lb.AuthenticateCognitoConfig
        for pool in world.aws.UserPools:
            for client in pool.Clients:
                if client.ClientId != config.UserPoolClientId:
                    continue
                callback = f"https://{lb.DNSName}/oauth2/idpresponse"
                if callback not in client.CallbackURLs:
                    out.append(Finding("alb-callback", "error", f"client {client.ClientName!r} does not register "
                                       f"the ALB callback {callback} (all lowercase)",
                                       [setting(client, "CallbackURLs"), setting(lb, "DNSName", "ALB DNSName")],
                                       texts.redirect_mismatch(client.ClientId), f"add {callback}",
                                       "docs/fidelity/alb.md#alb-authenticate-cognito").expecting(
                                       Probe("alb", (texts.redirect_mismatch(client.ClientId),), lb=lb.Name)))


def check_enabled(world, out):
    """An Okta app wired to a Cognito IdP that no app client of the pool enables: nobody can sign
    in through it (docs/fidelity/cognito-tokens.md#cognito-tokens-endpoints, docs/fidelity/errors.md#errors-idp-not-enabled-on-the-app: "Login option is not available")."""
    for app, pool, provider in saml_links(world) + oidc_links(world):
        if not pool.Clients or any(provider.ProviderName in c.SupportedIdentityProviders for c in pool.Clients):
            continue
        client = pool.Clients[0]
        out.append(Finding(
            "idp-not-enabled", "error", f"no app client of user pool {pool.PoolName!r} enables IdP "
            f"{provider.ProviderName!r} (wired to Okta app {app.label if app else '?'!r})",
            [setting(client, "SupportedIdentityProviders"), setting(provider, "ProviderName")],
            texts.LOGIN_OPTION_NOT_AVAILABLE, f"add {provider.ProviderName} to a client's SupportedIdentityProviders",
            "docs/fidelity/cognito-tokens.md#cognito-tokens-endpoints, docs/fidelity/errors.md#errors-idp-not-enabled-on-the-app").expecting(
            Probe("authorize", (texts.LOGIN_OPTION_NOT_AVAILABLE,), app=app.label if app else None, pool=pool.PoolName,
                  provider=provider.ProviderName, client=client.ClientId)))
