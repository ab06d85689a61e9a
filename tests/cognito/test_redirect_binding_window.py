"""Cognito's HTTP-Redirect DEFLATE (mock_cognito/saml/redirect_binding.py,
docs/fidelity/cognito-federation.md#cognito-federation-authnrequest-transport) uses a 2 KB window
for documents that fit it: the stream must be byte for byte the 32 KB window's, and any size must
come back whole."""
import base64
import random
import string
import zlib

from mock_cognito.saml import redirect_binding

WORDS = ["<ns0:AuthnRequest ", "urn:oasis:names:tc:SAML:2.0:", "https://", ".amazoncognito.com/", 'ID="_', '" ',
         "Issuer", "</ns1:Issuer>"]


def _document(rnd: random.Random, size: int) -> bytes:
    text = "".join(rnd.choice(WORDS) if rnd.random() < 0.6 else rnd.choice(string.printable) for _ in range(size))
    return text[:size].encode()


def test_small_documents_deflate_to_the_32_kb_windows_stream():
    rnd = random.Random(11)
    for _ in range(3000):
        xml = _document(rnd, rnd.randint(1, redirect_binding.SMALL_WINDOW_MAX))
        assert redirect_binding.encode(xml) == base64.b64encode(zlib.compress(xml, 1, wbits=-15)).decode()


def test_every_size_comes_back_whole():
    rnd = random.Random(12)
    for size in (0, 1, redirect_binding.SMALL_WINDOW_MAX, redirect_binding.SMALL_WINDOW_MAX + 1, 5000, 70000):
        xml = _document(rnd, size)
        assert redirect_binding.decode(redirect_binding.encode(xml)) == xml
