"""Flask glue for SAML federation: the AuthnRequest redirect (:func:`start`), the ACS
``POST /saml2/idpresponse`` and single logout (``/logout`` → IdP, ``POST /saml2/logout``).

Protocol work is in :mod:`mock_cognito.saml`; errors are delivered as docs/fidelity/cognito-tokens.md#cognito-tokens-endpoints/docs/fidelity/errors.md#errors-cognito say:
pages while the app's callback is unknown, ``?error_description=…&error=server_error`` once it is.
"""
from __future__ import annotations

import base64
import secrets
from types import SimpleNamespace
from urllib.parse import parse_qsl

from flask import Blueprint, Response, redirect, request

from . import authorize_request, errors, federation
from .config import ClientView, PoolView, details, is_on, provider_type
from .context import ctx
from .saml import authn_request
from .saml import logout as saml_logout
from .saml.metadata import MetadataError
from .saml.response import Expectations, SamlError, validate
from .saml.signing_certificate import encryption_key
from .store import SAML_REQUEST_LIFETIME, SamlRequest

bp = Blueprint("cognito_saml", __name__)


def _acs_url(context=None) -> str:
    # docs/fidelity/cognito-federation.md#cognito-federation-acs-endpoint: https://{domain}/saml2/idpresponse, the same path on custom domains.
    return f"https://{(context or ctx()).host}/saml2/idpresponse"


def _metadata(provider: dict, context=None):
    context = context or ctx()   # the app's Context, looked up once a request by the views
    services = context.services
    try:
        return context.metadata.get(details(provider), services.http, services.clock.time())
    except MetadataError:
        # What Cognito does when the metadata cannot be read at sign-in: unconfirmed.
        raise errors.PageError(errors.SOMETHING_WENT_WRONG) from None


# ---- SP-initiated: /oauth2/authorize → IdP (docs/fidelity/cognito-federation.md#cognito-federation-authnrequest-transport) ----------------------------

def start(pool: PoolView, client: ClientView, provider: dict, auth_request) -> Response:
    context = ctx()
    metadata = _metadata(provider, context)
    if not metadata.sso_redirect_url:
        raise errors.PageError(errors.SOMETHING_WENT_WRONG)   # no HTTP-Redirect SSO service: unconfirmed
    services = context.services
    request_id = authn_request.new_id()
    # docs/fidelity/cognito-federation.md#cognito-federation-relaystate: opaque, longer than 80 bytes; the IdP must echo it.
    relay_state = secrets.token_urlsafe(96)
    acs_url = _acs_url(context)
    context.store.add_saml_request(SamlRequest(id=request_id, relay_state=relay_state,
                                               provider=provider["ProviderName"], auth_request=auth_request,
                                               started=services.clock.time(), acs_url=acs_url))
    sign = details(provider).get("RequestSigningAlgorithm") == "rsa-sha256"   # docs/fidelity/cognito-federation.md#cognito-federation-signed-authnrequests
    url = authn_request.redirect_url(request_id=request_id, pool_id=pool.id, acs_url=acs_url,
                                     sso_url=metadata.sso_redirect_url, relay_state=relay_state,
                                     now=services.clock.now(), sign=sign)
    return redirect(url, 302)


# ---- the ACS (docs/fidelity/cognito-federation.md#cognito-federation-saml, docs/fidelity/cognito-federation.md#cognito-federation-post-saml2-idpresponse) ----------------------------------------------------------

@bp.route("/saml2/idpresponse", methods=["POST"])
def idpresponse():
    context = ctx()
    pool = context.pool()
    if pool is None:
        raise errors.PageError(errors.REQUESTED_PAGE, 404)
    services = context.services
    now = services.clock.time()
    form = request.form
    saml_response = form.get("SAMLResponse")
    relay_state = form.get("RelayState")
    if not saml_response or not relay_state:
        # docs/fidelity/errors.md#errors-cognito "(page) Invalid samlResponse or relayState": a POST without Cognito's RelayState.
        raise errors.PageError(errors.INVALID_SAMLRESPONSE_OR_RELAYSTATE)
    pending = context.store.take_saml_request(relay_state)
    if pending is not None:
        if now - pending.started > SAML_REQUEST_LIFETIME:   # docs/fidelity/cognito-federation.md#cognito-federation-sp-initiated-session-timeout
            raise errors.PageError(errors.SOMETHING_WENT_WRONG)
        provider = pool.provider(pending.provider)
        if provider is None:
            raise errors.PageError(errors.INVALID_RELAYSTATE)
        auth_request, request_id = pending.auth_request, pending.id
    else:
        provider, auth_request = idp_initiated(pool, relay_state, lambda client_id: context.client(pool, client_id))
        request_id = None
    try:
        metadata = _metadata(provider, context)
        decryption = encryption_key(pool.id, provider["ProviderName"]) if is_on(provider, "EncryptedResponses") else None
        valid = validate(saml_response, Expectations(audience=pool.sp_entity_id, acs_url=_acs_url(context),
                                                     certificates=metadata.certificates, request_id=request_id,
                                                     now=now, decryption_key=decryption))
        if context.store.seen_assertion(pool.id, valid.assertion_id, now):   # docs/fidelity/cognito-federation.md#cognito-federation-replay-protection
            raise SamlError(errors.REPLAYED)
    except SamlError as exc:
        return federation.error_redirect(auth_request, errors.RedirectError(errors.SERVER_ERROR, exc.description))
    except errors.PageError:
        raise
    return federation.finish_sign_in(pool, provider, subject=valid.name_id, attributes=valid.attributes,
                                     auth_request=auth_request, services=services, issuer=valid.issuer,
                                     session_index=valid.session_index, idp_initiated=request_id is None)


