"""What a user would see at run time for each misconfiguration `harness diagnose` finds.

The real services' texts are not copied here: each is imported from the one module of the mock
that delivers it, so a prediction and the world's behaviour cannot drift apart —
``mock_cognito.errors`` (docs/fidelity/cognito-federation.md#cognito-federation-attribute-mapping, docs/fidelity/cognito-tokens.md#cognito-tokens-endpoints, docs/fidelity/errors.md#errors-cognito), ``mock_cognito.aws_signin`` (docs/fidelity/aws-signin-sts.md#aws-signin-sts-aws-app, docs/fidelity/aws-signin-sts.md#aws-signin-sts-sts), ``mock_okta.oidc.errors`` and ``mock_okta.pages.errors`` (docs/fidelity/okta-saml.md#okta-saml-idp, docs/fidelity/okta-oidc-api.md#okta-oidc-api-oidc). This module
only composes them the way the user meets them (an ``error`` + ``error_description`` redirect,
a page, an STS ``Code: Message``) and keeps diagnose's own wording.
"""
from __future__ import annotations

from mock_cognito import errors as cognito
from mock_cognito.aws_signin import errors as sts
from mock_cognito.aws_signin.assume_role import SESSION_NAME
from mock_cognito.aws_signin.pages import INVALID_RESPONSE
from mock_okta.oidc import errors as okta_oauth
from mock_okta.oidc.errors import NotFound
from mock_okta.pages import errors as okta_pages

# ---- Cognito (docs/fidelity/cognito-tokens.md#cognito-tokens-endpoints, docs/fidelity/errors.md#errors-cognito, docs/fidelity/errors.md#errors-cognito-misconfigurations) ----------------------------------------------------------
SAML_PREFIX = cognito.SAML_PREFIX                                       # docs/fidelity/errors.md#errors-cognito
AUDIENCE_RESTRICTION = cognito.AUDIENCE_RESTRICTION                     # docs/fidelity/errors.md#errors-cognito row marked unconfirmed; docs/fidelity/errors.md#errors-wrong-sp-entity-id-audience
REQUESTED_PAGE = cognito.REQUESTED_PAGE                                 # docs/fidelity/cognito-tokens.md#cognito-tokens-redirect-uri-mismatch; docs/fidelity/errors.md#errors-cognito (page)
IDP_INIT_OFF = cognito.INVALID_SAMLRESPONSE_OR_RELAYSTATE               # docs/fidelity/cognito-federation.md#cognito-federation-saml, docs/fidelity/errors.md#errors-cognito (page); docs/fidelity/errors.md#errors-okta-tile-idp-initiated-login-with
INVALID_RELAYSTATE = cognito.INVALID_RELAYSTATE                         # docs/fidelity/errors.md#errors-cognito [doc] TROUBLE (error code unconfirmed)
SERVER_ERROR = cognito.SERVER_ERROR                                     # docs/fidelity/cognito-federation.md#cognito-federation-post-saml2-idpresponse
INVALID_REQUEST = cognito.INVALID_REQUEST                               # docs/fidelity/cognito-federation.md#cognito-federation-oidc, docs/fidelity/cognito-federation.md#cognito-federation-get-oauth2-idpresponse


def callback_error(error: str, description: str) -> str:
    """A redirect to the app's callback as Cognito sends it (docs/fidelity/cognito-tokens.md#cognito-tokens-error-delivery-rule)."""
    return f"error={error}&error_description={description}"


def attribute_required(attr: str) -> str:                               # docs/fidelity/cognito-federation.md#cognito-federation-attribute-mapping, docs/fidelity/errors.md#errors-cognito KC-SAML; docs/fidelity/errors.md#errors-required-pool-attribute-not-sent-or
    return SAML_PREFIX + cognito.attribute_required(attr)


