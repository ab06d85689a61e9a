"""Okta's OAuth 2.0 / OIDC errors, word for word.

Texts and status codes come from docs/fidelity/okta-oidc-api.md#okta-oidc-api-oidc and from Okta's own error catalogue that the
table cites as OK-OAUTHERR (okta/okta-developer-docs ``data/oauth2-error-codes.json``); each
class names the catalogue's ``internalErrorCode`` it copies. Where the catalogue shows a
placeholder (``[en]``) the harness fills in the list Okta would print, Java-style
``[a, b]`` as in public Okta messages ("Configured grant types: [authorization_code, implicit].").
"""
from __future__ import annotations


class OAuthError(Exception):
    """An error Okta reports as ``{"error", "error_description"}`` (or on its error page)."""

    error = "invalid_request"
    status = 400
    description = "Invalid request"

    def __init__(self, description: str | None = None, *, status: int | None = None) -> None:
        if description is not None:
            self.description = description
        if status is not None:
            self.status = status
        super().__init__(f"{self.error}: {self.description}")

    def body(self) -> dict:
        return {"error": self.error, "error_description": self.description}


def java_list(items) -> str:
    return "[" + ", ".join(items) + "]"


# ---- invalid_request -------------------------------------------------------------------------

class InvalidRequest(OAuthError):
    error = "invalid_request"


def illegal_redirect_uri(org_url: str, client_id: str) -> InvalidRequest:
    """docs/fidelity/okta-oidc-api.md#okta-oidc-api-bad-redirect-uri (OK-OAUTHERR illegal_redirect_uri_enhanced): the
    enhanced text links to the app's General tab in the admin console."""
    scheme, _, host = org_url.partition("://")
    sub, _, rest = host.partition(".")
    admin = f"{scheme}://{sub}-admin.{rest}/admin/app/oidc_client/instance/{client_id}#tab-general"
    return InvalidRequest("The 'redirect_uri' parameter must be a Login redirect URI in the client app "
                          f"settings: {admin}")


def illegal_post_logout_redirect_uri() -> InvalidRequest:
    """docs/fidelity/okta-oidc-api.md#okta-oidc-api-logout (OK-OAUTHERR illegal_post_logout_redirect_uri)."""
    return InvalidRequest("The 'post_logout_redirect_uri' parameter must be a Logout redirect URI in the "
                          "client app settings.")


def invalid_state() -> InvalidRequest:
    """docs/fidelity/okta-oidc-api.md#okta-oidc-api-missing-invalid-state (OK-OAUTHERR invalid_state)."""
    return InvalidRequest("The authentication request has an invalid 'state' parameter.")


def pkce_missing_challenge() -> InvalidRequest:
    """docs/fidelity/okta-oidc-api.md#okta-oidc-api-pkce-on-authorize (OK-OAUTHERR pkce_missing_challenge)."""
    return InvalidRequest("PKCE code challenge is required by the application.")


def pkce_unsupported_method() -> InvalidRequest:
    """docs/fidelity/okta-oidc-api.md#okta-oidc-api-pkce-on-authorize (OK-OAUTHERR pkce_unsupported_code_challenge_method).
    The list of valid values is elided in the sources; Okta documents only S256 (unconfirmed)."""
    return InvalidRequest("PKCE code challenge method is not supported. Valid values: [S256]")


def pkce_invalid_challenge() -> InvalidRequest:
    """docs/fidelity/okta-oidc-api.md#okta-oidc-api-pkce-on-authorize (OK-OAUTHERR pkce_invalid_challenge)."""
    return InvalidRequest("PKCE code challenge contains illegal characters.")


def pkce_missing_verifier() -> InvalidRequest:
    """docs/fidelity/okta-oidc-api.md#okta-oidc-api-token-grant-errors-400 (OK-OAUTHERR pkce_missing_verifier)."""
    return InvalidRequest("PKCE code verifier is required by the application.")


def multiple_client_credentials() -> InvalidRequest:
    """docs/fidelity/okta-oidc-api.md#okta-oidc-api-token-auth-errors-401; OK-OAUTHERR multiple_client_credentials is a 401."""
    return InvalidRequest("Cannot supply multiple client credentials. Use one of the following: credentials in "
                          "the Authorization header, credentials in the post body, or a client_assertion in "
                          "the post body.", status=401)


