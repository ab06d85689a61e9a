"""CPU of Cognito's requests 3 and 4 of a sign-in, in process: ``POST /saml2/idpresponse`` and
``POST /oauth2/token`` (issue #17), with no server, TLS or client around them.

The world's WSGI apps are called with prepared environs: first ``--runs`` SP-initiated starts
(``/oauth2/authorize`` -> Okta's SSO, the user signed in to Okta once) collect that many SAML
responses; then each is posted to the ACS and its code to the token endpoint, timing each call
of the app on this thread's CPU clock (``time.thread_time``: what the machine's other work does
not count in). Prints the mean, first quartile and median of each request, and what of that is
RSA (two signature verifications in the ACS, two RS256 signatures and one RSA-OAEP key wrap at
the token endpoint), measured on the same keys in the same run.

    .venv/bin/python benchmarks/cognito_acs_token.py [--runs 2000]

The garbage collector is off while timing (its collections land in whichever request runs;
benchmarks/throughput.py counts them in the world's CPU).
"""
from __future__ import annotations

import argparse
import base64
import gc
import io
import json
import os
import re
import statistics
import sys
import time
from html import unescape
from urllib.parse import parse_qs, urlencode, urlsplit

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

import harness
from mock_cognito import refresh_token, tokens

CALLBACK = "https://app.example.com/callback"
_FORM_FIELD = re.compile(r'name="(SAMLResponse|RelayState)"[^>]*value="([^"]*)"')


def _environ(method: str, url: str, body: bytes = b"", headers: tuple = ()) -> dict:
    """What harness.wsgi_server hands an app for this request."""
    parts = urlsplit(url)
    environ = {"REQUEST_METHOD": method, "SCRIPT_NAME": "", "PATH_INFO": parts.path, "QUERY_STRING": parts.query,
               "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "443", "SERVER_PROTOCOL": "HTTP/1.1",
               "REMOTE_ADDR": "127.0.0.1", "REMOTE_PORT": "50000", "wsgi.version": (1, 0), "wsgi.url_scheme": "https",
               "wsgi.input": io.BytesIO(body), "wsgi.errors": sys.stderr, "wsgi.multithread": True,
               "wsgi.multiprocess": False, "wsgi.run_once": False, "CONTENT_LENGTH": str(len(body)) if body else "",
               "HTTP_HOST": parts.netloc, "HTTP_USER_AGENT": "bench", "HTTP_ACCEPT": "*/*"}
    for name, value in headers:
        key = name.upper().replace("-", "_")
        environ[key if key == "CONTENT_TYPE" else "HTTP_" + key] = value
    return environ


def _call(app, environ: dict) -> tuple[str, dict, bytes]:
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = status, {k.lower(): v for k, v in headers}

    body = b"".join(app(environ, start_response))
    return answer["status"], answer["headers"], body


def _okta_cookie(okta_app, okta: str) -> str:
    """The Okta session cookie of alice (primary authentication, then the session redirect)."""
    credentials = json.dumps({"username": "alice@example.com", "password": "Alice-Passw0rd"}).encode()
    _, _, body = _call(okta_app, _environ("POST", f"https://{okta}/api/v1/authn", credentials,
                                          (("Content-Type", "application/json"),)))
    url = f"https://{okta}/login/sessionCookieRedirect?" + urlencode(
        {"token": json.loads(body)["sessionToken"], "redirectUrl": f"https://{okta}/"})
    cookies = []
    okta_app(_environ("GET", url), lambda status, headers, exc_info=None: cookies.extend(
        v.split(";")[0] for k, v in headers if k.lower() == "set-cookie"))
    return "; ".join(cookies)


def sign_in_apps(running) -> tuple:
    """What the benchmark's sign-in needs of a started default world: the user pool, the app
    client, Okta's and Cognito's WSGI apps, alice's Okta cookie, the authorize URL."""
    pool, client = running.world.user_pool("acme-users"), running.world.client("acme-users", "web")
    okta, domain = running.okta_host, pool.domain_url
    okta_app, cognito_app = running.dispatcher.app_for(okta), running.dispatcher.app_for(urlsplit(domain).netloc)
    authorize = f"{domain}/oauth2/authorize?" + urlencode({
        "client_id": client.ClientId, "redirect_uri": CALLBACK, "response_type": "code", "scope": "openid email",
        "identity_provider": "Okta", "state": "bench"})
    return pool, client, okta_app, cognito_app, _okta_cookie(okta_app, okta), authorize


