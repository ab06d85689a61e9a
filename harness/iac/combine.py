"""Put IaC-derived world data and an optional small world file together, then run the world
model's own pipeline over it (validation -> identities -> references -> cross-checks), so an
IaC world gets the same realistic ids, the same checks and the same locations as a world file.
"""
from __future__ import annotations

import pathlib

from harness.world import identities, references, yaml_source
from harness.world.errors import WorldError, WorldErrors
from harness.world.loader import World, _check_unique, _cross_check, _late_resolvers
from harness.world.model import WORLD
from harness.world.schema import Ctx

from .located import SourceLine, at, lmap, relocate

# The key that names an item in each list of the world, so that a world file can add to an item
# the IaC defines (a password for a Terraform `okta_user`) instead of defining it twice.
IDENTITY_KEYS = ("login", "label", "name", "PoolName", "ClientName", "ProviderName", "RoleName",
                 "Name", "GroupName", "UserName", "url")


class LocatedCtx(Ctx):
    """A validation context whose errors name the file each line came from."""

    def error(self, message, line, path):
        super().error(message, line, path)
        if isinstance(line, SourceLine):
            self.errors[-1].file = line.file


def read_world_file(path: str):
    target = pathlib.Path(path)
    try:
        text = target.read_text(encoding="utf-8")
    except OSError as exc:
        raise WorldError(f"cannot read the world file: {exc}", file=str(target)) from None
    return relocate(yaml_source.load(text, str(target)), str(target))


def merge(base, extra):
    """Merge located mapping ``extra`` into ``base``: mappings key by key, lists of named
    items by their name, anything else replaced by ``extra``."""
    if isinstance(base, dict) and isinstance(extra, dict):
        for key, value in extra.items():
            if key in base:
                base[key] = merge(base[key], value)
            else:
                base[key] = value
                if hasattr(base, "lines"):
                    base.lines[key] = getattr(extra, "lines", {}).get(key, getattr(extra, "line", None))
        return base
    if isinstance(base, list) and isinstance(extra, list):
        lines = getattr(base, "lines", None)
        for i, item in enumerate(extra):
            twin = _twin(base, item)
            if twin is not None:
                merge(twin, item)
                continue
            base.append(item)
            if lines is not None:
                lines.append(getattr(extra, "lines", [None] * len(extra))[i])
        return base
    return extra


def _twin(items, item):
    if not isinstance(item, dict):
        return None
    for key in IDENTITY_KEYS:
        if key in item:
            for other in items:
                if isinstance(other, dict) and other.get(key) == item[key]:
                    return other
            return None
    return None


def build_world(data, source: str) -> World:
    """Validate located world data (from any number of files) into a :class:`World`."""
    ctx = LocatedCtx(source)
    record = WORLD.check(data, ctx, "", getattr(data, "line", at(source, 1)))
    _raise(ctx.errors)
    identities.assign(record)
    _check_unique(record, ctx)
    _raise(ctx.errors)
    errors = references.resolve(record, source, _late_resolvers())
    for error in errors:
        if isinstance(error.line, SourceLine):
            error.file = error.line.file
    _raise(errors)
    _cross_check(record, ctx)
    _raise(ctx.errors)
    return World(record, source, "")


def _raise(errors):
    if errors:
        raise WorldErrors(errors)


def empty_world(source: str):
    line = at(source, 1)
    return lmap(line, {"name": pathlib.Path(source).stem or "iac"})
