"""``harness diagnose``: static cross-checks of the Okta side against the AWS side of a world.

Each finding names its severity, both settings with their source (file:line of the world file
or the IaC), what a user would see at run time (harness/diagnose_rules.py, texts from the
reference) and the fix.

    harness diagnose [--world FILE | --iac PATH ... [--var N=V] [--parameter N=V]] [--json] [--probe]

``--probe`` then starts the world and signs the affected users in over HTTP (harness/probe.py),
marking each finding ``confirmed`` (the sign-in showed the predicted text), ``not confirmed``
(with what it showed instead) or ``not probed`` (why: no sign-in can show it, or no user to sign
in with). In ``--json`` each finding then carries ``probe``: ``{"result", "sign_ins": [{"flow",
"user", "ok", "seen", "url"}], "saw" and "expected" (not confirmed) or "why" (not probed)}``.

Exit code 1 when there is an error-level finding (whatever the probe saw), 2 for a world that
does not load or start.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import asdict, dataclass, field
from urllib.parse import parse_qs

from harness import diagnose_rules as texts
from harness.world import WorldError
from mock_cognito.attribute_mapping import username_mapping_refused
from mock_okta.saml.response import acs_url_of

STANDARD_ATTRIBUTES = {"address", "birthdate", "email", "email_verified", "family_name", "gender", "given_name",
                       "locale", "middle_name", "name", "nickname", "phone_number", "phone_number_verified",
                       "picture", "preferred_username", "profile", "zoneinfo", "updated_at", "website"}


@dataclass
class Setting:
    name: str
    value: object
    where: str


@dataclass
class Finding:
    check: str
    severity: str                    # error | warning | info
    summary: str
    settings: list = field(default_factory=list)
    user_sees: str = ""
    fix: str = ""
    reference: str = ""
    plan: list = field(default_factory=list, repr=False)   # the Probes that show it at run time
    probe: dict | None = None                              # what --probe saw (see confirm())
    unprobed: str = field(default="", repr=False)          # why no sign-in can show it


    def to_dict(self) -> dict:
        out = asdict(self)
        del out["plan"], out["unprobed"]
        return out

    def expecting(self, *probes: "Probe") -> "Finding":
        self.plan = list(probes)
        return self


@dataclass
class Probe:
    """One sign-in that shows a finding at run time, and the texts (any of them) it must show.

    ``flow``: ``authorize`` (the app's /oauth2/authorize with ``identity_provider``), ``tile``
    (the Okta tile, IdP-initiated), ``console`` (the AWS app's tile to the AWS console), ``cli``
    (Okta's SAML response to STS with the app's Session Duration), ``alb`` (a visit to the ALB).
    ``twice``: sign in twice; the second sign-in must show ``expect`` (immutable attributes), or
    with ``expect`` empty the two sign-ins must make two different Cognito users (NameID)."""

    flow: str
    expect: tuple = ()
    app: str | None = None          # Okta app label
    pool: str | None = None         # PoolName
    provider: str | None = None     # ProviderName
    client: str | None = None       # ClientId
    user: str | None = None         # Okta login (default: the app's first assigned user with a password)
    role: str | None = None         # role ARN to pick on the AWS role picker
    params: dict | None = None      # authorize parameters (the Okta Default RelayState's)
    lb: str | None = None           # ALB name
    twice: bool = False


def setting(record, name, label=None, key=None) -> Setting:
    """``record.name`` (or its ``key`` entry) with its file:line."""
    value = record.get(name) if key is None else (record.get(name) or {}).get(key)
    file, line = record.loc(name)
    container = record.get(name)
    if key is not None and hasattr(container, "lines") and key in container.lines:
        line = container.lines[key]
        file = getattr(line, "file", file)
    return Setting(label or name, value, f"{file}:{line}" if line else file)


# ---- linking the two sides --------------------------------------------------------------------

def _saml_links(world):
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


def _oidc_links(world):
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


# ---- checks: Okta SAML app -> Cognito -----------------------------------------------------------

def check_cognito_saml(world, out):
    for app, pool, provider in _saml_links(world):
        saml = app.saml
        link = dict(app=app.label, pool=pool.PoolName, provider=provider.ProviderName)
        acs = f"{pool.domain_url}/saml2/idpresponse" if pool.domain_url else None
        if saml.audience != pool.sp_entity_id:
            out.append(Finding(
                "saml-audience", "error", f"Okta app {app.label!r} sends audience {saml.audience!r}, "
                f"but user pool {pool.PoolName!r} is {pool.sp_entity_id}",
                [setting(saml, "audience", "Okta Audience URI (SP Entity ID)"),
                 Setting("user pool Id", pool.Id, pool.where("PoolName"))],
                texts.callback_error(texts.SERVER_ERROR, texts.AUDIENCE_RESTRICTION),
                f"set the Okta app's Audience URI to {pool.sp_entity_id}", "cognito.md §1, §6, §8 #1").expecting(
                Probe("authorize", (texts.callback_error(texts.SERVER_ERROR, texts.AUDIENCE_RESTRICTION),),
                      **link)))
        if acs is None:
            out.append(Finding("pool-domain", "error", f"user pool {pool.PoolName!r} has no domain, so it has no "
                               "/saml2/idpresponse", [Setting("user pool Domain", None, pool.where("PoolName"))],
                               texts.REQUESTED_PAGE, "add a UserPoolDomain", "cognito.md §1"))
        else:
            for name in ("sso_url", "recipient", "destination"):
                if saml.get(name) and saml.get(name) != acs:
                    out.append(Finding(
                        "saml-acs", "error", f"Okta app {app.label!r} {name} is {saml.get(name)!r}, not the pool's "
                        f"ACS {acs}", [setting(saml, name, f"Okta {name}"),
                                       Setting("user pool Domain", pool.Domain, pool.where("Domain"))],
                        texts.REQUESTED_PAGE, f"set the Okta app's Single sign-on URL to {acs}",
                        "cognito.md §1, §6 (page)"))
                    break
        _check_mapping(app, pool, provider, out)
        _check_idp_init(world, app, pool, provider, out)
        _check_name_id(app, pool, provider, out)
        _check_metadata(app, pool, provider, out)


def _schema(pool):
    return {(a.Name if a.Name in STANDARD_ATTRIBUTES or a.Name.startswith("custom:") else f"custom:{a.Name}"): a
            for a in pool.Schema}


def _check_mapping(app, pool, provider, out, sent=None):
    mapping = provider.AttributeMapping
    if sent is None:
        sent = {s.name for s in app.saml.attribute_statements}
    schema = _schema(pool)
    link = dict(app=app.label if app else None, pool=pool.PoolName, provider=provider.ProviderName)

    def sign_in(*expect, twice=False):
        return Probe("authorize", expect, twice=twice, **link)

    for attr, claim in mapping.items():
        here = setting(provider, "AttributeMapping", f"AttributeMapping {attr}", attr)
        if attr == "username":
            if not username_mapping_refused(provider.ProviderType):
                continue   # OIDC: AWS's own default mapping username = sub
            out.append(Finding("mapping-username", "error", f"IdP {provider.ProviderName!r} maps onto username",
                               [here], texts.USERNAME_MAPPED, "map onto preferred_username instead",
                               "cognito.md §3, §8 #10").expecting(sign_in(texts.USERNAME_MAPPED)))
            continue
        if attr not in STANDARD_ATTRIBUTES and attr not in schema:
            out.append(Finding("mapping-undefined", "error", f"IdP {provider.ProviderName!r} maps onto {attr}, "
                               f"which user pool {pool.PoolName!r} does not define", [here],
                               texts.attribute_type_unknown(attr),
                               f"add {attr} to the pool's Schema or remove the mapping", "cognito.md §3, §8 #10"
                               ).expecting(sign_in(texts.attribute_type_unknown(attr))))
            continue
        spec = schema.get(attr)
        if spec is not None and spec.Mutable is False:
            out.append(Finding("mapping-immutable", "error", f"IdP {provider.ProviderName!r} maps onto {attr}, "
                               "which is immutable: the first sign-in works, every later one fails",
                               [here, Setting(f"Schema {attr} Mutable", False, spec.where("Mutable"))],
                               texts.attribute_immutable(attr),
                               f"make {attr} Mutable (a new pool: Mutable cannot be changed) or drop the mapping",
                               "cognito.md §3, §8 #4").expecting(sign_in(texts.attribute_immutable(attr), twice=True)))
        if sent is not False and claim not in sent and attr != "email_verified":
            required = spec is not None and spec.Required
            names = sorted(sent) or ["(none)"]
            finding = Finding(
                "mapping-claim", "error" if required else "warning",
                f"AttributeMapping {attr} reads {claim!r}, which Okta app {app.label!r} does not send "
                f"(it sends {', '.join(names)})",
                [here, Setting("Okta attribute statements", names, app.saml.where("attribute_statements"))],
                texts.attribute_required(attr) if required else f"{attr} stays empty after sign-in",
                f"name the Okta attribute statement {claim!r} or map {attr} to one that is sent",
                "cognito.md §1b, §3, §8 #3")
            if required:
                finding.expecting(sign_in(texts.attribute_required(attr)))
            else:
                finding.unprobed = "a sign-in succeeds; the attribute is only left empty"
            out.append(finding)
    for attr, spec in schema.items():
        if spec.Required and attr not in mapping:
            out.append(Finding("required-unmapped", "error", f"user pool {pool.PoolName!r} requires {attr}, "
                               f"which IdP {provider.ProviderName!r} does not map",
                               [Setting(f"Schema {attr} Required", True, spec.where("Required")),
                                setting(provider, "AttributeMapping")],
                               texts.attribute_required(attr), f"map {attr} from an attribute the IdP sends",
                               "cognito.md §3, §8 #3").expecting(sign_in(texts.attribute_required(attr))))


def _relay_params(app):
    relay = app.saml.default_relay_state or ""
    return {k: v[0] for k, v in parse_qs(relay).items()} if "=" in relay else {}


def _check_idp_init(world, app, pool, provider, out):
    link = dict(app=app.label, pool=pool.PoolName, provider=provider.ProviderName)
    details = provider.ProviderDetails
    idp_init = str(details.get("IDPInit", "false")).lower() == "true"
    relay = app.saml.default_relay_state
    if relay and not idp_init:
        out.append(Finding("idp-init", "error", f"Okta app {app.label!r} has a Default RelayState (a tile "
                           f"sign-in), but IdP {provider.ProviderName!r} does not accept IdP-initiated SAML",
                           [setting(app.saml, "default_relay_state", "Okta Default RelayState"),
                            setting(provider, "ProviderDetails", "ProviderDetails IDPInit", "IDPInit")],
                           texts.IDP_INIT_OFF, 'set ProviderDetails IDPInit to "true"', "cognito.md §1, §6, §8 #2"
                           ).expecting(Probe("tile", (texts.IDP_INIT_OFF,), **link)))
    params = _relay_params(app)
    if idp_init and not params:
        out.append(Finding("idp-init-relay", "warning", f"IdP {provider.ProviderName!r} accepts IdP-initiated "
                           f"SAML, but Okta app {app.label!r} sends no authorize-style Default RelayState",
                           [setting(app.saml, "default_relay_state", "Okta Default RelayState")],
                           texts.INVALID_RELAYSTATE, "set Default RelayState to identity_provider=...&client_id=..."
                           "&redirect_uri=...&response_type=code&scope=...", "cognito.md §1, §1b").expecting(
                           Probe("tile", (texts.INVALID_RELAYSTATE, texts.IDP_INIT_OFF), **link)))
    if not params:
        return
    here = setting(app.saml, "default_relay_state", "Okta Default RelayState")
    name = params.get("identity_provider")
    if name and name != provider.ProviderName:
        out.append(Finding("idp-name", "error", f"the Default RelayState names identity_provider {name!r}; the "
                           f"provider is {provider.ProviderName!r} (case-sensitive)",
                           [here, setting(provider, "ProviderName")],
                           _from_tile(texts.LOGIN_OPTION_NOT_AVAILABLE),
                           f"use identity_provider={provider.ProviderName}", "cognito.md §5, §8 #6").expecting(
                           *_tile_and_authorize(link, params, texts.LOGIN_OPTION_NOT_AVAILABLE)))
    client = next((c for c in pool.Clients if c.ClientId == params.get("client_id")), None)
    if client is None:
        return
    _check_client(pool, client, provider, out, redirect_uri=params.get("redirect_uri"), scope=params.get("scope"),
                  origin=here, link=link, relay=params)


def _from_tile(authorize_text: str) -> str:
    """What a Default RelayState's bad parameter shows: the tile gets Cognito's IdP-initiated
    page (mock_cognito maps every authorize error in an IdP-initiated RelayState to it, cognito.md
    §1 "IdP-initiated POST body"); an app sending the same parameters to /oauth2/authorize gets §5's."""
    return f"Okta tile: {texts.IDP_INIT_OFF}; the same parameters at /oauth2/authorize: {authorize_text}"


def _tile_and_authorize(link: dict, params: dict, authorize_text: str) -> tuple:
    return (Probe("tile", (texts.IDP_INIT_OFF,), **link),
            Probe("authorize", (authorize_text,), params=params, **link))


def _check_client(pool, client, provider, out, redirect_uri=None, scope=None, origin=None, link=None, relay=None):
    link = link or dict(pool=pool.PoolName, provider=provider.ProviderName)
    link = dict(link, client=client.ClientId)

    def sees(authorize_text):
        return _from_tile(authorize_text) if relay else authorize_text

    def probes(authorize_text):
        if relay:
            return _tile_and_authorize(link, relay, authorize_text)
        return (Probe("authorize", (authorize_text,), **link),)

    if provider.ProviderName not in client.SupportedIdentityProviders:
        out.append(Finding("idp-not-enabled", "error", f"client {client.ClientName!r} does not enable IdP "
                           f"{provider.ProviderName!r}",
                           [setting(client, "SupportedIdentityProviders"), setting(provider, "ProviderName")],
                           sees(texts.LOGIN_OPTION_NOT_AVAILABLE),
                           f"add {provider.ProviderName} to the client's SupportedIdentityProviders",
                           "cognito.md §5, §8 #6").expecting(*probes(texts.LOGIN_OPTION_NOT_AVAILABLE)))
    if not client.AllowedOAuthFlowsUserPoolClient or "code" not in client.AllowedOAuthFlows:
        out.append(Finding("oauth-flows", "error", f"client {client.ClientName!r} is not enabled for the "
                           "authorization code flow", [setting(client, "AllowedOAuthFlowsUserPoolClient"),
                                                       setting(client, "AllowedOAuthFlows")],
                           sees(texts.CLIENT_NOT_ENABLED_FOR_OAUTH),
                           "set AllowedOAuthFlowsUserPoolClient: true and AllowedOAuthFlows: [code]",
                           "cognito.md §5 (causes unconfirmed)").expecting(*probes(texts.CLIENT_NOT_ENABLED_FOR_OAUTH)))
    if redirect_uri and redirect_uri not in client.CallbackURLs:
        close = [u for u in client.CallbackURLs if u.lower().rstrip("/") == redirect_uri.lower().rstrip("/")]
        out.append(Finding("callback-url", "error", f"redirect_uri {redirect_uri!r} is not registered exactly "
                           f"on client {client.ClientName!r}" + (f" (registered: {close[0]!r})" if close else ""),
                           [origin or Setting("redirect_uri", redirect_uri, "?"), setting(client, "CallbackURLs")],
                           sees(texts.redirect_mismatch(client.ClientId)),
                           "register the URL exactly (scheme, host case, port, trailing slash)", "cognito.md §5, §8 #5"
                           ).expecting(*probes(texts.redirect_mismatch(client.ClientId))))
    if scope:
        missing = [s for s in scope.replace("+", " ").split() if s not in client.AllowedOAuthScopes]
        if missing:
            out.append(Finding("oauth-scopes", "warning", f"scopes {missing} are not allowed on client "
                               f"{client.ClientName!r}; Cognito silently drops them",
                               [origin or Setting("scope", scope, "?"), setting(client, "AllowedOAuthScopes")],
                               "tokens without those scopes' claims", "add them to AllowedOAuthScopes",
                               "cognito.md §5 (Bad scope)", unprobed="a sign-in succeeds; only the tokens differ"))
    if str(provider.ProviderDetails.get("IDPInit", "")).lower() == "true":
        others = [n for n in client.SupportedIdentityProviders if n == "COGNITO" or n not in
                  {p.ProviderName for p in pool.IdentityProviders if p.ProviderType == "SAML"}]
        if others:
            out.append(Finding("idp-init-client", "error", f"client {client.ClientName!r} uses IdP-initiated IdP "
                               f"{provider.ProviderName!r} but also lists {others}",
                               [setting(client, "SupportedIdentityProviders")],
                               "UpdateUserPoolClient is rejected (error text unconfirmed)",
                               "list only SAML IdPs on this client", "cognito.md §1 (IdP-initiated app-client restriction)",
                               unprobed="the AWS API refuses it; no sign-in shows it"))


EMAIL_CHANGE_UNPROBED = "shows only after the user's email changes at Okta"


def _check_name_id(app, pool, provider, out):
    saml = app.saml
    if saml.subject_name_id_format.endswith(":transient"):
        out.append(Finding("nameid", "warning", f"Okta app {app.label!r} sends a transient NameID: every sign-in "
                           "creates a new Cognito user", [setting(saml, "subject_name_id_format")],
                           "a new user per sign-in (username {Provider}_{NameID})", "use Persistent or the Okta user id",
                           "cognito.md §1 NameID, §8 #9").expecting(
                           Probe("authorize", (), app=app.label, pool=pool.PoolName, provider=provider.ProviderName,
                                 twice=True)))
    elif "email" in (saml.user_name_template or "") or saml.subject_name_id_format.endswith("emailAddress"):
        out.append(Finding("nameid", "info", f"Okta app {app.label!r} uses the email as NameID: an email or case "
                           "change at Okta creates a new Cognito user", [setting(saml, "user_name_template")],
                           "a second Cognito user after an email change", "use the immutable Okta user id",
                           "cognito.md §1b (NameID = email), §8 #9",
                           unprobed=EMAIL_CHANGE_UNPROBED).expecting(
                           # --probe: sign in, change the case at Okta (Users API), sign in again.
                           Probe("email-change", (), app=app.label, pool=pool.PoolName,
                                 provider=provider.ProviderName, twice=True)))


def _check_metadata(app, pool, provider, out):
    document = provider.ProviderDetails.get("MetadataFile")
    # The metadata names another app's SSO URL, so an SP-initiated sign-in goes to that app;
    # the tile (IdP-initiated, when on) posts this app's response straight to the ACS.
    idp_init = str(provider.ProviderDetails.get("IDPInit", "")).lower() == "true"
    signature = tuple(texts.callback_error(texts.SERVER_ERROR, t)
                      for t in (texts.RESPONSE_SIGNATURE_INVALID, texts.ASSERTION_SIGNATURE_INVALID))
    if document and app.entity_id not in document:
        out.append(Finding("stale-metadata", "error", f"IdP {provider.ProviderName!r} has a metadata file that is "
                           f"not Okta app {app.label!r}'s ({app.entity_id})",
                           [setting(provider, "ProviderDetails", "ProviderDetails MetadataFile", "MetadataFile")],
                           texts.RESPONSE_SIGNATURE_INVALID, f"use MetadataURL {app.metadata_url}",
                           "cognito.md §1, §6, §8 #7").expecting(
                           Probe("tile" if idp_init else "authorize", signature, app=app.label, pool=pool.PoolName,
                                 provider=provider.ProviderName)))


# ---- checks: Okta OIDC app -> Cognito ------------------------------------------------------------

def check_cognito_oidc(world, out):
    okta = world.okta
    issuers = {okta.org_url: "org"} if okta else {}
    for server in (okta.authorization_servers if okta else []):
        issuers[server.issuer] = server.name
    if okta:
        issuers.setdefault(f"{okta.org_url}/oauth2/default", "default")
    for app, pool, provider in _oidc_links(world):
        details = provider.ProviderDetails
        link = dict(app=app.label if app else None, pool=pool.PoolName, provider=provider.ProviderName)

        def sign_in(*expect):
            return Probe("authorize", expect, **link)

        here = lambda key, label=None: setting(provider, "ProviderDetails", label or key, key)  # noqa: E731
        issuer = details.get("oidc_issuer", "")
        if issuer not in issuers:
            near = next((i for i in issuers if i.rstrip("/") == issuer.rstrip("/")), None)
            if near:
                sees = texts.callback_error(texts.INVALID_REQUEST, texts.bad_issuer(near))
            else:
                server = issuer.rstrip("/").rsplit("/", 1)[-1]
                sees = f"{provider.ProviderName} Error - 404 E0000007 {texts.okta_auth_server_not_found(server)}"
            out.append(Finding("oidc-issuer", "error", f"oidc_issuer {issuer!r} is not an issuer of the Okta org "
                               f"(known: {', '.join(issuers)})", [here("oidc_issuer")], sees,
                               f"set oidc_issuer to {near or okta.org_url} exactly", "cognito.md §2, §6, §8 #8"
                               ).expecting(sign_in(sees)))
        if "openid" not in details.get("authorize_scopes", "").split():
            out.append(Finding("oidc-scopes", "error", "authorize_scopes lacks openid", [here("authorize_scopes")],
                               "no ID token from Okta", "include openid", "cognito.md §2 ProviderDetails",
                               unprobed="what Cognito shows without an ID token is not in the reference"))
        if app is None:
            out.append(Finding("oidc-client", "error", f"client_id {details.get('client_id')!r} is no Okta OIDC app",
                               [here("client_id")], f"invalid_client: {texts.OKTA_INVALID_CLIENT_ID}",
                               "copy the Okta app's Client ID", "okta-aws.md §2 (Bad client_id)").expecting(
                               sign_in(texts.OKTA_INVALID_CLIENT_ID)))
            continue
        oidc = app.oidc
        idpresponse = f"{pool.domain_url}/oauth2/idpresponse"
        if pool.domain_url and idpresponse not in oidc.redirect_uris:
            out.append(Finding("oidc-redirect", "error", f"Okta app {app.label!r} does not list {idpresponse}",
                               [setting(oidc, "redirect_uris", "Okta Sign-in redirect URIs"),
                                Setting("user pool Domain", pool.Domain, pool.where("Domain"))],
                               texts.okta_bad_redirect_uri(world.okta.org_url, oidc.client_id),
                               f"add {idpresponse} to the Okta app's Sign-in redirect URIs", "okta-aws.md §2; cognito.md §2"
                               ).expecting(sign_in(texts.okta_bad_redirect_uri(world.okta.org_url, oidc.client_id))))
        if oidc.token_endpoint_auth_method != "client_secret_post":
            out.append(Finding("oidc-client-auth", "error", f"Okta app {app.label!r} authenticates clients with "
                               f"{oidc.token_endpoint_auth_method}; Cognito only sends client_secret_post",
                               [setting(oidc, "token_endpoint_auth_method", "Okta Client authentication")],
                               texts.idp_error(provider.ProviderName, 401, "invalid_client", texts.OKTA_CLIENT_AUTH_FAILED),
                               "set Client authentication to client_secret_post",
                               "cognito.md §2 IdP requirements; okta-aws.md §2").expecting(
                               sign_in(texts.idp_error(provider.ProviderName, 401, "invalid_client",
                                                       texts.OKTA_CLIENT_AUTH_FAILED))))
        elif details.get("client_secret") != oidc.client_secret:
            out.append(Finding("oidc-secret", "error", "client_secret differs from the Okta app's secret",
                               [here("client_secret"), setting(oidc, "client_secret", "Okta client secret")],
                               texts.idp_error(provider.ProviderName, 401, "invalid_client", texts.OKTA_CLIENT_AUTH_FAILED),
                               "copy the Okta app's client secret", "okta-aws.md §2 /token auth errors").expecting(
                               sign_in(texts.idp_error(provider.ProviderName, 401, "invalid_client",
                                                       texts.OKTA_CLIENT_AUTH_FAILED))))
        if "authorization_code" not in oidc.grant_types:
            out.append(Finding("oidc-grant", "error", f"Okta app {app.label!r} does not allow the authorization code "
                               "grant", [setting(oidc, "grant_types", "Okta Grant type")],
                               texts.okta_unsupported_response_type("token"), "allow Authorization Code",
                               "okta-aws.md §2").expecting(
                               sign_in(texts.okta_unsupported_response_type("token").split(" Configured")[0])))
        _check_mapping(app, pool, provider, out, sent=False)
        for client in pool.Clients:
            if provider.ProviderName in client.SupportedIdentityProviders:
                _check_client(pool, client, provider, out)


def check_clients(world, out):
    """Clients of an ALB: callback URL and scopes (cognito.md §7)."""
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
                                       "cognito.md §7").expecting(
                                       Probe("alb", (texts.redirect_mismatch(client.ClientId),), lb=lb.Name)))


