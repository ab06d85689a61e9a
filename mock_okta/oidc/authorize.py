"""``/v1/authorize``: the authorization code flow (docs/fidelity/okta-oidc-api.md#okta-oidc-api-authorize-parameters,
"/authorize success", "User not assigned", "Bad redirect_uri", "Bad client_id", "Missing/invalid
state", "Bad scope", "prompt=none without session", "PKCE on /authorize", "Unsupported response
type", "sessionToken on /authorize").

Two kinds of failure, as Okta delivers them: before the redirect URI is trusted (unknown
client, unregistered redirect URI) Okta shows its own error page; after that, errors go back
to the client as a redirect carrying ``error``, ``error_description`` and ``state``.

Framework-free: :func:`validate` reads the parameters, :func:`issue_code` builds the success
redirect; the Flask glue supplies the Okta session.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from world_common.world_model import OktaApp

from . import clients, errors
from .servers import CLAIM_SCOPES, CODE_LIFETIME
from .store import AuthorizationCode, Grant, opaque_token

_PKCE_CHALLENGE = re.compile(r"^[A-Za-z0-9\-._~]+$")   # RFC 7636 §4.2 unreserved characters
_RESPONSE_MODES = ("query", "fragment", "form_post", "okta_post_message")
# Values Okta's prompt takes (docs/fidelity/okta-oidc-api.md#okta-oidc-api-authorize-parameters: none, login, consent).
_PROMPTS = ("none", "login", "consent")


class ErrorPage(Exception):
    """An error Okta shows on its own page instead of redirecting (the redirect URI is not trusted)."""

    def __init__(self, error: errors.OAuthError) -> None:
        self.error = error
        super().__init__(str(error))


class ErrorRedirect(Exception):
    """An error Okta sends back to the client's redirect URI."""

    def __init__(self, error: errors.OAuthError, request: "AuthorizeRequest") -> None:
        self.error = error
        self.request = request
        super().__init__(str(error))

    def location(self) -> "Response":
        params = {"error": self.error.error, "error_description": self.error.description}
        if self.request.state is not None:
            params["state"] = self.request.state
        return respond(self.request, params)


@dataclass
class AuthorizeRequest:
    server: object
    app: object
    redirect_uri: str
    response_type: str
    response_mode: str
    scopes: list[str]
    state: str | None
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    prompt: set
    login_hint: str | None
    session_token: str | None


@dataclass
class Response:
    """Where the browser goes next: a 302 to ``location``, or an auto-posting form."""

    location: str | None = None
    form_action: str | None = None
    form_fields: dict | None = None


def respond(request: AuthorizeRequest, params: dict) -> Response:
    if request.response_mode == "form_post":
        return Response(form_action=request.redirect_uri, form_fields=params)
    separator = "#" if request.response_mode == "fragment" else ("&" if "?" in request.redirect_uri else "?")
    return Response(location=request.redirect_uri + separator + urlencode(params))


def _configured_response_types(app: OktaApp) -> list[str]:
    types = []
    if "authorization_code" in app.oidc.grant_types:
        types.append("code")
    if "implicit" in app.oidc.grant_types:
        types += ["token", "id_token"]
    return types


