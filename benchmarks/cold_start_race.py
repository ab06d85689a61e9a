"""N worlds started at the same moment on one empty cache, each signing alice in through the
SP-initiated SAML flow: the race that once left two CAs (issue "Green on a fresh machine").

    .venv/bin/python benchmarks/cold_start_race.py [--worlds 4]

Target: every world signs in; all of them trust one CA.
"""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time

SIGN_IN = """
import json, time
started = time.perf_counter()
import harness
from harness import probe
with harness.start() as world:
    up = time.perf_counter() - started
    okta, pool = world.world.okta, world.world.aws.UserPools[0]
    client = next(c for c in pool.Clients if c.ClientName == "web")
    alice = next(u for u in okta.users if u.login == "alice@example.com")
    outcome = probe.cognito_sign_in(world, alice, pool, client, "Okta")
    print(json.dumps({"ok": outcome.ok, "seen": outcome.seen, "up_s": round(up, 2),
                      "ca": world.credentials.ca_fingerprint_sha256[:16]}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worlds", type=int, default=4)
    args = parser.parse_args()
    cache = pathlib.Path(tempfile.mkdtemp(prefix="harness-cold-"))
    env = {**os.environ, "OKTA_AWS_HARNESS_CACHE": str(cache)}
    started = time.perf_counter()
    processes = [subprocess.Popen([sys.executable, "-c", SIGN_IN], env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(args.worlds)]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=600)
        lines = out.strip().splitlines()
        results.append(json.loads(lines[-1]) if process.returncode == 0 and lines else
                       {"ok": False, "seen": err.strip().splitlines()[-1:] or "no output"})
    load = os.getloadavg()
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; cache {cache} (empty at start)")
    for i, result in enumerate(results, 1):
        print(f"world {i}: {'signed in' if result['ok'] else 'FAILED'}  {result}")
    cas = {r.get("ca") for r in results}
    print(f"{sum(r['ok'] for r in results)}/{len(results)} signed in; {len(cas)} CA(s); "
          f"{time.perf_counter() - started:.1f} s in all")
    return 0 if all(r["ok"] for r in results) and len(cas) == 1 else 1


if __name__ == "__main__":
    raise SystemExit(main())
