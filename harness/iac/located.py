"""Values that remember where they were written, across several files.

The world model keeps a line per field (``Located.loc``) and one file per validation pass. A world
put together from IaC comes from several files (a template, ``variables.tf``, a small world
file), so each line number here is a :class:`SourceLine`: an ``int`` that also knows its file.
``Located.loc`` and the errors of the load pipeline read the file from it.

Shared by both IaC readers (CloudFormation and Terraform): :class:`Unresolved`, raised for what
cannot be resolved offline and reported as a :class:`Note`; :class:`RefStr`, a value that
remembers which resource of the IaC it came from.
"""
from __future__ import annotations

from dataclasses import dataclass

from harness.world.yaml_source import LList, LMap


class SourceLine(int):
    """A line number that carries its file (``line.file``); behaves as the plain int elsewhere."""

    file: str

    def __new__(cls, line: int | None, file: str):
        obj = super().__new__(cls, int(line or 0))
        obj.file = file
        return obj

    def __repr__(self) -> str:
        return int.__repr__(self)

    def __reduce__(self):  # copy/pickle keep the file
        return (SourceLine, (int(self), self.file))


def at(file: str, line: int | None) -> SourceLine:
    return SourceLine(line, file)


def where(line) -> str:
    """``file:line`` of a :class:`SourceLine` (or ``?``)."""
    if isinstance(line, SourceLine):
        return f"{line.file}:{int(line)}" if int(line) else line.file
    return "?" if line is None else str(line)


def lmap(line: SourceLine, items: dict | None = None, lines: dict | None = None) -> LMap:
    out = LMap()
    out.line = line
    out.lines = {}
    for key, value in (items or {}).items():
        out[key] = value
        out.lines[key] = (lines or {}).get(key, line)
    return out


def put(target: LMap, key: str, value, line) -> None:
    target[key] = value
    target.lines[key] = line


def llist(line: SourceLine, items=(), lines=None) -> LList:
    out = LList(items)
    out.line = line
    out.lines = list(lines) if lines is not None else [line] * len(out)
    return out


def relocate(value, file: str):
    """Turn the plain line numbers of located YAML (``yaml_source``) into :class:`SourceLine`."""
    if isinstance(value, LMap):
        value.line = at(file, value.line)
        value.lines = {k: at(file, v) for k, v in getattr(value, "lines", {}).items()}
        for item in value.values():
            relocate(item, file)
    elif isinstance(value, LList):
        value.line = at(file, value.line)
        value.lines = [at(file, v) for v in getattr(value, "lines", [value.line] * len(value))]
        for item in value:
            relocate(item, file)
    return value


class Unresolved(Exception):
    """An expression that cannot be resolved offline: ``name`` what was written, ``message`` why,
    ``line`` where (the caller turns it into a :class:`Note` and goes on)."""

    def __init__(self, name: str, message: str, line=None) -> None:
        super().__init__(f"{name}: {message}")
        self.name, self.message, self.line = name, message, line


class RefStr(str):
    """A string computed from a resource of the IaC; ``target`` names that resource: its logical
    id in CloudFormation, ``(type, name)`` in Terraform."""

    target: object


def ref_str(value: str, target) -> RefStr:
    out = RefStr(value)
    out.target = target
    return out


@dataclass
class Note:
    """Something in the IaC that the harness could not use offline, named with its place."""

    name: str
    line: SourceLine | None
    message: str

    def __str__(self) -> str:
        return f"{where(self.line)}: {self.name}: {self.message}"
