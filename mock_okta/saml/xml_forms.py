"""A value written into the XML the IdP generates, in the two forms the response needs: as
lxml serializes it (the bytes that are sent) and as exclusive XML canonicalization writes it
(what digests and signatures cover; W3C Canonical XML 1.0 §2.3 and Exclusive XML Canonicalization
1.0 §3, which uses the same character rules).

Why: the response used to be written as text, parsed into a tree, canonicalized twice and
serialized again; it is now written once in each form (mock_okta.saml.response): the build's CPU
beside its two RSA signatures went ~145 -> ~47 µs (measured in process, warm). Each function
here returns exactly what lxml gives for a value that went through the old path: the value
escaped into the text, the text parsed (XML 1.0 §2.11 line-end normalization: CR LF and a lone
CR become LF; §3.3.3 attribute-value normalization: TAB, CR and LF in an attribute become a space), then either
serialized by lxml (``&amp; &lt; &gt;``, ``&quot;`` in attributes, every non-ASCII character as
a decimal character reference) or canonicalized (``&amp; &lt; &gt;`` in text, ``&amp; &lt;
&quot;`` in attributes, UTF-8 as is). tests/okta_saml/test_xml_forms.py checks them against
lxml on many values.

A character XML 1.0 does not allow (most C0 controls, lone surrogates, U+FFFE/U+FFFF) is refused
with :class:`NotXmlText`, which Okta's SSO answers with an error page naming the value.
"""
from __future__ import annotations

import re

# Values made only of printable ASCII without markup characters are the same in both forms.
_NEEDS_WORK = re.compile(r'[^\x20-\x7e]|[&<>"]')
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ATTR_WHITESPACE = str.maketrans({"\t": " ", "\n": " ", "\r": " "})


class NotXmlText(ValueError):
    """A value a SAML response cannot carry; the message names it and the character (Okta's
    error page shows it: docs/fidelity/okta-saml.md#okta-saml-value-not-xml)."""


def refuse_invalid(value: str) -> None:
    """Raise :class:`NotXmlText` for a value holding a character XML 1.0 does not allow (most C0
    controls, lone surrogates, U+FFFE/U+FFFF): no XML document can carry it, escaped or not."""
    found = _NOT_XML_CHAR.search(value)
    if found:
        shown = value if len(value) <= 80 else value[:77] + "..."
        raise NotXmlText(f"The value {shown!r} cannot be sent in a SAML response: it holds the character "
                         f"U+{ord(found.group()):04X}, which XML 1.0 does not allow. Change the user's profile "
                         f"value or the app's attribute statement that produces it.")


def text(value: str) -> tuple[str, str]:
    """(serialized, canonical) of ``value`` as an element's text."""
    if not _NEEDS_WORK.search(value):
        return value, value
    refuse_invalid(value)
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    canonical = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return canonical.encode("ascii", "xmlcharrefreplace").decode("ascii"), canonical


def attribute(value: str) -> tuple[str, str]:
    """(serialized, canonical) of ``value`` as an attribute value (between double quotes)."""
    if not _NEEDS_WORK.search(value):
        return value, value
    refuse_invalid(value)
    value = value.replace("\r\n", " ").translate(_ATTR_WHITESPACE)
    canonical = value.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
    serialized = canonical.replace(">", "&gt;").encode("ascii", "xmlcharrefreplace").decode("ascii")
    return serialized, canonical


def element(start: str, start_canonical: str, end: str, content: tuple[str, str]) -> tuple[str, str]:
    """(serialized, canonical) of an element with text ``content`` (a pair from :func:`text`):
    lxml writes an element without content as an empty-element tag (``<a/>``), canonical XML
    always as start and end tags. The start tags are given without their closing ``>``."""
    serialized, canonical = content
    if serialized:
        return f"{start}>{serialized}{end}", f"{start_canonical}>{canonical}{end}"
    return f"{start}/>", f"{start_canonical}>{end}"
