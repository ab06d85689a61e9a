"""The IdP's userInfo call (docs/fidelity/cognito-federation.md#cognito-federation-userinfo-call, docs/fidelity/cognito-federation.md#cognito-federation-userinfo-failure,
"Attribute request method note").

Cognito calls ``attributes_url`` with ``Authorization: Bearer <IdP access token>``, ``GET`` or
``POST`` per ``attributes_request_method``. When no ``sub`` comes back, the sign-in ends with
``username attribute mapping required``.
"""
from __future__ import annotations

import requests
from oic.oauth2.message import MessageException
from oic.oic.message import OpenIDSchema

from mock_cognito import errors as texts

from . import errors, idp_http
from .provider_config import Provider


def fetch(provider: Provider, access_token: str, session) -> dict:
    headers = {"Authorization": f"Bearer {access_token}", "Accept": "application/json"}
    try:
        if provider.attributes_request_method == "POST":
            # What Cognito puts in a POST body is undocumented (unconfirmed): the token goes in the
            # Authorization header either way and the body is empty.
            response = session.post(provider.attributes_url, headers=headers, timeout=idp_http.TIMEOUT,
                                    allow_redirects=False)
        else:
            response = session.get(provider.attributes_url, headers=headers, timeout=idp_http.TIMEOUT,
                                   allow_redirects=False)
    except requests.Timeout as exc:
        raise errors.FederationError(texts.READ_TIMED_OUT) from exc   # docs/fidelity/cognito-federation.md#cognito-federation-network-errors
    except requests.RequestException as exc:
        raise errors.FederationError(texts.CONNECTION_RESET) from exc
    body = idp_http.json_or_none(response)
    if response.status_code != 200 or body is None:
        raise errors.FederationError(texts.USERNAME_MAPPING_REQUIRED)
    try:
        claims = OpenIDSchema(**body).to_dict()
    except (MessageException, ValueError, TypeError):
        raise errors.FederationError(texts.USERNAME_MAPPING_REQUIRED) from None
    if not isinstance(claims.get("sub"), str) or not claims["sub"]:
        raise errors.FederationError(texts.USERNAME_MAPPING_REQUIRED)
    return claims
