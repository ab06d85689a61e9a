"""Cognito's managed login and OAuth 2.0 endpoints on each pool's domain (docs/fidelity/cognito-tokens.md#cognito-tokens-endpoints).

Contract with mock_cognito.app: :func:`create_apps` returns host -> Flask app, one per pool
domain (``<prefix>.auth.<region>.amazoncognito.com`` or a custom domain). Each app serves
``/oauth2/authorize``, ``/login``, ``/error``, ``/logout`` (here), ``/oauth2/token``,
``/oauth2/userInfo``, ``/oauth2/revoke`` (:mod:`mock_cognito.oauth_endpoints`),
``/saml2/idpresponse``, ``/saml2/logout`` (:mod:`mock_cognito.saml_views`) and
``/oauth2/idpresponse`` (:mod:`mock_cognito.oidc_federation`, registered with
``services=services``).

Configuration is read from moto at request time (:mod:`mock_cognito.moto_adapter`).
"""
from __future__ import annotations

from types import SimpleNamespace
from urllib.parse import urlencode

from flask import Flask, Response, redirect, request

from world_common.flask_app import WorldFlask
from world_common.services import Services
from world_common.urls import cognito_prefix_domains
from world_common.world_model import AwsAccount

from . import (
    authorize_request,
    errors,
    federation,
    lifecycle,
    moto_adapter,
    oauth_endpoints,
    oidc_federation,
    pages,
    password_sign_in,
    saml_views,
)
from .authorize_request import choose_provider
from .config import ClientView, PoolView, is_on, provider_type
from .context import Context, ctx, install
from .saml.metadata import MetadataCache
from .store import Store
from .triggers import Functions, TriggerFailed


def create_apps(aws: AwsAccount, services: Services, store: Store | None = None,
                functions: Functions | None = None) -> dict:
    store, metadata = store or Store(), MetadataCache()
    apps = {}
    for pool in aws.UserPools:
        if pool.domain_host:
            apps[pool.domain_host] = create_app(aws, services, pool.domain_host, store, metadata, functions)
    apps[cognito_prefix_domains(aws.region)] = PrefixDomains(aws, services, store, metadata, functions)
    return apps


class PrefixDomains:
    """``host`` -> the hosted UI of the prefix domain ``host`` names, when moto has that domain
    (created through the API after the world started), else None: the listener then answers as
    for any host the world does not serve, the nearest thing it has to a name that does not
    resolve (docs/fidelity/cognito-federation.md#cognito-federation-domain-created-after-start).
    Custom domains created after start are not served: their names are not in the certificate."""

    def __init__(self, aws: AwsAccount, services: Services, store: Store, metadata: MetadataCache,
                 functions: Functions | None) -> None:
        self.aws, self.services, self.store, self.metadata, self.functions = aws, services, store, metadata, functions

    def __call__(self, host: str) -> Flask | None:
        if moto_adapter.user_pool_for_domain(self.aws.account_id, self.aws.region, host) is None:
            return None
        return create_app(self.aws, self.services, host, self.store, self.metadata, self.functions)


def create_app(aws: AwsAccount, services: Services, host: str, store: Store, metadata: MetadataCache,
               functions: Functions | None = None) -> Flask:
    app = WorldFlask(f"mock_cognito.hosted_ui.{host}")
    install(app, Context(aws.account_id, aws.region, host, services, store, metadata, functions,
                         oidc_federation=oidc_federation.State()))
    app.add_url_rule("/oauth2/authorize", view_func=authorize, methods=["GET"])
    app.add_url_rule("/authorize", view_func=authorize, methods=["GET"])   # docs/fidelity/cognito-federation.md#cognito-federation-oidc-bookmark-start-url
    app.add_url_rule("/login", view_func=login, methods=["GET"])
    app.add_url_rule("/login", view_func=login_with_password, methods=["POST"])
    app.add_url_rule("/forceChangePassword", view_func=force_change_password, methods=["POST"])
    app.add_url_rule("/error", view_func=error_page, methods=["GET"])
    app.add_url_rule("/logout", view_func=logout, methods=["GET"])
    app.register_blueprint(oauth_endpoints.bp)
    app.register_blueprint(saml_views.bp)
    app.register_blueprint(oidc_federation.bp)
    app.register_error_handler(errors.PageError, _page_error)
    app.register_error_handler(404, _not_found)
    app.register_error_handler(405, _not_allowed)
    return app


def _page_error(exc: errors.PageError) -> Response:
    return page(exc.text, exc.status)


def _not_found(_exc) -> Response:
    return page(errors.REQUESTED_PAGE, 404)


def _not_allowed(exc) -> Response:
    response = page(errors.REQUESTED_PAGE, 405)
    response.headers["Allow"] = ", ".join(getattr(exc, "valid_methods", None) or [])
    return response


# ---- responses ------------------------------------------------------------------------------------

def page(text: str, status: int = 400) -> Response:
    return Response(pages.error(text), status=status, content_type="text/html; charset=utf-8")


