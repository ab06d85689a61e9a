"""The one XML-DSig verifier of the world: every SAML consumer (Cognito's ACS, AWS sign-in and
STS, Okta's reader of signed AuthnRequests, the run reports) checks enveloped signatures here.

In process with lxml's canonicalization and ``cryptography`` (~0.2 ms a signature; signxml's
general verifier re-parses the document and costs ~1-3 ms, xmlsec1 as a subprocess ~17 ms).
Deliberately narrow, as SAML uses XML-DSig (SAML 2.0 Core §5.4; the profile each consumer accepts:
docs/fidelity/cognito-federation.md#cognito-federation-signature-profile,
docs/fidelity/aws-signin-sts.md#aws-signin-sts-signature-profile,
docs/fidelity/okta-saml.md#okta-saml-signed-request-signature-profile):

* the ``ds:Signature`` is a direct child of the element it signs, with one ``ds:Reference``
  whose URI is ``#`` + that element's own ``ID``;
* transforms: enveloped-signature plus at most one canonicalization;
* canonicalization: exclusive C14N 1.0, C14N 1.0 and C14N 1.1, each with or without comments.
  lxml has no C14N 1.1; it differs from 1.0 only in how ``xml:id``/``xml:base`` are inherited
  into a document subset, which SAML messages do not use, so 1.0 is applied (as signxml does);
* RSA PKCS#1 v1.5 with SHA-1/256/384/512 and SHA-1/256/384/512 digests (SHA-1 because IdPs
  still offer it: docs/fidelity/cognito-federation.md#cognito-federation-signature-algorithms-accepted);
  HMAC and DSA/ECDSA are refused: the key is an IdP's or SP's published RSA certificate.

The digest is computed over the very element the caller then reads, so a signature elsewhere in
the document (signature wrapping) cannot vouch for it. Keys come only from the caller (IdP
metadata, a configured certificate), never from ``ds:KeyInfo``. A certificate is used only
within its validity dates when the caller gives the time (``at``), as signxml does.

Failures are typed (:class:`SignatureError` subclasses); each consumer maps them to its own
service's error text.
"""
from __future__ import annotations

import base64
import binascii
import datetime as _dt
import hashlib
import hmac
from collections.abc import Iterable

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from lxml import etree

from .saml_xml import DS, EXC_C14N, by_tag

C14N_10 = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
C14N_11 = "http://www.w3.org/2006/12/xml-c14n11"
ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
_C14N = {  # algorithm -> (exclusive, with comments)
    C14N_10: (False, False), C14N_10 + "#WithComments": (False, True),
    C14N_11: (False, False), C14N_11 + "#WithComments": (False, True),
    EXC_C14N: (True, False), EXC_C14N + "WithComments": (True, True),
}
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
_SIGNATURE = f"{{{DS}}}Signature"
# Children are looked up by their Clark names with lxml's iterchildren (no ElementPath compiled
# and matched per lookup, ~5 µs each, a dozen a signature); same elements as findall("ds:…").
_DS_TAGS = {f"ds:{name}": f"{{{DS}}}{name}" for name in (
    "SignedInfo", "CanonicalizationMethod", "SignatureMethod", "Reference", "SignatureValue", "Transforms",
    "Transform", "DigestMethod", "DigestValue")}
_INCLUSIVE_NAMESPACES = f"{{{EXC_C14N}}}InclusiveNamespaces"


class SignatureError(Exception):
    """The element's signature does not vouch for it; the message says why (for reports)."""


class NotSigned(SignatureError):
    """The element has no ``ds:Signature`` child."""


class MalformedSignature(SignatureError):
    """The signature's structure is not SAML's: missing or repeated parts, bad base64, a
    reference to another element."""


class UnsupportedAlgorithm(SignatureError):
    """A signature, digest, transform or canonicalization algorithm outside the list above."""


class DigestMismatch(SignatureError):
    """The signed element was changed after signing."""


class NoCertificateVerifies(SignatureError):
    """No trusted certificate verifies the signature (another key, or a tampered SignedInfo)."""


class CertificateNotValid(SignatureError):
    """Only a certificate outside its validity dates (at the time given) verifies it."""


def is_signed(element) -> bool:
    return next(element.iterchildren(_SIGNATURE), None) is not None


def load_certificate(text: str | bytes) -> x509.Certificate:
    """A certificate from PEM, or from the bare base64 DER of a metadata ``ds:X509Certificate``;
    ``ValueError`` when it is neither."""
    if isinstance(text, bytes):
        text = text.decode("ascii", "replace")
    if "-----BEGIN" in text:
        return x509.load_pem_x509_certificate(text.encode())
    try:
        der = base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("not a PEM or base64 certificate") from None
    return x509.load_der_x509_certificate(der)


