"""``<saml:EncryptedAssertion>`` decryption with the per-IdP key (docs/fidelity/cognito-federation.md#cognito-federation-encrypted-assertions), XML Encryption 1.1: RSA-OAEP (MGF1-SHA1) or RSA 1.5 key transport; AES-CBC
(IV || ciphertext, spec padding) or AES-GCM (IV(12) || ciphertext || tag). The EncryptedKey may
sit in the EncryptedData's KeyInfo or beside it (``ds:RetrievalMethod``, as Okta writes it)."""
from __future__ import annotations

import base64

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from world_common.saml_xml import NS, parse

XENC = NS["xenc"]
XENC11 = "http://www.w3.org/2009/xmlenc11#"


class DecryptionError(ValueError):
    pass


def decrypt_assertion(encrypted_assertion, key):
    """The decrypted ``<saml:Assertion>`` element."""
    data = encrypted_assertion.find("xenc:EncryptedData", NS)
    if data is None:
        raise DecryptionError("no EncryptedData")
    encrypted_key = data.find("ds:KeyInfo/xenc:EncryptedKey", NS)
    if encrypted_key is None:
        encrypted_key = encrypted_assertion.find("xenc:EncryptedKey", NS)
    if encrypted_key is None:
        raise DecryptionError("no EncryptedKey")
    try:
        transport = encrypted_key.find("xenc:EncryptionMethod", NS).get("Algorithm")
        wrapped = base64.b64decode(encrypted_key.findtext("xenc:CipherData/xenc:CipherValue", namespaces=NS))
        if transport == XENC + "rsa-oaep-mgf1p":
            session_key = key.decrypt(wrapped, padding.OAEP(mgf=padding.MGF1(hashes.SHA1()), algorithm=hashes.SHA1(),
                                                            label=None))
        elif transport == XENC + "rsa-1_5":
            session_key = key.decrypt(wrapped, padding.PKCS1v15())
        else:
            raise DecryptionError(f"key transport {transport} not supported")
        cipher = data.find("xenc:EncryptionMethod", NS).get("Algorithm")
        payload = base64.b64decode(data.findtext("xenc:CipherData/xenc:CipherValue", namespaces=NS))
        if cipher in (XENC11 + "aes128-gcm", XENC11 + "aes256-gcm"):
            plain = AESGCM(session_key).decrypt(payload[:12], payload[12:], None)
        elif cipher in (XENC + "aes128-cbc", XENC + "aes256-cbc"):
            decryptor = Cipher(algorithms.AES(session_key), modes.CBC(payload[:16])).decryptor()
            padded = decryptor.update(payload[16:]) + decryptor.finalize()
            plain = padded[: -padded[-1]]
        else:
            raise DecryptionError(f"cipher {cipher} not supported")
    except DecryptionError:
        raise
    except Exception as exc:   # wrong key, bad padding, bad base64: all one failure to the IdP
        raise DecryptionError(str(exc)) from None
    # The plaintext is an Assertion element that may use prefixes declared outside it; parse it
    # in a wrapper that redeclares the SAML namespaces.
    wrapper = (f'<w xmlns:saml="{NS["saml"]}" xmlns:saml2="{NS["saml"]}" xmlns:ds="{NS["ds"]}" '
               f'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
               f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">').encode() + plain + b"</w>"
    root = parse(wrapper)
    if len(root) != 1 or root[0].tag != f"{{{NS['saml']}}}Assertion":
        raise DecryptionError("the decrypted content is not one Assertion")
    return root[0]
