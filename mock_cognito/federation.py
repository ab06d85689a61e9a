"""The end of every federated sign-in (SAML ACS and OIDC ``/oauth2/idpresponse`` both call
:func:`finish_sign_in`): attribute mapping, the federated user in moto, Cognito's code.

Seam::

    finish_sign_in(pool, provider, *, subject, attributes, auth_request, services,
                   issuer=None, session_index=None) -> flask.Response

``pool`` is a :class:`mock_cognito.config.PoolView`, ``provider`` a DescribeIdentityProvider-shaped
mapping (``pool.provider(name)``), ``subject`` the SAML NameID or OIDC ``sub``, ``attributes``
``{claim or SAML Attribute Name: [values]}``, ``auth_request`` the
:class:`mock_cognito.authorize_request.AuthorizeRequest` the sign-in started with. ``issuer``
(the SAML IdP entityID; OIDC is observed ``null``) goes into ``identities``; ``session_index``
is kept for SAML single logout. Must run inside a request of a hosted-UI app.
"""
from __future__ import annotations

import json
import secrets
from urllib.parse import urlencode

from flask import Response, redirect

from . import account_linking, attribute_mapping, errors, lifecycle, moto_adapter, tokens, triggers
from .config import PoolView, provider_name, provider_type
from .context import ctx
from .store import Grant, Session, Store
from .triggers import pre_token

SESSION_COOKIE = "cognito"   # managed-login session cookie name: unconfirmed


def store() -> Store:
    return ctx().store


def finish_sign_in(pool: PoolView, provider: dict, *, subject: str, attributes: dict[str, list[str]],
                   auth_request, services, issuer: str | None = None, session_index: str | None = None,
                   idp_initiated: bool = False) -> Response:
    name, kind = provider_name(provider), provider_type(provider)
    saml = kind == "SAML"
    try:
        user = save_user(pool, provider, subject, attributes, auth_request, services, issuer)
    except attribute_mapping.MappingError as exc:
        return error_redirect(auth_request, mapping_error(provider, exc))
    except triggers.TriggerFailed as exc:
        return error_redirect(auth_request, sign_in_error(exc.description, saml, saml))
    # A nonce of Cognito's own when Cognito started the sign-in with the IdP and the app sent none
    # (an IdP-initiated sign-in has no request to the IdP: none there).
    nonce = auth_request.nonce or (None if idp_initiated else new_nonce())
    try:
        return signed_in(pool, auth_request, user, services, provider=name, nonce=nonce,
                         name_id=subject if saml else None, session_index=session_index)
    except triggers.TriggerFailed as exc:
        return error_redirect(auth_request, sign_in_error(exc.description, saml, saml))


def signed_in(pool: PoolView, auth_request, user: dict, services, *, provider: str, nonce: str | None,
              name_id: str | None = None, session_index: str | None = None) -> Response:
    """The managed-login session cookie and the way back to the app (:func:`complete`); raises
    TriggerFailed (pre token generation) with no session left behind."""
    session = Session(id=secrets.token_urlsafe(32), pool_id=pool.id, username=user["username"], provider=provider,
                      started=services.clock.time(), name_id=name_id, session_index=session_index)
    response = complete(pool, auth_request, user, services, provider=provider, nonce=nonce)
    store().new_session(session)
    response.set_cookie(SESSION_COOKIE, session.id, secure=True, httponly=True, samesite="Lax", path="/")
    return response


def mapping_error(provider: dict, exc: attribute_mapping.MappingError) -> errors.RedirectError:
    """The callback error a mapping failure becomes: docs/fidelity/cognito-federation.md#cognito-federation-attribute-mapping / docs/fidelity/errors.md#errors-cognito, SAML failures come as
    ``server_error`` with the SAML prefix, OIDC/social ones as ``invalid_request``."""
    saml = provider_type(provider) == "SAML"
    return sign_in_error(exc.description, saml and exc.prefixed, saml)