# ---- checks: Okta AWS app -> IAM -------------------------------------------------------------

def _okta_regex(pattern: str) -> re.Pattern:
    return re.compile(re.sub(r"\(\?\{\{(\w+)\}\}", r"(?P<\1>", pattern))


def _app_users(world, app):
    """login -> list of (group name or None, saml_roles) through which the user has the app."""
    okta = world.okta
    out: dict = {}
    for entry in app.users:
        login = entry.get("user") if isinstance(entry, dict) else entry
        out.setdefault(login, []).append((None, (entry.get("saml_roles") if isinstance(entry, dict) else None)))
    for entry in app.groups:
        group = entry.get("group") if isinstance(entry, dict) else entry
        roles = entry.get("saml_roles") if isinstance(entry, dict) else None
        for user in okta.users:
            if group in user.groups or group == "Everyone":
                out.setdefault(user.login, []).append((group, roles))
    return out


def check_aws_app(world, out):
    if not world.okta or not world.aws:
        return
    account = world.aws.account_id
    providers = {p.Arn: p for p in world.aws.SAMLProviders}
    roles = {r.Arn: r for r in world.aws.Roles}
    for app in (a for a in world.okta.apps if a.sign_on_mode == "AWS"):
        settings, saml = app.aws, app.saml
        def console(*expect, user=None, role=None):
            return Probe("console", expect, app=app.label, user=user, role=role)

        provider_arns = [a.strip() for a in (settings.identityProviderArn or "").split(",") if a.strip()]
        for arn in provider_arns:
            if arn not in providers:
                out.append(Finding("aws-provider-arn", "error", f"Identity Provider ARN {arn} is not an IAM SAML "
                                   f"provider (there are: {', '.join(providers) or 'none'})",
                                   [setting(settings, "identityProviderArn", "Okta Identity Provider ARN")],
                                   f"{texts.INVALID_SAML_RESPONSE_PAGE} / {texts.PROVIDER_DOES_NOT_EXIST}",
                                   "use the IAM SAML provider's ARN exactly (names are case-sensitive)",
                                   "okta-aws.md §4, §8 #1").expecting(
                                   console(texts.PROVIDER_DOES_NOT_EXIST, texts.INVALID_SAML_RESPONSE_PAGE)))
        for arn in provider_arns:
            provider = providers.get(arn)
            if provider is not None and app.entity_id not in (provider.SAMLMetadataDocument or ""):
                out.append(Finding("aws-metadata", "error", f"IAM SAML provider {provider.Name!r} holds metadata "
                                   f"of another IdP than Okta app {app.label!r} ({app.entity_id})",
                                   [setting(provider, "SAMLMetadataDocument")],
                                   f"{texts.SIGNATURE_INVALID_STS} or {texts.ISSUER_NOT_IN_PROVIDER}",
                                   "upload this app's IdP metadata", "okta-aws.md §5, §8 #6").expecting(
                                   console(texts.SIGNATURE_INVALID_STS, texts.ISSUER_NOT_IN_PROVIDER)))
        acs = saml.recipient or acs_url_of(app)   # the Recipient Okta sends (mock_okta.saml.response)
        users = _app_users(world, app)

        user_roles: dict = {}
        if settings.useGroupMapping:
            pattern = _okta_regex(settings.groupFilter)
            for group in world.okta.groups:
                looks = group.name.lower().startswith("aws")
                match = pattern.match(group.name)
                if looks and match is None:
                    # members with no other role first: for them the group was the only way to a role
                    members = sorted((u for u in world.okta.users if group.name in u.groups and u.login in users),
                                     key=lambda u: sum(1 for g in u.groups if pattern.match(g)))
                    members = [u.login for u in members]
                    out.append(Finding("aws-group-filter", "error", f"group {group.name!r} is not matched by the "
                                       "Group Filter, so its role is never sent",
                                       [setting(settings, "groupFilter", "Okta Group Filter"),
                                        Setting("Okta group", group.name, group.where("name"))],
                                       texts.INVALID_SAML_RESPONSE_PAGE,
                                       "rename the group or widen the filter (role names with periods need "
                                       r"[\w\-.]+ or [a-zA-Z0-9+=,.@\-_]+)", "okta-aws.md §4, §8 #2, #3",
                                       unprobed="" if members else f"no user assigned to {app.label!r} is in "
                                       f"{group.name!r}").expecting(
                                       *[console(texts.INVALID_SAML_RESPONSE_PAGE, user=m) for m in members[:1]]))
            for user in world.okta.users:
                for group in user.groups:
                    match = pattern.match(group)
                    if match and user.login in users:
                        values = match.groupdict()
                        value = settings.roleValuePattern
                        for key, captured in values.items():
                            value = value.replace("${" + key + "}", captured)
                        user_roles.setdefault(user.login, []).append(value)
                    elif match and user.login not in users:
                        out.append(Finding("aws-not-assigned", "warning", f"user {user.login!r} is in {group!r} "
                                           f"but not assigned to {app.label!r}",
                                           [Setting("Okta user", user.login, user.where("login"))],
                                           texts.okta_not_assigned(app.label), "assign the group to the app",
                                           "okta-aws.md §1, §8 #5").expecting(
                                           console(texts.okta_not_assigned(app.label), user=user.login)))
        else:
            for login, grants in users.items():
                direct = [r for g, r in grants if g is None and r]
                via_groups = [r for g, r in grants if g is not None and r]
                chosen = direct[0] if direct else []
                if settings.joinAllRoles or not direct:
                    chosen = list(chosen) + [x for r in via_groups for x in r]
                user_roles[login] = [f"arn:aws:iam::{account}:saml-provider/{arn.rsplit('/', 1)[-1]},"
                                     f"arn:aws:iam::{account}:role/{r}" if not r.startswith("arn:") else r
                                     for arn in provider_arns[:1] for r in chosen]
        for login in users:
            values = user_roles.get(login, [])
            if not values:
                out.append(Finding("aws-no-roles", "error", f"Okta sends no Role for {login!r} in {app.label!r}",
                                   [setting(settings, "groupFilter" if settings.useGroupMapping else "useGroupMapping",
                                            "Okta role source"), setting(app, "groups" if app.groups else "users",
                                                                         "Okta assignments")],
                                   texts.INVALID_SAML_RESPONSE_PAGE,
                                   "select SAML User Roles on the assignment (or enable group mapping)",
                                   "okta-aws.md §4, §8 #2, #4").expecting(
                                   console(texts.INVALID_SAML_RESPONSE_PAGE, user=login)))
            for value in values:
                parts = value.split(",")
                provider_arn = next((p for p in parts if ":saml-provider/" in p), "")
                role_arn = next((p for p in parts if ":role/" in p), "")
                if provider_arn and provider_arn not in providers:
                    out.append(Finding("aws-role-provider", "error", f"the Role value sends provider {provider_arn}, "
                                       "which IAM does not have",
                                       [setting(settings, "roleValuePattern", "Okta Role Value Pattern")],
                                       f"{texts.INVALID_SAML_RESPONSE_PAGE} / {texts.PROVIDER_DOES_NOT_EXIST}",
                                       "make the pattern's saml-provider name match IAM exactly", "okta-aws.md §8 #1"
                                       ).expecting(console(texts.PROVIDER_DOES_NOT_EXIST, user=login, role=role_arn)))
                role = roles.get(role_arn)
                if role is None:
                    out.append(Finding("aws-role-missing", "error", f"the Role value sends {role_arn}, which IAM "
                                       "does not have", [setting(settings, "roleValuePattern", "Okta Role Value Pattern")],
                                       texts.NOT_AUTHORIZED, "create the role or fix the group name",
                                       "okta-aws.md §5, §8 #7").expecting(
                                       console(texts.NOT_AUTHORIZED, user=login, role=role_arn)))
                    continue
                _check_trust(role, provider_arn, acs, out, console(texts.NOT_AUTHORIZED, user=login, role=role_arn))
                if settings.sessionDuration > role.MaxSessionDuration:
                    out.append(Finding("aws-session-duration", "warning", f"Session Duration {settings.sessionDuration}"
                                       f" exceeds role {role.RoleName!r} MaxSessionDuration {role.MaxSessionDuration}: "
                                       "the console works, CLI tools that ask for it fail",
                                       [setting(settings, "sessionDuration", "Okta Session Duration"),
                                        setting(role, "MaxSessionDuration")], texts.DURATION_EXCEEDS,
                                       "raise MaxSessionDuration or lower Session Duration", "okta-aws.md §5, §8 #8"
                                       ).expecting(Probe("cli", (texts.DURATION_EXCEEDS,), app=app.label, user=login,
                                                         role=role_arn)))
        _check_session_names(world, app, users, out)


