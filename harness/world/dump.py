"""Write a loaded world back out as a world file (YAML).

Used where a world that came from IaC must be handed on as a file (``harness run --iac`` gives
the scenario runner's workers a world file). Only the schema's own fields are written, with
references already resolved; the ids the world model derives from names come out the same
when the file is loaded again.
"""
from __future__ import annotations

import yaml

from world_common.world_model import Located

from .model import WORLD
from .schema import ListOf, MapOf, Obj


def _plain(value, kind):
    if isinstance(kind, Obj):
        if not isinstance(value, Located):
            return value
        out = {}
        for name, field in kind.fields.items():
            if name not in value or value[name] is None:
                continue
            item = _plain(value[name], field.type)
            if item in ([], {}) and field.default_factory is not None:
                continue
            out[name] = item
        return out
    if isinstance(kind, ListOf):
        return [_plain(item, kind.item) for item in value or []]
    if isinstance(kind, MapOf):
        return {k: _plain(v, kind.item) for k, v in (value or {}).items()}
    if isinstance(value, dict):
        return {k: _plain(v, None) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v, None) for v in value]
    return value


def to_yaml(world) -> str:
    """The world file text of ``world`` (a :class:`harness.world.World`)."""
    return yaml.safe_dump(_plain(world.record, WORLD), sort_keys=False, allow_unicode=True, width=120)
