"""Every Cognito error text the mock delivers, with the reference row it copies (docs/fidelity/errors.md#errors-cognito).

Two shapes, as Cognito delivers them (docs/fidelity/cognito-tokens.md#cognito-tokens-error-delivery-rule):

* :class:`RedirectError` — client and redirect_uri are valid: a 302 to the callback with
  ``?error_description=…&error=…`` (``error_description`` only when there is one).
* :class:`PageError` — otherwise: Cognito's own managed-login page showing the text.

AWS warns the descriptions "are not fixed strings" (docs/fidelity/errors.md#errors-cognito-texts-not-fixed); the texts here are
the ones reported word for word. Texts without a primary source are marked ``unconfirmed``.
"""
from __future__ import annotations


class CognitoError(Exception):
    """Base of the errors the hosted UI turns into responses."""


class RedirectError(CognitoError):
    """An error Cognito sends to the app's callback as ``error`` and ``error_description``."""

    def __init__(self, error: str, description: str | None = None) -> None:
        super().__init__(description or error)
        self.error = error
        self.description = description


class PageError(CognitoError):
    """An error Cognito shows on its own page (status 400 as observed for /error, docs/fidelity/cognito-tokens.md#cognito-tokens-redirect-uri-mismatch; the status of the other pages is unconfirmed)."""

    def __init__(self, text: str, status: int = 400) -> None:
        super().__init__(text)
        self.text = text
        self.status = status


class RedirectMismatch(CognitoError):
    """docs/fidelity/cognito-tokens.md#cognito-tokens-redirect-uri-mismatch: 302 to ``/error?error=redirect_mismatch&client_id=…``,
    whose page shows :data:`REQUESTED_PAGE`; never sent to the unregistered redirect_uri."""

    def __init__(self, client_id: str) -> None:
        super().__init__(REDIRECT_MISMATCH)
        self.client_id = client_id


class TokenError(CognitoError):
    """/oauth2/token errors: HTTP 400 JSON ``{"error": …}`` (docs/fidelity/cognito-tokens.md#cognito-tokens-token-errors)."""

    def __init__(self, error: str, status: int = 400) -> None:
        super().__init__(error)
        self.error = error
        self.status = status


# ---- pages (docs/fidelity/cognito-tokens.md#cognito-tokens-endpoints, docs/fidelity/errors.md#errors-cognito) ------------------------------------------------------------------

# docs/fidelity/cognito-tokens.md#cognito-tokens-redirect-uri-mismatch / docs/fidelity/errors.md#errors-cognito "(page) An error was encountered with the requested page".
REQUESTED_PAGE = "An error was encountered with the requested page."
# docs/fidelity/cognito-tokens.md#cognito-tokens-idp-not-enabled-for-client-wrong-name / docs/fidelity/errors.md#errors-cognito (page).
LOGIN_OPTION_NOT_AVAILABLE = "Login option is not available. Please try another one"
# docs/fidelity/cognito-tokens.md#cognito-tokens-oauth-disabled-on-client / docs/fidelity/errors.md#errors-cognito (page).
CLIENT_NOT_ENABLED_FOR_OAUTH = "Client is not enabled for OAuth2.0 flows."
# docs/fidelity/cognito-federation.md#cognito-federation-sp-initiated-session-timeout / docs/fidelity/errors.md#errors-cognito (page) "Something went wrong".
SOMETHING_WENT_WRONG = "Something went wrong"
# docs/fidelity/cognito-federation.md#cognito-federation-idp-initiated-sso-switch / docs/fidelity/errors.md#errors-cognito (page): unsolicited response while IDPInit is off, or a POST
# without Cognito's RelayState.
INVALID_SAMLRESPONSE_OR_RELAYSTATE = "Invalid samlResponse or relayState from identity provider"
# docs/fidelity/cognito-federation.md#cognito-federation-relaystate / docs/fidelity/errors.md#errors-cognito (TROUBLE): RelayState invalid or not one Cognito issued. Delivered as a
# page here; whether Cognito shows a page or redirects is unconfirmed (docs/fidelity/cognito-federation.md#cognito-federation-open-questions).
INVALID_RELAYSTATE = "Invalid relayState from identity provider"

