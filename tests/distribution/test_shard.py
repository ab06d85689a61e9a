"""Sharding across machines (harness.shard, ``pytest --harness-shard``, ``harness run --shard``)
and joining shard reports (``harness report merge``)."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from harness import shard
from scenarios import runner, spec

from .conftest import harness_main

ROOT = Path(__file__).resolve().parents[2]


def test_parse_accepts_k_of_n_and_names_what_is_wrong():
    assert shard.parse("2/3") == shard.Shard(2, 3)
    for bad in ("0/3", "4/3", "3", "a/b", "1/0", ""):
        with pytest.raises(ValueError, match="expected K/N"):
            shard.parse(bad)


def test_shards_are_disjoint_cover_everything_and_are_even_without_durations():
    keys = [("f.yaml", f"case {i}") for i in range(38)]
    owners = shard.assign(keys, 3)
    sizes = [owners.count(s) for s in range(3)]
    assert sorted(sizes) == [12, 13, 13]
    assert shard.assign(list(reversed(keys)), 3) == list(reversed(owners))   # order given does not matter
    parts = [shard.select(keys, keys, shard.Shard(k, 3))[0] for k in (1, 2, 3)]
    assert sorted(sum(parts, [])) == sorted(keys)


def test_durations_balance_the_time_not_the_count():
    keys = [("f", "slow")] + [("f", f"quick {i}") for i in range(6)]
    durations = {("f", "slow"): 30.0, **{("f", f"quick {i}"): 5.0 for i in range(6)}}
    owners = shard.assign(keys, 2, durations)
    load = [sum(durations[k] for k, o in zip(keys, owners, strict=False) if o == s) for s in range(2)]
    assert load == [30.0, 30.0]
    assert owners.count(owners[0]) == 1          # the slow case runs alone
    # an item the previous run did not have weighs the median of the known ones
    owners = shard.assign(keys + [("f", "new")], 2, durations)
    assert len(owners) == 8


def test_durations_from_a_junit_file_and_a_report_directory(tmp_path):
    (tmp_path / "junit.xml").write_text(
        '<testsuites><testsuite><testcase classname="01_a.yaml" name="one" time="2.5"/>'
        '<testcase classname="01_a.yaml" name="two" time="0.5"/></testsuite></testsuites>')
    expected = {("01_a.yaml", "one"): 2.5, ("01_a.yaml", "two"): 0.5}
    assert shard.durations_from(str(tmp_path / "junit.xml")) == expected
    assert shard.durations_from(str(tmp_path)) == expected
    assert shard.junit_key("01_a.yaml::one") == ("01_a.yaml", "one")
    assert shard.junit_key("tests/dist/test_x.py::TestC::test_y[a]") == ("tests.dist.test_x.TestC", "test_y[a]")


class _Collected:
    def __init__(self) -> None:
        self.nodeids: list[str] = []

    def pytest_collection_finish(self, session) -> None:
        self.nodeids = [item.nodeid for item in session.items]


def _collected(*args: str) -> list[str]:
    """The scenario items `pytest scenarios/library ARGS` would run (a pytest session in this
    process, collection only)."""
    recorder = _Collected()
    code = pytest.main(["--collect-only", "-qq", "-p", "no:cacheprovider", "-p", "scenarios.plugin",
                        "-o", "addopts=", "--rootdir", str(ROOT), *args, str(ROOT / "scenarios" / "library")],
                       plugins=[recorder])
    assert code in (0, 5), code
    return recorder.nodeids


def test_pytest_shards_of_the_library_are_disjoint_and_their_union_is_the_library():
    everything = _collected()
    library_cases = sum(len(spec.load_file(f)) for f in runner.library_files())
    assert len(everything) == library_cases
    parts = [_collected("--harness-shard", f"{k}/3") for k in (1, 2, 3)]
    assert all(abs(len(p) - len(everything) / 3) < 1 for p in parts), [len(p) for p in parts]
    assert sorted(sum(parts, [])) == sorted(everything)


def test_a_bad_shard_is_a_usage_error(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        harness_main()(["run", "--shard", "4/3"])
    assert exit_info.value.code == 2 and "expected K/N with 1 <= K <= N" in capsys.readouterr().err
    assert harness_main()(["run", "--shard", "1/3", "--shard-durations", "no-such-report/junit.xml"]) == 2
    assert "no-such-report/junit.xml: no such file" in capsys.readouterr().err
    assert not (tmp_path / "harness-report").exists()     # bad input touches no report


def _shard_report(directory: Path, cases: dict[str, str]) -> Path:
    """A report directory the way `harness run` leaves it: cases/*.json and junit.xml."""
    (directory / "cases").mkdir(parents=True)
    (directory / "artifacts").mkdir()
    testcases = []
    for name, status in cases.items():
        result = {"id": f"12_x.yaml::{name}", "name": name, "file": "/elsewhere/12_x.yaml", "line": 1,
                  "status": status, "outcomes": [], "hops": [], "message": "" if status == "passed" else "no",
                  "screenshot": None, "playwright_trace": None}
        if status != "passed":
            shot = directory / "artifacts" / f"{name}.png"
            shot.write_bytes(b"\x89PNG fake")
            result["screenshot"] = f"/another/machine/artifacts/{name}.png"
        (directory / "cases" / f"{name}.json").write_text(json.dumps(result))
        failure = "" if status == "passed" else "<failure message='no'/>"
        testcases.append(f'<testcase classname="12_x.yaml" name="{name}" time="1.0">{failure}</testcase>')
    (directory / "junit.xml").write_text(f"<testsuites><testsuite>{''.join(testcases)}</testsuite></testsuites>")
    return directory


def test_merge_counts_every_case_once(tmp_path, capsys):
    one = _shard_report(tmp_path / "report-1", {"a": "passed", "b": "passed"})
    two = _shard_report(tmp_path / "report-2", {"c": "failed"})
    again = _shard_report(tmp_path / "report-1-rerun", {"a": "passed"})
    out = tmp_path / "merged"
    code = harness_main()(["report", "merge", str(one), str(two), str(again), "--out", str(out)])
    printed = capsys.readouterr()
    assert code == 1, printed                                          # a failed case fails the merge too
    assert "merged 3 reports: 2 passed, 1 failed" in printed.out
    assert "'12_x.yaml::a' is in both" in printed.err
    suite = ET.parse(out / "junit.xml").getroot().find("testsuite")
    assert sorted(c.get("name") for c in suite.iter("testcase")) == ["a", "b", "c"]
    assert (suite.get("tests"), suite.get("failures")) == ("3", "1")
    html = (out / "report.html").read_text()
    assert "2 passed</b>, <b class='fail'>1 failed" in html
    assert "data:image/png;base64," in html        # the screenshot found beside its shard report
    assert len(list((out / "cases").glob("*.json"))) == 3


def test_merge_of_what_is_not_a_report_is_bad_input(tmp_path, capsys):
    assert harness_main()(["report", "merge", str(tmp_path / "nope"), "--out", str(tmp_path / "out")]) == 2
    assert "nope: no such report directory" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert harness_main()(["report", "merge", str(tmp_path / "empty"), "--out", str(tmp_path / "out")]) == 2
    assert "not a report directory" in capsys.readouterr().err
