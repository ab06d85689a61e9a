"""HTML helpers shared by the org's pages."""
from __future__ import annotations

import functools
from html import escape


@functools.lru_cache(maxsize=256)   # a pure function of a few URLs (the apps' ACS URLs): ~10 µs a sign-in
def esapi_attr(value: str) -> str:
    """Encode an attribute value the way Okta's pages do (OWASP ESAPI style: every character
    but letters, digits and ``,.-_`` as ``&#x..;``), e.g. ``https&#x3a;&#x2f;&#x2f;…``
    (docs/fidelity/okta-saml.md#okta-saml-auto-post-html: entity-escaped action)."""
    out = []
    for ch in value:
        if ch.isascii() and (ch.isalnum() or ch in ",.-_"):
            out.append(ch)
        else:
            out.append(f"&#x{ord(ch):x};")
    return "".join(out)


def page(title: str, body: str, *, org_name: str, body_class: str = "") -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"robots\" content=\"noindex,nofollow\">"
        f"<title>{escape(org_name)} - {escape(title)}</title></head>"
        f"<body class=\"{escape(body_class)}\">{body}</body></html>")