def verify_enveloped(element, certificates: Iterable[x509.Certificate], *,
                     at: _dt.datetime | None = None) -> x509.Certificate:
    """The certificate that verifies ``element``'s own enveloped signature; raises a
    :class:`SignatureError` otherwise. With ``at``, a certificate counts only within its
    validity dates at that moment."""
    signatures = list(element.iterchildren(_SIGNATURE))
    if not signatures:
        raise NotSigned("the element has no ds:Signature")
    if len(signatures) != 1:
        raise MalformedSignature("expected exactly one ds:Signature")
    signature = signatures[0]
    in_signature = by_tag(signature)
    signed_info = _one(in_signature, "ds:SignedInfo")
    in_signed_info = by_tag(signed_info)
    c14n_method = _one(in_signed_info, "ds:CanonicalizationMethod")
    hash_class = SIGNATURE_METHODS.get(_one(in_signed_info, "ds:SignatureMethod").get("Algorithm"))
    if hash_class is None:
        raise UnsupportedAlgorithm("signature method not accepted")
    reference = _one(in_signed_info, "ds:Reference")
    element_id = element.get("ID")
    if not element_id or reference.get("URI") != f"#{element_id}":
        raise MalformedSignature("the reference is not to the signed element")
    _check_digest(element, signature, reference)
    signature_value = _b64(_one(in_signature, "ds:SignatureValue").text)
    signed_bytes = _c14n(signed_info, c14n_method.get("Algorithm"), _prefixes(c14n_method))
    return _verifying_certificate(certificates, signature_value, signed_bytes, hash_class(), at)


def _check_digest(element, signature, reference) -> None:
    in_reference = by_tag(reference)
    transforms = [transform for parent in in_reference.get(_DS_TAGS["ds:Transforms"], ())
                  for transform in parent.iterchildren(_DS_TAGS["ds:Transform"])]
    algorithms = [t.get("Algorithm") for t in transforms]
    others = [t for t in transforms if t.get("Algorithm") != ENVELOPED]
    if algorithms.count(ENVELOPED) != 1 or len(others) > 1:
        raise UnsupportedAlgorithm("transforms not accepted")
    digest_name = DIGEST_METHODS.get(_one(in_reference, "ds:DigestMethod").get("Algorithm"))
    if digest_name is None:
        raise UnsupportedAlgorithm("digest method not accepted")
    expected = _b64(_one(in_reference, "ds:DigestValue").text)
    # The enveloped-signature transform: the element without its Signature, then canonicalized
    # (C14N 1.0 when no canonicalization transform is given, XML-DSig §6.6.1).
    algorithm, prefixes = (others[0].get("Algorithm"), _prefixes(others[0])) if others else (C14N_10, [])
    index, tail = element.index(signature), signature.tail
    element.remove(signature)
    try:
        content = _c14n(element, algorithm, prefixes)
    finally:
        element.insert(index, signature)
        signature.tail = tail
    if not hmac.compare_digest(hashlib.new(digest_name, content).digest(), expected):
        raise DigestMismatch("digest mismatch: the element was changed after signing")


def _verifying_certificate(certificates, signature_value: bytes, signed_bytes: bytes, hash_algorithm,
                           at: _dt.datetime | None) -> x509.Certificate:
    out_of_date = None
    for cert in certificates:
        key = cert.public_key()
        if not isinstance(key, rsa.RSAPublicKey):
            continue
        try:
            key.verify(signature_value, signed_bytes, padding.PKCS1v15(), hash_algorithm)
        except InvalidSignature:
            continue
        if at is None or cert.not_valid_before_utc <= at <= cert.not_valid_after_utc:
            return cert
        out_of_date = cert
    if out_of_date is not None:
        raise CertificateNotValid(f"the certificate that verifies the signature is not valid at {at.isoformat()} "
                                  f"(valid {out_of_date.not_valid_before_utc.isoformat()} to "
                                  f"{out_of_date.not_valid_after_utc.isoformat()})")
    raise NoCertificateVerifies("no trusted certificate verifies the signature")


def _one(children: dict, path: str):
    """The one child named ``path`` of a parent (its :func:`by_tag` map, read once a parent: a
    Signature's parts are read from three parents); MalformedSignature when there is none or
    several."""
    found = children.get(_DS_TAGS[path], ())
    if len(found) != 1:
        raise MalformedSignature(f"expected exactly one {path}")
    return found[0]


def _b64(text: str | None) -> bytes:
    try:
        return base64.b64decode("".join((text or "").split()), validate=True)
    except (binascii.Error, ValueError):
        raise MalformedSignature("bad base64 in the signature") from None


def _c14n(element, algorithm: str | None, prefixes: list[str]) -> bytes:
    if algorithm not in _C14N:
        raise UnsupportedAlgorithm(f"canonicalization {algorithm} not accepted")
    exclusive, with_comments = _C14N[algorithm]
    return etree.tostring(element, method="c14n", exclusive=exclusive, with_comments=with_comments,
                          inclusive_ns_prefixes=(prefixes or None) if exclusive else None)


def _prefixes(node) -> list[str]:
    inclusive = next(node.iterchildren(_INCLUSIVE_NAMESPACES), None)
    return (inclusive.get("PrefixList") or "").split() if inclusive is not None else []