def redirect_mismatch(client_id: str) -> Response:
    # docs/fidelity/cognito-tokens.md#cognito-tokens-redirect-uri-mismatch.
    return redirect(f"/error?{urlencode({'error': 'redirect_mismatch', 'client_id': client_id})}", 302)


def deliver(exc: errors.CognitoError, auth_request=None) -> Response:
    """An error, delivered as Cognito delivers it (docs/fidelity/cognito-tokens.md#cognito-tokens-error-delivery-rule)."""
    if isinstance(exc, errors.RedirectMismatch):
        return redirect_mismatch(exc.client_id)
    if isinstance(exc, errors.RedirectError) and auth_request is not None:
        return federation.error_redirect(auth_request, exc)
    if isinstance(exc, errors.PageError):
        return page(exc.text, exc.status)
    return page(errors.REQUESTED_PAGE)


def _pool_or_404() -> PoolView:
    pool = ctx().pool()
    if pool is None:   # the domain was deleted through the API after the world started
        raise errors.PageError(errors.REQUESTED_PAGE, 404)
    return pool


def _validated_authorize_args():
    """(pool, client, AuthorizeRequest, None), or (…, None, the error response) delivered the way
    Cognito delivers it (docs/fidelity/cognito-tokens.md#cognito-tokens-endpoints: to the redirect_uri when client and redirect are valid, else a page)."""
    pool = _pool_or_404()
    # The first value of each parameter, as MultiDict.get gives it, in a dict: MultiDict.get builds
    # and catches a BadRequestKeyError for each absent one (8 in a sign-in's authorize, ~7 µs).
    args = request.args.to_dict()
    client = ctx().client(pool, args.get("client_id"))
    try:
        return pool, client, authorize_request.validate(pool, client, args), None
    except errors.RedirectError as exc:
        return pool, client, None, deliver(exc, SimpleNamespace(redirect_uri=args["redirect_uri"],
                                                                state=args.get("state")))
    except errors.CognitoError as exc:
        return pool, client, None, deliver(exc)


# ---- /oauth2/authorize (docs/fidelity/cognito-tokens.md#cognito-tokens-oauth2-authorize) ---------------------------------------

def authorize():
    pool, client, auth_request, failure = _validated_authorize_args()
    if failure is not None:
        return failure
    prompts = (auth_request.prompt or "").split()
    if "none" in prompts:
        # docs/fidelity/cognito-tokens.md#cognito-tokens-prompt-none-without-session: login_required unless the managed-login session
        # cookie names a signed-in user of this pool.
        session = ctx().store.session(request.cookies.get(federation.SESSION_COOKIE), ctx().services.clock.time())
        user = (moto_adapter.find_user(pool.account_id, pool.region, pool.id, session.username)
                if session and session.pool_id == pool.id else None)
        if user is None:
            return federation.error_redirect(auth_request, errors.RedirectError(errors.LOGIN_REQUIRED))
        try:
            return federation.complete(pool, auth_request, user, ctx().services, provider=session.provider)
        except TriggerFailed as exc:
            return federation.error_redirect(auth_request, errors.RedirectError(errors.INVALID_REQUEST, exc.description))
    if auth_request.identity_provider or auth_request.idp_identifier:
        try:
            provider = choose_provider(pool, client, auth_request)
        except errors.CognitoError as exc:
            return deliver(exc, auth_request)
        if provider is None:   # identity_provider=COGNITO: the managed-login page
            return redirect(f"/login?{urlencode(auth_request.query())}", 302)
        return start_federation(pool, client, provider, auth_request)
    # docs/fidelity/cognito-tokens.md#cognito-tokens-endpoints: no IdP named → 302 to /login with the same parameters.
    return redirect(f"/login?{urlencode(auth_request.query())}", 302)


def start_federation(pool: PoolView, client: ClientView, provider: dict, auth_request) -> Response:
    kind = provider_type(provider)
    if kind == "SAML":
        return saml_views.start(pool, client, provider, auth_request)
    if kind == "OIDC":
        return oidc_federation.start(pool, client, provider, auth_request)
    # Google, Facebook, LoginWithAmazon, SignInWithApple are not emulated by this harness.
    raise errors.PageError(errors.LOGIN_OPTION_NOT_AVAILABLE)


# ---- /login (docs/fidelity/cognito-tokens.md#cognito-tokens-login) --------------------------------------------------------------

def login():
    pool, client, auth_request, failure = _validated_authorize_args()
    if failure is not None:
        return failure
    args = request.args
    enabled = [name for name in client.supported_providers if pool.provider(name)]
    saml = [pool.provider(n) for n in enabled if provider_type(pool.provider(n)) == "SAML"]
    email_box = bool(saml) and all(p.get("IdpIdentifiers") for p in saml)   # docs/fidelity/cognito-federation.md#cognito-federation-idpidentifiers
    email = args.get("email")
    if email is not None and email_box:
        # docs/fidelity/cognito-federation.md#cognito-federation-idpidentifiers: the domain part of the email is passed as idp_identifier.
        domain = email.rsplit("@", 1)[-1].strip()
        query = {**auth_request.query(), "idp_identifier": domain}
        return redirect(f"/oauth2/authorize?{urlencode(query)}", 302)
    return login_page(auth_request, client, enabled, email_box)


