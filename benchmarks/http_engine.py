"""The built-in scenario library with the HTTP engine (no browser), issue 17 item 4.

    python benchmarks/http_engine.py [--cli] [--runs 1]

Runs every case of ``scenarios/library`` in this process (imports and the first world start
are warm-up, not timed; cases are ordered so a world is reused by its cases, as the pytest
plugin orders them) and prints the wall time, split into world starts and the cases
themselves, with the CPU time and the load average beside. Every case must pass, so a fast
failure cannot pass for a fast run. With ``--cli`` it also times the whole
``harness run --engine http`` process (pytest, imports, report included).

Target: the library in <= 3 s of wall time with the HTTP engine.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

from scenarios import execute, plugin, runner, spec
from scenarios.http_driver import HttpAgents

TARGET_S = 3.0


def _cases():
    cases = [case for path in runner.library_files() for case in spec.load_file(path)]
    order: dict = {}
    for case in cases:
        order.setdefault(plugin._world_key(case), len(order))
    return sorted(cases, key=lambda c: order[plugin._world_key(c)])


def _load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


class _TimedWorlds(execute.Worlds):
    """Worlds that add up the time spent starting worlds."""

    spent = 0.0

    def get(self, case):
        started = time.perf_counter()
        try:
            return super().get(case)
        finally:
            self.spent += time.perf_counter() - started


def library_once(cases) -> tuple[float, float, float, int]:
    """(wall s, world-start s, CPU s, worlds started) of one run of the library."""
    worlds, engine = _TimedWorlds(), HttpAgents()
    worlds.get(cases[0])                    # warm: imports, keys, the first world
    worlds.spent = 0.0
    worlds.close()
    started, cpu = time.perf_counter(), time.process_time()
    keys = set()
    try:
        for case in cases:
            result = execute.run_case(case, worlds, engine, None, record_trace=False)
            keys.add(worlds.key)
            if result["status"] != "passed":
                raise SystemExit(f"{case.id} did not pass over HTTP, nothing to time:\n{result['message']}")
        return time.perf_counter() - started, worlds.spent, time.process_time() - cpu, len(keys)
    finally:
        engine.close()
        worlds.close()


def cli_once() -> tuple[float, str]:
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        out = subprocess.run([sys.executable, "-m", "harness_cli", "run", "--engine", "http", "--report", tmp],
                             capture_output=True, text=True)
        elapsed = time.perf_counter() - started
    summary = next((line for line in reversed(out.stdout.splitlines()) if " passed, " in line), out.stderr[-300:])
    return elapsed, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="runs of the library (the median is printed)")
    parser.add_argument("--cli", action="store_true", help="also time `harness run --engine http` as a process")
    args = parser.parse_args()
    cases = _cases()
    runs = [library_once(cases) for _ in range(args.runs)]
    wall = statistics.median(r[0] for r in runs)
    worlds = statistics.median(r[1] for r in runs)
    cpu = statistics.median(r[2] for r in runs)
    print(f"library over HTTP ({len(cases)} cases, {runs[0][3]} worlds), in process: {wall:.2f} s wall "
          f"(world starts {worlds:.2f} s, cases {wall - worlds:.2f} s; CPU {cpu:.2f} s); target <= {TARGET_S:g} s: "
          f"{'met' if wall <= TARGET_S else 'NOT met'}; {_load()}")
    if args.cli:
        elapsed, summary = cli_once()
        print(f"`harness run --engine http` whole process: {elapsed:.2f} s wall ({summary}); {_load()}")


if __name__ == "__main__":
    main()
