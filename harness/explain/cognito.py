"""Cognito's side of a captured sign-in, decided by mock_cognito's own functions: the
``/oauth2/authorize`` request (:func:`mock_cognito.authorize_request.validate`,
:func:`mock_cognito.authorize_request.choose_provider`), and the SAML Response at ``/saml2/idpresponse``
(:func:`mock_cognito.saml.response.validate`, :func:`mock_cognito.saml_views.idp_initiated`,
:func:`mock_cognito.attribute_mapping.apply` through :func:`mock_cognito.federation.mapping_error`).
This module only picks the inputs from the capture and names the settings behind each failure."""
from __future__ import annotations

from types import SimpleNamespace

from mock_cognito import attribute_mapping, authorize_request, errors, federation, saml_views, triggers
from mock_cognito.config import is_on
from mock_cognito.saml.response import Expectations, SamlError, validate
from mock_cognito.saml.signing_certificate import encryption_key

from . import messages
from .steps import Pending, Step
from .world_side import setting

# ---- /oauth2/authorize ------------------------------------------------------------------------------


def authorize(ws, exchange, state) -> Step:
    pool = ws.pool_record(host=exchange.host)
    step = Step(exchange.index, f"{exchange.path} at Cognito", "the app (browser)", exchange.host,
                facts=dict(exchange.query))
    view = ws.pool_view(pool)
    client_id = exchange.query.get("client_id")
    client, record = ws.client_view(pool, client_id), ws.client_record(pool, client_id)
    try:
        auth_request = authorize_request.validate(view, client, exchange.query)
        provider = None
        if auth_request.identity_provider or auth_request.idp_identifier:
            provider = authorize_request.choose_provider(view, client, auth_request)
    except errors.CognitoError as exc:
        _authorize_failure(ws, step, exc, pool, record, exchange)
        return step
    state.authorize = SimpleNamespace(request=auth_request, provider=provider and provider["ProviderName"])
    step.outcome = "ok"
    return step


def _authorize_failure(ws, step: Step, exc, pool, record, exchange) -> None:
    step.outcome, step.check = "fails", "cognito-authorize"
    if isinstance(exc, errors.RedirectMismatch):
        step.error, step.shown_at = errors.REQUESTED_PAGE, "cognito"
        step.check = "cognito-redirect-uri"
        step.settings = [setting(f"{ws.client_path(pool, record)}.CallbackURLs", record, "CallbackURLs")]
        step.fix = (f"add {exchange.query.get('redirect_uri')!r} to the app client's CallbackURLs exactly "
                    "(scheme, host, path and trailing slash all count)")
    elif isinstance(exc, errors.PageError):
        step.error, step.shown_at = exc.text, "cognito"
        if exc.text == errors.CLIENT_NOT_ENABLED_FOR_OAUTH:
            step.check = "cognito-oauth-disabled"
            step.settings = [setting(f"{ws.client_path(pool, record)}.AllowedOAuthFlowsUserPoolClient", record,
                                     "AllowedOAuthFlowsUserPoolClient")]
            step.fix = "set AllowedOAuthFlowsUserPoolClient to true on the app client"
        elif exc.text == errors.LOGIN_OPTION_NOT_AVAILABLE:
            wanted = exchange.query.get("identity_provider") or exchange.query.get("idp_identifier")
            step.check = "cognito-idp-not-enabled"
            step.settings = [setting(f"{ws.client_path(pool, record)}.SupportedIdentityProviders", record,
                                     "SupportedIdentityProviders")]
            step.fix = f"add {wanted!r} to the app client's SupportedIdentityProviders (names are case-sensitive)"
        elif record is None:
            step.check = "cognito-unknown-client"
            step.settings = [setting(f"{ws.pool_path(pool)}.Clients", pool, "Clients")]
            step.fix = f"client_id {exchange.query.get('client_id')!r} is not an app client of this pool"
    else:
        step.error, step.shown_at, step.code = exc.description or exc.error, "callback", exc.error
        step.settings = [setting(f"{ws.client_path(pool, record)}.AllowedOAuthFlows", record, "AllowedOAuthFlows"),
                         setting(f"{ws.client_path(pool, record)}.AllowedOAuthScopes", record, "AllowedOAuthScopes")]