def idp_initiated(pool: PoolView, relay_state: str, client_of):
    """docs/fidelity/cognito-federation.md#cognito-federation-idp-initiated-post-body: RelayState carries authorize-style parameters; the provider
    must have ``IDPInit`` on, else "Invalid samlResponse or relayState from identity provider".
    ``client_of(client_id)`` is the pool's :class:`ClientView` (or None). Returns (provider,
    auth_request) or raises the :class:`errors.PageError` the user sees. No Flask request needed
    (``harness explain`` calls it too)."""
    params = dict(parse_qsl(relay_state, keep_blank_values=True))
    if "client_id" not in params or not ({"identity_provider", "idp_identifier"} & params.keys()):
        raise errors.PageError(errors.INVALID_RELAYSTATE)   # neither Cognito's nor authorize-style
    client = client_of(params.get("client_id"))
    try:
        auth_request = authorize_request.validate(pool, client, params)
        provider = authorize_request.choose_provider(pool, client, auth_request)
    except errors.CognitoError:
        raise errors.PageError(errors.INVALID_SAMLRESPONSE_OR_RELAYSTATE) from None
    if provider is None or provider_type(provider) != "SAML" or not is_on(provider, "IDPInit"):
        raise errors.PageError(errors.INVALID_SAMLRESPONSE_OR_RELAYSTATE)   # docs/fidelity/cognito-federation.md#cognito-federation-idp-initiated-sso-switch
    return provider, auth_request


# ---- single logout (docs/fidelity/cognito-federation.md#cognito-federation-single-logout-slo, docs/fidelity/cognito-federation.md#cognito-federation-slo-response-binding) --------------------------------

def start_logout(pool: PoolView, provider: dict, session, after: str) -> Response | None:
    metadata = _metadata(provider)
    if not metadata.slo_redirect_url:
        return None
    services = ctx().services
    request_id = authn_request.new_id()
    relay_state = secrets.token_urlsafe(48)
    ctx().store.add_saml_request(SamlRequest(id=request_id, relay_state="logout:" + relay_state,
                                              provider=provider["ProviderName"],
                                              auth_request=SimpleNamespace(after=after), started=services.clock.time(),
                                              acs_url=f"https://{ctx().host}/saml2/logout"))
    url = saml_logout.redirect_url(request_id=request_id, pool_id=pool.id, destination=metadata.slo_redirect_url,
                                   name_id=session.name_id, session_index=session.session_index,
                                   relay_state=relay_state, now=services.clock.now())
    return redirect(url, 302)


@bp.route("/saml2/logout", methods=["GET", "POST"])
def saml2_logout():
    if request.method != "POST":
        # docs/fidelity/cognito-federation.md#cognito-federation-slo-response-binding: POST only; GET observed as 400 with Allow: POST.
        response = Response(errors.REQUESTED_PAGE, status=400)
        response.headers["Allow"] = "POST"
        return response
    relay_state = request.form.get("RelayState") or ""
    pending = ctx().store.take_saml_request("logout:" + relay_state)
    if pending is None or not request.form.get("SAMLResponse"):
        raise errors.PageError(errors.INVALID_RELAYSTATE)
    try:
        xml = base64.b64decode(request.form["SAMLResponse"])
        saml_logout.check_response(xml, pending.id)
    except (ValueError, saml_logout.LogoutError):
        raise errors.PageError(errors.REQUESTED_PAGE) from None   # unconfirmed page
    return redirect(pending.auth_request.after, 302)
