"""What a user would see at run time for each misconfiguration `harness diagnose` finds: the
real services' texts, word for word, each with the reference row it comes from
(../shared/reference/cognito.md, okta-aws.md in the project's design notes).
"""
from __future__ import annotations

# ---- Cognito (cognito.md §5, §6, §8) ----------------------------------------------------------
SAML_PREFIX = "Invalid SAML response received: "                       # §6 aws-sdk-js-v3#6201, KC-SAML
AUDIENCE_RESTRICTION = SAML_PREFIX + "Audience restriction"             # §6 row marked unconfirmed; §8 #1
REQUESTED_PAGE = "An error was encountered with the requested page."   # §5 redirect_uri mismatch; §6 (page)
IDP_INIT_OFF = "Invalid samlResponse or relayState from identity provider"   # §6 (page); §8 #2
INVALID_RELAYSTATE = "Invalid relayState from identity provider"        # §6 [doc] TROUBLE (error code unconfirmed)


def attribute_required(attr: str) -> str:                               # §3, §6 KC-SAML; §8 #3
    return f"{SAML_PREFIX}Invalid user attributes: {attr}: The attribute is required"


def attribute_immutable(attr: str) -> str:                              # §3 [doc] TROUBLE; §8 #4
    # Observed for email only ("user.email"); the same form for other attributes is unconfirmed.
    return f"Invalid user attributes: user.{attr}: Attribute cannot be updated."


def attribute_type_unknown(attr: str) -> str:                           # §3, §6 aws-genai-llm-chatbot#636; §8 #10
    return f"{SAML_PREFIX}Invalid user attributes: Type for attribute {{{attr}}} could not be determined"


USERNAME_MAPPED = ("Error in SAML response processing: Invalid user attributes: username: "
                   "Attribute does not exist in the schema.")            # §3, §6; §8 #10
REDIRECT_MISMATCH = "/error?error=redirect_mismatch&client_id="          # §5; §8 #5
LOGIN_OPTION_NOT_AVAILABLE = "Login option is not available. Please try another one"   # §5; §8 #6
CLIENT_NOT_ENABLED_FOR_OAUTH = "Client is not enabled for OAuth2.0 flows."             # §5 (causes unconfirmed)
RESPONSE_SIGNATURE_INVALID = SAML_PREFIX + "SAML Response signature is invalid"         # §6 [doc] TROUBLE; §8 #7
ASSERTION_SIGNATURE_INVALID = SAML_PREFIX + "SAML Assertion signature is invalid."      # §6 aws-sdk-js-v3#6201


def bad_issuer(iss: str) -> str:                                        # §2, §6; §8 #8
    return f"Bad id_token issuer {iss}"


def username_too_long(value: str) -> str:                               # §3 (community note, unconfirmed)
    return (f"Error in SAML response processing: 1 validation error detected: Value '{value}' at 'userName' "
            "failed to satisfy constraint: Member must have length less than or equal to 128")


def idp_error(provider: str, status: int, error: str, description: str) -> str:   # §2 [doc] ERR, AUTHZ
    return f"{provider} Error - {status} {error} {description}"


# ---- Okta (okta-aws.md §2, §3) ------------------------------------------------------------------
def okta_bad_redirect_uri(org_url: str, client_id: str) -> str:         # §2 "Bad redirect_uri"
    admin = org_url.replace(".okta.com", "-admin.okta.com", 1)
    return ("The 'redirect_uri' parameter must be a Login redirect URI in the client app settings: "
            f"{admin}/admin/app/oidc_client/instance/{client_id}#tab-general")


OKTA_CLIENT_AUTH_FAILED = ("Client authentication failed. Either the client or the client credentials are "
                           "invalid.")                                  # §2 /token auth errors (401)
OKTA_INVALID_CLIENT_ID = "Invalid value for 'client_id' parameter."    # §2 Bad client_id


def okta_unsupported_response_type(configured: str) -> str:            # §2 Unsupported response type
    return ("The response type is not supported by the authorization server. Configured response types: "
            f"[{configured}].")


def okta_auth_server_not_found(server_id: str) -> str:                  # §2 Unknown auth server
    return f"Not found: Resource not found: {server_id} (AuthorizationServer)"


def okta_not_assigned(app_label: str) -> str:                           # §1 Not assigned (SAML); §8 #5
    return (f"403 App Not Assigned: Sorry, you can't access {app_label} because you are not assigned this app in "
            "Okta. If you're wondering why this is happening, please contact your administrator.")


# ---- AWS sign-in and STS (okta-aws.md §4, §5, §8) --------------------------------------------------
INVALID_SAML_RESPONSE_PAGE = "Your request included an invalid SAML response. To logout, click here."   # §4; §8 #1-4
PROVIDER_DOES_NOT_EXIST = "Specified provider doesn't exist."                 # §5 (error code unconfirmed); §8 #1
NOT_AUTHORIZED = "AccessDenied: Not authorized to perform sts:AssumeRoleWithSAML"    # §5; §8 #7
DURATION_EXCEEDS = ("ValidationError: The requested DurationSeconds exceeds the MaxSessionDuration set for "
                    "this role.")                                               # §5; §8 #8
ROLE_SESSION_NAME = ("InvalidIdentityToken: RoleSessionName in AuthnResponse must match "
                     "[a-zA-Z_0-9+=,.@-]{2,64}")                                # §5; §8 #10
ISSUER_NOT_IN_PROVIDER = ("Failed to assume role: Issuer not present in specified provider (service: "
                          "AWSOpenIdDiscoveryService; status code: 400; error code: "
                          "AuthSamlInvalidSamlResponseException)")              # §5; §8 #6
SIGNATURE_INVALID_STS = "InvalidIdentityToken: Response signature invalid"      # §5; §8 #6
REQUIRED_AUDIENCE = "Response does not contain the required audience."          # §5 (error code unconfirmed)
ROLE_SESSION_NAME_PATTERN = r"[a-zA-Z_0-9+=,.@-]{2,64}"                         # §4, §5