def authn_request(ws, exchange, xml: bytes, relay_state: str | None, state) -> Step:
    facts = messages.saml_facts(xml)
    step = Step(exchange.index, "SAML AuthnRequest (Cognito to the IdP)", "Cognito", exchange.host or "the IdP",
                facts=facts)
    if relay_state and facts.get("id"):
        previous = state.authorize
        state.requests[relay_state] = Pending(facts["id"], previous.provider if previous else None,
                                              previous.request if previous else None)
    return step


# ---- /saml2/idpresponse ----------------------------------------------------------------------------

def acs(ws, exchange, saml_b64: str, relay_state: str | None, state, now: float) -> Step:
    xml = messages.saml_xml(saml_b64) or b""
    facts = messages.saml_facts(xml)
    pool = ws.pool_record(host=exchange.host) or _pool_for(ws, facts)
    step = Step(exchange.index, "SAML Response to Cognito's ACS (/saml2/idpresponse)", facts.get("issuer") or "the IdP",
                exchange.host or (pool.domain_host if pool else "Cognito"), facts=facts)
    if pool is None:
        step.outcome = "unknown"
        step.notes.append(f"no user pool of the configuration is this response's audience ({facts.get('audience')})"
                          " or destination; give the world the capture came from")
        return step
    view = ws.pool_view(pool)
    found = _provider_and_request(ws, step, pool, view, facts, relay_state, state)
    if found is None:
        return step
    provider, request_id, auth_request = found
    record = ws.provider_record(pool, provider["ProviderName"])
    metadata, origin = ws.saml_metadata(record)
    if metadata is None:
        step.outcome = "unknown"
        step.notes.append(f"the signature cannot be checked: {origin}")
        return step
    step.signatures = messages.signatures(xml, metadata.certificates, origin)
    step.facts["trusted_certificates"] = messages.certificate_names(metadata.certificates)
    acs_url = f"https://{exchange.host or pool.domain_host}/saml2/idpresponse"
    decryption = encryption_key(pool.Id, provider["ProviderName"]) if is_on(provider, "EncryptedResponses") else None
    try:
        valid = validate(saml_b64, Expectations(audience=view.sp_entity_id, acs_url=acs_url,
                                                certificates=metadata.certificates, request_id=request_id,
                                                now=now, decryption_key=decryption))
        if (pool.Id, valid.assertion_id) in state.assertions:
            raise SamlError(errors.REPLAYED)
    except SamlError as exc:
        _callback_failure(step, errors.RedirectError(errors.SERVER_ERROR, exc.description))
        _saml_settings(ws, step, exc.description, pool, record, facts, view, acs_url)
        return step
    state.assertions.add((pool.Id, valid.assertion_id))
    _map(ws, step, pool, view, provider, record, valid, auth_request, state)
    return step


def _pool_for(ws, facts):
    for pool in ws.pools():
        if pool.Id and pool.Id in (facts.get("audience") or ""):
            return pool
        if pool.domain_host and pool.domain_host in (facts.get("destination") or ""):
            return pool
    pools = [p for p in ws.pools() if any(i.ProviderType == "SAML" for i in p.IdentityProviders)]
    return pools[0] if len(pools) == 1 else None


def _provider_and_request(ws, step, pool, view, facts, relay_state, state):
    """(provider, the request ID to expect, auth request) as the ACS finds them, or None when the
    step is decided already (an IdP-initiated response Cognito refuses)."""
    pending = state.requests.pop(relay_state, None) if relay_state else None
    if pending is not None:
        provider = view.provider(pending.provider) or _saml_provider(view, facts)
        return provider, pending.request_id, pending.auth_request
    if relay_state:
        try:
            provider, auth_request = saml_views.idp_initiated(view, relay_state,
                                                              lambda client_id: ws.client_view(pool, client_id))
        except errors.PageError as exc:
            _idp_init_failure(ws, step, exc, pool, view, facts)
            return None
        return provider, None, auth_request
    provider = _saml_provider(view, facts)
    if facts.get("in_response_to"):
        step.notes.append("the AuthnRequest is not in the capture: InResponseTo is taken as Cognito's request ID")
        return provider, facts["in_response_to"], state.authorize.request if state.authorize else None
    step.notes.append("no RelayState in the capture: the IdP-initiated RelayState rules are not checked")
    return provider, None, state.authorize.request if state.authorize else None


def _saml_provider(view, facts):
    providers = [p for p in view.providers.values() if p.get("ProviderType") == "SAML"]
    return providers[0] if len(providers) == 1 else (providers[0] if providers else None)


