"""Give every object in a validated world its realistic, stable identifiers and URLs.

The same world file gives the same ids on every run and every machine (ids are derived from
names), so an audience URN or a client id written once in IaC or a scenario stays valid.
"""
from __future__ import annotations

from world_common import urls


def assign(world) -> None:
    okta, aws = world.okta, world.aws
    if okta is not None:
        _assign_okta(okta)
    if aws is not None:
        _assign_aws(aws)


def _assign_okta(okta) -> None:
    org = okta.org_url.rstrip("/")
    okta.org_url = org
    for user in okta.users:
        user.id = urls.okta_id("00u", f"{org}:{user.login}")
        profile = user.profile
        profile.setdefault("login", user.login)
        if "@" in user.login:
            profile.setdefault("email", user.login)
        for factor in user.factors:
            # Factor ids: a 3-character prefix per type, as Okta's ids show (uft Google TOTP,
            # ost Okta TOTP, opf push, mbl sms, emf email, ufs question) (inferred from public samples)
            prefix = {"token:software:totp": "uft" if factor.provider == "GOOGLE" else "ost", "push": "opf",
                      "sms": "mbl", "email": "emf", "question": "ufs"}[factor.type]
            factor.id = urls.okta_id(prefix, f"{org}:{user.login}:{factor.type}:{factor.provider}")
    for group in okta.groups:
        group.id = urls.okta_id("00g", f"{org}:{group.name}")
    seen: dict[str, int] = {}
    for app in okta.apps:
        app.id = urls.okta_id("0oa", f"{org}:{app.label}")
        if not app.name:
            base = urls.okta_app_name(org, app.label, app.sign_on_mode, 1)
            seen[base] = seen.get(base, 0) + 1
            app.name = urls.okta_app_name(org, app.label, app.sign_on_mode, seen[base])
        app.link_id = urls.okta_link_id(app.sign_on_mode, f"{org}:{app.label}")
        app.embed_link = urls.okta_embed_link(org, app.name, app.id, app.link_id)
        if app.saml is not None:
            app.exk = urls.okta_id("exk", f"{org}:{app.label}")
            app.entity_id = urls.okta_saml_issuer(app.exk)
            app.sso_url = urls.okta_sso_url(org, app.name, app.exk)
            app.metadata_url = urls.okta_metadata_url(org, app.exk)
        if app.oidc is not None:
            app.oidc.client_id = app.oidc.client_id or urls.okta_client_id(f"{org}:{app.label}")
            if app.oidc.token_endpoint_auth_method != "none":
                app.oidc.client_secret = app.oidc.client_secret or urls.okta_client_secret(f"{org}:{app.label}")
    for server in okta.authorization_servers:
        server.id = server.name if server.name == "default" else urls.okta_id("aus", f"{org}:{server.name}")
        server.issuer = urls.okta_custom_issuer(org, server.id)


def _assign_aws(aws) -> None:
    account, region = aws.account_id, aws.region
    for pool in aws.UserPools:
        pool.Id = urls.cognito_pool_id(region, account, pool.PoolName)
        pool.Arn = urls.cognito_pool_arn(region, account, pool.Id)
        pool.issuer = urls.cognito_issuer(region, pool.Id)
        pool.sp_entity_id = urls.cognito_sp_entity_id(pool.Id)
        if pool.Domain:
            pool.domain_host = urls.cognito_domain_host(pool.Domain, region)
            pool.domain_url = f"https://{pool.domain_host}"
        else:
            pool.domain_host = pool.domain_url = None
        for client in pool.Clients:
            client.ClientId = urls.cognito_client_id(pool.Id, client.ClientName)
            client.ClientSecret = (urls.cognito_client_secret(pool.Id, client.ClientName)
                                   if client.GenerateSecret else None)
    for provider in aws.SAMLProviders:
        provider.Arn = urls.iam_saml_provider_arn(account, provider.Name)
    for role in aws.Roles:
        role.Arn = urls.iam_role_arn(account, role.RoleName, role.Path)
    for user in aws.Users:
        user.Arn = f"arn:aws:iam::{account}:user/{user.UserName}"
        user.AccessKeyId, user.SecretAccessKey = (
            urls.iam_access_key(account, user.UserName) if user.AccessKey else (None, None))
    for lb in aws.LoadBalancers:
        lb.url = f"https://{lb.DNSName}"
        lb.Arn = (f"arn:aws:elasticloadbalancing:{region}:{account}:loadbalancer/app/{lb.Name}/"
                  + urls.stable_token(f"alb:{account}:{lb.Name}", 16, "0123456789abcdef"))
