"""Sign-ins per second on one world, and the world's CPU per sign-in, with the clients in
other processes (so their CPU is not counted and they do not share the world's GIL).

Each client process signs alice in to Okta once, then repeats the SP-initiated SAML sign-in
of ``benchmarks/saml_signin.py`` (authorize -> Okta -> /saml2/idpresponse -> /oauth2/token)
through the world's CONNECT proxy for ``--seconds``.

    .venv/bin/python benchmarks/throughput.py [--clients 1,2,4] [--seconds 10]

Targets (issue "The CI loop in seconds"): <= 3 ms of server CPU per sign-in; >= 250 sign-ins/s.
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import pathlib
import sys
import time

import requests

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import saml_signin  # noqa: E402  (the one definition of the sign-in steps)

import harness  # noqa: E402


class _World:
    """What a client process needs: names and the world's proxy and CA."""

    def __init__(self, running) -> None:
        pool = running.world.user_pool("acme-users")
        client = running.world.client("acme-users", "web")
        self.okta, self.proxy, self.ca = running.okta_host, running.proxy.url, running.ca_file
        self.domain_url, self.client_id, self.secret = pool.domain_url, client.ClientId, client.ClientSecret


def _client(world: _World, seconds: float, start_at: float, out) -> None:
    http = requests.Session()
    http.trust_env = False
    http.proxies = {"https": world.proxy}
    http.verify = world.ca
    authn = http.post(f"https://{world.okta}/api/v1/authn", timeout=30,
                      json={"username": "alice@example.com", "password": "Alice-Passw0rd"}).json()
    http.get(f"https://{world.okta}/login/sessionCookieRedirect", timeout=30,
             params={"token": authn["sessionToken"], "redirectUrl": f"https://{world.okta}/"})
    pool = type("Pool", (), {"domain_url": world.domain_url})
    client = type("Client", (), {"ClientId": world.client_id, "ClientSecret": world.secret})
    saml_signin.sign_in(None, http, client, pool)       # warm-up
    while time.time() < start_at:
        time.sleep(0.001)
    done = 0
    while time.time() < start_at + seconds:
        saml_signin.sign_in(None, http, client, pool)
        done += 1
    out.put(done)


def measure(running, clients: int, seconds: float) -> tuple[float, float]:
    world = _World(running)
    out = multiprocessing.Queue()
    start_at = time.time() + 3.0
    processes = [multiprocessing.Process(target=_client, args=(world, seconds, start_at, out)) for _ in range(clients)]
    for p in processes:
        p.start()
    while time.time() < start_at:
        time.sleep(0.001)
    cpu_before = time.process_time()
    total = sum(out.get(timeout=seconds + 120) for _ in processes)
    cpu = time.process_time() - cpu_before
    for p in processes:
        p.join()
    return total / seconds, cpu / max(total, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", default="1,2,4")
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    with harness.start() as running:
        for clients in [int(c) for c in args.clients.split(",")]:
            rate, cpu = measure(running, clients, args.seconds)
            load = os.getloadavg()
            print(f"{clients} client process(es): {rate:6.1f} sign-ins/s (target >= 250); world CPU "
                  f"{cpu * 1000:.2f} ms per sign-in (target <= 3 ms); load average {load[0]:.2f} {load[1]:.2f}")


if __name__ == "__main__":
    main()
