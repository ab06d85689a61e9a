"""mock_okta.saml.xml_forms against lxml: a value written straight into both forms of the response
XML is byte for byte what lxml serializes and what its exclusive C14N writes after the value was
escaped into the text and parsed (the path the response took before)."""
import random
import re
from xml.sax.saxutils import escape

import pytest
from lxml import etree

from mock_okta.saml import xml_forms

SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
# Markup characters, whitespace that parsing normalizes, DEL, C1 controls, non-ASCII in and
# beyond the BMP, and what looks like a reference already.
ALPHABET = list("ab <>&\"'=;#x\t\n\r\x7f\x85\xa0éÿĀ€\u2028\ufffd") + ["😀", "\U0010ffff", "&amp;", "&#10;", "]]>", "\r\n"]
SAMPLES = ["", "plain", "http://www.okta.com/exk1", "a & b", "<tag>", 'say "hi"', "it's", "tab\tnl\ncr\rcrlf\r\n",
           "Jos\u00e9 M\u00fcller", "\u20ac \U0001f600", "  two  spaces  ", "\x7f", "\x85"]


def _values():
    rnd = random.Random(17)
    return SAMPLES + ["".join(rnd.choice(ALPHABET) for _ in range(rnd.randint(1, 12))) for _ in range(400)]


def _through_lxml(value: str):
    """(serialized, canonical) of the value as an element's text and as an attribute value,
    taken from lxml after escaping the value into a document and parsing it."""
    doc = etree.fromstring(f'<saml2:A xmlns:saml2="{SAML}" V="{escape(value, {chr(34): "&quot;"})}">'
                           f'<saml2:T>{escape(value)}</saml2:T></saml2:A>')
    serialized = etree.tostring(doc).decode("ascii")
    canonical = etree.tostring(doc, method="c14n", exclusive=True).decode("utf-8")
    return serialized, canonical


@pytest.mark.parametrize("value", _values())
def test_both_forms_are_what_lxml_writes(value):
    attribute, text = xml_forms.attribute(value), xml_forms.text(value)
    start = f'<saml2:A xmlns:saml2="{SAML}" V="'
    ours_serialized = start + attribute[0] + '">' + xml_forms.element("<saml2:T", "<saml2:T", "</saml2:T>", text)[0]
    ours_canonical = start + attribute[1] + '">' + xml_forms.element("<saml2:T", "<saml2:T", "</saml2:T>", text)[1]
    serialized, canonical = _through_lxml(value)
    assert ours_serialized + "</saml2:A>" == serialized
    assert ours_canonical + "</saml2:A>" == canonical


@pytest.mark.parametrize("value", ["nul\x00", "vt\x0b", "ff\x0c", "esc\x1b", "\ufffe", "\uffff", "lone \ud800"])
def test_characters_xml_cannot_carry_are_refused_as_lxml_refuses_them(value):
    with pytest.raises(etree.XMLSyntaxError):   # lxml refuses them too
        etree.fromstring("<v>" + value + "</v>")
    character = re.escape(f"U+{ord(value[-1]):04X}, which XML 1.0 does not allow")
    with pytest.raises(xml_forms.NotXmlText, match=character):
        xml_forms.text(value)
    with pytest.raises(xml_forms.NotXmlText, match=character):
        xml_forms.attribute(value)