def sign_in_error(description: str, prefixed: bool, saml: bool) -> errors.RedirectError:
    """docs/fidelity/cognito-federation.md#cognito-federation-attribute-mapping / docs/fidelity/errors.md#errors-cognito: SAML failures come as server_error (most texts after "Invalid SAML response
    received: "), OIDC/social as invalid_request; trigger failures the same way
    (docs/fidelity/cognito-triggers.md#cognito-triggers-failure-delivery)."""
    if saml and prefixed:
        description = errors.SAML_PREFIX + description
    return errors.RedirectError(errors.SERVER_ERROR if saml else errors.INVALID_REQUEST, description)


def federated_username(provider: dict, subject: str, case_sensitive: bool = True) -> str:
    """docs/fidelity/cognito-tokens.md#cognito-tokens-username: {Provider}_{subject}, lowercased in a case-insensitive pool
    (docs/fidelity/cognito-triggers.md#cognito-triggers-case-insensitive-username); over 128
    characters is a mapping failure (docs/fidelity/cognito-federation.md#cognito-federation-username-length-limit)."""
    username = f"{provider_name(provider)}_{subject}"
    if not case_sensitive:
        username = username.lower()
    if len(username) > 128:
        raise attribute_mapping.MappingError(errors.username_too_long(username), prefixed=False)
    return username


def functions():
    return ctx().functions


def save_user(pool: PoolView, provider: dict, subject: str, attributes, auth_request, services,
              issuer: str | None) -> dict:
    """The user a federated sign-in signs in as: the linked user, the existing ``{Provider}_{subject}``
    (PreAuthentication / PostAuthentication triggers) or a new one (PreSignUp / PostConfirmation)."""
    name, kind = provider_name(provider), provider_type(provider)
    handlers = functions()   # the world's Lambda functions, looked up once (~0.7 us a lookup)
    username = federated_username(provider, subject, pool.case_sensitive)
    current = moto_adapter.find_user(pool.account_id, pool.region, pool.id, username)
    if current is None:
        linked = account_linking.linked_user(pool, name, subject, attributes)
        if linked is not None:   # docs/fidelity/cognito-triggers.md#cognito-triggers-linked-sign-in
            user = moto_adapter.find_user(pool.account_id, pool.region, pool.id, linked)
            return lifecycle.returning_user(pool, user, auth_request.client_id, handlers, services)
    client = moto_adapter.client_view(pool.account_id, pool.region, pool.id, auth_request.client_id)
    mapped = attribute_mapping.apply(pool, provider, attributes, current["attributes"] if current else None,
                                     client.write_attributes if client else None)
    if current is not None:
        lifecycle.before_authentication(pool, current, auth_request.client_id, handlers, services)
    else:
        # docs/fidelity/cognito-tokens.md#cognito-tokens-identities-user-attribute: JSON array; primary boolean (true for the user created
        # from this identity: docs/fidelity/cognito-triggers.md#cognito-triggers-identities-primary),
        # dateCreated epoch ms as a number.
        mapped["identities"] = json.dumps([{
            "userId": subject, "providerName": name, "providerType": kind, "issuer": issuer,
            "primary": True, "dateCreated": int(services.clock.time() * 1000)}], separators=(",", ":"))
        # docs/fidelity/cognito-federation.md#cognito-federation-email-verified: mapped emails are unverified by default.
        if "email" in mapped and "email_verified" not in mapped:
            mapped["email_verified"] = "false"
        lifecycle.before_sign_up(pool, username, mapped, auth_request.client_id, handlers, services)
        if account_linking.linked_user(pool, name, subject, attributes) is not None:
            # A Pre sign-up handler linked this identity: Cognito still creates the user and fails
            # (docs/fidelity/cognito-triggers.md#cognito-triggers-link-race).
            raise attribute_mapping.MappingError(errors.already_found_entry(username), prefixed=True)
    # docs/fidelity/cognito-tokens.md#cognito-tokens-auto-created-group: {pool}_{Provider}, created and joined on first sign-in.
    user = moto_adapter.save_federated_user(pool.account_id, pool.region, pool.id, username, mapped,
                                            f"{pool.id}_{name}")
    if current is None:
        lifecycle.after_sign_up(pool, user, auth_request.client_id, handlers, services)
    else:
        lifecycle.after_authentication(pool, user, auth_request.client_id, handlers, services)
    return user


