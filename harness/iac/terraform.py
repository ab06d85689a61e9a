"""Terraform configurations (HCL) -> world data.

Reads every ``*.tf`` of a directory (or the files given), ``terraform.tfvars`` and
``*.auto.tfvars``, evaluates variables (defaults, then tfvars, then ``-var`` overrides), locals
and the modelled resources (harness/iac/tf_resources.py), and reports by name, file and line
what needs the live cloud: data sources other than ``aws_caller_identity``/``aws_region``
(whose answers the world itself holds), modules from a registry, unmodelled resources.
"""
from __future__ import annotations

import json
import os
import pathlib
import re

from harness.world.errors import WorldError

from . import hcl_eval, tf_data, tf_modules
from .hcl_eval import Scope, apply_steps
from .located import Note, Unresolved, at
from .tf_resources import MODELLED, Settings, Translation, computed


class HclView:
    """A resource (or nested block) of the configuration, evaluated on demand. An instance of a
    ``count``/``for_each`` resource is named ``name[0]`` / ``name["key"]`` and evaluates its
    arguments with ``count.index`` / ``each.key`` and ``each.value`` bound."""

    def __init__(self, config: "Config", block, rtype: str, name: str, parent=None, names=None) -> None:
        self.config, self.block = config, block
        self.type, self.name = rtype, name
        self.parent = parent
        self.names = names or {}
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
            scope = self.config.scope(self.block.file)
            self._cache[attr] = hcl_eval.evaluate(self.block.attributes[attr],
                                                  scope.child(self.names) if self.names else scope)
        return self._cache[attr]

    def blocks(self, name):
        return [HclView(self.config, b, self.type, self.name, self, self.names)
                for b in self.block.blocks if b.type == name]

    def pool_view(self):
        value = self.get("user_pool_id")
        target = getattr(value, "target", None)
        view = self.config.view_of(target)
        if view is not None:
            return view
        raise Unresolved(f"{self.type}.{self.name}.user_pool_id", f"{value!r} is not a user pool of this "
                         "configuration", self.line_of("user_pool_id"))

    def known_id(self):
        return None


class Instance:
    """A resource used as a value (``values(aws_iam_role.this)[*].arn``): its attributes on demand."""

    def __init__(self, config: "Config", view: HclView, line) -> None:
        self.config, self.view, self.line = config, view, line

    def __getitem__(self, attr):
        return self.config.attribute(self.view, attr, self.line)


def undeclared(what: str, detail: str, line) -> WorldError:
    """Terraform's own refusal of a reference to something the configuration does not declare
    ("Reference to undeclared input variable", docs/fidelity/iac.md#iac-undeclared-reference)."""
    return WorldError(f"Reference to undeclared {what}: {detail}", file=getattr(line, "file", "<terraform>"),
                      line=int(line) if line else None)


