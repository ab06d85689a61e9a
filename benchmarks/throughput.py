"""Sign-ins per second on one world, and CPU per sign-in of the world and of the clients, with
the clients in other processes (so they do not share the world's GIL).

Each client process signs alice in to Okta once, then repeats the SP-initiated SAML sign-in
of ``benchmarks/saml_signin.py`` (authorize -> Okta -> /saml2/idpresponse -> /oauth2/token)
through the world's CONNECT proxy for ``--seconds``, with ``lean_http`` (keep-alive TLS, one
send a request): the clients share the machine's cores with the world, so the less CPU they
burn, the more sign-ins the figure can show.

    .venv/bin/python benchmarks/throughput.py [--clients 1,2,4] [--seconds 5] [--runs 3] [--split] [--profile 30]

Each number of clients is measured ``--runs`` times; the line with the targets gives the medians
(rate, world CPU and client CPU, each its own median) and every run's world CPU.

``--split`` also prints the world's CPU per sign-in inside the apps, for each of the four
requests (thread CPU, by the request's path), and outside them (the server: TLS, parsing,
framing), which is the world's CPU less the four.

``--profile N [--profile-file F]`` profiles every connection thread of the listener with cProfile
on the thread's CPU clock (``time.thread_time``: waiting, other threads and other processes do
not count, which matters on a shared machine) and prints the top N functions by own and by
cumulative time. The clock is a system call per function call, so small functions look
several times dearer than they are: compare profiles with each other, not with the figures.

Targets (issue "The CI loop in seconds"): <= 3 ms of world CPU per sign-in; >= 250 sign-ins/s.
"""
from __future__ import annotations

import argparse
import collections
import cProfile
import multiprocessing
import os
import pathlib
import pstats
import statistics
import sys
import threading
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import lean_http  # noqa: E402
import saml_signin  # noqa: E402  (the one definition of the sign-in steps)

import harness  # noqa: E402
from harness import internet, wsgi_server  # noqa: E402


class _World:
    """What a client process needs: names and the world's proxy and CA."""

    def __init__(self, running) -> None:
        pool = running.world.user_pool("acme-users")
        client = running.world.client("acme-users", "web")
        self.okta, self.proxy_port, self.ca = running.okta_host, running.proxy.port, running.ca_file
        self.domain_url, self.client_id, self.secret = pool.domain_url, client.ClientId, client.ClientSecret


def _cpu() -> float:
    times = os.times()
    return times.user + times.system


def _client(world: _World, seconds: float, start_at: float, out) -> None:
    agent = lean_http.Agent(world.ca, world.proxy_port, tunnel=True)
    saml_signin.okta_session(agent, world.okta)
    sign_in = saml_signin.SignIn(world.domain_url, world.client_id, world.secret)
    sign_in(agent)       # warm-up: the connections
    while time.time() < start_at:
        time.sleep(0.001)
    cpu_before = _cpu()
    done = 0
    while time.time() < start_at + seconds:
        sign_in(agent)
        done += 1
    out.put((done, _cpu() - cpu_before))


def measure(running, clients: int, seconds: float, steps: "_StepCPU | None" = None) -> tuple[float, float, float]:
    """Sign-ins per second, world CPU and client CPU (seconds) per sign-in; ``steps`` (when
    given) counts from the same moment."""
    world = _World(running)
    out = multiprocessing.Queue()
    start_at = time.time() + 3.0
    processes = [multiprocessing.Process(target=_client, args=(world, seconds, start_at, out)) for _ in range(clients)]
    for p in processes:
        p.start()
    while time.time() < start_at:
        time.sleep(0.001)
    cpu_before = time.process_time()   # this process is the world (its threads serve the listener)
    if steps is not None:
        steps.reset()
    results = [out.get(timeout=seconds + 120) for _ in processes]
    cpu = time.process_time() - cpu_before
    for p in processes:
        p.join()
    total = max(sum(done for done, _ in results), 1)
    return total / seconds, cpu / total, sum(client_cpu for _, client_cpu in results) / total


