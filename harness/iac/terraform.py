"""Terraform configurations (HCL) -> world data.

Reads every ``*.tf`` of a directory (or the files given), ``terraform.tfvars`` and
``*.auto.tfvars``, evaluates variables (defaults, then tfvars, then ``-var`` overrides), locals
and the modelled resources (harness/iac/tf_resources.py), and reports by name, file and line
what needs the live cloud: data sources other than ``aws_caller_identity``/``aws_region``
(whose answers the world itself holds), modules from a registry, unmodelled resources.
"""
from __future__ import annotations

import os
import pathlib

from harness.world.errors import WorldError

from . import hcl_eval
from .hcl_eval import Scope, Unresolved, apply_steps
from .located import Note, at
from .tf_resources import MODELLED, Settings, Translation, computed


class HclView:
    """A resource (or nested block) of the configuration, evaluated on demand."""

    def __init__(self, config: "Config", block, rtype: str, name: str, parent=None) -> None:
        self.config, self.block = config, block
        self.type, self.name = rtype, name
        self.parent = parent
        self.line = at(block.file, block.line)
        self._cache: dict = {}

    def has(self, attr):
        return attr in self.block.attributes

    def line_of(self, attr):
        return at(self.block.file, self.block.attribute_lines.get(attr, self.block.line))

    def get(self, attr):
        if attr not in self._cache:
            if attr not in self.block.attributes:
                raise Unresolved(f"{self.type}.{self.name}.{attr}", "is not set", self.line)
            self._cache[attr] = hcl_eval.evaluate(self.block.attributes[attr], self.config.scope(self.block.file))
        return self._cache[attr]

    def blocks(self, name):
        return [HclView(self.config, b, self.type, self.name, self) for b in self.block.blocks if b.type == name]

    def pool_view(self):
        value = self.get("user_pool_id")
        target = getattr(value, "target", None)
        if target and target in self.config.resources:
            return self.config.resources[target]
        raise Unresolved(f"{self.type}.{self.name}.user_pool_id", f"{value!r} is not a user pool of this "
                         "configuration", self.line_of("user_pool_id"))

    def known_id(self):
        return None

    def count(self) -> int:
        if self.has("for_each"):
            raise Unresolved(f"{self.type}.{self.name}", "for_each resources are not expanded offline",
                             self.line_of("for_each"))
        return int(self.get("count")) if self.has("count") else 1


