"""CPU of requests 1 and 2 of a sign-in, in process: Cognito's ``GET /oauth2/authorize`` with
``identity_provider=Okta`` (302 to Okta with the AuthnRequest) and Okta's ``GET .../sso/saml``
(the auto-post page with the signed SAMLResponse) (issue #17), with no server, TLS or client.

The world's WSGI apps are called with prepared environs (benchmarks/cognito_acs_token.py's), the
user signed in to Okta once; each sign-in's response is then posted to Cognito's ACS, untimed, so
Cognito's state is what a sign-in leaves. Each of the two calls is timed on this thread's CPU
clock (``time.thread_time``). Prints the mean, first quartile and median of each request and
what of request 2 is RSA (Okta's two RSA-2048 SHA-256 signatures, Response and Assertion),
measured on the app's key in the same run.

    .venv/bin/python benchmarks/authorize_sso.py [--runs 2000]

The garbage collector is off while timing (benchmarks/throughput.py counts its collections).
"""
from __future__ import annotations

import argparse
import gc
import os
import re
import statistics
import time
from html import unescape
from urllib.parse import urlencode

from cognito_acs_token import _call, _environ, _per_call, _summary, sign_in_apps
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

import harness
from mock_okta.saml.keys import signing_key_and_cert

_FORM_FIELD = re.compile(r'name="(SAMLResponse|RelayState)"[^>]*value="([^"]*)"')


def _rsa(org_url: str, app_id: str, runs: int = 200) -> float:
    """CPU of the SSO's two signatures on the app's own key (SignedInfo is ~0.7 KB)."""
    key = signing_key_and_cert(org_url, app_id)[0]
    data = os.urandom(700)
    return 2 * _per_call(lambda: key.sign(data, padding.PKCS1v15(), hashes.SHA256()), runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000)
    args = parser.parse_args()
    with harness.start() as running:
        pool, _, okta_app, cognito_app, cookie, authorize = sign_in_apps(running)
        domain = pool.domain_url
        form_type = ("Content-Type", "application/x-www-form-urlencoded")
        first, second = [], []
        gc.collect()
        gc.disable()
        try:
            for _ in range(args.runs + 50):   # the first 50 warm up
                environ = _environ("GET", authorize)
                started = time.thread_time()
                status, headers, _ = _call(cognito_app, environ)
                first.append(time.thread_time() - started)
                assert status.startswith("302") and "SAMLRequest=" in headers["location"], (status, headers)
                environ = _environ("GET", headers["location"], headers=(("Cookie", cookie),))
                started = time.thread_time()
                status, _, page = _call(okta_app, environ)
                second.append(time.thread_time() - started)
                assert status.startswith("200"), page[:300]
                form = urlencode({k: unescape(v) for k, v in _FORM_FIELD.findall(page.decode())}).encode()
                status, headers, _ = _call(cognito_app, _environ("POST", f"{domain}/saml2/idpresponse", form,
                                                                 (form_type,)))
                assert status.startswith("302") and "code=" in headers["location"], (status, headers)
        finally:
            gc.enable()
        app = next(a for a in running.world.okta.apps if a.label == "Cognito SAML")
        sso_rsa = _rsa(running.world.okta.org_url, app.id)
    load = os.getloadavg()
    print(f"Requests 1 and 2 in process, {args.runs} sign-ins (thread CPU per request; "
          f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f})")
    print(_summary("authorize", first[50:], 0.0))
    print(_summary("okta sso", second[50:], sso_rsa))
    both = statistics.median(a + b for a, b in zip(first[50:], second[50:], strict=True))
    print(f"  {'both':<12} median {both * 1e6:6.0f} us; without RSA {(both - sso_rsa) * 1e6:6.0f} us")


if __name__ == "__main__":
    main()