# ---- /oauth2/authorize redirects (docs/fidelity/cognito-tokens.md#cognito-tokens-endpoints) --------------------------------------------------
REDIRECT_MISMATCH = "redirect_mismatch"      # docs/fidelity/cognito-tokens.md#cognito-tokens-redirect-uri-mismatch: to /error, not the app
INVALID_REQUEST = "invalid_request"          # docs/fidelity/cognito-tokens.md#cognito-tokens-malformed-request, docs/fidelity/cognito-tokens.md#cognito-tokens-pkce
UNAUTHORIZED_CLIENT = "unauthorized_client"  # docs/fidelity/cognito-tokens.md#cognito-tokens-grant-not-allowed
INVALID_SCOPE = "invalid_scope"              # docs/fidelity/cognito-tokens.md#cognito-tokens-bad-scope
SERVER_ERROR = "server_error"                # docs/fidelity/cognito-tokens.md#cognito-tokens-unexpected-failure; SAML failures (docs/fidelity/cognito-federation.md#cognito-federation-mock-surface)
LOGIN_REQUIRED = "login_required"            # docs/fidelity/cognito-tokens.md#cognito-tokens-prompt-none-without-session

# ---- /oauth2/token (docs/fidelity/cognito-tokens.md#cognito-tokens-token-errors) -------------------------------------------------
INVALID_CLIENT = "invalid_client"
INVALID_GRANT = "invalid_grant"
UNSUPPORTED_GRANT_TYPE = "unsupported_grant_type"

# ---- /oauth2/userInfo (docs/fidelity/cognito-tokens.md#cognito-tokens-oauth2-userinfo) ------------------------------------------
USERINFO_BAD_REQUEST = 'error="invalid_request", error_description="Bad OAuth2 request at UserInfo Endpoint"'
USERINFO_INVALID_TOKEN = ('error="invalid_token", error_description="Access token is expired, disabled, or '
                          'deleted, or the user has globally signed out."')

# ---- SAML responses (docs/fidelity/cognito-federation.md#cognito-federation-saml, docs/fidelity/errors.md#errors-cognito; error=server_error as in docs/fidelity/cognito-federation.md#cognito-federation-post-saml2-idpresponse) ----------
SAML_PREFIX = "Invalid SAML response received: "           # docs/fidelity/errors.md#errors-cognito aws-sdk-js-v3#6201, KC-SAML
SAML_OLD_PREFIX = "Error in SAML response processing: "    # docs/fidelity/errors.md#errors-cognito older prefix (username mapping, 128)
ASSERTION_SIGNATURE_INVALID = SAML_PREFIX + "SAML Assertion signature is invalid."   # docs/fidelity/errors.md#errors-cognito [obs]
RESPONSE_SIGNATURE_INVALID = SAML_PREFIX + "SAML Response signature is invalid"      # docs/fidelity/errors.md#errors-cognito [doc] TROUBLE
# The rest have no published text (docs/fidelity/cognito-federation.md#cognito-federation-open-questions); each is the harness's wording: unconfirmed.
AUDIENCE_RESTRICTION = SAML_PREFIX + "Audience restriction"                     # docs/fidelity/errors.md#errors-cognito "unconfirmed" row
UNSIGNED = SAML_PREFIX + "SAML Response signature is invalid"                   # unconfirmed (docs/fidelity/cognito-federation.md#cognito-federation-saml row)
RECIPIENT_MISMATCH = SAML_PREFIX + "Invalid Recipient in SubjectConfirmationData"   # unconfirmed
# No bearer SubjectConfirmation (SAML profiles §4.1.4.2); Cognito's text is unconfirmed
# (docs/fidelity/errors.md#errors-saml-subject-confirmation-method).
SUBJECT_CONFIRMATION_METHOD = SAML_PREFIX + "Invalid SubjectConfirmation Method"
IN_RESPONSE_TO_MISMATCH = SAML_PREFIX + "Invalid InResponseTo"                  # unconfirmed
IDP_INIT_IN_RESPONSE_TO = SAML_PREFIX + "IdP-initiated SAML assertions must not contain an InResponseTo value."  # docs/fidelity/cognito-federation.md#cognito-federation-saml [doc] sentence
IDP_INIT_TOO_OLD = SAML_PREFIX + "Assertion must have been issued within the previous 6 minutes"  # docs/fidelity/cognito-federation.md#cognito-federation-saml [doc] sentence
NOT_YET_VALID = SAML_PREFIX + "Assertion is not yet valid (NotBefore)"          # unconfirmed
EXPIRED = SAML_PREFIX + "Assertion has expired (NotOnOrAfter)"                  # unconfirmed
REPLAYED = SAML_PREFIX + "Assertion has already been used (replayed assertion ID)"  # unconfirmed (docs/fidelity/cognito-federation.md#cognito-federation-replay-protection)
TOO_LARGE = SAML_PREFIX + "SAMLResponse exceeds 100,000 characters"            # unconfirmed (docs/fidelity/cognito-federation.md#cognito-federation-saml "Max size")
MALFORMED = SAML_PREFIX + "SAMLResponse could not be parsed"                   # unconfirmed
NOT_ENCRYPTED = SAML_PREFIX + "Unencrypted SAML assertions are not accepted"    # unconfirmed (docs/fidelity/cognito-federation.md#cognito-federation-encrypted-assertions)
DECRYPTION_FAILED = SAML_PREFIX + "Unable to decrypt the SAML assertion"        # unconfirmed
NO_NAME_ID = SAML_PREFIX + "NameID is required"                                # unconfirmed (docs/fidelity/cognito-federation.md#cognito-federation-nameid)
STATUS_NOT_SUCCESS = SAML_PREFIX + "Response status is {status}"               # unconfirmed
FOUR_BYTE_UTF8 = SAML_PREFIX + "Invalid user attributes: {attr}: 4-byte UTF-8 characters are not supported"  # unconfirmed (docs/fidelity/cognito-federation.md#cognito-federation-saml row)


