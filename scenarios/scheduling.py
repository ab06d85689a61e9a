"""How ``harness run -n N`` shares the cases among pytest-xdist's workers: by world.

A worker keeps one running world (moto holds one per process) and starts another only when the
next case's world differs, so the cases of one world go to one worker as one unit of work, the
largest units first (pytest-xdist's ``LoadScopeScheduling``, whose scope here is the case's
world instead of its module). Under pytest-xdist's default scheduling the cases of a world were
dealt out to both workers, so nearly every case started its world again.

The controller does not collect items, only their node ids (``file::case name``), so it reads
each scenario file once to learn the world of each case.
"""
from __future__ import annotations

import hashlib
import os

from xdist.scheduler import LoadScopeScheduling

from harness.world.errors import WorldError

from . import spec


def world_key(case) -> str:
    """Cases with the same key run in the same world (the world file and the case's changes)."""
    changes = case.world_changes
    raw = repr((case.world_file, changes.to_dict() if changes is not None else None))
    return hashlib.sha1(raw.encode()).hexdigest()


class WorldScopes:
    """The scope of a node id: ``world:<key>`` for a case of a scenario file, else the node id."""

    def __init__(self, rootpath: str, world: str | None = None) -> None:
        self.rootpath = rootpath
        self.world = world
        self.keys: dict[str, dict[str, str]] = {}     # file -> case name -> world key

    def of(self, nodeid: str) -> str:
        path, sep, name = nodeid.partition("::")
        if not sep or not path.endswith((".yaml", ".yml")):
            return nodeid
        if path not in self.keys:
            self.keys[path] = self._read(path)
        key = self.keys[path].get(name)
        return f"world:{key}" if key else nodeid

    def _read(self, path: str) -> dict[str, str]:
        try:
            cases = spec.load_file(os.path.join(self.rootpath, path), world=self.world)
        except (WorldError, OSError):       # the workers report the file's problem
            return {}
        return {case.name: world_key(case) for case in cases}


class ByWorld(LoadScopeScheduling):
    """pytest-xdist's scheduling by scope, with a case's world as its scope."""

    def __init__(self, config, log=None, world: str | None = None) -> None:
        super().__init__(config, log)
        self.scopes = WorldScopes(str(config.rootpath), world)

    def _split_scope(self, nodeid: str) -> str:  # noqa: V105 (pytest-xdist calls it)
        return self.scopes.of(nodeid)
