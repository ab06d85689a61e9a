"""Reading and checking an SP's AuthnRequest (docs/fidelity/okta-saml.md#okta-saml-sp-initiated-request,
"ACS selection", "Signed AuthnRequests", "ForceAuthn", "NameIDPolicy").

No Flask here: :func:`from_redirect` and :func:`from_post` turn binding parameters into an
:class:`AuthnRequest` or raise :class:`RequestError` whose message says which check failed
(Okta's own texts for these failures are not in the reference: unconfirmed).

Signatures: the HTTP-Redirect binding signs the query string (checked here with the app's
Signature Certificate); the HTTP-POST binding carries an enveloped XML signature, checked by the
world's one verifier (``world_common.xmldsig``) on the very element that is then read. Neither
checks the certificate's validity dates
(docs/fidelity/okta-saml.md#okta-saml-signed-request-certificate-dates).
"""
from __future__ import annotations

import base64
import binascii
import zlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from lxml import etree

from world_common import urlencoded, xmldsig
from world_common.saml_xml import SAML, SAMLP, UnsafeXML, parse

MAX_PARAMETER = 64 * 1024       # larger SAMLRequest parameters are refused (issue 3 "oversized")
MAX_INFLATED = 256 * 1024
UNSPECIFIED_FORMATS = {"urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified",
                       "urn:oasis:names:tc:SAML:2.0:nameid-format:unspecified"}
REDIRECT_SIG_ALGS = {
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256": hashes.SHA256,
    "http://www.w3.org/2000/09/xmldsig#rsa-sha1": hashes.SHA1,
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512": hashes.SHA512,
}


_ISSUER, _NAME_ID_POLICY = f"{{{SAML}}}Issuer", f"{{{SAMLP}}}NameIDPolicy"


class RequestError(ValueError):
    """The SAMLRequest is refused; the message names the failed check."""


@dataclass
class AuthnRequest:
    id: str
    issuer: str | None
    acs_url: str | None
    acs_index: str | None
    force_authn: bool
    is_passive: bool
    name_id_format: str | None
    destination: str | None
    xml: bytes


def _b64(value: str) -> bytes:
    try:
        return base64.b64decode(value.replace(" ", "+").strip(), validate=True)
    except (binascii.Error, ValueError):
        raise RequestError("The SAMLRequest parameter is not valid base64.") from None


def _inflate(data: bytes) -> bytes:
    try:
        inflater = zlib.decompressobj(-15)
        out = inflater.decompress(data, MAX_INFLATED)
    except zlib.error:
        raise RequestError("The SAMLRequest parameter is not DEFLATE-encoded as the HTTP-Redirect binding "
                           "requires.") from None
    if inflater.unconsumed_tail:
        raise RequestError("The SAMLRequest parameter is too large.")
    return out


def parse_xml(xml: bytes):
    """The SAMLRequest's root element, read with the world's safe parser."""
    if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
        raise RequestError("The SAMLRequest contains a DTD, which is not allowed.")
    try:
        return parse(xml)
    except UnsafeXML:
        raise RequestError("The SAMLRequest is not well-formed XML.") from None


def _parse(root, xml: bytes) -> AuthnRequest:
    if root.tag != f"{{{SAMLP}}}AuthnRequest":
        raise RequestError(f"The SAMLRequest is not an AuthnRequest (found {etree.QName(root).localname}).")
    if root.get("Version") != "2.0":
        raise RequestError("The AuthnRequest Version is not 2.0.")
    if not root.get("ID") or not root.get("IssueInstant"):
        raise RequestError("The AuthnRequest has no ID or IssueInstant.")
    # The first child of each name, as find() gives it, without compiling an ElementPath (~2-5 µs each).
    issuer = next(root.iterchildren(_ISSUER), None)
    policy = next(root.iterchildren(_NAME_ID_POLICY), None)
    return AuthnRequest(
        id=root.get("ID"), issuer=issuer.text.strip() if issuer is not None and issuer.text else None,
        acs_url=root.get("AssertionConsumerServiceURL"), acs_index=root.get("AssertionConsumerServiceIndex"),
        force_authn=root.get("ForceAuthn") in ("true", "1"), is_passive=root.get("IsPassive") in ("true", "1"),
        name_id_format=policy.get("Format") if policy is not None else None,
        destination=root.get("Destination"), xml=xml)


def _check_size(value: str | None) -> str:
    if not value:
        raise RequestError("The SAMLRequest parameter is missing.")
    if len(value) > MAX_PARAMETER:
        raise RequestError("The SAMLRequest parameter is too large.")
    return value


