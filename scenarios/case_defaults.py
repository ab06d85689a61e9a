"""What a case leaves to defaults, filled in from its world: the Okta user and password, the
app client and identity provider, the Okta app, the MFA code (:func:`resolve`). A case that
names something the world does not have is a ``file:line: field`` error."""
from __future__ import annotations

import time
from types import SimpleNamespace

from harness.world.errors import WorldError
from world_common import totp

COGNITO_SAML_ACS = "/saml2/idpresponse"  # docs/fidelity/cognito-federation.md#cognito-federation-acs-endpoint


def host(url):
    """The lower-cased host of ``url`` (None for None)."""
    return url.split("//", 1)[1].split("/", 1)[0].lower() if url else None


def _fail(case, message: str, field: str | None = None):
    raise WorldError(message, file=case.file, line=case.line, field=field)


def _mfa_code(case, user, clock):
    """What the user types at Okta's factor step: the case's code, else (``totp``, the default) a
    function giving the current code of the user's token:software:totp factor on the world's clock,
    as their authenticator app shows it."""
    wanted = case.mfa_code if case.mfa_code is not None else "totp"
    if wanted != "totp":
        return wanted
    factor = next((f for f in getattr(user, "factors", None) or [] if f.type == "token:software:totp"), None)
    if factor is None:
        return None
    return lambda: totp.code(factor.secret, clock.time() if clock is not None else time.time())


def resolve(case, world, clock=None) -> SimpleNamespace:
    """Fill in what the case leaves to defaults: client, IdP, Okta app, the user's password."""
    flow = case.flow
    user = next((u for u in (world.okta.users if world.okta else []) if u.login == case.user), None)
    if user is None:
        _fail(case, f"the world has no Okta user {case.user!r}", "user")
    profile = dict(user.profile or {})
    out = SimpleNamespace(flow=flow, login=user.login, password=case.password or user.password,
                          email=profile.get("email") or user.login, profile=profile, role=case.role,
                          provider=None, client=None, pool=None, okta_app=None,
                          app_url=None, provider_record=None, start_url=case.start_url,
                          start_host=host(case.start_url), alb=None, client_id=None, logout_uri=None,
                          mfa_code=_mfa_code(case, user, clock))
    if case.start_url and world.aws is not None:
        out.alb = next((lb for lb in world.aws.LoadBalancers if lb.DNSName.lower() == out.start_host), None)
    if flow in ("saml-sp-initiated", "saml-idp-initiated", "oidc"):
        wanted_type = "OIDC" if flow == "oidc" else "SAML"
        wanted_client = case.client or (_alb_client_name(world, out.alb) if out.alb is not None else None)
        for app_url, pool, client in _app_clients(world, wanted_client, bool(case.start_url)):
            types = {p.ProviderName: p.ProviderType for p in pool.IdentityProviders}
            names = [n for n in client.SupportedIdentityProviders if types.get(n) == wanted_type]
            if case.idp:
                names = [case.idp] if case.idp in types else []
            if names or wanted_client:
                out.app_url, out.pool, out.client = app_url, pool, client.ClientName
                out.provider = names[0] if names else case.idp
                out.client_id = client.ClientId
                out.logout_uri = case.logout_uri or next(iter(client.LogoutURLs or []), None)
                break
        if case.sign_out and out.client is not None and not out.logout_uri:
            _fail(case, f"the app client {out.client!r} lists no LogoutURLs; name one with logout_uri", "logout_uri")
        if out.client is None:
            _fail(case, f"no app client of the world's apps enables a {wanted_type} identity provider"
                  + (f" named {case.idp!r}" if case.idp else ""), "client")
        out.provider_record = next((p for p in out.pool.IdentityProviders if p.ProviderName == out.provider), None)
    if flow in ("saml-sp-initiated", "saml-idp-initiated"):
        out.okta_app = _okta_app(case, world, lambda a: a.sign_on_mode == "SAML_2_0" and a.saml is not None and
                                 out.pool is not None and COGNITO_SAML_ACS in (a.saml.sso_url or ""))
    elif flow == "oidc":
        out.okta_app = _okta_app(case, world, lambda a: a.sign_on_mode == "OPENID_CONNECT", required=False)
    elif flow == "aws-console":
        out.okta_app = _okta_app(case, world, lambda a: a.sign_on_mode == "AWS")
    return out


def _app_clients(world, wanted: str | None, any_pool: bool):
    """(app url, pool, client) in the order a case picks its client: the stand-in apps' clients,
    then (for a ``start_url``: the app is not necessarily one of the world's) every pool's."""
    seen = set()
    for app in world.apps:
        pool = world.user_pool(app.user_pool)
        for client in pool.Clients:
            if (wanted and client.ClientName != wanted) or (not wanted and client.ClientName not in app.clients):
                continue
            seen.add((pool.PoolName, client.ClientName))
            yield app.url, pool, client
    if any_pool and world.aws is not None:
        for pool in world.aws.UserPools:
            for client in pool.Clients:
                if (pool.PoolName, client.ClientName) not in seen and (not wanted or client.ClientName == wanted):
                    yield None, pool, client


def _alb_client_name(world, lb) -> str | None:
    """The name of the app client an ALB's authenticate-cognito action uses (UserPoolClientId)."""
    config = lb.AuthenticateCognitoConfig
    for pool in world.aws.UserPools:
        for client in pool.Clients:
            if client.ClientId == config.UserPoolClientId:
                return client.ClientName
    return None


def _okta_app(case, world, predicate, required: bool = True):
    apps = world.okta.apps if world.okta else []
    if case.okta_app:
        found = next((a for a in apps if a.label == case.okta_app), None)
        if found is None:
            _fail(case, f"the world has no Okta app labelled {case.okta_app!r}", "okta_app")
        return found
    found = next((a for a in apps if predicate(a)), None)
    if found is None and required:
        _fail(case, f"the world has no Okta app for the {case.flow} flow; name one with okta_app", "okta_app")
    return found