# ---- attribute mapping (docs/fidelity/cognito-federation.md#cognito-federation-attribute-mapping, docs/fidelity/errors.md#errors-cognito) ------------------------------------------------------
def attribute_required(attr: str) -> str:
    """docs/fidelity/cognito-federation.md#cognito-federation-required-attribute-absent-on-first-sign-in [doc] KC-SAML (the SAML prefix is added
    by the caller for SAML providers)."""
    return f"Invalid user attributes: {attr}: The attribute is required"


def required_attribute_deleted(attr: str) -> str:
    """docs/fidelity/cognito-federation.md#cognito-federation-required-attribute-removed-later [doc] KC-SAML."""
    return f"Invalid user attributes: {attr}: Required attribute cannot be deleted"


def attribute_cannot_be_updated(attr: str) -> str:
    """docs/fidelity/cognito-federation.md#cognito-federation-immutable-mapped-attribute [doc] TROUBLE (reported without a SAML prefix)."""
    return f"Invalid user attributes: user.{attr}: Attribute cannot be updated."


def custom_type_unknown(attr: str) -> str:
    """docs/fidelity/cognito-federation.md#cognito-federation-custom-attribute-missing-from-schema [obs] aws-genai-llm-chatbot#636."""
    return f"Invalid user attributes: Type for attribute {{{attr}}} could not be determined"


# docs/fidelity/cognito-federation.md#cognito-federation-mapping-to-username-saml [obs] cloudfront-authorization-at-edge#153 (older prefix).
USERNAME_NOT_IN_SCHEMA = SAML_OLD_PREFIX + "Invalid user attributes: username: Attribute does not exist in the schema."


def value_too_long(attr: str) -> str:
    """docs/fidelity/cognito-federation.md#cognito-federation-value-length (2,048 characters): text unconfirmed."""
    return f"Invalid user attributes: {attr}: Attribute value exceeds 2048 characters"


def username_too_long(username: str) -> str:
    """docs/fidelity/cognito-federation.md#cognito-federation-username-length-limit: community note, unconfirmed; limit from API_AdminCreateUser."""
    return (f"{SAML_OLD_PREFIX}1 validation error detected: Value '{username}' at 'userName' failed to "
            f"satisfy constraint: Member must have length less than or equal to 128")


# ---- OIDC federation, /oauth2/idpresponse (docs/fidelity/cognito-federation.md#cognito-federation-oidc, docs/fidelity/errors.md#errors-cognito; error=invalid_request) ------------
# Added by the OIDC-federation work (mock_cognito.oidc_federation builds the messages).
def bad_id_token_issuer(iss) -> str:
    """docs/fidelity/cognito-federation.md#cognito-federation-id-token-iss-check / docs/fidelity/errors.md#errors-cognito [obs] github-cognito-openid-wrapper#100."""
    return f"Bad id_token issuer {iss}"


