"""Which Okta app is wired to which Cognito identity provider (SAML by metadata or audience,
OIDC by client id or issuer)."""
from __future__ import annotations


def saml_links(world):
    """(okta app, pool, provider) for each Okta SAML app wired to a Cognito SAML IdP."""
    links = []
    pools = world.aws.UserPools if world.aws else []
    for app in (world.okta.apps if world.okta else []):
        if app.sign_on_mode != "SAML_2_0":
            continue
        for pool in pools:
            for provider in pool.IdentityProviders:
                if provider.ProviderType != "SAML":
                    continue
                details = provider.ProviderDetails
                url, document = details.get("MetadataURL", ""), details.get("MetadataFile", "")
                if url == app.metadata_url or (document and app.exk in document) or \
                        (app.saml.audience or "").endswith(pool.Id) and not url:
                    links.append((app, pool, provider))
    return links


def oidc_links(world):
    links = []
    pools = world.aws.UserPools if world.aws else []
    apps = [a for a in (world.okta.apps if world.okta else []) if a.sign_on_mode == "OPENID_CONNECT"]
    for pool in pools:
        for provider in pool.IdentityProviders:
            if provider.ProviderType != "OIDC":
                continue
            issuer = provider.ProviderDetails.get("oidc_issuer", "")
            app = next((a for a in apps if a.oidc.client_id == provider.ProviderDetails.get("client_id")), None)
            if app is not None or (world.okta and issuer.startswith(world.okta.org_url)):
                links.append((app, pool, provider))
    return links
