"""XML-DSig verification of a SAML element's own enveloped signature, in process with lxml's
canonicalization and ``cryptography`` (~0.2 ms; signxml's general verifier re-parses the
document several times and costs ~1-3 ms a signature, xmlsec1 as a subprocess ~17 ms).

Deliberately narrow, as SAML uses XML-DSig: the ``ds:Signature`` is a direct child of the
element it signs; one ``ds:Reference`` whose URI is ``#`` + the element's own ``ID``; transforms
limited to enveloped-signature and C14N (exclusive or inclusive 1.0, without comments); RSA
PKCS#1 v1.5 with SHA-1/256/384/512 (docs/fidelity/cognito-federation.md#cognito-federation-signature-algorithms-accepted: not
documented; SHA-1 kept because IdPs still offer it, unconfirmed). The digest is computed over
the very element the caller then reads, so a signature elsewhere in the document (signature
wrapping) cannot vouch for it. Keys come only from the IdP metadata, never from ``ds:KeyInfo``.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from lxml import etree

from .safe_xml import NS

DS = NS["ds"]
EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
C14N_10 = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
SIGNATURE_METHODS = {
    "http://www.w3.org/2000/09/xmldsig#rsa-sha1": hashes.SHA1,
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256": hashes.SHA256,
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384": hashes.SHA384,
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512": hashes.SHA512,
}
DIGEST_METHODS = {
    "http://www.w3.org/2000/09/xmldsig#sha1": "sha1",
    "http://www.w3.org/2001/04/xmlenc#sha256": "sha256",
    "http://www.w3.org/2001/04/xmldsig-more#sha384": "sha384",
    "http://www.w3.org/2001/04/xmlenc#sha512": "sha512",
}


class BadSignature(Exception):
    pass


def _one(parent, path: str):
    found = parent.findall(path, NS)
    if len(found) != 1:
        raise BadSignature(f"expected exactly one {path}")
    return found[0]


def _c14n(element, algorithm: str, prefixes: list[str] | None = None) -> bytes:
    if algorithm == EXC_C14N:
        return etree.tostring(element, method="c14n", exclusive=True, with_comments=False,
                              inclusive_ns_prefixes=prefixes or None)
    if algorithm == C14N_10:
        return etree.tostring(element, method="c14n", exclusive=False, with_comments=False)
    raise BadSignature(f"canonicalization {algorithm} not accepted")


def _prefixes(node) -> list[str]:
    inclusive = node.find(f"{{{EXC_C14N}}}InclusiveNamespaces")
    return (inclusive.get("PrefixList") or "").split() if inclusive is not None else []


def verify_enveloped(element, certificates) -> None:
    """Raise :class:`BadSignature` unless ``element``'s own signature verifies with one of
    ``certificates``."""
    signature = _one(element, "ds:Signature")
    signed_info = _one(signature, "ds:SignedInfo")
    c14n_method = _one(signed_info, "ds:CanonicalizationMethod")
    hash_class = SIGNATURE_METHODS.get(_one(signed_info, "ds:SignatureMethod").get("Algorithm"))
    if hash_class is None:
        raise BadSignature("signature method not accepted")
    reference = _one(signed_info, "ds:Reference")
    element_id = element.get("ID")
    if not element_id or reference.get("URI") != f"#{element_id}":
        raise BadSignature("the reference is not to the signed element")
    transforms = reference.findall("ds:Transforms/ds:Transform", NS)
    algorithms = [t.get("Algorithm") for t in transforms]
    if ENVELOPED not in algorithms or any(a not in (ENVELOPED, EXC_C14N, C14N_10) for a in algorithms):
        raise BadSignature("transforms not accepted")
    c14n_transform = next((t for t in transforms if t.get("Algorithm") != ENVELOPED), None)
    digest_name = DIGEST_METHODS.get(_one(reference, "ds:DigestMethod").get("Algorithm"))
    if digest_name is None:
        raise BadSignature("digest method not accepted")
    try:
        expected_digest = base64.b64decode("".join((_one(reference, "ds:DigestValue").text or "").split()))
        signature_value = base64.b64decode("".join((_one(signature, "ds:SignatureValue").text or "").split()))
    except (binascii.Error, ValueError):
        raise BadSignature("bad base64") from None
    # Enveloped-signature transform: the element without its Signature, then canonicalized.
    index = list(element).index(signature)
    tail = signature.tail
    element.remove(signature)
    try:
        if c14n_transform is None:
            content = _c14n(element, C14N_10)
        else:
            content = _c14n(element, c14n_transform.get("Algorithm"), _prefixes(c14n_transform))
    finally:
        element.insert(index, signature)
        signature.tail = tail
    if not hmac.compare_digest(hashlib.new(digest_name, content).digest(), expected_digest):
        raise BadSignature("digest mismatch")
    signed_bytes = _c14n(signed_info, c14n_method.get("Algorithm"), _prefixes(c14n_method))
    for cert in certificates:
        key = cert.public_key()
        if not isinstance(key, rsa.RSAPublicKey):
            continue
        try:
            key.verify(signature_value, signed_bytes, padding.PKCS1v15(), hash_class())
            return
        except InvalidSignature:
            continue
    raise BadSignature("no certificate in the metadata verifies the signature")