class Config:
    def __init__(self, files: list[pathlib.Path], variables: dict, settings_defaults: Settings) -> None:
        self.notes: list[Note] = []
        self.blocks = []
        self.directory = files[0].parent if files else pathlib.Path(".")
        for path in files:
            text = _read(path)
            self.blocks += hcl_eval.blocks_of(hcl_eval.parse(text, str(path)), str(path))
        self.variables = {b.labels[0]: b for b in self.blocks if b.type == "variable" and b.labels}
        self.locals = {}
        for block in (b for b in self.blocks if b.type == "locals"):
            for name in block.attributes:
                self.locals[name] = block
        self.resources: dict[tuple, HclView] = {}
        for block in self.blocks:
            if block.type == "resource" and len(block.labels) == 2:
                self.resources[tuple(block.labels)] = HclView(self, block, *block.labels)
        self.data = {tuple(b.labels): b for b in self.blocks if b.type == "data" and len(b.labels) == 2}
        self.modules = {b.labels[0]: b for b in self.blocks if b.type == "module" and b.labels}
        self.values = self._variable_values(files, variables)
        self._local_values: dict = {}
        self._evaluating: set = set()
        self.settings = self._settings(settings_defaults)
        for name, block in self.modules.items():
            self.notes.append(Note(f"module.{name}", at(block.file, block.line),
                                   "modules are not loaded offline (registry or local); its resources are left out"))

    def _variable_values(self, files, overrides):
        values: dict = {}
        tfvars = [self.directory / "terraform.tfvars"] + sorted(self.directory.glob("*.auto.tfvars"))
        for path in tfvars:
            if path.is_file():
                tree = hcl_eval.parse(_read(path), str(path))
                body = next(p for p in hcl_eval.trees(tree) if p.data == "body")
                for item in hcl_eval.trees(body):
                    if item.data == "attribute":
                        key = hcl_eval.name_of(hcl_eval.trees(item)[0])
                        values[key] = hcl_eval.evaluate(hcl_eval.trees(item)[-1], self.scope(str(path)))
        for name, raw in (overrides or {}).items():
            if name not in self.variables:
                self.notes.append(Note(f"var.{name}", None, "was given a value but the configuration declares "
                                                            "no such variable"))
            values[name] = self._convert(name, raw)
        return values

    def _convert(self, name, raw):
        """A -var value: strings as they are; numbers, bools, lists and maps as HCL."""
        block = self.variables.get(name)
        kind = ""
        if block is not None and "type" in block.attributes:
            kind = _type_name(block.attributes["type"])
        if not isinstance(raw, str) or kind in ("", "string"):
            return raw
        tree = hcl_eval.parse(f"x = {raw}\n", "-var")
        body = next(p for p in hcl_eval.trees(tree) if p.data == "body")
        attribute = hcl_eval.trees(body)[0]
        return hcl_eval.evaluate(hcl_eval.trees(attribute)[-1], self.scope("-var"))

    def _settings(self, defaults: Settings) -> Settings:
        org, region = defaults.org_url, defaults.region
        for block in self.blocks:
            if block.type != "provider" or not block.labels:
                continue
            scope = self.scope(block.file)
            try:
                if block.labels[0] == "aws" and "region" in block.attributes and "alias" not in block.attributes:
                    region = hcl_eval.evaluate(block.attributes["region"], scope)
                if block.labels[0] == "okta" and "org_name" in block.attributes:
                    base = (hcl_eval.evaluate(block.attributes["base_url"], scope)
                            if "base_url" in block.attributes else "okta.com")
                    org = f"https://{hcl_eval.evaluate(block.attributes['org_name'], scope)}.{base}"
            except Unresolved as exc:
                self.notes.append(Note(exc.name, at(block.file, exc.line or block.line),
                                       f"{exc.message}; provider setting ignored"))
        return Settings(org, defaults.account, region)

    # name lookup ------------------------------------------------------------------------------
    def scope(self, file: str) -> Scope:
        return Scope(lambda root, steps, line: self.resolve(root, steps, at(file, line)), file)

    def resolve(self, root, steps, line):
        attrs = [arg for kind, arg in steps]
        if root == "var":
            name = attrs[0]
            if name in self.values:
                value = self.values[name]
            elif name in self.variables and "default" in self.variables[name].attributes:
                block = self.variables[name]
                value = hcl_eval.evaluate(block.attributes["default"], self.scope(block.file))
            elif name in self.variables:
                raise Unresolved(f"var.{name}", f"has no default; pass --var {name}=VALUE",
                                 at(self.variables[name].file, self.variables[name].line))
            else:
                raise Unresolved(f"var.{name}", "is not declared", line)
            return apply_steps(value, steps[1:], f"var.{name}", line)
        if root == "local":
            return apply_steps(self.local(attrs[0], line), steps[1:], f"local.{attrs[0]}", line)
        if root == "data":
            return self.data_source(attrs[0], attrs[1], steps[2:], line)
        if root == "module":
            raise Unresolved(f"module.{attrs[0]}", "modules are not loaded offline", line)
        if root == "path":
            return str(self.directory)
        if root == "terraform" and attrs[:1] == ["workspace"]:
            return "default"
        if root == "count" and attrs[:1] == ["index"]:
            return 0
        if root == "__file__":
            path = self.directory / attrs[0]
            try:
                return path.read_text(encoding="utf-8")
            except OSError as exc:
                raise Unresolved(f"file({attrs[0]!r})", f"cannot be read: {exc}", line) from None
        return self.resource(root, steps, line)

    def local(self, name, line):
        if name not in self._local_values:
            if name not in self.locals:
                raise Unresolved(f"local.{name}", "is not defined", line)
            if name in self._evaluating:
                raise Unresolved(f"local.{name}", "refers to itself", line)
            self._evaluating.add(name)
            try:
                block = self.locals[name]
                self._local_values[name] = hcl_eval.evaluate(block.attributes[name], self.scope(block.file))
            finally:
                self._evaluating.discard(name)
        return self._local_values[name]

    def data_source(self, kind, name, steps, line):
        label = f"data.{kind}.{name}"
        # The world is the account: who "the caller" is and the region are known offline.
        if kind == "aws_caller_identity":
            table = {"account_id": self.settings.account, "id": self.settings.account,
                     "arn": f"arn:aws:iam::{self.settings.account}:root"}
        elif kind == "aws_region":
            table = {"name": self.settings.region, "id": self.settings.region, "region": self.settings.region}
        elif kind == "aws_partition":
            table = {"partition": "aws", "dns_suffix": "amazonaws.com"}
        else:
            block = self.data.get((kind, name))
            where = at(block.file, block.line) if block else line
            raise Unresolved(label, "data sources read the live provider and cannot be resolved offline", where)
        attr = steps[0][1] if steps else None
        if attr not in table:
            raise Unresolved(f"{label}.{attr}", "is not known offline", line)
        return apply_steps(table[attr], steps[1:], label, line)

    def resource(self, rtype, steps, line):
        if not steps:
            raise Unresolved(rtype, "is not a known name", line)
        name = steps[0][1]
        view = self.resources.get((rtype, name))
        if view is None:
            raise Unresolved(f"{rtype}.{name}", "is not a resource of this configuration", line)
        rest = steps[1:]
        if rest and rest[0][0] == "index":
            rest = rest[1:]  # count = 1 resources: [0] is the one instance
        if rest and rest[0][0] == "splat":
            rest = rest[0][1] + rest[1:]
        if not rest:
            raise Unresolved(f"{rtype}.{name}", "a whole resource cannot be used as a value offline", line)
        attr = rest[0][1]
        key = f"{rtype}.{name}.{attr}"
        if key in self._evaluating:
            raise Unresolved(key, "refers to itself", line)
        self._evaluating.add(key)
        try:
            if view.has(attr) and attr not in ("id", "arn"):
                value = view.get(attr)
            else:
                value = computed(view, attr, self.settings)
        finally:
            self._evaluating.discard(key)
        return apply_steps(value, rest[1:], key, line)


