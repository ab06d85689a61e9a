"""The page that carries a SAML message to the service provider (docs/fidelity/okta-saml.md#okta-saml-auto-post-html): ``<form id="appForm" action="<ACS, entity-escaped>" method="POST">`` with
hidden ``SAMLResponse`` (or ``SAMLRequest``) and ``RelayState`` inputs. Scripts submit it on
load; without JavaScript the ``<noscript>`` Continue button does (issue 3).
"""
from __future__ import annotations

from html import escape

from flask import current_app

from .html import esapi_attr, page


def form_page(action: str, fields: dict[str, str], *, base64_field: str | None = None):
    """The auto-post page; ``base64_field`` names the field whose value is base64 (the SAML
    message), written as is: base64 has none of the characters HTML escapes (``& < > " '``), and
    escaping a ~13 KB SAMLResponse cost ~16 µs a sign-in (measured in process)."""
    inputs = "".join(f'<input name="{escape(k)}" type="hidden" value="{v if k == base64_field else escape(v or "")}"/>'
                     for k, v in fields.items())
    body = (
        '<div id="okta-auto-post">'
        f'<form id="appForm" action="{esapi_attr(action)}" method="POST">{inputs}'
        '<noscript><p>JavaScript is disabled. Select Continue to go on.</p>'
        '<input type="submit" id="appFormContinue" value="Continue"/></noscript></form></div>'
        '<script type="text/javascript">document.getElementById("appForm").submit();</script>')
    org_name = current_app.extensions["mock_okta"]["ORG"].host.split(".", 1)[0]
    html = page("Signing in", body, org_name=org_name)
    # The headers in one list, in the order setting them one by one gave: Content-Length (set
    # from the body, in its place) second (~5 µs less).
    return current_app.response_class(html, status=200, headers=_HEADERS)


_HEADERS = (("Content-Type", "text/html; charset=utf-8"), ("Content-Length", "0"),
            ("Cache-Control", "no-cache, no-store"), ("Pragma", "no-cache"))


def saml_response_page(acs_url: str, saml_response_b64: str, relay_state: str | None):
    """docs/fidelity/okta-saml.md#okta-saml-idp: the RelayState input is always present, ``""`` when there is none."""
    return form_page(acs_url, {"SAMLResponse": saml_response_b64, "RelayState": relay_state or ""},
                     base64_field="SAMLResponse")