class Config:
    """One Terraform module (the root, or a local module it calls): its blocks, variables,
    locals, resources (with their ``count``/``for_each`` instances), data sources and modules."""

    def __init__(self, files: list[pathlib.Path], variables: dict, settings_defaults: Settings, *,
                 var_files=(), prefix: str = "", caller=None, registry: dict | None = None) -> None:
        self.notes: list[Note] = []
        self.blocks = []
        self.texts: list[str] = []
        self.directory = files[0].parent if files else pathlib.Path(".")
        for path in files:
            text = _read(path)
            self.texts.append(text)
            self.blocks += hcl_eval.blocks_of(hcl_eval.parse(text, str(path)), str(path))
        self.prefix = prefix              # "module.<name>." for the resources of a local module
        self.caller = caller              # (arguments, calling Config, module block) of a local module
        self.registry = registry if registry is not None else {}   # (type, full name) -> view
        self.variables = {b.labels[0]: b for b in self.blocks if b.type == "variable" and b.labels}
        self.outputs = {b.labels[0]: b for b in self.blocks if b.type == "output" and b.labels}
        self.locals = {}
        for block in (b for b in self.blocks if b.type == "locals"):
            for name in block.attributes:
                self.locals[name] = block
        self.resources: dict[tuple, HclView] = {}
        for block in self.blocks:
            if block.type == "resource" and len(block.labels) == 2:
                view = HclView(self, block, block.labels[0], prefix + block.labels[1])
                self.resources[tuple(block.labels)] = view
                self.registry[(view.type, view.name)] = view
        self._instances: dict = {}
        self.data = {tuple(b.labels): b for b in self.blocks if b.type == "data" and len(b.labels) == 2}
        self._data_views: dict = {}
        self.modules = {b.labels[0]: b for b in self.blocks if b.type == "module" and b.labels}
        self.children: dict[str, Config] = {}
        self._local_values: dict = {}
        self._evaluating: set = set()
        self._module_values: dict = {}
        self.values = {} if caller else self._variable_values(variables, var_files)
        self.settings = caller[1].settings if caller else self._settings(settings_defaults)
        self._check_module_arguments()
        tf_modules.load_children(self)

    def _variable_values(self, overrides, var_files):
        values: dict = {}
        tfvars = [self.directory / "terraform.tfvars", self.directory / "terraform.tfvars.json"]
        tfvars += sorted(self.directory.glob("*.auto.tfvars")) + sorted(self.directory.glob("*.auto.tfvars.json"))
        for path in tfvars + [pathlib.Path(f) for f in var_files]:
            if path.is_file() or str(path) in map(str, var_files):
                values.update(self._tfvars(path))
        for name, raw in (overrides or {}).items():
            if name not in self.variables:
                self.notes.append(Note(f"var.{name}", None, "was given a value but the configuration declares "
                                                            "no such variable"))
            values[name] = self._convert(name, raw)
        return values

    def _tfvars(self, path: pathlib.Path) -> dict:
        text = _read(path)
        if path.suffix == ".json":
            try:
                return dict(json.loads(text))
            except (ValueError, TypeError) as exc:
                raise WorldError(f"not a JSON variables file: {exc}", file=str(path)) from None
        out = {}
        tree = hcl_eval.parse(text, str(path))
        body = next(p for p in hcl_eval.trees(tree) if p.data == "body")
        for item in hcl_eval.trees(body):
            if item.data == "attribute":
                key = hcl_eval.name_of(hcl_eval.trees(item)[0])
                out[key] = hcl_eval.evaluate(hcl_eval.trees(item)[-1], self.scope(str(path)))
        return out

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

    def _check_module_arguments(self):
        if not self.caller:
            return
        arguments, _, block = self.caller
        for name in arguments:
            if name not in self.variables:
                line = at(block.file, block.attribute_lines.get(name, block.line))
                raise WorldError(f'Unsupported argument: an argument named "{name}" is not expected here '
                                 f"(module {self.prefix[:-1]} declares no variable {name!r})",
                                 file=line.file, line=int(line))

    def _settings(self, defaults: Settings) -> Settings:
        org, region = defaults.org_url, defaults.region
        account = defaults.account if defaults.account_given else (self._account() or defaults.account)
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
        if not any(b.type == "provider" and b.labels[:1] == ["okta"] and "org_name" in b.attributes
                   for b in self.blocks):
            # the okta provider configured from the environment (OKTA_ORG_NAME): the org the
            # configuration's own Okta URLs name
            org = _most_common(m.group(0) for text in self.texts for m in OKTA_ORG.finditer(text)) or org
        return Settings(org, account, region, account_given=defaults.account_given)

    def _account(self) -> str | None:
        """The AWS account the configuration names: the aws provider's ``allowed_account_ids``,
        else the account most ARNs written in it carry (``arn:aws:iam::210987654321:...``)."""
        for block in self.blocks:
            if block.type == "provider" and block.labels[:1] == ["aws"] and "allowed_account_ids" in block.attributes:
                try:
                    ids = hcl_eval.evaluate(block.attributes["allowed_account_ids"], self.scope(block.file))
                except Unresolved:
                    continue
                if ids:
                    return str(ids[0])
        return _most_common(m.group(1) for text in self.texts for m in ARN_ACCOUNT.finditer(text))

    # name lookup ------------------------------------------------------------------------------
    def scope(self, file: str) -> Scope:
        return Scope(lambda root, steps, line: self.resolve(root, steps, at(file, line)), file)

    def resolve(self, root, steps, line):
        attrs = [arg for kind, arg in steps]
        if root == "var":
            return apply_steps(self.variable(attrs[0], line), steps[1:], f"var.{attrs[0]}", line)
        if root == "local":
            return apply_steps(self.local(attrs[0], line), steps[1:], f"local.{attrs[0]}", line)
        if root == "data":
            return self.data_source(attrs[0], attrs[1], steps[2:], line)
        if root == "module":
            return tf_modules.output(self, attrs[0], steps[1:], line)
        if root == "path":
            return str(self.directory)
        if root == "terraform" and attrs[:1] == ["workspace"]:
            return "default"
        if root in ("each", "count", "self"):
            raise WorldError(f'Invalid reference: "{root}" is not available here (only inside a resource '
                             f'with {"for_each" if root == "each" else "count"})',
                             file=getattr(line, "file", "<terraform>"), line=int(line) if line else None)
        if root == "__file__":
            path = self.directory / attrs[0]
            try:
                return path.read_text(encoding="utf-8")
            except OSError as exc:
                raise Unresolved(f"file({attrs[0]!r})", f"cannot be read: {exc}", line) from None
        return self.resource(root, steps, line)

    def variable(self, name, line):
        if name in self.values:
            return self.values[name]
        if name not in self.variables:
            raise undeclared("input variable", f'an input variable with the name "{name}" has not been '
                             f'declared (add a variable "{name}" {{}} block)', line)
        block = self.variables[name]
        if self.caller and name in self.caller[0]:
            if name not in self._module_values:
                _, calling, module_block = self.caller
                self._module_values[name] = hcl_eval.evaluate(self.caller[0][name], calling.scope(module_block.file))
            return self._module_values[name]
        if "default" in block.attributes:
            return hcl_eval.evaluate(block.attributes["default"], self.scope(block.file))
        where = at(block.file, block.line)
        how = f"set it in module {self.prefix[:-1]}" if self.caller else f"pass --var {name}=VALUE or a tfvars file"
        raise WorldError(f'No value for required variable: variable "{name}" has no default; {how}',
                         file=where.file, line=int(where))

    def local(self, name, line):
        if name not in self._local_values:
            if name not in self.locals:
                raise undeclared("local value", f'a local value with the name "{name}" has not been declared', line)
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
        block = self.data.get((kind, name))
        if block is None:
            raise undeclared("resource", f'a data resource "{kind}" "{name}" has not been declared', line)
        if (kind, name) not in self._data_views:
            self._data_views[(kind, name)] = tf_data.table(kind, HclView(self, block, kind, name), self.settings)
        table = self._data_views[(kind, name)]
        attr = steps[0][1] if steps else None
        if attr not in table:
            raise Unresolved(f"{label}.{attr}", "is not known offline", line)
        return apply_steps(table[attr], steps[1:], label, line)

    # resources --------------------------------------------------------------------------------
    def instances(self, base: HclView):
        """``None`` for a plain resource, else its instances by ``count.index`` / ``each.key``."""
        key = (base.type, base.name)
        if key not in self._instances:
            self._instances[key] = tf_modules.expand(self, base)
            for view in (self._instances[key] or {}).values():
                self.registry[(view.type, view.name)] = view
        return self._instances[key]

    def views(self) -> list:
        """Every resource instance of this module and of the local modules it calls."""
        out = []
        for base in self.resources.values():
            try:
                instances = self.instances(base)
            except Unresolved as exc:
                self.notes.append(Note(exc.name, exc.line or base.line, f"{exc.message}; left out"))
                continue
            out += list(instances.values()) if instances is not None else [base]
        for child in self.children.values():
            out += child.views()
        return out

    def view_of(self, target):
        if not target:
            return None
        return self.registry.get(tuple(target))

    def resource(self, rtype, steps, line):
        if not steps:
            raise Unresolved(rtype, "is not a known name", line)
        name = steps[0][1]
        base = self.resources.get((rtype, name))
        if base is None:
            raise undeclared("resource", f'a managed resource "{rtype}" "{name}" has not been declared', line)
        rest = steps[1:]
        instances = self.instances(base)
        if instances is not None:
            if rest and rest[0][0] == "index":
                if rest[0][1] not in instances:
                    raise Unresolved(f"{rtype}.{name}[{rest[0][1]!r}]", "is not an instance of the resource", line)
                view, rest = instances[rest[0][1]], rest[1:]
            else:
                whole = {k: Instance(self, v, line) for k, v in instances.items()}
                is_count = "count" in base.block.attributes
                return apply_steps(list(whole.values()) if is_count else whole, rest, f"{rtype}.{name}", line)
        else:
            view = base
            if rest and rest[0][0] == "index" and rest[0][1] == 0:
                rest = rest[1:]   # legacy: [0] of a resource without count is the one instance
        if rest and rest[0][0] == "splat":
            rest = rest[0][1] + rest[1:]
        if not rest:
            return Instance(self, view, line)
        return apply_steps(self.attribute(view, rest[0][1], line), rest[1:], f"{rtype}.{name}", line)

    def attribute(self, view, attr, line):
        key = f"{view.type}.{view.name}.{attr}"
        if key in self._evaluating:
            raise Unresolved(key, "refers to itself", line)
        self._evaluating.add(key)
        try:
            if view.has(attr) and attr not in ("id", "arn"):
                return view.get(attr)
            return computed(view, attr, self.settings)
        finally:
            self._evaluating.discard(key)


