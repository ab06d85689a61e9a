"""HTTP to the identity provider: one timeout and the relay of the IdP's own errors."""
from __future__ import annotations

from . import errors

# The timeout Cognito gives an IdP is not published (docs/fidelity/cognito-federation.md#cognito-federation-token-endpoint-timeout:
# only the error text is documented): 5 s here, unconfirmed.
TIMEOUT = 5.0


def json_or_none(response):
    if "json" not in (response.headers.get("Content-Type") or "").lower():
        return None
    try:
        body = response.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def relay_error(provider_name: str, response, body) -> errors.FederationError:
    """docs/fidelity/cognito-federation.md#cognito-federation-idp-returns-standard-oauth-error: ``<IdP name> Error - <status> <error>
    <error_description>``; without an OAuth body, the generic ``error getting token`` form."""
    if body and isinstance(body.get("error"), str):
        return errors.idp_error(provider_name, response.status_code, body["error"], body.get("error_description"))
    return errors.idp_error_getting_token(provider_name, response.status_code)