def _check_trust(role, provider_arn, acs, out, probe):
    findings = []
    statements = role.AssumeRolePolicyDocument.get("Statement", []) if isinstance(
        role.AssumeRolePolicyDocument, dict) else []
    statements = statements if isinstance(statements, list) else [statements]
    ok = False
    for statement in statements:
        actions = statement.get("Action", [])
        actions = [actions] if isinstance(actions, str) else actions
        federated = (statement.get("Principal") or {}).get("Federated", [])
        federated = [federated] if isinstance(federated, str) else federated
        condition = (statement.get("Condition") or {}).get("StringEquals", {})
        aud = condition.get("SAML:aud") or condition.get("saml:aud")
        problems = []
        if statement.get("Effect") != "Allow":
            problems.append("Effect is not Allow")
        if "sts:AssumeRoleWithSAML" not in actions and "sts:*" not in actions:
            problems.append("Action lacks sts:AssumeRoleWithSAML")
        if provider_arn not in federated:
            problems.append(f"Principal Federated is {federated}, not {provider_arn}")
        if aud is not None and acs not in ([aud] if isinstance(aud, str) else aud):
            problems.append(f"SAML:aud is {aud!r} but Okta sends Recipient {acs!r}")
        if not problems:
            ok = True
            break
        findings += problems
    if not ok:
        out.append(Finding("aws-trust-policy", "error", f"role {role.RoleName!r} does not trust this sign-in: "
                           + "; ".join(findings or ["no statement"]),
                           [setting(role, "AssumeRolePolicyDocument")], texts.NOT_AUTHORIZED,
                           "Allow sts:AssumeRoleWithSAML to the provider with SAML:aud = the ACS URL",
                           "okta-aws.md §4 Trust policy, §8 #7").expecting(probe))