def new_nonce() -> str:
    """With no ``nonce`` from the app, Cognito makes one for a third-party IdP sign-in and puts
    it in its ID token (docs/fidelity/cognito-triggers.md#cognito-triggers-generated-nonce)."""
    return secrets.token_urlsafe(150)


def complete(pool: PoolView, auth_request, user: dict, services, provider: str | None = None,
             nonce: str | None = None) -> Response:
    """A signed-in user back to the app: ``?code=…&state=…`` or, for ``response_type=token``,
    the tokens in the fragment (docs/fidelity/cognito-tokens.md#cognito-tokens-success-redirect). ``nonce`` defaults to the app's."""
    now = services.clock.time()
    grant = Grant(pool_id=pool.id, client_id=auth_request.client_id, username=user["username"],
                  scopes=list(auth_request.scopes), auth_time=int(now), nonce=nonce or auth_request.nonce,
                  redirect_uri=auth_request.redirect_uri, code_challenge=auth_request.code_challenge,
                  provider=provider)
    # The tokens are made at sign-in (a failing pre token handler sends the error to the app's
    # callback); the code stands for them.
    context = ctx()   # looked up once (~0.7 us a lookup)
    grant.custom = pre_token.run(pool, "TokenGeneration_HostedAuth", user, auth_request.client_id, grant.scopes,
                                 context.functions, services)
    if auth_request.response_type == "token":
        client = moto_adapter.client_view(pool.account_id, pool.region, pool.id, auth_request.client_id)
        issued = issue_for(pool, client, grant, user, now)
        fragment = {}
        if "id_token" in issued:
            fragment["id_token"] = issued["id_token"]
        fragment.update({"access_token": issued["access_token"], "token_type": "Bearer",
                         "expires_in": client.access_token_seconds})
        if auth_request.state:
            fragment["state"] = auth_request.state
        return redirect(f"{auth_request.redirect_uri}#{urlencode(fragment)}", 302)
    code = context.store.new_code(grant, now)
    query = {"code": code}
    if auth_request.state is not None:
        query["state"] = auth_request.state
    return redirect(_with_query(auth_request.redirect_uri, query), 302)


def issue_for(pool: PoolView, client, grant: Grant, user: dict, now: float) -> dict:
    store().issued(grant)
    return tokens.issue(issuer=pool.issuer, pool_id=pool.id, client_id=client.client_id, user=user,
                        scopes=grant.scopes, auth_time=grant.auth_time, now=int(now), origin_jti=grant.origin_jti,
                        event_id=grant.event_id, nonce=grant.nonce, id_seconds=client.id_token_seconds,
                        access_seconds=client.access_token_seconds, readable=client.read_attributes,
                        custom=grant.custom)


def error_redirect(auth_request, error: errors.RedirectError) -> Response:
    """docs/fidelity/cognito-tokens.md#cognito-tokens-error-delivery-rule: ``<Callback URL>?error_description=…&error=…``.
    Echoing the app's ``state`` with the error: RFC 6749 §4.1.2.1; unconfirmed for Cognito."""
    query = {}
    if error.description:
        query["error_description"] = error.description
    query["error"] = error.error
    if getattr(auth_request, "state", None):
        query["state"] = auth_request.state
    return redirect(_with_query(auth_request.redirect_uri, query), 302)


def _with_query(url: str, query: dict) -> str:
    return f"{url}{'&' if '?' in url else '?'}{urlencode(query)}"
