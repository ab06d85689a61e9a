"""Terraform's multi-instance parts, offline: ``count`` / ``for_each`` resources and local
modules (``source = "./modules/x"``) with their variables and outputs.

An instance of ``resource "aws_iam_role" "this" { for_each = toset(["admin"]) }`` is the view
``aws_iam_role.this["admin"]`` with ``each.key``/``each.value`` bound; ``count`` gives
``name[0]``... with ``count.index``. A local module's resources are named ``module.<name>.<type>``
and evaluate its variables from the module block's arguments in the calling module's scope; a
module from a registry or Git cannot be read offline and is a note (docs/fidelity/iac.md#iac-modules).
"""
from __future__ import annotations

import pathlib

from harness.world.errors import WorldError

from . import hcl_eval
from .hcl_eval import apply_steps
from .located import Note, Unresolved, at

META_ARGUMENTS = ("source", "version", "providers", "depends_on", "count", "for_each")


def tf_files(path: pathlib.Path) -> list[pathlib.Path]:
    if path.is_dir():
        files = sorted(path.glob("*.tf"))
        if not files:
            raise WorldError("the directory holds no *.tf files", file=str(path))
        return files
    return [path]


def expand(config, base):
    """{key: view} for a ``count``/``for_each`` resource, ``None`` for a plain one."""
    block = base.block
    scope = config.scope(block.file)
    if "for_each" in block.attributes:
        collection = hcl_eval.evaluate(block.attributes["for_each"], scope)
        if isinstance(collection, dict):
            items = list(collection.items())
        elif isinstance(collection, (list, tuple)) and all(isinstance(v, str) for v in collection):
            items = [(v, v) for v in dict.fromkeys(collection)]
        else:
            raise Unresolved(f"{base.type}.{base.name}.for_each", "must be a map or a set of strings",
                             base.line_of("for_each"))
        return {key: type(base)(config, block, base.type, f'{base.name}["{key}"]',
                             names={"each": {"key": key, "value": value}}) for key, value in items}
    if "count" in block.attributes:
        count = hcl_eval.evaluate(block.attributes["count"], scope)
        if not isinstance(count, (int, float)) or isinstance(count, bool) or count < 0:
            raise Unresolved(f"{base.type}.{base.name}.count", f"must be a whole number, not {count!r}",
                             base.line_of("count"))
        return {i: type(base)(config, block, base.type, f"{base.name}[{i}]", names={"count": {"index": i}})
                for i in range(int(count))}
    return None


def load_children(config) -> None:
    """Read each local module ``config`` calls (a Config of its own, sharing the registry)."""
    for name, block in config.modules.items():
        line = at(block.file, block.line)
        source = hcl_eval.evaluate(block.attributes["source"], config.scope(block.file)) \
            if "source" in block.attributes else None
        if not isinstance(source, str) or not source.startswith(("./", "../")):
            config.notes.append(Note(f"module.{name}", line, f"module source {source!r} is not a local path; "
                                     "registry and Git modules are not loaded offline; its resources are left out"))
            continue
        if "count" in block.attributes or "for_each" in block.attributes:
            config.notes.append(Note(f"module.{name}", line, "count/for_each on a module is not expanded offline; "
                                     "its resources are left out"))
            continue
        directory = pathlib.Path(block.file).parent / source
        if not directory.is_dir():
            raise WorldError(f'Unreadable module directory: the directory "{source}" does not exist',
                             file=block.file, line=block.line)
        arguments = {k: v for k, v in block.attributes.items() if k not in META_ARGUMENTS}
        config.children[name] = type(config)(tf_files(directory), {}, config.settings,
                                       prefix=f"{config.prefix}module.{name}.", caller=(arguments, config, block),
                                       registry=config.registry)


def output(config, name, steps, line):
    """``module.<name>.<output>...``"""
    if name not in config.modules:
        raise WorldError(f'Reference to undeclared module: no module call named "{name}" is declared',
                         file=getattr(line, "file", "<terraform>"), line=int(line) if line else None)
    child = config.children.get(name)
    if child is None:
        raise Unresolved(f"module.{name}", "the module is not loaded offline", line)
    if not steps:
        raise Unresolved(f"module.{name}", "a whole module cannot be used as a value offline", line)
    attr = steps[0][1]
    block = child.outputs.get(attr)
    if block is None:
        raise WorldError(f'Unsupported attribute: module "{name}" has no output named "{attr}"',
                         file=getattr(line, "file", "<terraform>"), line=int(line) if line else None)
    value = hcl_eval.evaluate(block.attributes["value"], child.scope(block.file))
    return apply_steps(value, steps[1:], f"module.{name}.{attr}", line)


def walk(config):
    yield config
    for child in config.children.values():
        yield from walk(child)
