"""``harness report merge DIR… --out DIR``: join the reports of shards (or of any runs of the
same cases) into one HTML report and one JUnit file.

Each DIR is a ``harness run --report`` directory: ``cases/*.json`` (one result per case),
``artifacts/`` (screenshots, Playwright traces) and ``junit.xml``. A case is identified by its
id (``file name::case name``, the same on every machine); a case found in more than one
directory is counted once, from the directory named last. Artifacts are copied into the
output and the results point at the copies, so the merged report reads on its own even when
the shard directories came from other machines.
"""
from __future__ import annotations

import os
import shutil
import sys
import xml.etree.ElementTree as ET

from harness.world.errors import WorldError

from .execute import write_result
from .plugin import load_results, write_report


def register(subparsers) -> None:
    report = subparsers.add_parser("report", help="work with scenario reports (`harness report merge -h`)")
    verbs = report.add_subparsers(dest="report_command", required=True, metavar="VERB")
    merge_cmd = verbs.add_parser("merge", help="join shard reports into one HTML report and one JUnit file")
    merge_cmd.add_argument("dirs", nargs="+", metavar="DIR", help="report directories of `harness run --report`")
    merge_cmd.add_argument("--out", required=True, metavar="DIR", help="directory for the merged report")
    merge_cmd.set_defaults(func=run)


def run(args) -> int:
    results, junit = merge(args.dirs, args.out)
    passed = sum(1 for r in results if r.get("status") == "passed")
    print(f"merged {len(args.dirs)} reports: {passed} passed, {len(results) - passed} failed")
    print(f"report: {os.path.join(os.path.abspath(args.out), 'report.html')}")
    print(f"junit: {junit}")
    return 0 if passed == len(results) else 1


def _check_dirs(dirs: list[str], out: str) -> None:
    for directory in dirs:
        if not os.path.isdir(directory):
            raise WorldError("no such report directory", file=directory)
        if not os.path.isdir(os.path.join(directory, "cases")) and not os.path.exists(
                os.path.join(directory, "junit.xml")):
            raise WorldError("not a report directory of `harness run` (no cases/ and no junit.xml)", file=directory)
        if os.path.abspath(directory) == os.path.abspath(out):
            raise WorldError("--out must be a new directory, not one of the reports being merged", file=out)


def merge(dirs: list[str], out: str) -> tuple[list[dict], str]:
    """Merge ``dirs`` into ``out``; (the merged results, the path of the merged junit.xml)."""
    _check_dirs(dirs, out)
    by_id: dict[str, dict] = {}
    origin: dict[str, str] = {}
    for directory in dirs:
        for result in load_results(directory):
            key = result.get("id") or f"{os.path.basename(result.get('file') or '')}::{result.get('name')}"
            if key in by_id:
                print(f"harness: case {key!r} is in both {origin[key]} and {directory}; kept {directory}",
                      file=sys.stderr)
            by_id[key], origin[key] = result, directory
    for sub in ("cases", "artifacts"):
        shutil.rmtree(os.path.join(out, sub), ignore_errors=True)
    os.makedirs(os.path.join(out, "cases"), exist_ok=True)
    for key, result in by_id.items():
        for field in ("screenshot", "playwright_trace"):
            result[field] = _copy_artifact(result.get(field), origin[key], out)
        write_result(result, os.path.join(out, "cases"))
    write_report(out)
    junit = os.path.join(out, "junit.xml")
    merge_junit([os.path.join(d, "junit.xml") for d in dirs], junit)
    return load_results(out), junit


def _copy_artifact(path: str | None, directory: str, out: str) -> str | None:
    """The artifact's copy under ``out/artifacts`` (found beside its report when the recorded
    absolute path is another machine's); ``None`` when it is nowhere."""
    if not path:
        return None
    source = os.path.join(directory, "artifacts", os.path.basename(path))
    if not os.path.exists(source):
        source = path if os.path.exists(path) else None
    if source is None:
        return None
    target = os.path.join(out, "artifacts", os.path.basename(path))
    os.makedirs(os.path.dirname(target), exist_ok=True)
    shutil.copyfile(source, target)
    return os.path.abspath(target)


def merge_junit(paths: list[str], target: str) -> str:
    """One ``<testsuites>`` with one ``<testsuite>`` holding every test case once (by classname
    and name; the file named last wins), its counts recomputed."""
    cases: dict[tuple[str, str], ET.Element] = {}
    for path in paths:
        if not os.path.exists(path):
            continue
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError as exc:
            raise WorldError(f"not a JUnit XML file: {exc}", file=path) from None
        for case in root.iter("testcase"):
            cases[(case.get("classname", ""), case.get("name", ""))] = case
    suite = ET.Element("testsuite", name="okta-aws-harness")
    counts = {"failures": 0, "errors": 0, "skipped": 0}
    total_time = 0.0
    for case in cases.values():
        suite.append(case)
        for kind, tag in (("failures", "failure"), ("errors", "error"), ("skipped", "skipped")):
            counts[kind] += 1 if case.find(tag) is not None else 0
        try:
            total_time += float(case.get("time") or 0)
        except ValueError:
            pass
    suite.set("tests", str(len(cases)))
    for kind, value in counts.items():
        suite.set(kind, str(value))
    suite.set("time", f"{total_time:.3f}")
    root = ET.Element("testsuites")
    root.append(suite)
    os.makedirs(os.path.dirname(os.path.abspath(target)), exist_ok=True)
    ET.ElementTree(root).write(target, encoding="utf-8", xml_declaration=True)
    return target