def from_redirect(raw_query: str, saml, *, certificate_pem: str | None = None) -> AuthnRequest:
    """HTTP-Redirect binding: ``SAMLRequest`` is base64(DEFLATE(xml)); when Signed Requests is
    on, ``Signature`` signs the raw ``SAMLRequest=…&RelayState=…&SigAlg=…`` octets
    (SAML 2.0 Bindings §3.4.4.1)."""
    # parse_qsl(raw_query, keep_blank_values=True)'s pairs, by its shorter road for ASCII text
    # (world_common.urlencoded: ~10 us less for a SAMLRequest's escapes, cold as within a sign-in).
    params = dict(urlencoded.parse(raw_query, "replace"))
    xml = _inflate(_b64(_check_size(params.get("SAMLRequest"))))
    request = _parse(parse_xml(xml), xml)
    if saml.saml_signed_request_enabled:
        verify_redirect_signature(raw_query, params, certificate_pem or saml.request_certificate)
    return request


def from_post(value: str | None, saml, *, certificate_pem: str | None = None) -> AuthnRequest:
    """HTTP-POST binding: ``SAMLRequest`` is base64(xml), signed inside when Signed Requests is on."""
    data = _b64(_check_size(value))
    if not data.lstrip().startswith(b"<"):
        # Some SPs deflate on POST too; accept it, as the content is unambiguous.
        data = _inflate(data)
    root = parse_xml(data)
    request = _parse(root, data)
    if saml.saml_signed_request_enabled:
        verify_enveloped_signature(root, certificate_pem or saml.request_certificate)
    return request


def _certificate(pem: str | None):
    if not pem:
        raise RequestError("Signed Requests is on but no Signature Certificate is configured.")
    try:
        return xmldsig.load_certificate(pem)
    except ValueError:
        raise RequestError("The configured Signature Certificate cannot be read.") from None


def _raw_param(raw_query: str, name: str) -> str | None:
    for part in raw_query.split("&"):
        key, _, value = part.partition("=")
        if key == name:
            return f"{key}={value}"
    return None


def verify_redirect_signature(raw_query: str, params: dict, pem: str | None) -> None:
    signature, sig_alg = params.get("Signature"), params.get("SigAlg")
    if not signature or not sig_alg:
        raise RequestError("The AuthnRequest is not signed, and the app requires signed requests.")
    if sig_alg not in REDIRECT_SIG_ALGS:
        raise RequestError(f"The AuthnRequest signature algorithm {sig_alg} is not supported.")
    signed = "&".join(p for p in (_raw_param(raw_query, "SAMLRequest"), _raw_param(raw_query, "RelayState"),
                                  _raw_param(raw_query, "SigAlg")) if p)
    cert = _certificate(pem)
    try:
        cert.public_key().verify(_b64_sig(signature), signed.encode(), padding.PKCS1v15(), REDIRECT_SIG_ALGS[sig_alg]())
    except (InvalidSignature, ValueError, TypeError):
        raise RequestError("The AuthnRequest signature is not valid for the app's Signature Certificate.") from None


def _b64_sig(value: str) -> bytes:
    try:
        return base64.b64decode(value.replace(" ", "+"), validate=True)
    except (binascii.Error, ValueError):
        raise RequestError("The AuthnRequest Signature parameter is not valid base64.") from None


def verify_enveloped_signature(root, pem: str | None) -> None:
    """``root``'s own enveloped signature, made with the configured Signature Certificate."""
    cert = _certificate(pem)
    try:
        xmldsig.verify_enveloped(root, [cert])
    except xmldsig.NotSigned:
        raise RequestError("The AuthnRequest is not signed, and the app requires signed requests.") from None
    except xmldsig.SignatureError as exc:
        raise RequestError(f"The AuthnRequest signature is not valid for the app's Signature Certificate "
                           f"({exc}).") from None


def check_acs(request: AuthnRequest, saml, default_acs: str) -> str:
    """The ACS URL the response goes to (docs/fidelity/okta-saml.md#okta-saml-acs-selection): the request's when it
    is the app's SSO URL or one of its other requestable SSO URLs (or any URL in a request
    whose signature was verified, "Signed AuthnRequests"), else refused. Okta's behaviour for
    an unsigned request naming an unconfigured ACS is unconfirmed; this refuses it."""
    if request.acs_index is not None and request.acs_url is None:
        urls = [default_acs, *saml.acs_endpoints]
        try:
            return urls[int(request.acs_index)]
        except (ValueError, IndexError):
            raise RequestError(f"The AuthnRequest AssertionConsumerServiceIndex {request.acs_index} "
                               "is not configured for this app.") from None
    if request.acs_url is None:
        return default_acs
    if request.acs_url == default_acs or request.acs_url in saml.acs_endpoints or saml.saml_signed_request_enabled:
        return request.acs_url
    raise RequestError(f"The AuthnRequest AssertionConsumerServiceURL {request.acs_url} is not the app's "
                       "Single sign-on URL or one of its requestable SSO URLs.")


def check_name_id_policy(request: AuthnRequest, app_format: str) -> None:
    """docs/fidelity/okta-saml.md#okta-saml-nameidpolicy: the app's Name ID format must match (page text unconfirmed)."""
    wanted = request.name_id_format
    if wanted and wanted not in UNSPECIFIED_FORMATS and wanted != app_format:
        raise RequestError(f"The AuthnRequest asks for Name ID format {wanted}, but the app sends {app_format}.")
