"""The robustness fuzzer at volume: 10^5 malformed and hostile requests over every route of
the default world (tests/robustness/fuzzer.py; the test suite sends a few thousand), then a
normal sign-in. Prints the status counts, every defect class, and the process's RSS before and
after beside the trace's byte cap.

    .venv/bin/python benchmarks/fuzz.py [--count 100000] [--seed 1]

Target (issue "Green on a fresh machine"): 0 responses >= 500 other than the unknown host's
deliberate 502, 0 tracebacks, 0 desyncs, RSS growth below the trace cap.
"""
from __future__ import annotations

import argparse
import logging
import os
import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "tests" / "robustness"))

import fuzzer  # noqa: E402  (the test suite's fuzzer, one copy)

import harness  # noqa: E402
from harness import probe  # noqa: E402


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # the moto adapter logs every call it cannot parse
    with harness.start() as world:
        before = rss_mb()
        started = time.perf_counter()
        warm_up = max(1, args.count // 50)   # the first requests import and allocate what stays
        tally = fuzzer.run(world, warm_up, seed=args.seed + 1)
        warmed = rss_mb()
        tally = fuzzer.run(world, args.count, seed=args.seed, tally=tally)
        elapsed = time.perf_counter() - started
        after = rss_mb()
        okta, pool = world.world.okta, world.world.aws.UserPools[0]
        client = next(c for c in pool.Clients if c.ClientName == "web")
        alice = next(u for u in okta.users if u.login == "alice@example.com")
        outcome = probe.cognito_sign_in(world, alice, pool, client, "Okta")
        cap_mb = world.trace.max_bytes / 1024 / 1024
        print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
        print(f"sent {tally.sent} in {elapsed:.1f} s ({tally.sent / elapsed:.0f}/s)")
        print("statuses", dict(sorted(tally.statuses.items())))
        for kind in ("5xx", "traceback", "desync", "kept-after-bad-framing"):
            print(f"{kind:24} {tally.defects.get(kind, 0)}   (target 0)")
            for request, detail in tally.examples.get(kind, [])[:3]:
                print(f"    {request[:120]!r} -> {detail[:160]}")
        print(f"RSS before {before:.0f} MB, after {warm_up} warm-up requests {warmed:.0f} MB, after all "
              f"{after:.0f} MB: growth after the warm-up {after - warmed:.0f} MB (trace cap {cap_mb:.0f} MB; "
              f"target: growth below the cap), from the start {after - before:.0f} MB")
        print(f"sign-in afterwards: {'ok' if outcome.ok else 'FAILED: ' + outcome.seen}")
        bad = sum(tally.defects.values()) or not outcome.ok or (after - warmed) > cap_mb
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
