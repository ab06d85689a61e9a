"""Cognito's AuthnRequest (docs/fidelity/cognito-federation.md#cognito-federation-authnrequest-transport, docs/fidelity/cognito-federation.md#cognito-federation-authnrequest-element-contents): sent over HTTP-Redirect, signed with the
pool's signing key when ``RequestSigningAlgorithm`` is ``rsa-sha256``.

The XML is written from a template, byte for byte what pysaml2's ``AuthnRequest(...).to_string()``
writes (a test compares them with values that need escaping): pysaml2's classes and
ElementTree's serializer run cold once a sign-in and cost ~0.2 ms of it.

The element contents beyond Issuer and the ACS URL are unconfirmed (docs/fidelity/cognito-federation.md#cognito-federation-open-questions): NameIDPolicy
unspecified with AllowCreate, HTTP-POST ProtocolBinding, Destination = the SSO URL.
"""
from __future__ import annotations

import re
import secrets

from world_common.clock import saml_instant

from . import redirect_binding
from .signing_certificate import signing_key

UNSPECIFIED = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"


def new_id() -> str:
    return "_" + secrets.token_hex(20)


SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"
SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
_ATTRIBUTE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;", "\n": "&#10;",
                            "\t": "&#09;"})   # ElementTree's attribute escaping
_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})   # and its text escaping
_ESCAPED = re.compile('[&<>"\r\n\t]')


def _attribute(value: str) -> str:
    # str.translate walks the value in Python-level steps (~1.7 µs for an SSO URL); most values
    # have nothing to escape, which one regex search tells (~0.3 µs).
    return value.translate(_ATTRIBUTE) if _ESCAPED.search(value) else value


def _text(value: str) -> str:
    return value.translate(_TEXT) if _ESCAPED.search(value) else value


def build(*, request_id: str, pool_id: str, acs_url: str, destination: str, now) -> bytes:
    issuer = f"urn:amazon:cognito:sp:{pool_id}"   # docs/fidelity/cognito-federation.md#cognito-federation-sp-entity-id-audience-uri
    xml = (f'<ns0:AuthnRequest xmlns:ns0="{SAMLP}" xmlns:ns1="{SAML}" ID="{_attribute(request_id)}" '
           f'Version="2.0" IssueInstant="{saml_instant(now)}" Destination="{_attribute(destination)}" '
           f'ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" '
           f'AssertionConsumerServiceURL="{_attribute(acs_url)}">'
           f'<ns1:Issuer>{_text(issuer)}</ns1:Issuer>'
           f'<ns0:NameIDPolicy Format="{UNSPECIFIED}" AllowCreate="true" /></ns0:AuthnRequest>')
    return xml.encode("utf-8")


def redirect_url(*, request_id: str, pool_id: str, acs_url: str, sso_url: str, relay_state: str, now,
                 sign: bool) -> str:
    xml = build(request_id=request_id, pool_id=pool_id, acs_url=acs_url, destination=sso_url, now=now)
    return redirect_binding.url(sso_url, "SAMLRequest", xml, relay_state, signing_key(pool_id) if sign else None)
