"""An OIDC identity provider's settings, from its ``ProviderDetails`` (docs/fidelity/cognito-federation.md#cognito-federation-providerdetails, docs/fidelity/cognito-federation.md#cognito-federation-discovery).

Explicit ``authorize_url``, ``token_url``, ``attributes_url`` and ``jwks_uri`` win; whatever is
missing comes from ``{oidc_issuer}/.well-known/openid-configuration``, parsed with oic's
``ProviderConfigurationResponse``. Discovery documents are cached per issuer for the life of a
world (Cognito reads them when the provider is created; refresh timing is unconfirmed).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass

import requests
from oic.oauth2.message import MessageException
from oic.oic.message import ProviderConfigurationResponse

from mock_cognito import config
from mock_cognito import errors as texts

from . import errors, idp_http

DETAIL_TO_DISCOVERY = {
    "authorize_url": "authorization_endpoint",
    "token_url": "token_endpoint",
    "attributes_url": "userinfo_endpoint",
    "jwks_uri": "jwks_uri",
}


@dataclass(frozen=True)
class Provider:
    name: str
    client_id: str
    client_secret: str
    authorize_scopes: str
    attributes_request_method: str
    oidc_issuer: str
    authorize_url: str
    token_url: str
    attributes_url: str
    jwks_uri: str


class Discovery:
    """Discovery documents by issuer, fetched once through the routed session."""

    def __init__(self) -> None:
        self._documents: dict[str, dict] = {}
        self._lock = threading.Lock()

    def document(self, name: str, issuer: str, session) -> dict:
        with self._lock:
            cached = self._documents.get(issuer)
        if cached is not None:
            return cached
        url = f"{issuer}/.well-known/openid-configuration"
        try:
            response = session.get(url, timeout=idp_http.TIMEOUT, allow_redirects=False)
        except requests.Timeout as exc:
            raise errors.FederationError(texts.READ_TIMED_OUT) from exc
        except requests.RequestException as exc:
            raise errors.FederationError(texts.CONNECTION_RESET) from exc
        body = idp_http.json_or_none(response)
        if response.status_code != 200 or body is None:
            # docs/fidelity/cognito-federation.md#cognito-federation-idp-returns-standard-oauth-error: relayed from discovery too.
            raise idp_http.relay_error(name, response, body)
        try:
            config = ProviderConfigurationResponse(**body)
            config.verify()
        except (MessageException, ValueError, KeyError) as exc:
            raise errors.FederationError(texts.OIDC_BAD_DISCOVERY.format(
                provider=name, status=response.status_code)) from exc
        document = config.to_dict()
        with self._lock:
            self._documents[issuer] = document
        return document


def resolve(provider: dict, discovery: Discovery, session) -> Provider:
    """The provider's settings (a DescribeIdentityProvider-shaped record, mock_cognito.config)
    with every endpoint known (explicit or discovered)."""
    name, details = config.provider_name(provider), config.details(provider)
    issuer = details.get("oidc_issuer", "")
    endpoints = {key: details.get(key, "") for key in DETAIL_TO_DISCOVERY}
    if not all(endpoints.values()):
        document = discovery.document(name, issuer, session)
        for key, field in DETAIL_TO_DISCOVERY.items():
            endpoints[key] = endpoints[key] or document.get(field, "")
    for url in endpoints.values():
        # docs/fidelity/cognito-federation.md#cognito-federation-discovery: endpoints "must be HTTPS. Otherwise the login will fail".
        if url and not url.startswith("https://"):
            raise errors.insecure_endpoint(url)
    return Provider(
        name=name, client_id=details.get("client_id", ""), client_secret=details.get("client_secret", ""),
        authorize_scopes=details.get("authorize_scopes", "openid"),
        attributes_request_method=(details.get("attributes_request_method") or "GET").upper(),
        oidc_issuer=issuer, **endpoints)
