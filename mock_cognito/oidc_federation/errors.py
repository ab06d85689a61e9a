"""Failures of an OIDC federated sign-in, each carrying Cognito's text from
:mod:`mock_cognito.errors` (docs/fidelity/cognito-federation.md#cognito-federation-oidc, docs/fidelity/errors.md#errors-cognito).

A :class:`FederationError` ends the sign-in with ``error=invalid_request`` (or the IdP's own code
for an authorize-time refusal) on a redirect to the app, as Cognito delivers it (docs/fidelity/cognito-tokens.md#cognito-tokens-error-delivery-rule).
"""
from __future__ import annotations

from mock_cognito import errors as texts


class FederationError(Exception):
    def __init__(self, description: str, error: str = texts.INVALID_REQUEST) -> None:
        super().__init__(description)
        self.error = error
        self.description = description


def bad_issuer(iss) -> FederationError:
    return FederationError(texts.bad_id_token_issuer(iss))


def idp_error(provider_name: str, status: int, error: str, description: str | None) -> FederationError:
    return FederationError(texts.idp_error(provider_name, status, error, description))


def idp_error_getting_token(provider_name: str, status: int) -> FederationError:
    return FederationError(texts.idp_error_getting_token(provider_name, status))


def bad_token_response(status: int, reason: str, entity: str) -> FederationError:
    return FederationError(texts.bad_token_response(status, reason, entity))


def bad_audience(aud) -> FederationError:
    return FederationError(texts.OIDC_BAD_AUDIENCE.format(aud=aud))


def expired_token(exp) -> FederationError:
    return FederationError(texts.OIDC_EXPIRED.format(exp=exp))


def bad_nonce() -> FederationError:
    return FederationError(texts.OIDC_BAD_NONCE)


def insecure_endpoint(url: str) -> FederationError:
    return FederationError(texts.OIDC_INSECURE_ENDPOINT.format(url=url))