def _idp_init_failure(ws, step, exc, pool, view, facts) -> None:
    step.outcome, step.error, step.shown_at, step.check = "fails", exc.text, "cognito", "cognito-idp-initiated"
    provider = _saml_provider(view, facts)
    record = ws.provider_record(pool, provider["ProviderName"]) if provider else None
    if record is not None:
        step.settings.append(setting(f"{ws.provider_path(pool, record)}.ProviderDetails.IDPInit",
                                     record, "ProviderDetails", value=record.ProviderDetails.get("IDPInit")))
    app = ws.okta_app(entity_id=facts.get("issuer"))
    if app is not None:
        step.settings.append(setting(f"{ws.app_path(app)}.saml.default_relay_state", app.saml, "default_relay_state"))
    step.fix = ("turn IDPInit on for the provider (IdP-initiated sign-in), and give the Okta app a Default "
                "RelayState with identity_provider, client_id, redirect_uri, response_type and scope")


def _callback_failure(step: Step, error: errors.RedirectError) -> None:
    step.outcome, step.error, step.code, step.shown_at = "fails", error.description, error.error, "callback"


def _saml_settings(ws, step, description, pool, record, facts, view, acs_url) -> None:
    """The settings on each side behind a SAML check's failure, and the fix."""
    app = ws.okta_app(entity_id=facts.get("issuer"))
    okta = (lambda name: setting(f"{ws.app_path(app)}.saml.{name}", app.saml, name)) if app else (lambda name: None)
    path = ws.provider_path(pool, record)
    details = record.ProviderDetails
    metadata_key = "MetadataFile" if details.get("MetadataFile") else "MetadataURL"
    table = {
        errors.AUDIENCE_RESTRICTION: ("saml-audience", [okta("audience"),
                                                        setting(f"{ws.pool_path(pool)}.Id", pool, "PoolName", pool.Id)],
                                      f"set the IdP's Audience URI (SP Entity ID) to {view.sp_entity_id}"),
        errors.RECIPIENT_MISMATCH: ("saml-recipient", [okta("recipient"), okta("sso_url")],
                                    f"set the IdP's Single sign-on / Recipient URL to {acs_url}"),
        errors.IN_RESPONSE_TO_MISMATCH: ("saml-in-response-to", [], "start the sign-in again from the app"),
        errors.EXPIRED: ("saml-time", [], "the assertion had expired at the capture's time (check clocks, or --at)"),
        errors.NOT_YET_VALID: ("saml-time", [], "the assertion was not yet valid at the capture's time "
                                                "(IdP clock ahead?)"),
    }
    signature_fix = (f"give the provider the metadata of the IdP that signs these responses (Issuer "
                     f"{facts.get('issuer')})")
    for text in (errors.RESPONSE_SIGNATURE_INVALID, errors.ASSERTION_SIGNATURE_INVALID, errors.UNSIGNED):
        table[text] = ("saml-signature", [setting(f"{path}.ProviderDetails.{metadata_key}", record, "ProviderDetails",
                                                  details.get(metadata_key)),
                                          okta("response_signed"), okta("assertion_signed")], signature_fix)
    check, settings, fix = table.get(description, ("saml-response", [], None))
    step.check, step.settings, step.fix = check, [s for s in settings if s], fix


# ---- the attribute mapping (mock_cognito.attribute_mapping) ------------------------------------------

def _map(ws, step, pool, view, provider, record, valid, auth_request, state) -> None:
    client_id = getattr(auth_request, "client_id", None)
    client = ws.client_view(pool, client_id) if client_id else None
    current = None
    failure = None
    try:
        username = federation.federated_username(provider, valid.name_id, view.case_sensitive)
        current = state.users.get((pool.Id, username))
        mapped = attribute_mapping.apply(view, provider, valid.attributes, current,
                                         client.write_attributes if client else None)
    except attribute_mapping.MappingError as exc:
        failure = exc
        _callback_failure(step, federation.mapping_error(provider, exc))
        _mapping_settings(ws, step, exc, pool, record, client_id, current is None)
    else:
        state.users[(pool.Id, username)] = mapped
        step.outcome = "ok"
        step.facts["username"] = username
        step.notes.append(f"Cognito signs in {username} and redirects to the app with a code")
        _triggers(step, view, first=current is None)
    step.mapping = mapping_table(ws, pool, view, record, valid.attributes, failure)
    if client_id is None:
        step.notes.append("the app client is not known from the capture: its WriteAttributes are not checked")


