"""Splitting a test run across machines: ``--shard K/N`` picks a deterministic, disjoint part of
the items, and the N parts together are every item exactly once.

Items are named by a stable key (for pytest items, the JUnit ``classname`` and ``name`` pytest
writes, so a previous run's ``junit.xml`` gives their durations). The split is the greedy
"longest first, to the least loaded shard" rule: with durations from a previous run the shards
take about the same time; without them every item weighs the same and the shards differ by at
most one item. Ties are broken by key, so every machine computes the same split.
"""
from __future__ import annotations

import os
import statistics
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Iterable

from .world.errors import WorldError


@dataclass(frozen=True)
class Shard:
    index: int   # 1-based, as written on the command line
    total: int

    def __str__(self) -> str:
        return f"{self.index}/{self.total}"


def parse(text: str, option: str = "--shard") -> Shard:
    """``"2/3"`` -> Shard(2, 3); anything else raises ValueError naming the problem (the CLI and the
    pytest option turn it into a usage error, exit 2)."""
    index, sep, total = str(text).partition("/")
    try:
        shard = Shard(int(index), int(total))
    except ValueError:
        shard = None
    if not sep or shard is None or shard.total < 1 or not 1 <= shard.index <= shard.total:
        raise ValueError(f"{option} {text!r}: expected K/N with 1 <= K <= N (e.g. 2/3)")
    return shard


def junit_key(nodeid: str) -> tuple[str, str]:
    """The (classname, name) pytest's JUnit XML writes for ``nodeid`` (``a/b.yaml::case`` ->
    ``("a.b.yaml", "case")``; ``tests/test_x.py::C::t`` -> ``("tests.test_x.C", "t")``)."""
    parts = nodeid.split("::")
    parts[0] = parts[0].replace("/", ".")
    if parts[0].endswith(".py"):
        parts[0] = parts[0][:-3]
    parts[-1] = parts[-1].replace(".[", "[")
    return ".".join(parts[:-1]), parts[-1]


def durations_from(path: str | None) -> dict[tuple[str, str], float]:
    """Durations by JUnit key from a previous run: a ``junit.xml`` file, or a report directory
    holding one. ``None`` -> no durations (every item weighs the same)."""
    if not path:
        return {}
    if os.path.isdir(path):
        path = os.path.join(path, "junit.xml")
    try:
        root = ET.parse(path).getroot()
    except FileNotFoundError:
        raise WorldError("no such file (the durations of a previous run: a junit.xml or a report directory)",
                         file=path) from None
    except ET.ParseError as exc:
        raise WorldError(f"not a JUnit XML file: {exc}", file=path) from None
    durations = {}
    for case in root.iter("testcase"):
        try:
            durations[(case.get("classname", ""), case.get("name", ""))] = float(case.get("time") or 0)
        except ValueError:
            continue
    return durations


def assign(keys: Iterable, total: int, durations: dict | None = None) -> list[int]:
    """The 0-based shard of each key (in the order given). Keys without a known duration weigh
    the median of the known ones (1 when none is known)."""
    keys = list(keys)
    durations = durations or {}
    known = [durations[k] for k in keys if k in durations]
    default = statistics.median(known) if known else 1.0
    weight = {k: durations.get(k, default) for k in keys}
    loads = [0.0] * total
    counts = [0] * total
    shard_of: dict = {}
    for key in sorted(set(keys), key=lambda k: (-weight[k], str(k))):
        target = min(range(total), key=lambda s: (loads[s], counts[s], s))
        shard_of[key] = target
        loads[target] += weight[key]
        counts[target] += 1
    return [shard_of[k] for k in keys]


def select(items: list, keys: list, shard: Shard, durations: dict | None = None) -> tuple[list, list]:
    """(the items of ``shard``, the others), each in the order given."""
    owners = assign(keys, shard.total, durations)
    mine = [item for item, owner in zip(items, owners, strict=False) if owner == shard.index - 1]
    others = [item for item, owner in zip(items, owners, strict=False) if owner != shard.index - 1]
    return mine, others