def client_credentials_in_query() -> InvalidRequest:
    """docs/fidelity/okta-oidc-api.md#okta-oidc-api-token-auth-errors-401 (OK-OAUTHERR client_credentials_in_query)."""
    return InvalidRequest("Client credentials cannot be supplied via query parameters.")


def missing_grant_type(valid) -> InvalidRequest:
    """OK-OAUTHERR token_request_missing_grant_type."""
    return InvalidRequest(f"The token request must specify a 'grant_type'. Valid values: {java_list(valid)}")


def missing_token() -> InvalidRequest:
    """OK-OAUTHERR request_missing_token (/introspect, /revoke)."""
    return InvalidRequest("The 'token' parameter is required.")


def mismatched_authorization_server() -> InvalidRequest:
    """OK-OAUTHERR mismatched_authorization_server: a code or refresh token from another server."""
    return InvalidRequest("The grant was issued for another authorization server.")


# ---- invalid_client (401) --------------------------------------------------------------------

class InvalidClient(OAuthError):
    error = "invalid_client"
    status = 401
    description = "Client authentication failed. Either the client or the client credentials are invalid."


def invalid_client_id() -> InvalidClient:
    """docs/fidelity/okta-oidc-api.md#okta-oidc-api-bad-client-id (OK-OAUTHERR invalid_client_id)."""
    return InvalidClient("Invalid value for 'client_id' parameter.")


def missing_client_credentials() -> InvalidClient:
    """docs/fidelity/okta-oidc-api.md#okta-oidc-api-token-auth-errors-401 (OK-OAUTHERR missing_client_credentials)."""
    return InvalidClient("No client credentials found.")


def invalid_basic_auth() -> InvalidClient:
    """docs/fidelity/okta-oidc-api.md#okta-oidc-api-token-auth-errors-401 (OK-OAUTHERR invalid_basic_auth_creds)."""
    return InvalidClient("Found Authentication header but was not valid client credentials.")


# ---- invalid_grant ---------------------------------------------------------------------------

class InvalidGrant(OAuthError):
    error = "invalid_grant"


def invalid_code() -> InvalidGrant:
    """docs/fidelity/okta-oidc-api.md#okta-oidc-api-token-grant-errors-400 (OK-OAUTHERR invalid_authorization_code)."""
    return InvalidGrant("The authorization code is invalid or has expired.")


def mismatched_redirect_uri() -> InvalidGrant:
    """docs/fidelity/okta-oidc-api.md#okta-oidc-api-token-grant-errors-400 (OK-OAUTHERR mismatched_redirect_uri)."""
    return InvalidGrant("The 'redirect_uri' does not match the redirection URI used in the authorization request.")


def mismatched_client() -> InvalidGrant:
    """OK-OAUTHERR mismatched_client: a code redeemed by a client other than the one it was issued to."""
    return InvalidGrant("The grant was issued to another client. Please make sure the 'client_id' matches the "
                        "one used at the authorize request.")


def pkce_verification_failed() -> InvalidGrant:
    """docs/fidelity/okta-oidc-api.md#okta-oidc-api-token-grant-errors-400 (OK-OAUTHERR pkce_verification_failed)."""
    return InvalidGrant("PKCE verification failed.")


def invalid_refresh_token() -> InvalidGrant:
    """docs/fidelity/okta-oidc-api.md#okta-oidc-api-token-grant-errors-400 (OK-OAUTHERR invalid_refresh_token)."""
    return InvalidGrant("The refresh token is invalid or expired.")


# ---- others ----------------------------------------------------------------------------------

class UnauthorizedClient(OAuthError):
    error = "unauthorized_client"


def grant_type_not_configured(configured) -> UnauthorizedClient:
    """docs/fidelity/okta-oidc-api.md#okta-oidc-api-token-grant-errors-400 (OK-OAUTHERR unauthorized_client)."""
    return UnauthorizedClient("The client is not authorized to use the provided grant type. Configured grant "
                              f"types: {java_list(configured)}.")