TRIGGERS_FIRST = ("PreSignUp", "PostConfirmation", "PreTokenGeneration")
TRIGGERS_LATER = ("PreAuthentication", "PostAuthentication", "PreTokenGeneration")


def _triggers(step, view, first: bool) -> None:
    """The pool's Lambda triggers this sign-in runs next: explain does not run the user's code, so
    the step stays ok and an error the capture shows from one of them is matched to it."""
    found = {name: triggers.trigger_arn(view, name) for name in (TRIGGERS_FIRST if first else TRIGGERS_LATER)}
    found = {name: arn for name, arn in found.items() if arn}
    if found:
        step.facts["triggers"] = found
        step.notes.append("then the pool's Lambda triggers run (" + ", ".join(found) + "); explain does not run "
                          "their code")


def _mapping_settings(ws, step, exc, pool, record, client_id, first) -> None:
    attr = exc.attribute
    path = ws.provider_path(pool, record)
    mapping = record.AttributeMapping
    schema = next((a for a in pool.Schema if a.Name == attr), None)
    step.check = "cognito-attribute-mapping"
    if attr is not None:
        step.settings.append(setting(f"{path}.AttributeMapping[\"{attr}\"]", record, "AttributeMapping", key=attr))
    if schema is not None:
        step.settings.append(setting(f"{ws.pool_path(pool)}.Schema[Name={attr}]", schema, None, schema.to_dict()))
        step.settings[-1]["where"] = schema.where()
    if attr and exc.description == errors.attribute_cannot_be_updated(attr):
        if schema is not None and schema.get("Mutable") is False:
            step.settings[-1] = setting(f"{ws.pool_path(pool)}.Schema[Name={attr}].Mutable", schema, "Mutable")
            step.fix = f"make {attr} Mutable (a new pool: Mutable cannot be changed) or stop mapping it"
        else:
            record_client = ws.client_record(pool, client_id)
            if record_client is not None:
                step.settings.append(setting(f"{ws.client_path(pool, record_client)}.WriteAttributes", record_client,
                                             "WriteAttributes"))
            step.fix = f"let the app client write {attr} (WriteAttributes)"
    elif attr and exc.description == errors.custom_type_unknown(attr):
        step.fix = f"add {attr} to the pool's Schema, or remove the mapping"
    elif attr and exc.description in (errors.attribute_required(attr), errors.required_attribute_deleted(attr)):
        source = mapping.get(attr)
        step.fix = (f"make the IdP send an attribute named {source!r} (or map {attr} to one it sends)" if source
                    else f"map {attr} from an attribute the IdP sends")
        issuer_app = ws.okta_app(entity_id=step.facts.get("issuer"))
        if issuer_app is not None:
            step.settings.append(setting(f"{ws.app_path(issuer_app)}.saml.attribute_statements", issuer_app.saml,
                                         "attribute_statements", [s.name for s in issuer_app.saml.attribute_statements]))
    elif attr == "username":
        step.fix = "map onto preferred_username instead of username"


def mapping_table(ws, pool, view, record, sent: dict, failure) -> dict:
    """Rows in the scenario report's shape: SAML attribute → AttributeMapping entry → pool
    attribute → token claim, the failing attribute's link marked."""
    rows = []
    path = f"{ws.provider_path(pool, record)}.AttributeMapping"
    for target, source in (record.AttributeMapping or {}).items():
        schema = view.schema.get(target)
        values = sent.get(source)
        row = {"source": source, "statement": {"name": source, "values": values} if values is not None else None,
               "sent": ", ".join(values) if values is not None else None, "mapping": f"{target} ← {source}",
               "mapping_path": f"{path}[{target}] ({record.where('AttributeMapping')})",
               "stored": (f"{target} (required={schema.required}, mutable={schema.mutable})" if schema
                          else f"{target} (not in the pool's schema)"),
               "token_claim": target if schema else None}
        if failure is not None and failure.attribute == target:
            row["broken"] = "statement" if values is None else "stored"
            row["reason"] = failure.description
        rows.append(row)
    unread = [{"name": n} for n in sent if n not in (record.AttributeMapping or {}).values()]
    return {"flow": "saml", "provider": record.ProviderName, "rows": rows, "unread_statements": unread}
