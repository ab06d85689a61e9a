"""``terraform show -json`` output (a saved plan or the state) -> world data.

A plan's ``planned_values`` hold every argument Terraform knows before apply; what is only
known after apply (a pool's ``id`` used as a client's ``user_pool_id``) is absent there, and
``configuration`` says which resource attribute the expression refers to, so the reference is
rebuilt from it. A state's values hold real ids of a real account: a value equal to another
resource's ``id``/``arn`` is taken as a reference to that resource. The document has no HCL
lines, so each value is located at its resource's line in the JSON file.
"""
from __future__ import annotations

import json
import pathlib

from harness.world.errors import WorldError

from .located import Note, Unresolved, at
from .tf_resources import Settings, Translation, computed


class JsonView:
    def __init__(self, registry, rtype, name, values: dict, line, references: dict, parent=None) -> None:
        self.registry, self.type, self.name = registry, rtype, name
        self.values, self.line, self.references, self.parent = values, line, references, parent
        self.configured: set = set()
        self.real_ids: dict = {}

    def has(self, attr):
        return self.values.get(attr) is not None or attr in self.references

    def line_of(self, attr):
        return self.line

    def get(self, attr):
        value = self.values.get(attr)
        if value is None and attr in self.references:
            return self.registry.follow(self.references[attr], self.line)
        if isinstance(value, list) and value and isinstance(value[0], dict) and attr not in _MAP_ATTRS:
            return value  # nested blocks are read through blocks()
        return value

    def blocks(self, name):
        items = self.values.get(name) or []
        if isinstance(items, dict):
            items = [items]
        return [JsonView(self.registry, self.type, self.name, item, self.line, {}, self) for item in items
                if isinstance(item, dict)]

    def pool_view(self):
        value = self.get("user_pool_id")
        target = getattr(value, "target", None)
        if target in self.registry.views:
            return self.registry.views[target]
        for view in self.registry.views.values():
            if view.type == "aws_cognito_user_pool" and view.known_id() == value:
                return view
        raise Unresolved(f"{self.type}.{self.name}.user_pool_id", f"{value!r} is not a user pool of this plan",
                         self.line)

    def known_id(self):
        return self.values.get("id", self.real_ids.get("id"))


_MAP_ATTRS = {"provider_details", "attribute_mapping"}


class Registry:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.views: dict[tuple, JsonView] = {}

    def follow(self, reference: str, line):
        parts = reference.split(".")
        if parts[0] in ("var", "local", "data", "module") or len(parts) < 3:
            raise Unresolved(reference, "is not known in the plan", line)
        view = self.views.get((parts[0], parts[1]))
        if view is None:
            raise Unresolved(reference, "is not a resource of this plan", line)
        attr = parts[2]
        if view.values.get(attr) is not None and attr not in ("id", "arn"):
            return view.values[attr]
        return computed(view, attr, self.settings)


def _resources(module: dict):
    for resource in module.get("resources", []) or []:
        yield resource
    for child in module.get("child_modules", []) or []:
        yield from _resources(child)


def _config_references(document: dict) -> dict:
    """From the plan's ``configuration``: address -> {attribute: first resource reference}, and
    address -> the attributes the configuration sets."""
    out: dict = {}
    configured: dict = {}
    root = ((document.get("configuration") or {}).get("root_module")) or {}
    for resource in root.get("resources", []) or []:
        refs = {}
        for attr, expression in (resource.get("expressions") or {}).items():
            if isinstance(expression, dict):
                candidates = [r for r in expression.get("references", []) if r.count(".") >= 2]
                if candidates:
                    refs[attr] = candidates[0]
        out[resource.get("address")] = refs
        configured[resource.get("address")] = set(resource.get("expressions") or {})
    return out, configured


def translate(path: pathlib.Path, settings: Settings):
    text = path.read_text(encoding="utf-8")
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise WorldError(f"not JSON: {exc}", file=str(path)) from None
    values = document.get("planned_values") or document.get("values") or {}
    root = values.get("root_module") or {}
    references, configured = _config_references(document)
    registry = Registry(settings)
    notes: list[Note] = []
    lines = text.splitlines()
    for resource in _resources(root):
        address = resource.get("address", "")
        line = at(str(path), _line_of(lines, f'"address": "{address}"') or _line_of(lines, address) or 1)
        if resource.get("mode") == "data":
            notes.append(Note(address, line, "data sources read the live provider and cannot be resolved offline"))
            continue
        if address.startswith("module."):
            notes.append(Note(address, line, "resources of modules are left out (not modelled)"))
            continue
        view = JsonView(registry, resource.get("type"), resource.get("name"), resource.get("values") or {}, line,
                        references.get(address, {}))
        key = (view.type, view.name)
        if key in registry.views:  # count/for_each instances: the first one stands for the resource
            continue
        registry.views[key] = view
        view.configured = configured.get(address, set())
    _rewrite_real_ids(registry, settings)
    world, translation_notes = Translation(list(registry.views.values()), settings, str(path)).run()
    return world, notes + translation_notes


def _line_of(lines, needle):
    for i, line in enumerate(lines, 1):
        if needle in line:
            return i
    return None


ID_ATTRIBUTES = ("id", "arn", "client_id", "client_secret", "metadata_url", "metadata", "entity_url",
                 "http_post_binding", "http_redirect_binding", "entity_key")


def _rewrite_real_ids(registry: Registry, settings: Settings) -> None:
    """A plan or state of a deployed configuration holds the real account's ids
    (``us-east-1_Qm8ZtK2Rw``); the world has its own. Every value equal to, or containing,
    another resource's id becomes that resource's world id, so that an audience
    ``urn:amazon:cognito:sp:<real pool id>`` names the world's pool."""
    known: dict[str, tuple] = {}
    for key, view in registry.views.items():
        for attr in ID_ATTRIBUTES:
            value = view.values.get(attr)
            if isinstance(value, str) and len(value) >= 8:
                try:
                    known[value] = (key, computed(view, attr, settings))
                except Unresolved:
                    continue
    ordered = sorted(known, key=len, reverse=True)

    def rewrite(value, owner):
        if isinstance(value, str):
            if value in known and known[value][0] != owner:
                return known[value][1]
            for real in ordered:
                if real in value and known[real][0] != owner:
                    value = value.replace(real, str(known[real][1]))
            return value
        if isinstance(value, list):
            return [rewrite(v, owner) for v in value]
        if isinstance(value, dict):
            return {k: rewrite(v, owner) for k, v in value.items()}
        return value

    for key, view in registry.views.items():
        for attr, value in list(view.values.items()):
            if attr not in ID_ATTRIBUTES:
                view.values[attr] = rewrite(value, key)
            elif attr not in view.configured:
                # computed by the provider (an Okta client_id the config did not set): the world
                # assigns its own
                view.real_ids[attr] = view.values.pop(attr)