def app_username(template: str, user) -> str | None:
    """The app username for the simple templates (``${source.login}``, ``${user.email}``...);
    None for Okta Expression Language this check does not evaluate."""
    profile = dict(user.profile)
    match = re.fullmatch(r"\$\{(?:source|user)\.(\w+)\}", (template or "${source.login}").strip())
    if not match:
        return None
    name = match.group(1)
    name = {"userName": "login"}.get(name, name)
    return str(profile.get(name, user.login if name == "login" else "")) or None


def _check_session_names(world, app, users, out):
    pattern = re.compile(texts.ROLE_SESSION_NAME_PATTERN)
    for user in world.okta.users:
        if user.login not in users:
            continue
        name = app_username(app.saml.user_name_template, user)
        if name is not None and not pattern.fullmatch(name):
            out.append(Finding("aws-session-name", "error", f"the app username of {user.login!r} is {name!r}, "
                               "not a valid RoleSessionName", [setting(app.saml, "user_name_template",
                                                                       "Okta Application username")],
                               texts.ROLE_SESSION_NAME, "use the Okta username or an email",
                               "okta-aws.md §4, §5, §8 #10").expecting(
                               Probe("console", (texts.ROLE_SESSION_NAME,), app=app.label, user=user.login)))


CHECKS = (check_cognito_saml, check_cognito_oidc, check_clients, check_aws_app)


