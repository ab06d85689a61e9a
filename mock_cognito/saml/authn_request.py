"""Cognito's AuthnRequest (docs/fidelity/cognito-federation.md#cognito-federation-authnrequest-transport, docs/fidelity/cognito-federation.md#cognito-federation-authnrequest-element-contents): built with pysaml2's protocol classes, sent over HTTP-Redirect, signed with the
pool's signing key when ``RequestSigningAlgorithm`` is ``rsa-sha256``.

The element contents beyond Issuer and the ACS URL are unconfirmed (docs/fidelity/cognito-federation.md#cognito-federation-open-questions): NameIDPolicy
unspecified with AllowCreate, HTTP-POST ProtocolBinding, Destination = the SSO URL.
"""
from __future__ import annotations

import secrets

from saml2.saml import Issuer
from saml2.samlp import AuthnRequest, NameIDPolicy

from world_common.clock import saml_instant

from . import redirect_binding
from .signing_certificate import signing_key

UNSPECIFIED = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"


def new_id() -> str:
    return "_" + secrets.token_hex(20)


def build(*, request_id: str, pool_id: str, acs_url: str, destination: str, now) -> bytes:
    request = AuthnRequest(
        id=request_id, version="2.0", issue_instant=saml_instant(now), destination=destination,
        assertion_consumer_service_url=acs_url,
        protocol_binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST",
        issuer=Issuer(text=f"urn:amazon:cognito:sp:{pool_id}"),   # docs/fidelity/cognito-federation.md#cognito-federation-sp-entity-id-audience-uri
        name_id_policy=NameIDPolicy(format=UNSPECIFIED, allow_create="true"))
    return request.to_string()


def redirect_url(*, request_id: str, pool_id: str, acs_url: str, sso_url: str, relay_state: str, now,
                 sign: bool) -> str:
    xml = build(request_id=request_id, pool_id=pool_id, acs_url=acs_url, destination=sso_url, now=now)
    return redirect_binding.url(sso_url, "SAMLRequest", xml, relay_state, signing_key(pool_id) if sign else None)
