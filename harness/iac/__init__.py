"""Worlds from infrastructure code: CloudFormation templates, Terraform configurations and the
JSON of ``terraform show -json``, optionally with a small world file for what IaC does not hold
(passwords, test users).

    world = harness.iac.load(["infra/"], variables={"prefix": "acme"}, world_file="users.yaml")

Each source is translated into the world file's structure (the ``okta:`` and ``aws:`` sections
of world_common/world_model/) with every value's file and line, then put through the world
model's own pipeline, so ids, validation and error locations are those of a world file. What
cannot be resolved offline is listed in ``world.iac_notes`` (and reported through ``report``);
the rest still loads.
"""
from __future__ import annotations

import json
import os
import pathlib
import sys
from typing import Callable, Iterable

from harness.world import World
from harness.world.errors import WorldError

from . import cfn_translate, terraform, tf_plan_json
from .combine import build_world, empty_world, merge, read_world_file
from .located import Note, at, lmap
from .tf_resources import Settings

DEFAULT_ORG = "https://dev-123456.okta.com"
DEFAULT_ACCOUNT = "123456789012"
DEFAULT_REGION = "us-east-1"


def kind_of(path: pathlib.Path) -> str:
    """``terraform``, ``plan`` (terraform show -json) or ``cloudformation``."""
    if path.is_dir() or path.suffix == ".tf":
        return "terraform"
    if path.suffix == ".json":
        try:
            head = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise WorldError(f"not a JSON document: {exc}", file=str(path)) from None
        if isinstance(head, dict) and "format_version" in head and (
                "planned_values" in head or "values" in head or "prior_state" in head):
            return "plan"
        return "cloudformation"
    return "cloudformation"


def load(paths: str | os.PathLike | Iterable, variables: dict | None = None, parameters: dict | None = None,
         world_file: str | None = None, report: Callable[[Note], None] | None = None, var_files=()) -> World:
    """Load IaC at ``paths`` (files or Terraform directories) into a :class:`World`."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    paths = [pathlib.Path(p) for p in paths]
    if not paths:
        raise WorldError("no IaC paths given", file="<iac>")
    for path in paths:
        if not path.exists():
            raise WorldError("no such file or directory", file=str(path))
    base = read_world_file(world_file) if world_file else None
    settings = _settings(base)
    data = empty_world(str(paths[0]))
    notes: list[Note] = []
    terraform_paths = [p for p in paths if kind_of(p) == "terraform"]
    if terraform_paths:
        tf_world, tf_notes, tf_settings = terraform.translate(terraform_paths, settings, variables, var_files)
        settings = Settings(tf_settings.org_url, tf_settings.account, tf_settings.region, settings.account_given)
        merge(data, tf_world)
        notes += tf_notes
    for path in paths:
        kind = kind_of(path)
        if kind == "plan":
            plan_world, plan_notes = tf_plan_json.translate(path, settings)
            merge(data, plan_world)
            notes += plan_notes
        elif kind == "cloudformation":
            text = _read(path)
            aws, cfn_notes = cfn_translate.translate(text, str(path), parameters=parameters,
                                                      account=settings.account, region=settings.region)
            line = at(str(path), 1)
            merge(data, _wrap(line, aws))
            notes += cfn_notes
    _anchor(data, settings, str(paths[0]))
    if base is not None:
        merge(data, base)
    source = ", ".join(str(p) for p in paths) + (f" + {world_file}" if world_file else "")
    world = build_world(data, source)
    world.iac_notes = _unique(notes)
    for note in world.iac_notes:
        (report or _stderr)(note)
    return world


def _wrap(line, aws):
    return lmap(line, {"aws": aws})


def _anchor(data, settings: Settings, source: str) -> None:
    """Write the org URL, account and region the translation assumed, so ids match."""
    if "okta" in data:
        data["okta"].setdefault("org_url", settings.org_url)
    if "aws" in data:
        data["aws"].setdefault("account_id", settings.account)
        data["aws"].setdefault("region", settings.region)


def _settings(base) -> Settings:
    okta = (base or {}).get("okta") or {}
    aws = (base or {}).get("aws") or {}
    return Settings(str(okta.get("org_url", DEFAULT_ORG)), str(aws.get("account_id", DEFAULT_ACCOUNT)),
                    str(aws.get("region", DEFAULT_REGION)), account_given="account_id" in aws)


def _unique(notes):
    seen, out = set(), []
    for note in notes:
        key = (note.name, str(note.line), getattr(note.line, "file", None))
        if key not in seen:
            seen.add(key)
            out.append(note)
    return out


def _stderr(note: Note) -> None:
    print(f"harness: iac: {note}", file=sys.stderr)


def _read(path: pathlib.Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise WorldError(f"cannot read the template: {exc}", file=str(path)) from None


__all__ = ["load", "kind_of", "Note"]