def diagnose(world) -> list[Finding]:
    out: list[Finding] = []
    for note in getattr(world, "iac_notes", []):
        out.append(Finding("iac-unresolved", "info", f"{note.name}: {note.message}",
                           [Setting(note.name, None, _where(note.line))], "", "", "harness diagnose"))
    for check in CHECKS:
        check(world, out)
    order = {"error": 0, "warning": 1, "info": 2}
    unique = {(f.check, f.summary): f for f in reversed(out)}
    return sorted(reversed(list(unique.values())), key=lambda f: order[f.severity])


def _where(line):
    from harness.iac.located import where

    return where(line)


# ---- --probe: confirm the findings with real sign-ins ----------------------------------------------

def confirm(findings: list[Finding], running) -> None:
    """Sign the affected users in over HTTP through ``running`` (a started world) and set each
    finding's ``probe``: ``confirmed`` (a sign-in showed the predicted text), ``not confirmed``
    (it showed something else: ``saw``), or ``not probed`` (``why``)."""
    for finding in findings:
        if not finding.plan:
            finding.probe = {"result": "not probed",
                             "why": finding.unprobed or "no sign-in shows this finding", "sign_ins": []}
            continue
        sign_ins, result, saw, expected = [], "confirmed", None, []
        for planned in finding.plan:
            matched, outcomes, why = _run(running, planned)
            sign_ins += [o.to_dict() for o in outcomes]
            if why is not None:
                result, saw = "not probed", why
                break
            if not matched:
                result, expected = "not confirmed", list(planned.expect)
                saw = outcomes[-1].seen if outcomes else ""
                break
        finding.probe = {"result": result, "sign_ins": sign_ins}
        if result == "not probed":
            finding.probe["why"] = saw
        elif result == "not confirmed":
            finding.probe.update(saw=saw, expected=expected)


