"""What a user would see at run time for each misconfiguration `harness diagnose` finds.

The real services' texts are not copied here: each is imported from the one module of the mock
that delivers it, so a prediction and the world's behaviour cannot drift apart —
``mock_cognito.errors`` (cognito.md §3, §5, §6), ``mock_cognito.aws_signin`` (okta-aws.md §4,
§5), ``mock_okta.oidc.errors`` and ``mock_okta.pages.errors`` (okta-aws.md §1, §2). This module
only composes them the way the user meets them (an ``error`` + ``error_description`` redirect,
a page, an STS ``Code: Message``) and keeps diagnose's own wording.
"""
from __future__ import annotations

from mock_cognito import errors as cognito
from mock_cognito.aws_signin import errors as sts
from mock_cognito.aws_signin.assume_role import SESSION_NAME
from mock_cognito.aws_signin.pages import INVALID_RESPONSE
from mock_okta.oidc import errors as okta_oauth
from mock_okta.pages import errors as okta_pages

# ---- Cognito (cognito.md §5, §6, §8) ----------------------------------------------------------
SAML_PREFIX = cognito.SAML_PREFIX                                       # §6
AUDIENCE_RESTRICTION = cognito.AUDIENCE_RESTRICTION                     # §6 row marked unconfirmed; §8 #1
REQUESTED_PAGE = cognito.REQUESTED_PAGE                                 # §5 redirect_uri mismatch; §6 (page)
IDP_INIT_OFF = cognito.INVALID_SAMLRESPONSE_OR_RELAYSTATE               # §1, §6 (page); §8 #2
INVALID_RELAYSTATE = cognito.INVALID_RELAYSTATE                         # §6 [doc] TROUBLE (error code unconfirmed)
SERVER_ERROR = cognito.SERVER_ERROR                                     # §9 "/saml2/idpresponse"
INVALID_REQUEST = cognito.INVALID_REQUEST                               # §2, §9 "/oauth2/idpresponse"


def callback_error(error: str, description: str) -> str:
    """A redirect to the app's callback as Cognito sends it (cognito.md §5 "Error delivery rule")."""
    return f"error={error}&error_description={description}"


def attribute_required(attr: str) -> str:                               # §3, §6 KC-SAML; §8 #3
    return SAML_PREFIX + cognito.attribute_required(attr)


def attribute_immutable(attr: str) -> str:                              # §3 [doc] TROUBLE; §8 #4
    # Observed for email only ("user.email"); the same form for other attributes is unconfirmed.
    return cognito.attribute_cannot_be_updated(attr)


def attribute_type_unknown(attr: str) -> str:                           # §3, §6 aws-genai-llm-chatbot#636; §8 #10
    return SAML_PREFIX + cognito.custom_type_unknown(attr)


USERNAME_MAPPED = cognito.USERNAME_NOT_IN_SCHEMA                         # §3, §6; §8 #10
REDIRECT_MISMATCH = f"/error?error={cognito.REDIRECT_MISMATCH}&client_id="   # §5; §8 #5
LOGIN_OPTION_NOT_AVAILABLE = cognito.LOGIN_OPTION_NOT_AVAILABLE          # §5; §8 #6
CLIENT_NOT_ENABLED_FOR_OAUTH = cognito.CLIENT_NOT_ENABLED_FOR_OAUTH      # §5 (causes unconfirmed)
RESPONSE_SIGNATURE_INVALID = cognito.RESPONSE_SIGNATURE_INVALID          # §6 [doc] TROUBLE; §8 #7
ASSERTION_SIGNATURE_INVALID = cognito.ASSERTION_SIGNATURE_INVALID        # §6 aws-sdk-js-v3#6201; §8 #7
bad_issuer = cognito.bad_id_token_issuer                                 # §2, §6; §8 #8
username_too_long = cognito.username_too_long                            # §3 (community note, unconfirmed)
idp_error = cognito.idp_error                                            # §2 [doc] ERR, AUTHZ


def redirect_mismatch(client_id: str) -> str:
    """Where Cognito sends the browser, and what its page says (cognito.md §5 "redirect_uri mismatch")."""
    return f"{REDIRECT_MISMATCH}{client_id}: {REQUESTED_PAGE}"


# ---- Okta (okta-aws.md §1, §2, §3) ------------------------------------------------------------
def okta_bad_redirect_uri(org_url: str, client_id: str) -> str:         # §2 "Bad redirect_uri"
    return okta_oauth.illegal_redirect_uri(org_url, client_id).description


OKTA_CLIENT_AUTH_FAILED = okta_oauth.InvalidClient.description          # §2 /token auth errors (401)
OKTA_INVALID_CLIENT_ID = okta_oauth.invalid_client_id().description     # §2 Bad client_id


def okta_unsupported_response_type(configured: str) -> str:            # §2 Unsupported response type
    return okta_oauth.unsupported_response_type([configured]).description


def okta_auth_server_not_found(server_id: str) -> str:                  # §2 Unknown auth server
    from mock_okta.oidc.errors import NotFound

    return NotFound(server_id).summary


def okta_not_assigned(app_label: str) -> str:                           # §1 Not assigned (SAML); §8 #5
    return f"403 {okta_pages.APP_NOT_ASSIGNED_TITLE}: {okta_pages.APP_NOT_ASSIGNED.format(app=app_label)}"


# ---- AWS sign-in and STS (okta-aws.md §4, §5, §8): STS errors as ``Code: Message`` ---------------
def _sts(error: type, message: str) -> str:
    return f"{error.code}: {message}"


INVALID_SAML_RESPONSE_PAGE = INVALID_RESPONSE                                     # §4; §8 #1-4
PROVIDER_DOES_NOT_EXIST = sts.PROVIDER_MISSING                                    # §5 (error code unconfirmed); §8 #1
NOT_AUTHORIZED = _sts(sts.AccessDenied, sts.NOT_AUTHORIZED)                       # §5; §8 #7
DURATION_EXCEEDS = _sts(sts.ValidationError, sts.DURATION_EXCEEDS_MAX)            # §5; §8 #8
ROLE_SESSION_NAME = _sts(sts.InvalidIdentityToken, sts.SESSION_NAME_PATTERN)      # §5; §8 #10
# §5 "Issuer mismatch": AWS-TRBL's full text is "Failed to assume role: Issuer not present in
# specified provider (service: AWSOpenIdDiscoveryService; ...)"; STS's own message is the part
# the mock delivers.
ISSUER_NOT_IN_PROVIDER = _sts(sts.InvalidIdentityToken, sts.ISSUER_NOT_IN_PROVIDER)   # §5; §8 #6
SIGNATURE_INVALID_STS = _sts(sts.InvalidIdentityToken, sts.SIGNATURE_INVALID)         # §5; §8 #6
REQUIRED_AUDIENCE = sts.AUDIENCE_MISSING                                          # §5 (error code unconfirmed)
ROLE_SESSION_NAME_PATTERN = SESSION_NAME.pattern                                  # §4, §5
