"""How long a world takes to start: from the call of ``harness.start`` to every host answering
through the listener. Median of 20 starts (after one warm-up start that fills the key and
certificate caches), printed with the minimum and maximum.

    python benchmarks/startup.py [--runs 20] [--world FILE]

Target (issue "A world in one command"): at most 0.5 s on a 2-core machine. For comparison,
Keycloak in a container needs 3-8 s and LocalStack several seconds (not measured here: neither
runs offline on this machine).
"""
from __future__ import annotations

import argparse
import statistics
import time

import harness
from harness.world import load


def probe_url(world, host: str) -> str:
    """A URL on ``host`` that the world answers (any status but the dispatcher's 502 counts)."""
    return f"https://{host}/"


def one_start(world_model) -> float:
    started = time.perf_counter()
    with harness.start(world_model) as world:
        for host in world.world.hosts():
            response = world.http.get(probe_url(world, host), allow_redirects=False, timeout=10)
            if response.status_code == 502 and "serves no host" in response.text:
                raise SystemExit(f"{host} did not answer through the listener")
        elapsed = time.perf_counter() - started
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--world", default=None)
    args = parser.parse_args()
    world_model = load(args.world)
    one_start(world_model)  # warm-up: key and certificate caches, imports
    times = [one_start(world_model) for _ in range(args.runs)]
    median = statistics.median(times)
    print(f"startup: median {median * 1000:.0f} ms over {args.runs} starts "
          f"(min {min(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms); "
          f"{len(world_model.hosts())} hosts answering; target <= 500 ms: {'met' if median <= 0.5 else 'NOT met'}")


if __name__ == "__main__":
    main()