def _run(running, planned: Probe):
    """(matched, outcomes, why not probed) for one planned sign-in."""
    import requests

    from harness import probe as driver

    world = running.world
    user = _probe_user(world, planned)
    if user is None and planned.flow != "alb":
        return False, [], "no assigned Okta user with a password to sign in with"
    if planned.flow == "email-change":
        return _run_email_change(running, planned, user)
    try:
        if planned.flow == "alb":
            lb = next(lb for lb in world.aws.LoadBalancers if lb.Name == planned.lb)
            outcomes = [driver.alb_visit(running, lb)]
        elif planned.flow == "console":
            outcomes = [driver.aws_console(running, user, world.okta_app(planned.app), planned.role)]
        elif planned.flow == "cli":
            outcomes = [driver.aws_cli(running, user, world.okta_app(planned.app), planned.role)]
        else:
            pool = world.user_pool(planned.pool)
            client = _probe_client(pool, planned)
            if client is None and planned.flow == "authorize" and planned.params is None:
                return False, [], f"no app client of user pool {pool.PoolName!r} to sign in with"

            def once():
                if planned.flow == "tile":
                    return driver.okta_tile(running, user, world.okta_app(planned.app), pool, client)
                return driver.cognito_sign_in(running, user, pool, client, planned.provider, planned.params)
            outcomes = [once(), once()] if planned.twice else [once()]
    except (driver.ProbeError, requests.RequestException) as exc:
        return False, [], f"the sign-in broke off: {exc}"
    if planned.twice and not planned.expect:
        first, second = outcomes
        return first.ok and second.ok and first.username != second.username, outcomes, None
    return any(text in outcomes[-1].seen for text in planned.expect), outcomes, None