OKTA_ORG = re.compile(r"https://[a-z0-9-]+\.(?:okta|oktapreview|okta-emea)\.com(?![\w.-])")
ARN_ACCOUNT = re.compile(r"arn:aws(?:-us-gov|-cn)?:(?:iam|sts)::(\d{12}):")


def _most_common(values) -> str | None:
    counts: dict = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return max(counts, key=counts.get) if counts else None


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


def translate(paths: list[pathlib.Path], settings: Settings, variables: dict | None = None, var_files=()):
    """(world data, notes, settings) for one Terraform configuration (its files)."""
    files = [f for p in paths for f in tf_modules.tf_files(p)]
    config = Config(files, variables or {}, settings, var_files=var_files)
    views = config.views()
    notes = []
    for module in tf_modules.walk(config):
        for key, block in module.data.items():
            if key[0] not in tf_data.KNOWN:
                notes.append(Note(f"data.{key[0]}.{key[1]}", at(block.file, block.line),
                                  "data sources read the live provider and cannot be resolved offline"))
    source = os.path.commonpath([str(f) for f in files]) if len(files) > 1 else str(files[0])
    world, translation_notes = Translation(views, config.settings, source).run()
    return world, [n for m in tf_modules.walk(config) for n in m.notes] + notes + translation_notes, config.settings


__all__ = ["translate", "MODELLED"]
