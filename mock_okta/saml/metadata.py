"""Okta's IdP metadata document (docs/fidelity/okta-saml.md#okta-saml-metadata-url-public)."""
from __future__ import annotations

from world_common import keys as _keys
from world_common.world_model import OktaApp

from .keys import signing_key_and_cert

AIW_NAMEID_FORMATS = ["urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified",
                      "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"]     # docs/fidelity/okta-saml.md#okta-saml-nameidformat-list-in-metadata
AWS_NAMEID_FORMATS = ["urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
                      "urn:oasis:names:tc:SAML:2.0:nameid-format:unspecified"]


def metadata_xml(*, org_url: str, app_id: str, entity_id: str, sso_url: str,
                 nameid_format: str | list[str], slo_url: str | None = None,
                 want_requests_signed: bool = False) -> str:
    formats = [nameid_format] if isinstance(nameid_format, str) else list(nameid_format)
    _key, cert = signing_key_and_cert(org_url, app_id)
    cert_b64 = _keys.cert_body_b64(cert)
    slo = (f'<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="{slo_url}"/>'
           f'<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="{slo_url}"/>'
           if slo_url else "")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="{entity_id}">'
        f'<md:IDPSSODescriptor WantAuthnRequestsSigned="{"true" if want_requests_signed else "false"}" '
        'protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">'
        '<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">'
        f'<ds:X509Data><ds:X509Certificate>{cert_b64}</ds:X509Certificate></ds:X509Data>'
        '</ds:KeyInfo></md:KeyDescriptor>'
        f'{slo}'
        + "".join(f'<md:NameIDFormat>{f}</md:NameIDFormat>' for f in formats) +
        f'<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="{sso_url}"/>'
        f'<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="{sso_url}"/>'
        '</md:IDPSSODescriptor></md:EntityDescriptor>'
    )


def metadata_for_world_app(world, app: OktaApp) -> str:
    """The metadata of a world's SAML app (used to resolve ``${okta_app:<label>.metadata}``)."""
    return metadata_for_app(world.okta.org_url, app)


def metadata_for_app(org_url: str, app: OktaApp) -> str:
    if app.sign_on_mode == "AWS":
        formats = AWS_NAMEID_FORMATS
    else:
        formats = list(dict.fromkeys([app.saml.subject_name_id_format, *AIW_NAMEID_FORMATS]))
    return metadata_xml(
        org_url=org_url, app_id=app.id, entity_id=app.entity_id, sso_url=app.sso_url, nameid_format=formats,
        slo_url=slo_url(app) if app.saml.single_logout_url else None,
        want_requests_signed=bool(app.saml.saml_signed_request_enabled),
    )


def slo_url(app: OktaApp) -> str:
    """docs/fidelity/okta-saml.md#okta-saml-idp-slo-endpoint-path (unconfirmed): ``…/app/<appName>/<exk>/slo/saml``."""
    return app.sso_url.rsplit("/sso/saml", 1)[0] + "/slo/saml"
