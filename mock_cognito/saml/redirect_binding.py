"""SAML HTTP-Redirect binding (SAML Bindings §3.4): DEFLATE + base64 + URL-encoding, and the
query-string signature (``SigAlg``, ``Signature``) with RSA-SHA256 (docs/fidelity/cognito-federation.md#cognito-federation-authnrequest-transport, docs/fidelity/cognito-federation.md#cognito-federation-signed-authnrequests, docs/fidelity/cognito-federation.md#cognito-federation-single-logout-slo)."""
from __future__ import annotations

import base64
import zlib
from urllib.parse import quote_plus

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"


# The largest document a 2 KB window (wbits -11) DEFLATEs into the very stream a 32 KB one gives:
# zlib's deflate reads the window size only as the farthest match distance (window minus its
# 262-byte lookahead) and to slide the window, and a document this short reaches neither.
SMALL_WINDOW_MAX = 2048 - 262


def encode(xml: bytes) -> str:
    # Raw DEFLATE, level 1: the request is a few hundred bytes; level 9 costs ~0.7 ms. A 2 KB window
    # when the document fits it (the same bytes, above): with cold caches, as within a sign-in, the
    # 32 KB window's buffers (~128 KB more) made a compression ~42 µs against ~13 µs (measured).
    wbits = -11 if len(xml) <= SMALL_WINDOW_MAX else -15
    return base64.b64encode(zlib.compress(xml, 1, wbits=wbits)).decode()


def decode(value: str) -> bytes:
    return zlib.decompress(base64.b64decode(value), -15)


def _quote_base64(value: str) -> str:
    """``quote_plus`` of a base64 string, which only ``+``, ``/`` and ``=`` need (urllib's quoting
    calls a Python function per byte once any byte needs it: ~0.1 ms for a SAMLRequest)."""
    return value.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D")


def url(location: str, field: str, xml: bytes, relay_state: str | None, key=None) -> str:
    """``location?SAMLRequest=…&RelayState=…[&SigAlg=…&Signature=…]``."""
    query = f"{field}={_quote_base64(encode(xml))}"
    if relay_state is not None:
        query += f"&RelayState={quote_plus(relay_state)}"
    if key is not None:
        query += f"&SigAlg={quote_plus(RSA_SHA256)}"
        signature = key.sign(query.encode(), padding.PKCS1v15(), hashes.SHA256())
        query += f"&Signature={_quote_base64(base64.b64encode(signature).decode())}"
    return f"{location}{'&' if '?' in location else '?'}{query}"
