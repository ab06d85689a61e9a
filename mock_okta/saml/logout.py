"""SAML Single Logout (docs/fidelity/okta-saml.md#okta-saml-single-logout): an SP-initiated LogoutRequest, signed
with the certificate uploaded to the app, ends the Okta session; Okta answers with a signed
LogoutResponse posted to the app's "Single Logout URL". Protocol only, no Flask.
"""
from __future__ import annotations

import urllib.parse
from dataclasses import dataclass

from lxml import etree

from world_common.clock import saml_instant
from world_common.saml_xml import SAML, SAMLP
from world_common.world_model import OktaApp

from . import authn_request, signing
from .authn_request import RequestError
from .response import ENTITY, _attr, _signing_material, message_id

_XML_DECL = b'<?xml version="1.0" encoding="UTF-8"?>'


@dataclass
class LogoutRequest:
    id: str
    issuer: str | None
    name_id: str | None
    session_index: str | None


def parse(root) -> LogoutRequest:
    if root.tag != f"{{{SAMLP}}}LogoutRequest":
        raise RequestError(f"The SAMLRequest is not a LogoutRequest (found {etree.QName(root).localname}).")
    if not root.get("ID"):
        raise RequestError("The LogoutRequest has no ID.")
    issuer = root.find(f"{{{SAML}}}Issuer")
    name_id = root.find(f"{{{SAML}}}NameID")
    index = root.find(f"{{{SAMLP}}}SessionIndex")
    return LogoutRequest(root.get("ID"), _text(issuer), _text(name_id), _text(index))


def _text(el):
    return el.text.strip() if el is not None and el.text else None


def from_redirect(raw_query: str, saml) -> LogoutRequest:
    params = dict(urllib.parse.parse_qsl(raw_query, keep_blank_values=True))
    xml = authn_request._inflate(authn_request._b64(authn_request._check_size(params.get("SAMLRequest"))))
    request = parse(authn_request.parse_xml(xml))
    # docs/fidelity/okta-saml.md#okta-saml-single-logout: SP-initiated SLO needs the uploaded signature certificate.
    authn_request.verify_redirect_signature(raw_query, params, saml.single_logout_certificate)
    return request


def from_post(value: str | None, saml) -> LogoutRequest:
    root = authn_request.parse_xml(authn_request._b64(authn_request._check_size(value)))
    request = parse(root)
    authn_request.verify_enveloped_signature(root, saml.single_logout_certificate)
    return request


def check_issuer(request: LogoutRequest, saml) -> None:
    expected = saml.single_logout_issuer or saml.sp_issuer or saml.audience
    if expected and request.issuer != expected:
        raise RequestError(f"The LogoutRequest Issuer {request.issuer} is not the app's SP Issuer {expected}.")


def logout_response(org, app: OktaApp, services, in_response_to: str) -> bytes:
    now = services.clock.now()
    response_id = message_id()
    document = (
        f'<saml2p:LogoutResponse xmlns:saml2p="{SAMLP}" Destination="{_attr(app.saml.single_logout_url)}" '
        f'ID="{response_id}" InResponseTo="{_attr(in_response_to)}" IssueInstant="{saml_instant(now)}" Version="2.0">'
        f'<saml2:Issuer xmlns:saml2="{SAML}" Format="{ENTITY}">{app.entity_id}</saml2:Issuer>'
        f'<saml2p:Status><saml2p:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></saml2p:Status>'
        f'</saml2p:LogoutResponse>')
    root = etree.fromstring(document)
    key, cert_b64 = _signing_material(org.org_url, app.id)
    signing.sign_after_issuer(root, key=key, cert_b64=cert_b64, signature_algorithm=app.saml.signature_algorithm,
                              digest_algorithm=app.saml.digest_algorithm)
    return _XML_DECL + etree.tostring(root)