def _type_name(node) -> str:
    try:
        inner = hcl_eval.trees(node)
        while inner and inner[0].data == "expr_term":
            node = inner[0]
            inner = hcl_eval.trees(node)
        return hcl_eval.name_of(inner[0]) if inner else ""
    except (ValueError, IndexError):
        return ""


def _read(path: pathlib.Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise WorldError(f"cannot read the Terraform file: {exc}", file=str(path)) from None


def tf_files(path: pathlib.Path) -> list[pathlib.Path]:
    if path.is_dir():
        files = sorted(path.glob("*.tf"))
        if not files:
            raise WorldError("the directory holds no *.tf files", file=str(path))
        return files
    return [path]


def translate(paths: list[pathlib.Path], settings: Settings, variables: dict | None = None):
    """(world data, notes) for one Terraform configuration (its files)."""
    files = [f for p in paths for f in tf_files(p)]
    config = Config(files, variables or {}, settings)
    views = []
    for key, view in config.resources.items():
        try:
            if view.count() < 1:
                continue
        except Unresolved as exc:
            config.notes.append(Note(exc.name, exc.line or view.line, f"{exc.message}; left out"))
            continue
        views.append(view)
    for key, block in config.data.items():
        if key[0] not in ("aws_caller_identity", "aws_region", "aws_partition"):
            config.notes.append(Note(f"data.{key[0]}.{key[1]}", at(block.file, block.line),
                                     "data sources read the live provider and cannot be resolved offline"))
    source = os.path.commonpath([str(f) for f in files]) if len(files) > 1 else str(files[0])
    world, notes = Translation(views, config.settings, source).run()
    return world, config.notes + notes, config.settings


__all__ = ["translate", "MODELLED"]