def attribute_immutable(attr: str) -> str:                              # docs/fidelity/cognito-federation.md#cognito-federation-attribute-mapping [doc] TROUBLE; docs/fidelity/errors.md#errors-mapping-onto-an-immutable-attribute
    # Observed for email only ("user.email"); the same form for other attributes is unconfirmed.
    return cognito.attribute_cannot_be_updated(attr)


def attribute_type_unknown(attr: str) -> str:                           # docs/fidelity/cognito-federation.md#cognito-federation-attribute-mapping, docs/fidelity/errors.md#errors-cognito aws-genai-llm-chatbot#636; docs/fidelity/errors.md#errors-mapping-to-non-existent-reserved-attributes
    return SAML_PREFIX + cognito.custom_type_unknown(attr)


USERNAME_MAPPED = cognito.USERNAME_NOT_IN_SCHEMA                         # docs/fidelity/cognito-federation.md#cognito-federation-attribute-mapping, docs/fidelity/errors.md#errors-cognito, docs/fidelity/errors.md#errors-mapping-to-non-existent-reserved-attributes
REDIRECT_MISMATCH = f"/error?error={cognito.REDIRECT_MISMATCH}&client_id="   # docs/fidelity/cognito-tokens.md#cognito-tokens-endpoints, docs/fidelity/errors.md#errors-callback-url-not-registered-exactly
LOGIN_OPTION_NOT_AVAILABLE = cognito.LOGIN_OPTION_NOT_AVAILABLE          # docs/fidelity/cognito-tokens.md#cognito-tokens-endpoints, docs/fidelity/errors.md#errors-idp-not-enabled-on-the-app
CLIENT_NOT_ENABLED_FOR_OAUTH = cognito.CLIENT_NOT_ENABLED_FOR_OAUTH      # docs/fidelity/cognito-tokens.md#cognito-tokens-endpoints (causes unconfirmed)
RESPONSE_SIGNATURE_INVALID = cognito.RESPONSE_SIGNATURE_INVALID          # docs/fidelity/errors.md#errors-cognito [doc] TROUBLE; docs/fidelity/errors.md#errors-stale-idp-signing-certificate-metadata-file
ASSERTION_SIGNATURE_INVALID = cognito.ASSERTION_SIGNATURE_INVALID        # docs/fidelity/errors.md#errors-cognito aws-sdk-js-v3#6201; docs/fidelity/errors.md#errors-stale-idp-signing-certificate-metadata-file
bad_issuer = cognito.bad_id_token_issuer                                 # docs/fidelity/cognito-federation.md#cognito-federation-oidc, docs/fidelity/errors.md#errors-cognito, docs/fidelity/errors.md#errors-oidc-oidc-issuer-not-byte-equal
username_too_long = cognito.username_too_long                            # docs/fidelity/cognito-federation.md#cognito-federation-attribute-mapping (community note, unconfirmed)
idp_error = cognito.idp_error                                            # docs/fidelity/cognito-federation.md#cognito-federation-oidc [doc] ERR, AUTHZ


def redirect_mismatch(client_id: str) -> str:
    """Where Cognito sends the browser, and what its page says (docs/fidelity/cognito-tokens.md#cognito-tokens-redirect-uri-mismatch)."""
    return f"{REDIRECT_MISMATCH}{client_id}: {REQUESTED_PAGE}"


# ---- Okta (docs/fidelity/okta-saml.md#okta-saml-idp, docs/fidelity/okta-oidc-api.md#okta-oidc-api-oidc, docs/fidelity/okta-oidc-api.md#okta-oidc-api-api) ------------------------------------------------------------
def okta_bad_redirect_uri(org_url: str, client_id: str) -> str:         # docs/fidelity/okta-oidc-api.md#okta-oidc-api-bad-redirect-uri
    return okta_oauth.illegal_redirect_uri(org_url, client_id).description


OKTA_CLIENT_AUTH_FAILED = okta_oauth.InvalidClient.description          # docs/fidelity/okta-oidc-api.md#okta-oidc-api-oidc /token auth errors (401)
OKTA_INVALID_CLIENT_ID = okta_oauth.invalid_client_id().description     # docs/fidelity/okta-oidc-api.md#okta-oidc-api-bad-client-id


