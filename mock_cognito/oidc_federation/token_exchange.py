"""The code exchange at the IdP's token endpoint (docs/fidelity/cognito-federation.md#cognito-federation-token-request-to-idp).

``POST`` form ``grant_type=authorization_code&redirect_uri=…&client_id=…&client_secret=…&code=…``:
``client_secret_post`` only ("Amazon Cognito doesn't support client_secret_basic", docs/fidelity/cognito-federation.md#cognito-federation-idp-requirements). The request and response are oic's message classes.
"""
from __future__ import annotations

from http import HTTPStatus

import requests
from oic.oauth2.message import AccessTokenResponse, MessageException
from oic.oic.message import AccessTokenRequest

from mock_cognito import errors as texts

from . import errors, idp_http
from .provider_config import Provider


def exchange_code(provider: Provider, code: str, redirect_uri: str, session) -> AccessTokenResponse:
    form = AccessTokenRequest(grant_type="authorization_code", redirect_uri=redirect_uri,
                              client_id=provider.client_id, client_secret=provider.client_secret, code=code)
    try:
        response = session.post(provider.token_url, data=form.to_urlencoded(), timeout=idp_http.TIMEOUT,
                                allow_redirects=False,
                                headers={"Content-Type": "application/x-www-form-urlencoded",
                                         "Accept": "application/json"})
    except requests.Timeout as exc:
        # docs/fidelity/cognito-federation.md#cognito-federation-token-endpoint-timeout [doc] AUTHZ.
        raise errors.FederationError(texts.TOKEN_ENDPOINT_TIMEOUT) from exc
    except requests.RequestException as exc:
        # docs/fidelity/cognito-federation.md#cognito-federation-network-errors [doc] AUTHZ.
        raise errors.FederationError(texts.CONNECTION_RESET) from exc
    body = idp_http.json_or_none(response)
    if response.status_code != 200:
        if body is None:
            # The status line as a Java client prints it; the standard reason phrase, since
            # servers differ in case ("BAD REQUEST").
            # docs/fidelity/cognito-federation.md#cognito-federation-non-json-failed-token-response [obs].
            raise errors.bad_token_response(response.status_code, _reason(response.status_code),
                                            response.text.strip()[:500])
        raise idp_http.relay_error(provider.name, response, body)
    if body is None:
        raise errors.bad_token_response(response.status_code, _reason(response.status_code), response.text.strip()[:500])
    try:
        # oauth2's response class: the ID token is checked by id_token.py, with Cognito's texts.
        tokens = AccessTokenResponse(**body)
        tokens.verify()
    except (MessageException, ValueError, KeyError) as exc:
        raise errors.bad_token_response(response.status_code, _reason(response.status_code),
                                        response.text.strip()[:500]) from exc
    if not isinstance(tokens.get("id_token"), str):
        raise errors.FederationError(texts.OIDC_NO_ID_TOKEN)
    return tokens


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