def validate(provider, server, params) -> AuthorizeRequest:
    """The checked request, or :class:`ErrorPage` / :class:`ErrorRedirect`."""
    app = clients.find(provider.org, params.get("client_id"))
    if app is None:
        raise ErrorPage(errors.invalid_client_id())
    redirect_uri = params.get("redirect_uri") or ""
    # The redirect URI must match a registered Login redirect URI exactly.
    if redirect_uri not in app.oidc.redirect_uris:
        raise ErrorPage(errors.illegal_redirect_uri(provider.org_url, app.oidc.client_id))

    response_type = params.get("response_type") or ""
    prompt = set((params.get("prompt") or "").split())
    request = AuthorizeRequest(
        server=server, app=app, redirect_uri=redirect_uri, response_type=response_type,
        response_mode=params.get("response_mode") or "query",
        scopes=(params.get("scope") or "").split(), state=params.get("state"), nonce=params.get("nonce"),
        code_challenge=params.get("code_challenge"), code_challenge_method=params.get("code_challenge_method"),
        prompt=prompt, login_hint=params.get("login_hint"), session_token=params.get("sessionToken"))

    if request.response_mode not in _RESPONSE_MODES:
        request.response_mode = "query"
        raise ErrorRedirect(errors.unsupported_response_mode(), request)
    if request.response_mode == "okta_post_message":
        request.response_mode = "query"
        raise ErrorRedirect(errors.UnsupportedResponseMode(
            "'okta_post_message' response mode cannot be used with the 'code' response type."), request)
    configured = _configured_response_types(app)
    # Only the code flow is imitated; implicit and hybrid response types are refused as Okta
    # refuses a response type the app is not configured for.
    if response_type != "code" or "code" not in configured:
        raise ErrorRedirect(errors.unsupported_response_type(configured), request)
    _check_scopes(server, request)
    if not request.state:
        # docs/fidelity/okta-oidc-api.md#okta-oidc-api-authorize-parameters: Okta requires state.
        raise ErrorRedirect(errors.invalid_state(), request)
    _check_pkce(app, request)
    if prompt - set(_PROMPTS) or ("none" in prompt and len(prompt) > 1):
        # OK-OAUTHERR invalid_prompt; the list Okta prints is elided in the catalogue (unconfirmed).
        raise ErrorRedirect(errors.InvalidRequest(
            "Invalid value for 'prompt' parameter. Supported values: [none, consent, login, consent login]"),
            request)
    return request


def _check_scopes(server, request: AuthorizeRequest) -> None:
    scopes = request.scopes
    if not scopes:
        raise ErrorRedirect(errors.missing_scopes(), request)
    if any(s not in server.scopes for s in scopes):
        raise ErrorRedirect(errors.bad_scope(), request)
    if "openid" not in scopes:
        if any(s in CLAIM_SCOPES for s in scopes):
            raise ErrorRedirect(errors.openid_scope_required(), request)
        raise ErrorRedirect(errors.bad_scope(), request)


def _check_pkce(app: OktaApp, request: AuthorizeRequest) -> None:
    challenge = request.code_challenge
    if challenge is None:
        if clients.requires_pkce(app):
            raise ErrorRedirect(errors.pkce_missing_challenge(), request)
        return
    if request.code_challenge_method != "S256":
        raise ErrorRedirect(errors.pkce_unsupported_method(), request)
    if not _PKCE_CHALLENGE.match(challenge):
        raise ErrorRedirect(errors.pkce_invalid_challenge(), request)


def check_assignment(provider, request: AuthorizeRequest, user) -> None:
    """docs/fidelity/okta-oidc-api.md#okta-oidc-api-user-not-assigned: an authenticated but unassigned user is sent back
    with ``access_denied``."""
    if not provider.org.is_assigned(request.app, user):
        raise ErrorRedirect(errors.user_not_assigned(), request)


def issue_code(provider, request: AuthorizeRequest, user, *, auth_time: float, amr, session_id) -> Response:
    grant = Grant(server_key=request.server.key, client_id=request.app.oidc.client_id, user_id=user.id,
                  scopes=list(request.scopes), auth_time=int(auth_time), amr=list(amr or ["pwd"]),
                  session_id=session_id)
    code = AuthorizationCode(value=opaque_token(), grant=grant, redirect_uri=request.redirect_uri,
                             nonce=request.nonce, code_challenge=request.code_challenge,
                             code_challenge_method=request.code_challenge_method,
                             expires_at=provider.clock.time() + CODE_LIFETIME)
    provider.store.add_code(code)
    params = {"code": code.value}
    if request.state is not None:
        params["state"] = request.state
    return respond(request, params)
