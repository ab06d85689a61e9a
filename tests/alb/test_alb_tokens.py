"""The ALB's pure parts: the x-amzn-oidc-data encoding quirk and the sharded session cookie
(docs/fidelity/alb.md#alb-x-amzn-oidc-data-header, docs/fidelity/alb.md#alb-encoding-quirk, docs/fidelity/alb.md#alb-cookies)."""
from __future__ import annotations

import base64
import json

import jwt
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from mock_cognito.alb import oidc_data, session_cookie

ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/acme-alb/50dc6c495c0c9188"
ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Example12"


def _token(claims=None, exp=4102444800):
    kid, key = oidc_data.signing_key("us-east-1", ARN)
    claims = claims or {"sub": "6f1b1f0e", "email_verified": "true", "email": "alice@example.com"}
    return kid, key, oidc_data.encode(claims, kid=kid, key=key, issuer=ISSUER, client_id="client123",
                                      signer=ARN, exp=exp)


def _verify_by_hand(token: str, public_pem: bytes) -> None:
    """ES256 over the padded segments, raw R‖S signature (no JWT library involved)."""
    head, payload, sig = token.split(".")
    raw = base64.urlsafe_b64decode(sig)
    assert len(raw) == 64
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    serialization.load_pem_public_key(public_pem).verify(der, f"{head}.{payload}".encode(),
                                                         ec.ECDSA(hashes.SHA256()))


def test_header_carries_the_metadata():
    kid, _, token = _token()
    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0]))
    assert header == {"typ": "JWT", "kid": kid, "alg": "ES256", "iss": ISSUER, "client": "client123",
                      "signer": ARN, "exp": 4102444800}


def test_segments_keep_their_padding_and_the_signature_covers_it():
    _, key, token = _token({"sub": "ab"})     # lengths chosen so that padding is needed
    segments = token.split(".")
    assert all(len(s) % 4 == 0 for s in segments)
    assert any(s.endswith("=") for s in segments)
    _verify_by_hand(token, oidc_data.public_key_pem(key))
    stripped = ".".join(s.rstrip("=") for s in segments[:2]) + "." + segments[2]
    with pytest.raises(InvalidSignature):
        _verify_by_hand(stripped + "=" * (-len(stripped) % 4), oidc_data.public_key_pem(key))


def test_payload_is_the_userinfo_claims_plus_exp_and_iss():
    _, key, token = _token()
    claims = jwt.decode(token, oidc_data.public_key_pem(key), algorithms=["ES256"])
    assert claims == {"sub": "6f1b1f0e", "email_verified": "true", "email": "alice@example.com",
                      "exp": 4102444800, "iss": ISSUER}


def test_a_tampered_payload_does_not_verify():
    _, key, token = _token()
    head, payload, sig = token.split(".")
    forged = base64.urlsafe_b64encode(json.dumps({"sub": "mallory"}).encode()).decode()
    with pytest.raises(ValueError, match="does not verify"):
        oidc_data.decode(f"{head}.{forged}.{sig}", oidc_data.public_key_pem(key))


def test_keys_are_stable_per_load_balancer_and_differ_between_them():
    assert oidc_data.signing_key("us-east-1", ARN)[0] == oidc_data.signing_key("us-east-1", ARN)[0]
    assert oidc_data.signing_key("us-east-1", ARN)[0] != oidc_data.signing_key("us-east-1", ARN + "x")[0]


def _session(claims_size: int) -> dict:
    return {"access_token": "a" * 1000, "refresh_token": "r" * 1000, "token_expiry": 0, "session_expiry": 0,
            "claims": {"sub": "s", "blob": "x" * claims_size}}


def test_a_small_session_is_one_cookie_and_round_trips():
    session = _session(100)
    cookies = session_cookie.encode(session, ARN, "AWSELBAuthSessionCookie")
    assert [name for name, _ in cookies] == ["AWSELBAuthSessionCookie-0"]
    assert session_cookie.decode(dict(cookies), ARN, "AWSELBAuthSessionCookie") == session


def test_a_session_above_4kb_is_sharded_into_numbered_cookies():
    # "sharded above 4 KB (max 16 KB, 4 shards)"
    session = _session(6000)
    cookies = session_cookie.encode(session, ARN, "AWSELBAuthSessionCookie")
    assert [name for name, _ in cookies] == ["AWSELBAuthSessionCookie-0", "AWSELBAuthSessionCookie-1",
                                             "AWSELBAuthSessionCookie-2"]
    assert all(len(value) <= 4096 for _, value in cookies)
    assert session_cookie.decode(dict(cookies), ARN, "AWSELBAuthSessionCookie") == session
    assert session_cookie.decode(dict(cookies[:-1]), ARN, "AWSELBAuthSessionCookie") is None


def test_claims_and_token_above_11kb_are_refused():
    # "claims+token > 11 KB → HTTP 500 + ELBAuthUserClaimsSizeExceeded"
    with pytest.raises(session_cookie.ClaimsTooLarge):
        session_cookie.encode(_session(11 * 1024), ARN, "AWSELBAuthSessionCookie")


def test_a_cookie_of_another_load_balancer_is_not_a_session():
    cookies = dict(session_cookie.encode(_session(10), ARN, "AWSELBAuthSessionCookie"))
    assert session_cookie.decode(cookies, ARN + "-other", "AWSELBAuthSessionCookie") is None
