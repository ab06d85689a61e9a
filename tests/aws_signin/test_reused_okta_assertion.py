"""A cached Okta assertion used again after five minutes gets the text people report
(docs/fidelity/okta-mfa-idx.md#okta-mfa-idx-sts-redeem-window-first: gimme-aws-creds issue
#251, "ExpiredTokenException ... Token must be redeemed within 5 minutes of issuance").
The assertion comes from mock_okta's AWS app, whose NotOnOrAfter is IssueInstant + 5 minutes."""
from __future__ import annotations

import html
import re

from .assertions import ADMIN, PROVIDER
from .conftest import sts_error


def okta_aws_assertion(world, login="alice@example.com", password="Alice-Passw0rd") -> str:
    org = world.world.okta.org_url
    app = world.world.okta_app("AWS Account Federation")
    world.http.cookies.clear()
    token = world.http.post(f"{org}/api/v1/authn", json={"username": login, "password": password}).json()["sessionToken"]
    page = world.http.get(f"{org}/login/sessionCookieRedirect", params={"token": token, "redirectUrl": app.embed_link})
    world.http.cookies.clear()
    return html.unescape(re.search(r'name="SAMLResponse"[^>]*value="([^"]+)"', page.text).group(1))


def test_an_okta_assertion_reused_after_five_minutes(world, sts):
    saml = okta_aws_assertion(world)
    first = sts.assume_role_with_saml(RoleArn=ADMIN, PrincipalArn=PROVIDER, SAMLAssertion=saml)
    assert first["Subject"] == "alice@example.com"
    world.clock.advance(6 * 60)
    assert sts_error(sts.assume_role_with_saml, RoleArn=ADMIN, PrincipalArn=PROVIDER, SAMLAssertion=saml) == (
        "ExpiredTokenException", "Token must be redeemed within 5 minutes of issuance", 400)