def _run_email_change(running, planned: Probe, user):
    """cognito.md §8 #9 (email as NameID): sign in, change the case of the attribute the NameID
    comes from at Okta (Users API, the world's first API token), sign in again; confirmed when
    Cognito then holds two different users ``<Provider>_<NameID>`` (cognito.md §1 "NameID": exact,
    case-sensitive match; §4 "Username"). The Okta profile is put back afterwards."""
    import botocore.exceptions
    import requests

    from harness import probe as driver

    world = running.world
    if not (world.okta.api_tokens or []):
        return False, [], EMAIL_CHANGE_UNPROBED   # no API token to change the email with
    pool = world.user_pool(planned.pool)
    client = _probe_client(pool, planned)
    if client is None:
        return False, [], f"no app client of user pool {pool.PoolName!r} to sign in with"
    app = world.okta_app(planned.app)
    template = (app.saml.user_name_template if app.saml else None) or "${source.login}"
    attribute = "email" if "email" in template else "login"
    live = running.http.get(f"{world.okta.org_url}/api/v1/users/{user.id}", timeout=driver.TIMEOUT,
                            headers={"Authorization": f"SSWS {world.okta.api_tokens[0].token}"})
    current = (live.json().get("profile", {}) if live.status_code == 200 else {}).get(attribute)
    current = current or (user.login if attribute == "login" else user.profile.get(attribute))
    if not current:
        return False, [], f"Okta user {user.login} has no {attribute} to change"
    outcomes = []
    try:
        outcomes.append(driver.cognito_sign_in(running, user, pool, client, planned.provider))
        change = driver.okta_update_profile(running, user, {attribute: driver.case_changed(current)})
        outcomes.append(change)
        if not change.ok:
            return False, outcomes, None
        try:
            outcomes.append(driver.cognito_sign_in(running, user, pool, client, planned.provider))
        finally:
            driver.okta_update_profile(running, user, {attribute: current})   # put the profile back
        first, _, second = outcomes
        if not (first.ok and second.ok):   # "or failed sign-in": not what this probe confirms; saw = it
            return False, outcomes, None
        names = driver.cognito_usernames(running, pool, planned.provider)
    except (driver.ProbeError, requests.RequestException, botocore.exceptions.BotoCoreError,
            botocore.exceptions.ClientError) as exc:
        return False, outcomes, f"the sign-in broke off: {exc}"
    outcomes.append(driver.Outcome(f"Cognito ListUsers of user pool {pool.PoolName!r}", user.login, True,
                                   f"{len(names)} {planned.provider} user(s): {', '.join(names)}",
                                   running.aws_endpoint_url))
    two = first.username != second.username and {first.username, second.username} <= set(names)
    return two, outcomes, None