def okta_unsupported_response_type(configured: str) -> str:            # docs/fidelity/okta-oidc-api.md#okta-oidc-api-unsupported-response-type
    return okta_oauth.unsupported_response_type([configured]).description


def okta_auth_server_not_found(server_id: str) -> str:                  # docs/fidelity/okta-oidc-api.md#okta-oidc-api-unknown-auth-server

    return NotFound(server_id).summary


def okta_not_assigned(app_label: str) -> str:                           # docs/fidelity/okta-saml.md#okta-saml-idp Not assigned (SAML); docs/fidelity/errors.md#errors-user-not-assigned-to-the-okta
    return f"403 {okta_pages.APP_NOT_ASSIGNED_TITLE}: {okta_pages.APP_NOT_ASSIGNED.format(app=app_label)}"


# ---- AWS sign-in and STS (docs/fidelity/aws-signin-sts.md#aws-signin-sts-aws-app, docs/fidelity/aws-signin-sts.md#aws-signin-sts-sts, docs/fidelity/errors.md#errors-okta-aws-misconfigurations): STS errors as ``Code: Message`` ---------------
def _sts(error: type, message: str) -> str:
    return f"{error.code}: {message}"


INVALID_SAML_RESPONSE_PAGE = INVALID_RESPONSE                                     # docs/fidelity/aws-signin-sts.md#aws-signin-sts-aws-app, docs/fidelity/errors.md#errors-okta-aws-misconfigurations (items 1 to 4)
PROVIDER_DOES_NOT_EXIST = sts.PROVIDER_MISSING                                    # docs/fidelity/aws-signin-sts.md#aws-signin-sts-sts (error code unconfirmed); docs/fidelity/errors.md#errors-saml-provider-name-identity-provider-arn
NOT_AUTHORIZED = _sts(sts.AccessDenied, sts.NOT_AUTHORIZED)                       # docs/fidelity/aws-signin-sts.md#aws-signin-sts-sts, docs/fidelity/errors.md#errors-trust-policy-wrong
DURATION_EXCEEDS = _sts(sts.ValidationError, sts.DURATION_EXCEEDS_MAX)            # docs/fidelity/aws-signin-sts.md#aws-signin-sts-sts, docs/fidelity/errors.md#errors-cli-session-longer-than-the-role
ROLE_SESSION_NAME = _sts(sts.InvalidIdentityToken, sts.SESSION_NAME_PATTERN)      # docs/fidelity/aws-signin-sts.md#aws-signin-sts-sts, docs/fidelity/errors.md#errors-application-username-unsuitable-for-rolesessionname
# docs/fidelity/aws-signin-sts.md#aws-signin-sts-issuer-mismatch: AWS-TRBL's full text is "Failed to assume role: Issuer not present in
# specified provider (service: AWSOpenIdDiscoveryService; ...)"; STS's own message is the part
# the mock delivers.
ISSUER_NOT_IN_PROVIDER = _sts(sts.InvalidIdentityToken, sts.ISSUER_NOT_IN_PROVIDER)   # docs/fidelity/aws-signin-sts.md#aws-signin-sts-sts, docs/fidelity/errors.md#errors-stale-or-wrong-idp-metadata-in
SIGNATURE_INVALID_STS = _sts(sts.InvalidIdentityToken, sts.SIGNATURE_INVALID)         # docs/fidelity/aws-signin-sts.md#aws-signin-sts-sts, docs/fidelity/errors.md#errors-stale-or-wrong-idp-metadata-in
ROLE_SESSION_NAME_PATTERN = SESSION_NAME.pattern                                  # docs/fidelity/aws-signin-sts.md#aws-signin-sts-aws-app, docs/fidelity/aws-signin-sts.md#aws-signin-sts-sts
