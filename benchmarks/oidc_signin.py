"""One OIDC federated sign-in over HTTP, Cognito's ``/oauth2/authorize`` to Cognito's token
response, in the default world (Okta's org authorization server as the OpenID Provider of the
pool's ``OktaOIDC`` IdP, app client ``web-oidc``). The user already holds an Okta session, as a
browser would after the first sign-in; each run walks:

    Cognito /oauth2/authorize -> Okta /oauth2/v1/authorize -> Cognito /oauth2/idpresponse
    (server side: Okta /v1/token, /v1/keys once, /v1/userinfo) -> app callback -> Cognito /oauth2/token

    python benchmarks/oidc_signin.py [--runs 50]

Target (issue 5 "Speed"): median at most 10 ms. The peer printed beside it is one plain HTTPS
round trip through the same listener (Okta's discovery document), so the ratio says how many
round trips' worth one sign-in costs.
"""
from __future__ import annotations

import argparse
import statistics
import time
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import harness
from harness.internet import routed_session

CALLBACK = "https://app.example.com/callback"


def okta_session(running, http, login="alice@example.com", password="Alice-Passw0rd") -> None:
    org = running.world.okta.org_url
    authn = http.post(f"{org}/api/v1/authn", json={"username": login, "password": password}, timeout=15)
    authn.raise_for_status()
    http.get(f"{org}/login/sessionCookieRedirect", params={"token": authn.json()["sessionToken"],
                                                           "redirectUrl": f"{org}/"},
             allow_redirects=False, timeout=15)


def one_sign_in(http, pool, client) -> dict:
    url = f"{pool.domain_url}/oauth2/authorize?" + urlencode({
        "identity_provider": "OktaOIDC", "client_id": client.ClientId, "redirect_uri": CALLBACK,
        "response_type": "code", "scope": "openid email profile", "state": "bench"})
    for _ in range(10):
        response = http.get(url, allow_redirects=False, timeout=15)
        if not response.is_redirect:
            raise SystemExit(f"sign-in stopped at {response.status_code} {url}: {response.text[:300]}")
        url = urljoin(url, response.headers["Location"])
        if url.startswith(CALLBACK):
            break
    params = parse_qs(urlsplit(url).query)
    if "code" not in params:
        raise SystemExit(f"no code at the app: {url}")
    tokens = http.post(f"{pool.domain_url}/oauth2/token", auth=(client.ClientId, client.ClientSecret),
                       data={"grant_type": "authorization_code", "code": params["code"][0],
                             "redirect_uri": CALLBACK}, timeout=15)
    if tokens.status_code != 200:
        raise SystemExit(f"token endpoint: {tokens.status_code} {tokens.text[:300]}")
    return tokens.json()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    with harness.start() as running:
        pool = running.world.aws.UserPools[0]
        client = next(c for c in pool.Clients if c.ClientName == "web-oidc")
        http = routed_session(running.port, running.world.hosts(), running.ca_file)
        okta_session(running, http)
        one_sign_in(http, pool, client)          # warm-up: discovery, JWKS, connections
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            one_sign_in(http, pool, client)
            times.append(time.perf_counter() - started)
        discovery = f"{running.world.okta.org_url}/.well-known/openid-configuration"
        trips = []
        for _ in range(args.runs):
            started = time.perf_counter()
            http.get(discovery, timeout=15)
            trips.append(time.perf_counter() - started)
    median, trip = statistics.median(times), statistics.median(trips)
    print(f"oidc_signin: median {median * 1000:.1f} ms over {args.runs} sign-ins "
          f"(min {min(times) * 1000:.1f}, max {max(times) * 1000:.1f}); one HTTPS round trip "
          f"{trip * 1000:.2f} ms (x{median / trip:.1f}); target <= 10 ms: {'met' if median <= 0.010 else 'NOT met'}")


if __name__ == "__main__":
    main()
