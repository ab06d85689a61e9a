"""SAML's XML vocabulary and the one parser for XML that comes from outside: every SAML consumer
(Cognito's ACS and metadata, AWS sign-in and STS, Okta's AuthnRequest reader, the reports)
reads documents through :func:`parse`.

The parser applies defusedxml's rules with lxml's own switches: no DTD (refused before parsing,
so XML bombs and external entities never expand), no entity resolution, no network, no huge
trees. Comments and processing instructions are kept, so what a signature covers is what the
caller reads (comments are excluded by canonicalization; the consumers refuse a comment inside
a ``NameID``).
"""
from __future__ import annotations

import threading

from lxml import etree

SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"
SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
MD = "urn:oasis:names:tc:SAML:2.0:metadata"
DS = "http://www.w3.org/2000/09/xmldsig#"
XENC = "http://www.w3.org/2001/04/xmlenc#"
EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
NS = {"samlp": SAMLP, "saml": SAML, "md": MD, "ds": DS, "xenc": XENC, "ec": EXC_C14N}

BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer"
SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success"


class UnsafeXML(ValueError):
    """The document is refused: a DTD or entity declaration, or XML that does not parse."""


_parsers = threading.local()   # lxml parsers must not be shared between threads


def _parser(remove_blank_text: bool) -> etree.XMLParser:
    key = "pretty" if remove_blank_text else "plain"
    parser = getattr(_parsers, key, None)
    if parser is None:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                                 huge_tree=False, remove_comments=False, remove_pis=False,
                                 remove_blank_text=remove_blank_text)
        setattr(_parsers, key, parser)
    return parser


def parse(data: bytes | str, *, remove_blank_text: bool = False) -> etree._Element:
    """The document's root element; :class:`UnsafeXML` for DTDs/entities or XML that does not
    parse. ``remove_blank_text`` is for pretty-printing only (it changes what a digest covers)."""
    if isinstance(data, str):
        data = data.encode()
    # Both declarations hold a "!", which a SAML message seldom holds at all: one memchr of the
    # document (~0.2 us) decides most, instead of two substring searches (~5 us for ~9 KB).
    if b"!" in data and (b"<!DOCTYPE" in data or b"<!ENTITY" in data):
        raise UnsafeXML("DTDs are not allowed")
    try:
        root = etree.fromstring(data, _parser(remove_blank_text))
    except etree.XMLSyntaxError as exc:
        raise UnsafeXML(str(exc)) from None
    if root.getroottree().docinfo.doctype:
        raise UnsafeXML("DTDs are not allowed")
    return root


def by_tag(parent) -> dict[str, list]:
    """``parent``'s child elements by Clark name, each list in document order: what
    ``iterchildren(tag)`` finds for each tag, from one pass over the children (an
    ``iterchildren(tag)`` costs ~0.8 us a lookup; readers that look up several tags of one parent
    read them all at once). Comments and processing instructions have no string tag and are
    under no name."""
    children: dict[str, list] = {}
    for child in parent:
        children.setdefault(child.tag, []).append(child)
    return children


def first(children: dict[str, list], tag: str):
    """The first child named ``tag`` in a :func:`by_tag` map (``find``'s answer), or None."""
    found = children.get(tag)
    return found[0] if found else None


def q(prefix: str, local: str) -> str:
    """Clark notation for ``prefix:local`` (``q("saml", "Assertion")``)."""
    return f"{{{NS[prefix]}}}{local}"
