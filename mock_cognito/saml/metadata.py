"""The SAML IdP's metadata as Cognito reads it (docs/fidelity/cognito-federation.md#cognito-federation-providerdetails-keys,
"Signature verification key set", "Metadata URL cache").

``MetadataFile`` (the XML itself) or ``MetadataURL`` (fetched through the world's routed HTTP
session and cached "for up to six hours" on the world's clock). Parsed with lxml's safe parser;
pysaml2's MetadataStore is not used on the hot path (it validates the whole schema per load).
"""
from __future__ import annotations

import base64
import threading
from dataclasses import dataclass

from cryptography import x509

from world_common.saml_xml import NS, UnsafeXML, parse

CACHE_SECONDS = 6 * 3600   # docs/fidelity/cognito-federation.md#cognito-federation-metadata-url-cache: up to six hours
REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"


class MetadataError(Exception):
    pass


@dataclass(frozen=True)
class IdpMetadata:
    entity_id: str
    certificates: tuple[x509.Certificate, ...]   # every signing certificate (docs/fidelity/cognito-federation.md#cognito-federation-saml: any may match)
    sso_redirect_url: str | None                 # DescribeIdentityProvider "SSORedirectBindingURI"
    slo_redirect_url: str | None                 # "SLORedirectBindingURI"


def parse_metadata(xml: bytes) -> IdpMetadata:
    try:
        root = parse(xml)
    except UnsafeXML as exc:
        raise MetadataError(f"metadata is not valid XML: {exc}") from None
    entity = root if root.tag == f"{{{NS['md']}}}EntityDescriptor" else root.find(".//md:EntityDescriptor", NS)
    idp = entity.find("md:IDPSSODescriptor", NS) if entity is not None else None
    if idp is None:
        raise MetadataError("metadata has no IDPSSODescriptor")
    certs = []
    for descriptor in idp.findall("md:KeyDescriptor", NS):
        if descriptor.get("use") not in (None, "signing"):
            continue
        for node in descriptor.findall(".//ds:X509Certificate", NS):
            body = "".join((node.text or "").split())
            certs.append(x509.load_der_x509_certificate(base64.b64decode(body)))
    return IdpMetadata(entity_id=entity.get("entityID", ""), certificates=tuple(certs),
                       sso_redirect_url=_location(idp, "md:SingleSignOnService"),
                       slo_redirect_url=_location(idp, "md:SingleLogoutService"))


def _location(idp, tag: str) -> str | None:
    services = idp.findall(tag, NS)
    for service in services:
        if service.get("Binding") == REDIRECT:
            return service.get("Location")
    return None


class MetadataCache:
    """Metadata per provider source; URL documents kept for six hours of world time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_url: dict[str, tuple[float, IdpMetadata]] = {}
        self._by_file: dict[str, IdpMetadata] = {}

    def get(self, details: dict, http, now: float) -> IdpMetadata:
        if details.get("MetadataFile"):
            text = details["MetadataFile"]
            with self._lock:
                found = self._by_file.get(text)
            if found is None:
                found = parse_metadata(text.encode())
                with self._lock:
                    self._by_file[text] = found
            return found
        url = details.get("MetadataURL")
        if not url:
            raise MetadataError("the provider has neither MetadataFile nor MetadataURL")
        with self._lock:
            cached = self._by_url.get(url)
        if cached and now - cached[0] < CACHE_SECONDS:
            return cached[1]
        try:
            response = http.get(url, timeout=10)
        except Exception as exc:   # network errors of the routed session
            raise MetadataError(f"Error retrieving metadata from {url}: {exc}") from None
        if response.status_code != 200:
            raise MetadataError(f"Error retrieving metadata from {url}")   # docs/fidelity/cognito-federation.md#cognito-federation-metadata-url-constraints
        found = parse_metadata(response.content)
        with self._lock:
            self._by_url[url] = (now, found)
        return found
