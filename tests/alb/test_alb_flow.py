"""The ALB's authenticate-cognito flow end to end over HTTP (docs/fidelity/alb.md#alb-alb-cognito-flow):
ALB → Cognito /oauth2/authorize → Okta (SAML) → Cognito /saml2/idpresponse → ALB
/oauth2/idpresponse → token + userInfo at Cognito → session cookie shards → original URI → the
app stand-in receives the three x-amzn-oidc-* headers."""
from __future__ import annotations

import base64
import json
from urllib.parse import urlsplit

import jwt
import pytest

ALB = "https://acme-alb-1234567890.us-east-1.elb.amazonaws.com"
ORIGINAL = f"{ALB}/headers?from=alb"
OIDC = ("x-amzn-oidc-accesstoken", "x-amzn-oidc-identity", "x-amzn-oidc-data")


def _signed_in(user):
    final = user.follow(user.get(ORIGINAL))
    assert final.status_code == 200, (final.status_code, final.url, final.text[:500])
    return final


def _verify_like_aws_documents(http, token: str, expected_signer: str) -> dict:
    """The ALB guide's recipe: kid from the (padded) header, the PEM from the regional public-key
    host, ES256 with PyJWT, then check the signer (docs/fidelity/alb.md#alb-public-key-url)."""
    header = json.loads(base64.b64decode(token.split(".")[0].replace("-", "+").replace("_", "/")))
    assert header["signer"] == expected_signer
    pem = http.get(f"https://public-keys.auth.elb.us-east-1.amazonaws.com/{header['kid']}")
    assert pem.status_code == 200
    return jwt.decode(token, pem.text, algorithms=["ES256"]) | {"_header": header}


def test_the_flow_reaches_the_target_with_the_three_headers(world, http_user):
    user = http_user(world)
    final = _signed_in(user)
    hops = [(urlsplit(r.url).hostname, urlsplit(r.url).path) for r in user.history]
    assert hops[0] == ("acme-alb-1234567890.us-east-1.elb.amazonaws.com", "/headers")
    assert ("myapp.auth.us-east-1.amazoncognito.com", "/oauth2/authorize") in hops
    assert ("acme-alb-1234567890.us-east-1.elb.amazonaws.com", "/oauth2/idpresponse") in hops
    assert final.url == ORIGINAL           # "302 to original URI"
    received = final.json()
    assert set(OIDC) <= set(received)
    lb = world.world.aws.LoadBalancers[0]
    claims = _verify_like_aws_documents(user.http, received["x-amzn-oidc-data"], lb.Arn)
    pool = world.world.user_pool("acme-users")
    client = world.world.client("acme-users", "web")
    assert claims["_header"]["client"] == client.ClientId
    assert claims["_header"]["iss"] == claims["iss"] == pool.issuer
    assert claims["_header"]["alg"] == "ES256"
    assert received["x-amzn-oidc-identity"] == claims["sub"]
    assert claims["email"] == "alice@example.com"
    assert claims["email_verified"] in ("true", "false")     # a string, as userInfo gives it


def test_the_access_token_header_is_cognitos_access_token(world, http_user):
    user = http_user(world)
    received = _signed_in(user).json()
    pool = world.world.user_pool("acme-users")
    jwks = user.http.get(f"https://cognito-idp.us-east-1.amazonaws.com/{pool.Id}/.well-known/jwks.json").json()
    token = received["x-amzn-oidc-accesstoken"]
    key = next(k for k in jwks["keys"] if k["kid"] == jwt.get_unverified_header(token)["kid"])
    claims = jwt.decode(token, jwt.PyJWK(key).key, algorithms=["RS256"], options={"verify_exp": False})
    assert claims["token_use"] == "access"
    assert claims["client_id"] == world.world.client("acme-users", "web").ClientId
    assert claims["sub"] == received["x-amzn-oidc-identity"]


def test_the_session_lives_in_secure_cookie_shards(world, http_user):
    user = http_user(world)
    _signed_in(user)
    names = sorted(c.name for c in user.http.cookies if c.domain.endswith("elb.amazonaws.com"))
    assert names and names[0] == "AWSELBAuthSessionCookie-0"
    assert all(c.secure for c in user.http.cookies if c.name.startswith("AWSELBAuthSessionCookie-"))
    again = user.get(ORIGINAL)      # the cookie is the session: no second trip to Cognito
    assert again.status_code == 200 and set(OIDC) <= set(again.json())


def test_headers_from_the_client_are_overwritten(world, http_user):
    user = http_user(world)
    real = _signed_in(user).json()
    forged = user.get(ORIGINAL, headers={name: "forged" for name in OIDC}).json()
    assert forged["x-amzn-oidc-identity"] == real["x-amzn-oidc-identity"]
    assert forged["x-amzn-oidc-accesstoken"] == real["x-amzn-oidc-accesstoken"]
    assert "forged" not in forged.values()


def test_claims_are_refreshed_until_the_session_timeout(world, http_user):
    # "refresh token used to refresh claims until session timeout"; SessionTimeout default 604800 s.
    user = http_user(world)
    first = _signed_in(user).json()
    world.clock.advance(3700)           # past the access token's expires_in (3600)
    refreshed = user.get(ORIGINAL)
    assert refreshed.status_code == 200
    second = refreshed.json()
    assert second["x-amzn-oidc-identity"] == first["x-amzn-oidc-identity"]
    assert second["x-amzn-oidc-accesstoken"] != first["x-amzn-oidc-accesstoken"]
    assert any(c.startswith("AWSELBAuthSessionCookie-") for c in refreshed.cookies.keys())
    world.clock.advance(604800)
    expired = user.get(ORIGINAL)
    assert expired.status_code == 302
    assert urlsplit(expired.headers["Location"]).path == "/oauth2/authorize"


def test_a_login_slower_than_15_minutes_gets_401(world, http_user):
    # "Auth must complete within 15 minutes, else HTTP 401 from ALB"
    user = http_user(world)
    to_alb = user.follow(user.get(ORIGINAL), stop_before=lambda url: url.startswith(f"{ALB}/oauth2/idpresponse"))
    callback = to_alb.headers["Location"]
    assert callback.startswith(f"{ALB}/oauth2/idpresponse?") and "code=" in callback
    world.clock.advance(15 * 60 + 1)
    assert user.get(callback).status_code == 401


def test_a_code_replayed_at_the_alb_is_refused(world, http_user):
    user = http_user(world)
    _signed_in(user)
    callback = next(r for r in user.history if urlsplit(r.url).path == "/oauth2/idpresponse"
                    and urlsplit(r.url).hostname.endswith("elb.amazonaws.com"))
    assert user.get(callback.url).status_code == 401


@pytest.mark.world("worlds/big_claims.yaml")
def test_claims_over_11kb_are_refused_with_elbauthuserclaimssizeexceeded(world, http_user):
    # docs/fidelity/alb.md#alb-cookies: claims+token > 11 KB → HTTP 500 + ELBAuthUserClaimsSizeExceeded
    user = http_user(world, "carol@example.com")
    final = user.follow(user.get("https://big-alb-7.us-east-1.elb.amazonaws.com/headers"))
    assert urlsplit(final.url).path == "/oauth2/idpresponse", (final.status_code, final.url, final.text[:300])
    assert final.status_code == 500
    assert "ELBAuthUserClaimsSizeExceeded" in final.text
    assert not any(c.name.startswith("AWSELBAuthSessionCookie") for c in user.http.cookies)
