"""CPU of WorldFlask's request machinery against stock Flask's, in process (issue #17): the same
world, the same sign-ins, its apps switched between WorldFlask's request class and URL adapter
and Flask's own (``flask.Request``, ``Flask.create_url_adapter``) from one sign-in to the next.

Each sign-in is the benchmark's four requests (Cognito's ``/oauth2/authorize``, Okta's SSO,
Cognito's ACS, its token endpoint) called on the world's WSGI apps with prepared environs, each
call timed on this thread's CPU clock. Prints the median of each request in both modes and the
median of the paired differences (stock minus WorldFlask, sign-ins run back to back: what
world_common/flask_app.py saves), with the load average beside.

    .venv/bin/python benchmarks/flask_machinery.py [--runs 1500]

The garbage collector is off while timing.
"""
from __future__ import annotations

import argparse
import base64
import gc
import os
import statistics
import time
from html import unescape
from urllib.parse import parse_qs, urlencode, urlsplit

import flask
from cognito_acs_token import _FORM_FIELD, CALLBACK, _call, _environ, _okta_cookie

import harness

NAMES = ("authorize", "Okta SSO", "ACS", "token")


def _use_stock(apps, stock: bool) -> None:
    """Flask's own request class and URL adapter on ``apps`` (or WorldFlask's again)."""
    for app in apps:
        world_request = app.__dict__.setdefault("_world_request_class", app.request_class)
        app.request_class = flask.Request if stock else world_request
        if stock:
            app.create_url_adapter = flask.Flask.create_url_adapter.__get__(app)
        else:
            app.__dict__.pop("create_url_adapter", None)


class SignIn:
    def __init__(self, running) -> None:
        pool, client = running.world.user_pool("acme-users"), running.world.client("acme-users", "web")
        self.domain, okta = pool.domain_url, running.okta_host
        self.okta_app = running.dispatcher.app_for(okta)
        self.cognito_app = running.dispatcher.app_for(urlsplit(self.domain).netloc)
        self.cookie = _okta_cookie(self.okta_app, okta)
        self.client_id = client.ClientId
        self.authorize = f"{self.domain}/oauth2/authorize?" + urlencode({
            "client_id": client.ClientId, "redirect_uri": CALLBACK, "response_type": "code", "scope": "openid email",
            "identity_provider": "Okta", "state": "bench"})
        self.basic = base64.b64encode(f"{client.ClientId}:{client.ClientSecret}".encode()).decode()

    def __call__(self) -> list[float]:
        """The thread CPU of each of the four requests of one sign-in."""
        times = []

        def timed(app, environ):
            started = time.thread_time()
            answer = _call(app, environ)
            times.append(time.thread_time() - started)
            return answer

        form_type = ("Content-Type", "application/x-www-form-urlencoded")
        _, headers, _ = timed(self.cognito_app, _environ("GET", self.authorize))
        _, _, page = timed(self.okta_app, _environ("GET", headers["location"], headers=(("Cookie", self.cookie),)))
        form = urlencode({k: unescape(v) for k, v in _FORM_FIELD.findall(page.decode())}).encode()
        status, headers, _ = timed(self.cognito_app, _environ("POST", f"{self.domain}/saml2/idpresponse", form, (form_type,)))
        assert status.startswith("302") and "code=" in headers["location"], (status, headers)
        body = urlencode({"grant_type": "authorization_code", "code": parse_qs(urlsplit(headers["location"]).query)["code"][0],
                          "redirect_uri": CALLBACK, "client_id": self.client_id}).encode()
        status, _, answer = timed(self.cognito_app, _environ("POST", f"{self.domain}/oauth2/token", body,
                                                             (form_type, ("Authorization", "Basic " + self.basic))))
        assert status.startswith("200") and b'"id_token"' in answer, answer
        return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1500)
    args = parser.parse_args()
    with harness.start() as running:
        sign_in = SignIn(running)
        apps = (sign_in.okta_app, sign_in.cognito_app)
        samples = {True: [], False: []}
        for run in range(args.runs + 50):   # the first 50 of each mode warm up
            if run == 50:
                gc.collect()
                gc.disable()
            for stock in ((True, False) if run % 2 else (False, True)):
                _use_stock(apps, stock)
                samples[stock].append(sign_in())
        gc.enable()
        _use_stock(apps, False)
    load = os.getloadavg()
    print(f"Flask's request machinery, stock vs WorldFlask, {args.runs} sign-ins each, interleaved "
          f"(thread CPU per request, medians; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f})")
    saved = 0.0
    for index, name in enumerate(NAMES):
        stock = [s[index] for s in samples[True][50:]]
        world = [s[index] for s in samples[False][50:]]
        paired = statistics.median(a - b for a, b in zip(stock, world, strict=True))
        saved += paired
        print(f"  {name:<10} stock {statistics.median(stock) * 1e6:6.0f} us, WorldFlask {statistics.median(world) * 1e6:6.0f} us,"
              f" saved (median of paired differences) {paired * 1e6:5.1f} us")
    print(f"  per sign-in saved {saved * 1e6:.0f} us")


if __name__ == "__main__":
    main()