SYMMETRIC_MAC = "invalid_token_signature: Error when verifying Symmetric MAC"   # docs/fidelity/cognito-federation.md#cognito-federation-oidc/docs/fidelity/errors.md#errors-cognito [obs] unconfirmed
USERNAME_MAPPING_REQUIRED = "username attribute mapping required"              # docs/fidelity/cognito-federation.md#cognito-federation-oidc/docs/fidelity/errors.md#errors-cognito [obs] wrapper#46
TOKEN_ENDPOINT_TIMEOUT = "Timeout occurred in calling IdP token endpoint"      # docs/fidelity/cognito-federation.md#cognito-federation-oidc/docs/fidelity/errors.md#errors-cognito [doc] AUTHZ
# docs/fidelity/cognito-federation.md#cognito-federation-jwks-fetch-timeout [doc] AUTHZ shows the doubled prefix literally; kept as documented.
JWKS_TIMEOUT = "error_description=Timeout in calling jwks uri"
CONNECTION_RESET = "Connection reset"                                          # docs/fidelity/cognito-federation.md#cognito-federation-oidc/docs/fidelity/errors.md#errors-cognito [doc] AUTHZ
READ_TIMED_OUT = "Read timed out"                                              # docs/fidelity/cognito-federation.md#cognito-federation-oidc/docs/fidelity/errors.md#errors-cognito [doc] AUTHZ


def idp_error(provider_name: str, status: int, error: str, description: str | None) -> str:
    """docs/fidelity/cognito-federation.md#cognito-federation-idp-returns-standard-oauth-error [doc] ERR: ``<IdP name> Error - <status> <error> <description>``."""
    text = f"{provider_name} Error - {status} {error}"
    return f"{text} {description}" if description else text


def idp_error_getting_token(provider_name: str, status: int) -> str:
    """docs/fidelity/cognito-federation.md#cognito-federation-oidc generic form [doc] ERR: ``[IdP name] Error - [status code] error getting token``."""
    return f"{provider_name} Error - {status} error getting token"


def bad_token_response(status: int, reason: str, entity: str) -> str:
    """docs/fidelity/cognito-federation.md#cognito-federation-non-json-failed-token-response [obs] wrapper#3."""
    return f"Bad token response: HTTP/1.1 {status} {reason}, entity: {entity}"


# No primary source for these (docs/fidelity/cognito-federation.md#cognito-federation-id-token-aud-exp-checks: texts unconfirmed; docs/fidelity/cognito-federation.md#cognito-federation-open-questions): the
# harness's wording, in the shape of "Bad id_token issuer <iss>".
OIDC_BAD_SIGNATURE = "Bad id_token signature"                                   # unconfirmed
OIDC_UNSIGNED = "Bad id_token signature: alg none not allowed"                  # unconfirmed
OIDC_UNKNOWN_KID = "Bad id_token signature: no key with kid {kid}"              # unconfirmed
OIDC_MALFORMED = "Bad id_token"                                                 # unconfirmed
OIDC_NO_ID_TOKEN = "Bad token response: no id_token"                            # unconfirmed
OIDC_BAD_AUDIENCE = "Bad id_token audience {aud}"                               # unconfirmed
OIDC_EXPIRED = "Bad id_token: expired at {exp}"                                 # unconfirmed
OIDC_BAD_NONCE = "Bad id_token nonce"                                           # unconfirmed
OIDC_NO_CODE = "{provider} Error - missing code"                                # unconfirmed
OIDC_INSECURE_ENDPOINT = "Identity provider endpoint must use https: {url}"     # docs/fidelity/cognito-federation.md#cognito-federation-discovery [doc]; text unconfirmed
OIDC_BAD_DISCOVERY = "{provider} Error - {status} invalid discovery document"   # unconfirmed
OIDC_BAD_JWKS = "{provider} Error - {status} invalid jwks"                      # unconfirmed


def already_found_entry(username: str) -> str:
    """A Pre sign-up handler linked the identity; Cognito then fails creating the user
    (docs/fidelity/cognito-triggers.md#cognito-triggers-link-race)."""
    return f"Already found an entry for username {username}"


# ---- managed login with a password (docs/fidelity/cognito-triggers.md#cognito-triggers-password-texts)
INCORRECT_PASSWORD = "Incorrect username or password."
USER_DISABLED = "User is disabled."
USER_NOT_CONFIRMED = "User is not confirmed."
PASSWORDS_DIFFER = "Passwords do not match."              # unconfirmed wording
