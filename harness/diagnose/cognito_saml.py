"""Okta SAML app -> Cognito SAML IdP (docs/fidelity/cognito-federation.md#cognito-federation-saml, docs/fidelity/errors.md#errors-cognito, docs/fidelity/errors.md#errors-cognito-misconfigurations): audience, ACS, IdP-initiated
sign-in and its RelayState, NameID, metadata."""
from __future__ import annotations

from types import SimpleNamespace
from urllib.parse import parse_qs

from harness import diagnose_rules as texts
from mock_okta.saml.authn_request import RequestError, check_acs
from mock_okta.saml.response import acs_url_of

from .clients import check_client, from_tile, tile_and_authorize
from .findings import Finding, Probe, Setting, setting
from .links import saml_links
from .mapping import check_mapping


def check_cognito_saml(world, out):
    for app, pool, provider in saml_links(world):
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
                f"set the Okta app's Audience URI to {pool.sp_entity_id}", "docs/fidelity/cognito-federation.md#cognito-federation-saml, docs/fidelity/errors.md#errors-cognito, docs/fidelity/errors.md#errors-wrong-sp-entity-id-audience").expecting(
                Probe("authorize", (texts.callback_error(texts.SERVER_ERROR, texts.AUDIENCE_RESTRICTION),),
                      **link)))
        if acs is None:
            out.append(Finding("pool-domain", "error", f"user pool {pool.PoolName!r} has no domain, so it has no "
                               "/saml2/idpresponse", [Setting("user pool Domain", None, pool.where("PoolName"))],
                               texts.REQUESTED_PAGE, "add a UserPoolDomain", "docs/fidelity/cognito-federation.md#cognito-federation-saml"))
        else:
            for name in ("sso_url", "recipient", "destination"):
                if saml.get(name) and saml.get(name) != acs:
                    sees = _acs_refusal(app, acs) if name == "sso_url" else None
                    finding = Finding(
                        "saml-acs", "error", f"Okta app {app.label!r} {name} is {saml.get(name)!r}, not the pool's "
                        f"ACS {acs}", [setting(saml, name, f"Okta {name}"),
                                       Setting("user pool Domain", pool.Domain, pool.where("Domain"))],
                        sees or texts.REQUESTED_PAGE, f"set the Okta app's Single sign-on URL to {acs}",
                        "docs/fidelity/cognito-federation.md#cognito-federation-saml, docs/fidelity/errors.md#errors-cognito (page)")
                    if sees:   # Cognito's AuthnRequest names the pool's ACS, which Okta refuses
                        finding.expecting(Probe("authorize", (sees,), app=app.label, pool=pool.PoolName,
                                                provider=provider.ProviderName))
                    out.append(finding)
                    break
        check_mapping(app, pool, provider, out)
        _check_idp_init(world, app, pool, provider, out)
        _check_name_id(app, pool, provider, out)
        _check_metadata(app, pool, provider, out)


def _acs_refusal(app, acs: str) -> str | None:
    """What Okta answers an SP-initiated AuthnRequest naming the pool's ACS when the app's SSO URL
    is another (mock_okta.saml.authn_request.check_acs, the mock's own rule); None if accepted."""
    try:
        check_acs(SimpleNamespace(acs_url=acs, acs_index=None), app.saml, acs_url_of(app))
    except RequestError as exc:
        return str(exc)
    return None


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
                           texts.IDP_INIT_OFF, 'set ProviderDetails IDPInit to "true"', "docs/fidelity/cognito-federation.md#cognito-federation-saml, docs/fidelity/errors.md#errors-cognito, docs/fidelity/errors.md#errors-okta-tile-idp-initiated-login-with"
                           ).expecting(Probe("tile", (texts.IDP_INIT_OFF,), **link)))
    params = _relay_params(app)
    if idp_init and not params:
        out.append(Finding("idp-init-relay", "warning", f"IdP {provider.ProviderName!r} accepts IdP-initiated "
                           f"SAML, but Okta app {app.label!r} sends no authorize-style Default RelayState",
                           [setting(app.saml, "default_relay_state", "Okta Default RelayState")],
                           texts.INVALID_RELAYSTATE, "set Default RelayState to identity_provider=...&client_id=..."
                           "&redirect_uri=...&response_type=code&scope=...", "docs/fidelity/cognito-federation.md#cognito-federation-saml, docs/fidelity/cognito-federation.md#cognito-federation-okta-saml-idp").expecting(
                           Probe("tile", (texts.INVALID_RELAYSTATE, texts.IDP_INIT_OFF), **link)))
    if not params:
        return
    here = setting(app.saml, "default_relay_state", "Okta Default RelayState")
    name = params.get("identity_provider")
    if name and name != provider.ProviderName:
        out.append(Finding("idp-name", "error", f"the Default RelayState names identity_provider {name!r}; the "
                           f"provider is {provider.ProviderName!r} (case-sensitive)",
                           [here, setting(provider, "ProviderName")],
                           from_tile(texts.LOGIN_OPTION_NOT_AVAILABLE),
                           f"use identity_provider={provider.ProviderName}", "docs/fidelity/cognito-tokens.md#cognito-tokens-endpoints, docs/fidelity/errors.md#errors-idp-not-enabled-on-the-app").expecting(
                           *tile_and_authorize(link, params, texts.LOGIN_OPTION_NOT_AVAILABLE)))
    client = next((c for c in pool.Clients if c.ClientId == params.get("client_id")), None)
    if client is None:
        return
    check_client(pool, client, provider, out, redirect_uri=params.get("redirect_uri"), scope=params.get("scope"),
                  origin=here, link=link, relay=params)


EMAIL_CHANGE_UNPROBED = "shows only after the user's email changes at Okta"


def _check_name_id(app, pool, provider, out):
    saml = app.saml
    if saml.subject_name_id_format.endswith(":transient"):
        out.append(Finding("nameid", "warning", f"Okta app {app.label!r} sends a transient NameID: every sign-in "
                           "creates a new Cognito user", [setting(saml, "subject_name_id_format")],
                           "a new user per sign-in (username {Provider}_{NameID})", "use Persistent or the Okta user id",
                           "docs/fidelity/cognito-federation.md#cognito-federation-nameid, docs/fidelity/errors.md#errors-unstable-or-case-varying-nameid").expecting(
                           Probe("authorize", (), app=app.label, pool=pool.PoolName, provider=provider.ProviderName,
                                 twice=True)))
    elif "email" in (saml.user_name_template or "") or saml.subject_name_id_format.endswith("emailAddress"):
        out.append(Finding("nameid", "warning", f"Okta app {app.label!r} uses the email as NameID: an email or case "
                           "change at Okta creates a new Cognito user", [setting(saml, "user_name_template")],
                           "a second Cognito user after an email change", "use the immutable Okta user id",
                           "docs/fidelity/cognito-federation.md#cognito-federation-okta-saml-idp (NameID = email), docs/fidelity/errors.md#errors-unstable-or-case-varying-nameid",
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
                           "docs/fidelity/cognito-federation.md#cognito-federation-saml, docs/fidelity/errors.md#errors-cognito, docs/fidelity/errors.md#errors-stale-idp-signing-certificate-metadata-file").expecting(
                           Probe("tile" if idp_init else "authorize", signature, app=app.label, pool=pool.PoolName,
                                 provider=provider.ProviderName)))
