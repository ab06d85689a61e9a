"""STS errors for AssumeRoleWithSAML, each with AWS's code, HTTP status and message word for
word (docs/fidelity/aws-signin-sts.md#aws-signin-sts-sts). Shaped like moto's ``exceptions.py``: one class per AWS error code."""
from __future__ import annotations


class StsError(Exception):
    code = "InternalFailure"
    status = 500
    type = "Sender"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidIdentityToken(StsError):
    code, status = "InvalidIdentityToken", 400          # BOTO-STS error shapes


class ExpiredToken(StsError):
    code, status = "ExpiredTokenException", 400         # BOTO-STS error shapes


class AccessDenied(StsError):
    code, status = "AccessDenied", 403                  # docs/fidelity/aws-signin-sts.md#aws-signin-sts-not-authorized


class ValidationError(StsError):
    code, status = "ValidationError", 400               # docs/fidelity/aws-signin-sts.md#aws-signin-sts-duration-too-long


class MissingParameter(StsError):
    # AWS Query protocol's common error for an absent required parameter; the reference
    # tables are silent on STS's exact text for it (unconfirmed).
    code, status = "MissingParameter", 400


# ---- the messages, one per rule (docs/fidelity/aws-signin-sts.md#aws-signin-sts-sts row named beside each) -------------------------
NOT_AUTHORIZED = "Not authorized to perform sts:AssumeRoleWithSAML"                      # "Not authorized"
SIGNATURE_INVALID = "Response signature invalid"                                          # "Bad signature"
ISSUER_NOT_IN_PROVIDER = "Issuer not present in specified provider"                       # "Issuer mismatch"
PROVIDER_MISSING = "Specified provider doesn't exist."                                    # "Unknown provider" (code unconfirmed: InvalidIdentityToken)
AUDIENCE_MISSING = "Response does not contain the required audience."                     # "Wrong audience" (code unconfirmed: InvalidIdentityToken)
RESPONSE_EXPIRED = "Response has expired"                                                 # "Expired"
REDEEM_WINDOW = "Token must be redeemed within 5 minutes of issuance"                     # "Expired"
SESSION_NAME_REQUIRED = "RoleSessionName is required in AuthnResponse"                    # "Missing RoleSessionName"
SESSION_NAME_PATTERN = "RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}"  # "Bad RoleSessionName"
SOURCE_IDENTITY_PATTERN = ('Source Identity must match [a-zA-Z_0-9+=,.@-]{2,64} and not begin with "aws:"')  # "Bad SourceIdentity"
DURATION_EXCEEDS_MAX = "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."  # "Duration too long"
# Unreadable SAMLAssertion (not base64, not XML, no Assertion, encrypted): the reference has no
# row; the code follows the other assertion errors and the text is the harness's (unconfirmed).
MALFORMED = "Invalid SAML response: {detail}"
