"""A prefix domain created through the AWS API after the world started is served at once, over
the proxy, like a domain of the world file; a prefix no pool has is a host the world does not
serve (docs/fidelity/cognito-federation.md#cognito-federation-domain-created-after-start)."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
import requests
from cognito_helpers import CALLBACK, unique
from test_password_login import PASSWORD
from test_triggers import idp_api  # noqa: F401  (fixture)

from harness.internet import routed_session

pytestmark = pytest.mark.world("worlds/triggers.yaml")


@pytest.fixture
def late_pool(idp_api):  # noqa: F811  (fixture)
    """A pool, its app client and its prefix domain, all created through the API after start."""
    pool = idp_api.create_user_pool(PoolName=unique("late-pool"))["UserPool"]
    client = idp_api.create_user_pool_client(
        UserPoolId=pool["Id"], ClientName="late-web", CallbackURLs=[CALLBACK], SupportedIdentityProviders=["COGNITO"],
        AllowedOAuthFlows=["code"], AllowedOAuthScopes=["openid", "email"],
        AllowedOAuthFlowsUserPoolClient=True)["UserPoolClient"]
    prefix = unique("late")
    idp_api.create_user_pool_domain(UserPoolId=pool["Id"], Domain=prefix)
    return pool["Id"], client["ClientId"], f"https://{prefix}.auth.us-east-1.amazoncognito.com", prefix


def through_proxy(world) -> requests.Session:
    """A program outside the harness: HTTPS_PROXY and the world's CA, nothing else."""
    session = requests.Session()
    session.trust_env = False
    session.proxies, session.verify = {"https": world.proxy.url}, world.ca_file
    return session


def test_a_domain_created_after_start_serves_the_managed_login_of_its_pool(world, idp_api, late_pool):  # noqa: F811
    pool_id, client_id, base, prefix = late_pool
    query = {"client_id": client_id, "redirect_uri": CALLBACK, "response_type": "code", "scope": "openid email",
             "state": "s-1"}
    with through_proxy(world) as http:
        authorize = http.get(f"{base}/oauth2/authorize", params=query, allow_redirects=False, timeout=10)
        assert authorize.status_code == 302, authorize.text
        assert authorize.headers["Location"].startswith("/login?")
        page = http.get(f"{base}/login", params=query, allow_redirects=False, timeout=10)
        assert page.status_code == 200 and 'name="password"' in page.text, page.text[:500]

        # A user of the new pool signs in there and the code becomes the new pool's tokens.
        name = unique("late-user")
        idp_api.admin_create_user(UserPoolId=pool_id, Username=name, MessageAction="SUPPRESS")
        idp_api.admin_set_user_password(UserPoolId=pool_id, Username=name, Password=PASSWORD, Permanent=True)
        signed_in = http.post(f"{base}/login", params=query, data={"username": name, "password": PASSWORD},
                              allow_redirects=False, timeout=10)
        assert signed_in.status_code == 302 and signed_in.headers["Location"].startswith(CALLBACK), signed_in.text
        code = parse_qs(urlsplit(signed_in.headers["Location"]).query)["code"][0]
        tokens = http.post(f"{base}/oauth2/token", timeout=10, data={
            "grant_type": "authorization_code", "client_id": client_id, "code": code, "redirect_uri": CALLBACK})
        assert tokens.status_code == 200, tokens.text
        issuer = f"https://cognito-idp.us-east-1.amazonaws.com/{pool_id}"
        keys = jwt.PyJWKSet.from_dict(http.get(f"{issuer}/.well-known/jwks.json", timeout=10).json())
        id_token = tokens.json()["id_token"]
        key = next(k for k in keys.keys if k.key_id == jwt.get_unverified_header(id_token)["kid"])
        claims = jwt.decode(id_token, key.key, algorithms=["RS256"],
                            audience=client_id, issuer=issuer, options={"verify_exp": False, "verify_iat": False})
        assert claims["cognito:username"] == name

    # The world's own routed session and Chromium reach it too.
    with routed_session(world.port, world.hosts, world.ca_file) as http:
        assert http.get(f"{base}/login", params=query, timeout=10).status_code == 200
    rules = next(a for a in world.chromium_args() if a.startswith("--host-resolver-rules="))
    assert f"MAP *.auth.us-east-1.amazoncognito.com 127.0.0.1:{world.port}" in rules

    # Deleted again: the domain's pages are gone (as for a domain of the world file).
    idp_api.delete_user_pool_domain(UserPoolId=pool_id, Domain=prefix)
    with through_proxy(world) as http:
        gone = http.get(f"{base}/login", params=query, allow_redirects=False, timeout=10)
    assert gone.status_code == 404 and "An error was encountered with the requested page." in gone.text


def test_a_prefix_no_pool_has_is_a_host_the_world_does_not_serve(world):
    host = f"{unique('nobody')}.auth.us-east-1.amazoncognito.com"
    with through_proxy(world) as http:
        response = http.get(f"https://{host}/login", params={"client_id": "x"}, timeout=10)
    assert response.status_code == 502
    assert f"this world serves no host {host!r}" in response.text
    # Neither two labels under the pattern nor another region's prefix domain is served.
    for other in (f"a.{host}", "plainauth.auth.eu-west-1.amazoncognito.com"):
        with through_proxy(world) as http, pytest.raises(requests.exceptions.ProxyError):
            http.get(f"https://{other}/login", timeout=10)


def test_the_domains_of_the_world_file_are_served_as_before(world, idp_api):  # noqa: F811
    pool = world.world.user_pool("plain")
    with through_proxy(world) as http:
        response = http.get(f"{pool.domain_url}/error", timeout=10)
    assert response.status_code == 400 and "An error was encountered with the requested page." in response.text


@pytest.mark.browser
def test_chromium_opens_the_managed_login_of_a_domain_created_after_start(page, late_pool):
    _, client_id, base, _ = late_pool
    page.goto(f"{base}/oauth2/authorize?client_id={client_id}&redirect_uri={CALLBACK}&response_type=code"
              "&scope=openid+email")
    assert page.url.startswith(f"{base}/login?")
    assert page.locator('input[name="password"]').count() == 1
