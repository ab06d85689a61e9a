"""Every figure of the issue "The CI loop in seconds", one benchmark after another.

Runs each benchmark below in its own interpreter (so no run warms the next), one at a time
(so none competes with another for the two cores), shows its whole output, and ends with the
lines that name a target, in the issue's table order, with the load average before each run.

    .venv/bin/python benchmarks/issue17.py [--quick]

``--quick`` passes smaller run counts where a benchmark takes them (for a smoke run; the
figures in a closing note come from a run without it).
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

# (script, the figure, arguments for --quick)
BENCHMARKS = [
    ("proxy.py", "request through the CONNECT proxy vs direct", ["--requests", "100"]),
    ("startup.py", "`harness up` until a host answers through the proxy", ["--runs", "5", "--processes", "3"]),
    ("saml_signin.py", "SP-initiated SAML sign-in over HTTP", ["--runs", "50"]),
    ("throughput.py", "server CPU per sign-in; sign-ins/s", ["--seconds", "2", "--runs", "1"]),
    ("browser_signin.py", "browser case; harness demo", ["--runs", "5"]),
    ("http_engine.py", "library over HTTP", []),
    ("saml_response.py", "signed Okta SAML response", ["--runs", "100"]),
]


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller run counts (smoke run)")
    args = parser.parse_args()
    summary: list[str] = []
    failed = 0
    for script, figure, quick in BENCHMARKS:
        header = f"== {script}: {figure} ({_load()} before)"
        print(header, flush=True)
        started = time.perf_counter()
        run = subprocess.run([sys.executable, str(HERE / script), *(quick if args.quick else [])],
                             capture_output=True, text=True, check=False)
        print(run.stdout, end="")
        if run.returncode:
            failed += 1
            print(run.stderr[-4000:], end="", file=sys.stderr)
        print(f"   ({script} took {time.perf_counter() - started:.0f} s, exit {run.returncode})\n", flush=True)
        summary.append(header)
        summary.extend("   " + line.strip() for line in run.stdout.splitlines()
                       if "target" in line.lower())
        if run.returncode:
            summary.append(f"   FAILED with exit {run.returncode}: see its output above")
    print("== summary: every line that names a target")
    print("\n".join(summary))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
