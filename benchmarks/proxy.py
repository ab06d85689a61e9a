"""A request through the CONNECT proxy against the same request straight to the listener:
keep-alive connections, GET and POST, median of many requests each, interleaved.

    .venv/bin/python benchmarks/proxy.py [--requests 400]

Target (issue "The CI loop in seconds"): through the proxy at most 0.5 ms more than direct.
Before the proxy handed its tunnels to the listener, every proxied request waited ~40 ms for a
delayed ACK (no TCP_NODELAY on the relayed sockets). The last line is a POST by ``requests``
through the proxy, as every tool on ``HTTPS_PROXY`` sends it: urllib3 1.26 keeps Nagle on
behind a proxy and writes head and body apart, which cost ~40 ms a POST until the listener
acknowledged at once (``TCP_QUICKACK``).
"""
from __future__ import annotations

import argparse
import http.client
import os
import ssl
import statistics
import time

import requests

import harness

HOST = "dev-123456.okta.com"


def connection(world, via_proxy: bool) -> http.client.HTTPSConnection:
    context = ssl.create_default_context(cafile=world.ca_file)
    if via_proxy:
        conn = http.client.HTTPSConnection("127.0.0.1", world.proxy.port, context=context, timeout=10)
        conn.set_tunnel(HOST, 443)
    else:
        context.check_hostname = False  # straight to 127.0.0.1; the Host header names the org
        conn = http.client.HTTPSConnection("127.0.0.1", world.port, context=context, timeout=10)
    conn.connect()
    return conn


def one(conn, method: str) -> float:
    body = b'{"username":"nobody@example.com","password":"x"}' if method == "POST" else None
    path = "/api/v1/authn" if method == "POST" else "/.well-known/okta-organization"
    started = time.perf_counter()
    conn.request(method, path, body=body, headers={"Host": HOST, "Content-Type": "application/json"})
    response = conn.getresponse()
    response.read()
    return (time.perf_counter() - started) * 1000


def requests_post(session: requests.Session) -> float:
    started = time.perf_counter()
    session.post(f"https://{HOST}/api/v1/authn", json={"username": "nobody@example.com", "password": "x"}, timeout=10)
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400)
    args = parser.parse_args()
    with harness.start() as world:
        conns = {mode: connection(world, mode == "proxy") for mode in ("direct", "proxy")}
        samples = {(mode, m): [] for mode in conns for m in ("GET", "POST")}
        session = requests.Session()
        session.trust_env, session.verify, session.proxies = False, world.ca_file, {"https": world.proxy.url}
        for _ in range(10):  # warm-up
            for conn in conns.values():
                one(conn, "GET")
            requests_post(session)
        nagle = []
        for _ in range(args.requests):
            for method in ("GET", "POST"):
                for mode, conn in conns.items():
                    samples[(mode, method)].append(one(conn, method))
            nagle.append(requests_post(session))
        load = os.getloadavg()
        print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {args.requests} keep-alive requests each")
        for method in ("GET", "POST"):
            direct = statistics.median(samples[("direct", method)])
            proxied = statistics.median(samples[("proxy", method)])
            print(f"{method:4} direct {direct:.2f} ms   through the proxy {proxied:.2f} ms   "
                  f"difference {proxied - direct:+.2f} ms (target <= +0.50 ms)")
        print(f"POST by requests through the proxy (Nagle on, head and body in two writes) {statistics.median(nagle):.2f} ms "
              "(was ~40 ms more than direct)")


if __name__ == "__main__":
    main()
