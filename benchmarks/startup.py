"""How long a world takes to start.

1. The whole ``harness up`` process, as a user or CI job sees it: from spawning the command to
   the first answer from a world host through its CONNECT proxy (median of ``--processes``
   runs, with the process's CPU time), and the split of one cold process (imports, world
   load, moto, the rest of the start) in wall and CPU seconds, measured in a child interpreter.
   Target (issue "The CI loop in seconds"): <= 0.6 s. The project's modules are byte-compiled
   first, as installing it does (``--no-compile`` leaves them as they are: under
   PYTHONDONTWRITEBYTECODE an editable install compiles ~140 modules from source in every
   process). Every figure is printed with the load average beside it: on a shared machine the
   CPU seconds are the figure to compare between runs.
2. A world started again in a process that already has one (the pytest plugin and the
   scenario runner do this): from ``harness.start`` to every host answering. Median of
   ``--runs`` starts after a warm-up.

    .venv/bin/python benchmarks/startup.py [--runs 20] [--processes 5] [--world FILE] [--no-compile]
    .venv/bin/python benchmarks/startup.py --baseline DIR [--processes 5]   # against another checkout

Target (issue "A world in one command"): at most 0.5 s on a 2-core machine. For comparison,
Keycloak in a container needs 3-8 s and LocalStack several seconds (not measured here: neither
runs offline on this machine).
"""
from __future__ import annotations

import argparse
import compileall
import json
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

import requests

import harness
from harness.world import load

PACKAGES = ("harness", "harness_cli", "mock_okta", "mock_cognito", "world_common", "scenarios")


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


def one_process(world_file: str | None, tree: str | None = None) -> tuple[float, float]:
    """Spawn ``harness up``; (seconds until a world host answers through the proxy, CPU seconds).
    ``tree``: another checkout of the project to run instead of this one (``--baseline``)."""
    env = dict(os.environ, PYTHONPATH=tree) if tree else None
    directory = tempfile.mkdtemp(prefix="harness-startup-")
    endpoints = os.path.join(directory, "endpoints.json")
    command = [sys.executable, "-m", "harness_cli", "up", "--json", endpoints, "--state",
               os.path.join(directory, "state.json")] + (["--world", world_file] if world_file else [])
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=tree)
    try:
        while not os.path.exists(endpoints):
            if process.poll() is not None:
                raise SystemExit(f"harness up exited with {process.returncode}")
            time.sleep(0.002)
        data = json.load(open(endpoints))
        session = requests.Session()
        session.trust_env = False
        response = session.get("https://dev-123456.okta.com/.well-known/okta-organization",
                               proxies={"https": data["proxy"]}, verify=data["ca_file"], timeout=30)
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, response.status_code
        with open(f"/proc/{process.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return elapsed, cpu
    finally:
        process.terminate()
        process.wait(timeout=30)


SPLIT = """
import json, time
clock = lambda: (time.perf_counter(), time.process_time())
t0 = clock()
import harness, harness_cli.up
t1 = clock()
from harness.world import load

PACKAGES = ("harness", "harness_cli", "mock_okta", "mock_cognito", "world_common", "scenarios")
world = load(WORLD)
t2 = clock()
from mock_cognito import moto_adapter
moto_adapter.reset(); moto_adapter.apply_world(world.aws); moto_adapter.reset()
t3 = clock()
running = harness.start_world(world)
t4 = clock()
running.stop()
print(json.dumps({name: [b[0] - a[0], b[1] - a[1]] for name, a, b in [
    ("imports", t0, t1), ("world load", t1, t2), ("moto (first world)", t2, t3),
    ("rest of the start (apps, keys, listener, proxy)", t3, t4)]}))
"""


def split(world_file: str | None) -> dict:
    """{phase: (wall seconds, CPU seconds)} of one cold process."""
    out = subprocess.run([sys.executable, "-c", SPLIT.replace("WORLD", repr(world_file))], capture_output=True,
                         text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f}"


def compile_project(root: pathlib.Path) -> None:
    """Byte-compile the project's modules, as installing it (pip, a wheel) does. An editable
    install under PYTHONDONTWRITEBYTECODE (set on this machine) never writes them, so every
    process would compile ~140 modules from source again (~0.15 s of CPU)."""
    for package in PACKAGES:
        compileall.compile_dir(str(root / package), quiet=1)


def compare(args) -> None:
    """This tree's ``harness up`` and the baseline's, alternately (same load for both)."""
    baseline = str(pathlib.Path(args.baseline).resolve())
    one_process(args.world, baseline), one_process(args.world)  # warm-up: caches
    runs: dict[str, list] = {baseline: [], "this tree": []}
    for _ in range(args.processes):
        runs[baseline].append(one_process(args.world, baseline))
        runs["this tree"].append(one_process(args.world))
    for name, results in runs.items():
        walls, cpus = [r[0] for r in results], [r[1] for r in results]
        print(f"harness up ({name}): wall median {statistics.median(walls):.2f} s (min {min(walls):.2f}), "
              f"CPU median {statistics.median(cpus):.2f} s (min {min(cpus):.2f}) over {len(results)}; "
              f"target <= 0.60 s; {load_average()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--processes", type=int, default=5)
    parser.add_argument("--world", default=None)
    parser.add_argument("--no-compile", action="store_true",
                        help="leave the project's modules uncompiled (see compile_project)")
    parser.add_argument("--baseline", metavar="DIR",
                        help="another checkout (e.g. `git archive <commit> | tar -x -C DIR`): its `harness up` and "
                             "this one's run alternately, --processes times each, and both are printed")
    args = parser.parse_args()
    if not args.no_compile:
        compile_project(pathlib.Path(__file__).resolve().parent.parent)
        if args.baseline:
            compile_project(pathlib.Path(args.baseline).resolve())
    print(f"project bytecode: {'as left on disk' if args.no_compile else 'compiled first (as an install does)'}; "
          f"PYTHONDONTWRITEBYTECODE={os.environ.get('PYTHONDONTWRITEBYTECODE', '')!r}")
    if args.baseline:
        compare(args)
        return
    one_process(args.world)  # warm-up: key and certificate caches
    runs = [one_process(args.world) for _ in range(args.processes)]
    walls, cpus = [r[0] for r in runs], [r[1] for r in runs]
    median = statistics.median(walls)
    print(f"harness up, whole process until a host answers through the proxy: median {median:.2f} s over "
          f"{args.processes} (min {min(walls):.2f}, max {max(walls):.2f}); CPU {statistics.median(cpus):.2f} s; "
          f"target <= 0.60 s: {'met' if median <= 0.6 else 'NOT met'}; {load_average()}")
    print("  split of one process (wall / CPU): "
          + ", ".join(f"{k} {wall:.2f} / {cpu:.2f} s" for k, (wall, cpu) in split(args.world).items())
          + f"; {load_average()}")
    world_model = load(args.world)
    one_start(world_model)  # warm-up: key and certificate caches, imports
    times = [one_start(world_model) for _ in range(args.runs)]
    median = statistics.median(times)
    print(f"world started again in a process: median {median * 1000:.0f} ms over {args.runs} starts "
          f"(min {min(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms); "
          f"{len(world_model.hosts())} hosts answering; target <= 500 ms: {'met' if median <= 0.5 else 'NOT met'}; "
          f"{load_average()}")


if __name__ == "__main__":
    main()
