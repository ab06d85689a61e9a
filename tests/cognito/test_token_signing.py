"""Cognito's token signing (mock_cognito/tokens.py) writes the JWS itself: the tokens must be
byte for byte what PyJWT writes for the same claims and key (RS256 PKCS#1 v1.5 signatures are
deterministic), and verify against the pool's JWKS key."""
from __future__ import annotations

import jwt

from mock_cognito import tokens

CLAIMS = {"sub": "6f1c2d3e-0000-4000-8000-000000000001", "iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Test",
          "cognito:groups": ["admins", "ünïcödé"], "email_verified": False, "nonce": None, "exp": 1700003600,
          "iat": 1700000000, "identities": [{"userId": "alice@example.com", "primary": "true"}], "version": 2}


def test_tokens_are_what_pyjwt_writes():
    for use in ("id", "access"):
        kid, key = tokens.signing_keys("us-east-1_Test")[use]
        expected = jwt.encode(CLAIMS, key, algorithm="RS256", headers={"kid": kid})
        assert tokens._sign(CLAIMS, "us-east-1_Test", use) == expected


def test_tokens_verify_with_the_pools_key():
    token = tokens._sign(CLAIMS, "us-east-1_Test", "access")
    kid, key = tokens.signing_keys("us-east-1_Test")["access"]
    assert jwt.get_unverified_header(token) == {"alg": "RS256", "kid": kid, "typ": "JWT"}
    assert jwt.decode(token, key.public_key(), algorithms=["RS256"], options={"verify_exp": False}) == CLAIMS