def _per_call(fn, runs: int) -> float:
    started = time.thread_time()
    for _ in range(runs):
        fn()
    return (time.thread_time() - started) / runs


def _rsa(pool_id: str, runs: int = 200) -> tuple[float, float]:
    """CPU of the ACS's RSA (two PKCS#1 v1.5 verifications) and of the token endpoint's (two RS256
    signatures, one RSA-OAEP key wrap), on the pool's own 2048-bit keys."""
    _, key = tokens.signing_keys(pool_id)["id"]
    public, wrap_key = key.public_key(), refresh_token._public_key(pool_id)
    data = os.urandom(1500)
    signature = key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    verify = _per_call(lambda: public.verify(signature, data, padding.PKCS1v15(), hashes.SHA256()), runs)
    sign = _per_call(lambda: key.sign(data, padding.PKCS1v15(), hashes.SHA256()), runs)
    wrap = _per_call(lambda: wrap_key.encrypt(os.urandom(32), refresh_token._OAEP), runs)
    return 2 * verify, 2 * sign + wrap


def _summary(name: str, samples: list[float], rsa: float) -> str:
    quartiles = statistics.quantiles(samples, n=4)
    mean = statistics.fmean(samples)
    return (f"  {name:<12} mean {mean * 1e6:6.0f} us, q1 {quartiles[0] * 1e6:6.0f}, median {quartiles[1] * 1e6:6.0f}; "
            f"RSA {rsa * 1e6:4.0f} us; median without RSA {(quartiles[1] - rsa) * 1e6:6.0f} us")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000)
    args = parser.parse_args()
    with harness.start() as running:
        pool, client, okta_app, cognito_app, cookie, authorize = sign_in_apps(running)
        domain = pool.domain_url
        basic = base64.b64encode(f"{client.ClientId}:{client.ClientSecret}".encode()).decode()
        forms = []
        for _ in range(args.runs + 50):   # the first 50 warm up
            _, headers, _ = _call(cognito_app, _environ("GET", authorize))
            _, _, page = _call(okta_app, _environ("GET", headers["location"], headers=(("Cookie", cookie),)))
            forms.append(urlencode({k: unescape(v) for k, v in _FORM_FIELD.findall(page.decode())}).encode())
        form_type = ("Content-Type", "application/x-www-form-urlencoded")
        acs, token = [], []
        gc.collect()
        gc.disable()
        try:
            for form in forms:
                environ = _environ("POST", f"{domain}/saml2/idpresponse", form, (form_type,))
                started = time.thread_time()
                status, headers, _ = _call(cognito_app, environ)
                acs.append(time.thread_time() - started)
                assert status.startswith("302") and "code=" in headers["location"], (status, headers)
                code = parse_qs(urlsplit(headers["location"]).query)["code"][0]
                body = urlencode({"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK,
                                  "client_id": client.ClientId}).encode()
                environ = _environ("POST", f"{domain}/oauth2/token", body, (form_type, ("Authorization", "Basic " + basic)))
                started = time.thread_time()
                status, _, answer = _call(cognito_app, environ)
                token.append(time.thread_time() - started)
                assert status.startswith("200") and b'"id_token"' in answer, answer
        finally:
            gc.enable()
        acs_rsa, token_rsa = _rsa(pool.Id)
    load = os.getloadavg()
    print(f"Cognito's requests 3 and 4 in process, {args.runs} sign-ins (thread CPU per request; "
          f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f})")
    print(_summary("idpresponse", acs[50:], acs_rsa))
    print(_summary("token", token[50:], token_rsa))
    both = statistics.median(a + t for a, t in zip(acs[50:], token[50:], strict=True))
    print(f"  {'both':<12} median {both * 1e6:6.0f} us; without RSA {(both - acs_rsa - token_rsa) * 1e6:6.0f} us")


if __name__ == "__main__":
    main()
