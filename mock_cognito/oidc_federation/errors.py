"""Cognito's OIDC-federation error texts (cognito.md §2 "OIDC federation", §6 "Catalogue").

Each failure is a :class:`FederationError` carrying the OAuth ``error`` code and the
``error_description`` Cognito puts on the redirect to the app (cognito.md §5 "Error delivery
rule": ``<Callback URL>?error_description=…&error=…``). Rows marked *unconfirmed* have no
primary source for the exact text; the text here is the harness's and says so.
"""
from __future__ import annotations


class FederationError(Exception):
    """A federated sign-in that Cognito ends with an error redirect to the app."""

    def __init__(self, description: str, error: str = "invalid_request") -> None:
        super().__init__(description)
        self.error = error
        self.description = description


# cognito.md §6 / §2 "id_token iss check" [obs] TimothyJones/github-cognito-openid-wrapper#100.
def bad_issuer(iss) -> FederationError:
    return FederationError(f"Bad id_token issuer {iss}")


# cognito.md §6 / §2 "id_token signature (HMAC)" ([obs], unconfirmed: a code comment).
SYMMETRIC_MAC = "invalid_token_signature: Error when verifying Symmetric MAC"

# cognito.md §6 / §2 "userInfo failure" [obs] github-cognito-openid-wrapper#46.
USERNAME_MAPPING_REQUIRED = "username attribute mapping required"

# cognito.md §2 "Token endpoint timeout", "JWKS fetch timeout", "Network errors" [doc] AUTHZ.
TOKEN_ENDPOINT_TIMEOUT = "Timeout occurred in calling IdP token endpoint"
# The AUTHZ page shows the doubled prefix literally
# (``error_description=error_description=Timeout+in+calling+jwks+uri``); kept as documented.
JWKS_TIMEOUT = "error_description=Timeout in calling jwks uri"
CONNECTION_RESET = "Connection reset"
READ_TIMED_OUT = "Read timed out"


# cognito.md §2 "IdP returns standard OAuth error" [doc] ERR, AUTHZ:
# ``<IdP name> Error - <HTTP status> <error> <error_description>``.
def idp_error(provider_name: str, status: int, error: str, description: str | None) -> FederationError:
    text = f"{provider_name} Error - {status} {error}"
    return FederationError(f"{text} {description}" if description else text)


# cognito.md §2 generic form when the IdP's token error carries no OAuth body:
# ``[IdP name] Error - [status code] error getting token`` [doc] ERR.
def idp_error_getting_token(provider_name: str, status: int) -> FederationError:
    return FederationError(f"{provider_name} Error - {status} error getting token")


# cognito.md §2 "Non-JSON / failed token response" [obs] github-cognito-openid-wrapper#3:
# ``Bad token response: HTTP/1.1 400 Bad Request, entity: <body>``.
def bad_token_response(status: int, reason: str, entity: str) -> FederationError:
    return FederationError(f"Bad token response: HTTP/1.1 {status} {reason}, entity: {entity}")


# ---- texts with no primary source (cognito.md §2 "id_token aud, exp checks": "Error texts
# unconfirmed"; §10 open questions). They follow the shape of "Bad id_token issuer <iss>".
UNCONFIRMED_BAD_SIGNATURE = "Bad id_token signature"                  # unconfirmed
UNCONFIRMED_UNSIGNED = "Bad id_token signature: alg none not allowed"  # unconfirmed
UNCONFIRMED_UNKNOWN_KID = "Bad id_token signature: no key with kid {kid}"  # unconfirmed
UNCONFIRMED_MALFORMED = "Bad id_token"                                # unconfirmed
UNCONFIRMED_MISSING_ID_TOKEN = "Bad token response: no id_token"      # unconfirmed


def bad_audience(aud) -> FederationError:
    return FederationError(f"Bad id_token audience {aud}")            # unconfirmed


def expired_token(exp) -> FederationError:
    return FederationError(f"Bad id_token: expired at {exp}")         # unconfirmed


def bad_nonce() -> FederationError:
    return FederationError("Bad id_token nonce")                      # unconfirmed


def insecure_endpoint(url: str) -> FederationError:
    # cognito.md §2 "Discovery": non-HTTPS discovered endpoints: "Otherwise the login will fail"
    # [doc] OIDC-IDP; the text is unconfirmed.
    return FederationError(f"Identity provider endpoint must use https: {url}")


# Pages (no app to redirect to).
# cognito.md §6 "(page) An error was encountered with the requested page": the generic page;
# using it for an unknown/replayed ``state`` at /oauth2/idpresponse is unconfirmed.
PAGE_GENERIC = "An error was encountered with the requested page."
# cognito.md §2 "5-minute cap" [doc-2023] OIDC-FLOW, §6 "(page) Something went wrong".
PAGE_SOMETHING_WENT_WRONG = "Something went wrong"