class _StepCPU:
    """Thread CPU spent inside the world's apps (``HostDispatcher``), per request of the sign-in."""

    STEPS = (("/oauth2/authorize", "1 GET Cognito /oauth2/authorize"), ("/sso/saml", "2 GET Okta .../sso/saml"),
             ("/saml2/idpresponse", "3 POST Cognito /saml2/idpresponse"), ("/oauth2/token", "4 POST Cognito /oauth2/token"))

    def __init__(self) -> None:
        self.cpu: collections.Counter = collections.Counter()
        self.lock = threading.Lock()
        call = internet.HostDispatcher.__call__
        steps = self

        def timed(dispatcher, environ, start_response):
            started = time.thread_time()
            try:
                return call(dispatcher, environ, start_response)
            finally:
                path = environ.get("PATH_INFO", "")
                step = next((name for suffix, name in steps.STEPS if path.endswith(suffix)), "other requests")
                with steps.lock:
                    steps.cpu[step] += time.thread_time() - started

        internet.HostDispatcher.__call__ = timed

    def reset(self) -> None:
        with self.lock:
            self.cpu.clear()

    def print(self, signins: float, world_cpu: float) -> None:
        with self.lock:
            cpu = dict(self.cpu)
        for _, name in (*self.STEPS, (None, "other requests")):
            print(f"    {name:<36} {cpu.get(name, 0.0) / signins * 1000:.2f} ms")
        outside = world_cpu - sum(cpu.values()) / signins
        print(f"    {'outside the apps (server, TLS)':<36} {outside * 1000:.2f} ms", flush=True)


class _ConnectionProfiles:
    """cProfile on the CPU clock of every connection thread, merged when each connection ends."""

    def __init__(self) -> None:
        self.stats: pstats.Stats | None = None
        self.lock = threading.Lock()
        run = wsgi_server._Connection.run
        profiles = self

        def profiled_run(connection) -> None:
            profile = cProfile.Profile(time.thread_time)
            try:
                profile.runcall(run, connection)
            finally:
                with profiles.lock:
                    if profiles.stats is None:
                        profiles.stats = pstats.Stats(profile)
                    else:
                        profiles.stats.add(profile)

        wsgi_server._Connection.run = profiled_run

    def print(self, top: int, path: str | None) -> None:
        with self.lock:
            if self.stats is None:
                return
            if path:
                self.stats.dump_stats(path)
            self.stats.sort_stats("tottime").print_stats(top)
            self.stats.sort_stats("cumulative").print_stats(top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", default="1,2,4")
    parser.add_argument("--seconds", type=float, default=5, help="length of one run")
    parser.add_argument("--runs", type=int, default=3, help="runs per number of clients; the figure is their median")
    parser.add_argument("--split", action="store_true", help="world CPU per request of the sign-in")
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    parser.add_argument("--profile-file", help="also write the merged profile (pstats) here")
    args = parser.parse_args()
    profiles = _ConnectionProfiles() if args.profile else None
    steps = _StepCPU() if args.split else None
    with harness.start() as running:
        for clients in [int(c) for c in args.clients.split(",")]:
            runs = []
            for _ in range(args.runs):
                rate, world_cpu, client_cpu = measure(running, clients, args.seconds, steps)
                runs.append((rate, world_cpu, client_cpu))
                if steps is not None:
                    print(f"  run {len(runs)}: {rate:6.1f} sign-ins/s, world {world_cpu * 1000:.2f} ms a sign-in", flush=True)
                    steps.print(rate * args.seconds, world_cpu)
            rate, world_cpu, client_cpu = (statistics.median(column) for column in zip(*runs, strict=True))
            load = os.getloadavg()
            each = " ".join(f"{cpu * 1000:.2f}" for _, cpu, _ in runs)
            print(f"{clients} client process(es): {rate:6.1f} sign-ins/s (target >= 250); CPU per sign-in: world "
                  f"{world_cpu * 1000:.2f} ms (target <= 3 ms; median of {len(runs)} runs of {args.seconds:g} s: {each}), "
                  f"clients {client_cpu * 1000:.2f} ms; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}", flush=True)
        if profiles is not None:
            time.sleep(1.0)   # the connection threads end after their clients
            profiles.print(args.profile, args.profile_file)


if __name__ == "__main__":
    main()