def login_page(auth_request, client: ClientView, enabled: list[str], email_box: bool, notice: str | None = None):
    html = pages.login(auth_request.query(), enabled, email_box, notice,
                       password_form="COGNITO" in client.supported_providers)
    return Response(html, 200, content_type="text/html; charset=utf-8")


# ---- the password form (docs/fidelity/cognito-triggers.md#cognito-triggers-password-texts) --------

def _password_flow():
    pool, client, auth_request, failure = _validated_authorize_args()
    if failure is None and "COGNITO" not in client.supported_providers:
        failure = page(errors.LOGIN_OPTION_NOT_AVAILABLE)
    return pool, client, auth_request, failure


def login_with_password():
    pool, client, auth_request, failure = _password_flow()
    if failure is not None:
        return failure
    outcome = password_sign_in.check(pool, request.form.get("username", ""), request.form.get("password", ""))
    if outcome.new_password_needed:
        challenge = ctx().store.new_challenge(pool.id, outcome.user["username"], ctx().services.clock.time())
        return Response(pages.change_password(auth_request.query(), challenge), 200,
                        content_type="text/html; charset=utf-8")
    return _password_signed_in(pool, client, auth_request, outcome)


def force_change_password():
    pool, client, auth_request, failure = _password_flow()
    if failure is not None:
        return failure
    challenge = request.form.get("challenge", "")
    found = ctx().store.take_challenge(challenge, ctx().services.clock.time())
    if found is None or found[0] != pool.id:
        return page(errors.REQUESTED_PAGE)
    outcome = password_sign_in.choose_new_password(pool, found[1], request.form.get("password", ""),
                                                   request.form.get("password_confirm", ""))
    if outcome.problem:
        retry = ctx().store.new_challenge(pool.id, found[1], ctx().services.clock.time())
        return Response(pages.change_password(auth_request.query(), retry, outcome.problem), 200,
                        content_type="text/html; charset=utf-8")
    return _password_signed_in(pool, client, auth_request, outcome)


def _password_signed_in(pool, client, auth_request, outcome):
    enabled = [name for name in client.supported_providers if pool.provider(name)]
    if outcome.problem:
        return login_page(auth_request, client, enabled, False, outcome.problem)
    try:
        user = lifecycle.returning_user(pool, outcome.user, auth_request.client_id,
                                        ctx().functions, ctx().services)
        return federation.signed_in(pool, auth_request, user, ctx().services, provider="COGNITO",
                                    nonce=auth_request.nonce)
    except TriggerFailed as exc:
        return login_page(auth_request, client, enabled, False, exc.description)


# ---- /error ---------------------------------------------------------------------------------------

def error_page():
    # docs/fidelity/cognito-tokens.md#cognito-tokens-redirect-uri-mismatch: "An error was encountered with the requested page.", HTTP 400.
    return page(errors.REQUESTED_PAGE, 400)


# ---- /logout (docs/fidelity/cognito-tokens.md#cognito-tokens-logout, docs/fidelity/cognito-federation.md#cognito-federation-single-logout-slo) ----------------------------------------

def logout():
    pool = _pool_or_404()
    args = request.args
    client = ctx().client(pool, args.get("client_id"))
    if client is None:
        return page(errors.REQUESTED_PAGE)   # which page Cognito shows: unconfirmed
    logout_uri = args.get("logout_uri")
    if logout_uri is not None:
        if logout_uri not in client.logout_urls:
            return page(errors.REQUESTED_PAGE)   # unconfirmed page for an unregistered logout_uri
        after = logout_uri
    elif args.get("redirect_uri"):
        # docs/fidelity/cognito-tokens.md#cognito-tokens-endpoints: redirect_uri + response_type → sign out, then the sign-in page again.
        try:
            auth_request = authorize_request.validate(pool, client, args)
        except errors.RedirectError as exc:
            return deliver(exc, SimpleNamespace(redirect_uri=args["redirect_uri"], state=args.get("state")))
        except errors.CognitoError as exc:
            return deliver(exc)
        after = f"/login?{urlencode(auth_request.query())}"
    else:
        return page(errors.REQUESTED_PAGE)
    session = ctx().store.end_session(request.cookies.get(federation.SESSION_COOKIE))
    response = None
    if session is not None and session.pool_id == pool.id:
        provider = pool.provider(session.provider)
        if provider and provider_type(provider) == "SAML" and is_on(provider, "IDPSignout") and session.name_id:
            response = saml_views.start_logout(pool, provider, session, after)
    if response is None:
        response = redirect(after, 302)
    response.delete_cookie(federation.SESSION_COOKIE, path="/", secure=True, httponly=True, samesite="Lax")
    return response
