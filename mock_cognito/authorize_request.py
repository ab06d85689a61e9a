"""The /oauth2/authorize request, validated as Cognito validates it (docs/fidelity/cognito-tokens.md#cognito-tokens-endpoints).

:class:`AuthorizeRequest` is the seam the federation modules share: the SAML ACS and the OIDC
federation keep it while the user is at the IdP and hand it to
``mock_cognito.federation.finish_sign_in``. Fields are the authorize parameters (AUTHZ), plus
``scopes`` (the granted scope list after Cognito's rules) and ``pool_id``.

:func:`validate` applies the rules in Cognito's order: errors that make the callback untrusted
become pages (:class:`~mock_cognito.errors.PageError`), the rest go to the callback
(:class:`~mock_cognito.errors.RedirectError`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from . import errors
from .config import ClientView, PoolView

# docs/fidelity/cognito-tokens.md#cognito-tokens-scope-semantics: the OIDC scopes and Cognito's own; resource-server scopes
# contain a "/" (``<identifier>/<scope>``).
STANDARD_SCOPES = ("openid", "email", "phone", "profile", "aws.cognito.signin.user.admin")


@dataclass
class AuthorizeRequest:
    """A validated ``/oauth2/authorize`` request (docs/fidelity/cognito-tokens.md#cognito-tokens-oauth2-authorize)."""

    pool_id: str
    client_id: str
    redirect_uri: str
    response_type: str                  # "code" | "token"
    scopes: list[str]                   # granted: requested ∩ allowed (omitted → all allowed)
    state: str | None = None
    nonce: str | None = None
    code_challenge: str | None = None
    code_challenge_method: str | None = None
    identity_provider: str | None = None
    idp_identifier: str | None = None
    login_hint: str | None = None
    prompt: str | None = None
    lang: str | None = None
    resource: str | None = None
    extra: dict = field(default_factory=dict)

    @property
    def scope(self) -> str:
        return " ".join(self.scopes)

    def query(self) -> dict:
        """The parameters again, e.g. to carry them from /oauth2/authorize to /login."""
        out = {"client_id": self.client_id, "redirect_uri": self.redirect_uri,
               "response_type": self.response_type, "scope": self.scope}
        for name in ("state", "nonce", "code_challenge", "code_challenge_method", "login_hint", "prompt",
                     "lang", "resource"):
            value = getattr(self, name)
            if value:
                out[name] = value
        return out


def validate(pool, client: ClientView | None, args: Mapping[str, str]) -> AuthorizeRequest:
    """The request, or the Cognito error it earns."""
    if client is None:
        # An unknown client_id: which page Cognito shows is unconfirmed; the generic error page.
        raise errors.PageError(errors.REQUESTED_PAGE)
    redirect_uri = args.get("redirect_uri", "")
    if not redirect_uri or redirect_uri not in client.callback_urls:
        # docs/fidelity/cognito-tokens.md#cognito-tokens-redirect-uri-mismatch: exact match, or 302 to /error (never the app).
        raise errors.RedirectMismatch(client.client_id)
    if not client.oauth_enabled:
        raise errors.PageError(errors.CLIENT_NOT_ENABLED_FOR_OAUTH)   # docs/fidelity/cognito-tokens.md#cognito-tokens-oauth-disabled-on-client
    response_type = args.get("response_type")
    if response_type not in ("code", "token"):
        raise errors.RedirectError(errors.INVALID_REQUEST)           # docs/fidelity/cognito-tokens.md#cognito-tokens-malformed-request
    flow = "code" if response_type == "code" else "implicit"
    if flow not in client.allowed_flows:
        raise errors.RedirectError(errors.UNAUTHORIZED_CLIENT)       # docs/fidelity/cognito-tokens.md#cognito-tokens-grant-not-allowed
    challenge, method = args.get("code_challenge"), args.get("code_challenge_method")
    if (challenge and method != "S256") or (method and not challenge):
        raise errors.RedirectError(errors.INVALID_REQUEST)           # docs/fidelity/cognito-tokens.md#cognito-tokens-pkce: only S256
    return AuthorizeRequest(
        pool_id=pool.id, client_id=client.client_id, redirect_uri=redirect_uri, response_type=response_type,
        scopes=granted_scopes(args.get("scope"), client.allowed_scopes),
        state=args.get("state"), nonce=args.get("nonce"), code_challenge=challenge, code_challenge_method=method,
        identity_provider=args.get("identity_provider"), idp_identifier=args.get("idp_identifier"),
        login_hint=args.get("login_hint"), prompt=args.get("prompt"), lang=args.get("lang"),
        resource=args.get("resource"))


def granted_scopes(requested: str | None, allowed: list[str]) -> list[str]:
    """docs/fidelity/cognito-tokens.md#cognito-tokens-scope-semantics, docs/fidelity/cognito-tokens.md#cognito-tokens-bad-scope: omitted → all the client's scopes; an
    unknown or malformed scope → ``invalid_scope``; valid but not enabled → silently dropped."""
    if requested is None or not requested.strip():
        return list(allowed)
    names = requested.split()
    for name in names:
        if name not in STANDARD_SCOPES and "/" not in name:
            raise errors.RedirectError(errors.INVALID_SCOPE)
    return [name for name in dict.fromkeys(names) if name in allowed]


def choose_provider(pool: PoolView, client: ClientView, auth_request) -> dict | None:
    """docs/fidelity/cognito-tokens.md#cognito-tokens-identity-provider-values (case-sensitive), docs/fidelity/cognito-federation.md#cognito-federation-idpidentifiers; anything not enabled
    on the client → "Login option is not available. Please try another one"."""
    if auth_request.identity_provider:
        name = auth_request.identity_provider
        if name == "COGNITO" and "COGNITO" in client.supported_providers:
            return None
        provider = pool.provider(name)
        if provider is None or name not in client.supported_providers:
            raise errors.PageError(errors.LOGIN_OPTION_NOT_AVAILABLE)
        return provider
    wanted = auth_request.idp_identifier.lower()   # case-insensitive match: unconfirmed
    for name in client.supported_providers:
        provider = pool.provider(name)
        if provider and wanted in [i.lower() for i in provider.get("IdpIdentifiers") or []]:
            return provider
    raise errors.PageError(errors.LOGIN_OPTION_NOT_AVAILABLE)