def _probe_user(world, planned: Probe):
    """The user named by the probe, else the first user assigned to the app who has a password."""
    if not world.okta:
        return None
    users = {u.login: u for u in world.okta.users}
    if planned.user:
        return users.get(planned.user)
    logins = list(_app_users(world, world.okta_app(planned.app))) if planned.app else list(users)
    return next((users[login] for login in logins if login in users and users[login].password), None)


def _probe_client(pool, planned: Probe):
    wanted = planned.client or (planned.params or {}).get("client_id")
    if wanted:
        return next((c for c in pool.Clients if c.ClientId == wanted), None)
    return next((c for c in pool.Clients if planned.provider in c.SupportedIdentityProviders),
                pool.Clients[0] if pool.Clients else None)


def probe_world(world, findings: list[Finding]) -> None:
    """Start ``world``, confirm ``findings`` against it, stop it."""
    from harness import start

    with start(world) as running:
        confirm(findings, running)


# ---- output ------------------------------------------------------------------------------------

COLOURS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}


PROBE_COLOURS = {"confirmed": "\033[32m", "not confirmed": "\033[35m", "not probed": "\033[2m"}


def probe_line(probe: dict, colour: bool = False) -> str:
    result = probe["result"]
    tag = f"{PROBE_COLOURS[result]}{result}\033[0m" if colour else result
    last = probe["sign_ins"][-1] if probe["sign_ins"] else None
    if result == "confirmed":
        return f"{tag}: {last['flow']} as {last['user']} showed {last['seen']!r}"
    if result == "not confirmed":
        where = f" ({last['flow']} as {last['user']})" if last else ""
        return f"{tag}: saw {probe['saw']!r}{where}"
    return f"{tag}: {probe['why']}"


def render(findings, colour: bool) -> str:
    if not findings:
        return "harness diagnose: no findings: the Okta side and the AWS side agree"
    lines = []
    for f in findings:
        tag = f.severity.upper()
        if colour:
            tag = f"{COLOURS[f.severity]}{tag}\033[0m"
        lines.append(f"{tag:<8} {f.check}: {f.summary}")
        for s in f.settings:
            value = s.value if not isinstance(s.value, str) or len(s.value) < 100 else s.value[:97] + "..."
            lines.append(f"         {s.where}  {s.name} = {value!r}")
        if f.user_sees:
            lines.append(f"         user sees: {f.user_sees}")
        if f.fix:
            lines.append(f"         fix: {f.fix}   [{f.reference}]")
        if f.probe is not None:
            lines.append(f"         probe: {probe_line(f.probe, colour)}")
    counts = {k: sum(1 for f in findings if f.severity == k) for k in ("error", "warning", "info")}
    lines.append(f"{counts['error']} errors, {counts['warning']} warnings, {counts['info']} notes")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="harness diagnose",
                                     description="cross-check the Okta side of a world against the AWS side")
    parser.add_argument("--world", metavar="FILE", help="world file (with --iac: the small world file beside it)")
    parser.add_argument("--iac", metavar="PATH", action="append", help="CloudFormation / Terraform / plan JSON")
    parser.add_argument("--var", metavar="NAME=VALUE", action="append", default=[])
    parser.add_argument("--parameter", metavar="NAME=VALUE", action="append", default=[])
    parser.add_argument("--json", action="store_true", help="findings as JSON")
    parser.add_argument("--probe", action="store_true",
                        help="start the world and sign the affected users in over HTTP to confirm each finding")
    args = parser.parse_args(argv)
    try:
        if args.iac:
            from harness import iac

            world = iac.load(args.iac, variables=dict(v.split("=", 1) for v in args.var if "=" in v),
                             parameters=dict(v.split("=", 1) for v in args.parameter if "=" in v),
                             world_file=args.world, report=lambda note: None)
        else:
            from harness.world import load

            world = load(args.world)
    except WorldError as exc:
        print(f"harness diagnose: {exc}", file=sys.stderr)
        return exc.exit_code
    findings = diagnose(world)
    if args.probe:
        try:
            probe_world(world, findings)
        except WorldError as exc:
            print(f"harness diagnose --probe: the world did not start: {exc}", file=sys.stderr)
            return exc.exit_code
        except RuntimeError as exc:   # another world running in this process (runtime.start_world)
            print(f"harness diagnose --probe: {exc}", file=sys.stderr)
            return 2
    if args.json:
        print(json.dumps([f.to_dict() for f in findings], indent=2, default=str))
    else:
        print(render(findings, colour=sys.stdout.isatty()))
    return 1 if any(f.severity == "error" for f in findings) else 0
