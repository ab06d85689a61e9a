"""``harness run`` and ``harness demo``: run scenario files through pytest (one item per case,
pytest-xdist for ``-n``), write JUnit XML and the HTML report, print ``N passed, M failed``."""
from __future__ import annotations

import glob
import os
import shutil
import sys

import pytest

from harness import iac as iac_loader
from harness import shard as sharding
from harness.world import load as load_world
from harness.world.dump import to_yaml
from harness.world.errors import WorldError, WorldErrors

from . import spec
from .plugin import load_results, write_report

LIBRARY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "library")


def library_files() -> list[str]:
    return sorted(glob.glob(os.path.join(LIBRARY, "*.yaml")))


def _check_files(files: list[str], world: str | None) -> None:
    """Bad scenario files fail here, with file, line and field, before any browser starts."""

    errors = []
    for path in files:
        try:
            spec.load_file(path, world=world)
        except WorldError as exc:
            errors.append(exc)
    if errors:
        flat = []
        for e in errors:
            flat.extend(e.errors if isinstance(e, WorldErrors) else [e])
        raise WorldErrors(flat)


def run(files: list[str] | None, world: str | None = None, report_dir: str = "harness-report", workers: int = 1,
        headed: bool = False, iac: list[str] | None = None, quiet: bool = False,
        variables: dict | None = None, parameters: dict | None = None, shard: str | None = None,
        shard_durations: str | None = None, engine: str | None = None) -> int:
    """Run ``files`` (default: the built-in library); 0 when every case passed, 1 otherwise, 2 for
    bad input. With ``iac`` the run's world is built from IaC (plus ``world``, the small world
    file beside it) and handed to the workers as a world file. ``shard`` ("K/N") runs shard K of
    N (:mod:`harness.shard`), balanced by the durations in ``shard_durations`` (a previous run's
    junit.xml or report directory) when given. ``engine`` (browser or http) runs every case
    with that engine (default: each file's or case's choice, else the browser)."""

    if iac:
        world = _world_file_from_iac(iac, world, report_dir, variables, parameters)
    files = [os.path.abspath(f) for f in (files or library_files())]
    for path in files:
        if not os.path.exists(path):
            raise WorldError("no such scenario file", file=path)
    world = os.path.abspath(world) if world else None
    if world:
        load_world(world)  # a broken world file is bad input (exit 2), not N failed cases
    _check_files(files, world)
    if shard:
        sharding.durations_from(shard_durations)  # a missing or broken file is bad input (exit 2)
    report_dir = os.path.abspath(report_dir)
    for sub in ("cases", "artifacts"):
        shutil.rmtree(os.path.join(report_dir, sub), ignore_errors=True)
    os.makedirs(report_dir, exist_ok=True)
    args = [*files, "-p", "scenarios.plugin", "--scenario-report", report_dir,
            "--junitxml", os.path.join(report_dir, "junit.xml"), "-p", "no:cacheprovider",
            "--rootdir", os.path.commonpath([os.path.dirname(f) for f in files]), "-o", "addopts=",
            "-W", "ignore::pytest.PytestAssertRewriteWarning", "-q" if not quiet else "-qq"]
    if world:
        args += ["--scenario-world", world]
    if headed:
        args.append("--scenario-headed")
    if engine:
        args += ["--scenario-engine", engine]
    if workers and workers > 1:
        args += ["-n", str(workers), "--scenario-by-world"]
    if shard:
        args += ["--harness-shard", str(sharding.parse(shard))]
        if shard_durations:
            args += ["--harness-shard-durations", os.path.abspath(shard_durations)]
    code = pytest.main(args)

    results = load_results(report_dir)
    report = write_report(report_dir)
    passed = sum(1 for r in results if r.get("status") == "passed")
    failed = len(results) - passed
    print(f"{passed} passed, {failed} failed" + (f" (shard {shard})" if shard else ""))
    print(f"report: {report}")
    sys.stdout.flush()
    if shard and int(code) == pytest.ExitCode.NO_TESTS_COLLECTED and not results:
        return 0  # more shards than cases: this shard's part is empty
    if int(code) not in (0, 1):
        return 2 if not results else 1
    return 0 if failed == 0 and int(code) == 0 else 1


def _world_file_from_iac(iac: list[str], world: str | None, report_dir: str, variables, parameters) -> str:
    loaded = iac_loader.load(iac, variables=variables, parameters=parameters, world_file=world)
    os.makedirs(report_dir, exist_ok=True)
    path = os.path.join(os.path.abspath(report_dir), "world-from-iac.yaml")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(f"# The world `harness run --iac` built from: {', '.join(iac)}\n")
        fh.write(to_yaml(loaded))
    return path


def demo(report_dir: str = "harness-report", shard: str | None = None, engine: str | None = None) -> int:
    """The built-in library on the default world, on up to two workers (``shard``: a part of it)."""
    workers = min(2, os.cpu_count() or 1)
    return run(library_files(), world=None, report_dir=report_dir, workers=workers, shard=shard, engine=engine)