class UnsupportedGrantType(OAuthError):
    error = "unsupported_grant_type"


def unsupported_grant_type(configured) -> UnsupportedGrantType:
    """OK-OAUTHERR unsupported_grant_type."""
    return UnsupportedGrantType("The authorization grant type is not supported by the authorization server. "
                                f"Configured grant types: {java_list(configured)}.")


class UnsupportedResponseType(OAuthError):
    error = "unsupported_response_type"


def unsupported_response_type(configured) -> UnsupportedResponseType:
    """docs/fidelity/okta-oidc-api.md#okta-oidc-api-unsupported-response-type (OK-OAUTHERR unsupported_response_type)."""
    return UnsupportedResponseType("The response type is not supported by the authorization server. Configured "
                                   f"response types: {java_list(configured)}.")


class UnsupportedResponseMode(OAuthError):
    error = "unsupported_response_mode"


def unsupported_response_mode() -> UnsupportedResponseMode:
    """OK-OAUTHERR unsupported_response_mode."""
    return UnsupportedResponseMode("The response mode is not supported by the authorization server. Valid "
                                   "response modes: [query, fragment, form_post, okta_post_message].")


class InvalidScope(OAuthError):
    error = "invalid_scope"
    description = ("The requested scope is invalid, unknown, malformed, or exceeds the scope granted by the "
                   "resource owner.")


def bad_scope() -> InvalidScope:
    """docs/fidelity/okta-oidc-api.md#okta-oidc-api-bad-scope: the redirect carries "The requested scope is invalid, unknown, or
    malformed" (OKAPI-OIDC; the catalogue's longer invalid_scope text is used at /token)."""
    return InvalidScope("The requested scope is invalid, unknown, or malformed")


def openid_scope_required() -> InvalidScope:
    """OK-OAUTHERR openid_scope_required: OpenID scopes (profile, email, ...) without ``openid``."""
    return InvalidScope("Requests for ID tokens or access tokens with OpenID scopes require the 'openid' scope.")


def missing_scopes() -> InvalidScope:
    """OK-OAUTHERR missing_scopes."""
    return InvalidScope("No scopes were requested.")


class AccessDenied(OAuthError):
    error = "access_denied"


def user_not_assigned() -> AccessDenied:
    """docs/fidelity/okta-oidc-api.md#okta-oidc-api-user-not-assigned, docs/fidelity/okta-oidc-api.md#okta-oidc-api-app-assignment (OK-OAUTHERR user_not_assigned)."""
    return AccessDenied("User is not assigned to the client application.")


class LoginRequired(OAuthError):
    error = "login_required"


def login_required() -> LoginRequired:
    """docs/fidelity/okta-oidc-api.md#okta-oidc-api-prompt-none-without-session (OK-OAUTHERR login_required)."""
    return LoginRequired("The client specified not to prompt, but the user is not logged in.")


class ServerError(OAuthError):
    error = "server_error"


def too_many_groups() -> ServerError:
    """docs/fidelity/okta-oidc-api.md#okta-oidc-api-groups-claim (>100 groups fail); OK-OAUTHERR too_many_groups_in_groups_claim."""
    return ServerError("The groups claim matched too many groups and must be configured to match fewer groups.")


class InvalidToken(OAuthError):
    """Bearer-token errors at /userinfo (docs/fidelity/okta-oidc-api.md#okta-oidc-api-userinfo)."""

    error = "invalid_token"
    status = 401
    description = "The access token is invalid"


class InsufficientScope(OAuthError):
    error = "insufficient_scope"
    status = 403
    description = ("The access token must provide access to at least one of these scopes - profile, email, "
                   "address or phone")


class NotFound(Exception):
    """Okta's E0000007 for an unknown authorization server (docs/fidelity/okta-oidc-api.md#okta-oidc-api-unknown-auth-server)."""

    SUMMARY = "Not found: Resource not found: {server_id} (AuthorizationServer)"

    def __init__(self, server_id: str) -> None:
        self.server_id = server_id
        super().__init__(server_id)

    @property
    def summary(self) -> str:
        return self.SUMMARY.format(server_id=self.server_id)
