"""The base of every world record, and how a record's fields declare what a world file may say.

A record is a dataclass: its annotations are the field types (``str``, ``int``, ``bool``,
``Literal[...]`` for a fixed set of values, ``list[...]``, ``dict[str, ...]``, another record) and
``field(metadata=...)``, written with :func:`setting`, carries the rest (bounds, coercion, the
user's documentation). The harness's validator (``harness.world.schema``) walks these
declarations; nothing else lists the fields. A record keeps the file and line of each field it
was read from (:meth:`Located.loc`), so later checks can point at the exact setting.

Fields marked :func:`derived` are not written in a world file: the world gives them values from
the others (ids, ARNs, URLs) after validation.
"""
from __future__ import annotations

import dataclasses
from dataclasses import MISSING, dataclass
from typing import Any, ClassVar, Protocol


class Check(Protocol):
    """What a record's own rules (:meth:`Located.normalise`) may ask of the validator."""

    file: str   # the file the record was read from

    def error(self, message: str, at: str | None = None, field: str | None = None) -> None:
        """Report a problem at the line of field ``at`` (the record's own line when ``None``),
        named after ``field`` (default ``at``) under the record's path."""

    def default(self, record_type: type, field: str) -> Any:
        """A ``record_type`` built from nothing (its defaults, normalised), placed at this record."""


@dataclass(kw_only=True, eq=False)
class Located:
    """A record of a world, with the file and line of each of its fields."""

    KIND: ClassVar[str] = "record"          # how errors name it ("Okta app", "user pool")
    ALIASES: ClassVar[dict[str, str]] = {}  # other spellings users write -> the field's name

    def normalise(self, check: Check) -> None:
        """The record's own rules, once its fields are valid: defaults that depend on other
        fields, short names expanded, problems only the whole record shows."""

    # ---- where it was written ---------------------------------------------------------------
    def place(self, file: str, line: int | None, lines: dict, order: tuple[str, ...] = ()) -> None:
        """Remember where the record (``line``) and each field (``lines[name]``) were written, and
        in which ``order`` the file wrote its fields (references are resolved, and their errors
        reported, in that order)."""
        self.__dict__["_place"] = (file, line, lines)
        self.__dict__["_order"] = order

    def loc(self, name: str | None = None) -> tuple[str, int | None]:
        """(file, line) where ``name`` (or the record itself) was written."""
        file, own, lines = self.__dict__.get("_place", ("<world>", None, {}))
        line = lines[name] if name is not None and name in lines else own
        # IaC worlds span several files: their lines carry their own file (harness.iac.located).
        return getattr(line, "file", file), line

    def where(self, name: str | None = None) -> str:
        file, line = self.loc(name)
        return file if line is None else f"{file}:{line}"

    # ---- the record as a mapping (references and dumps walk every field) ----------------------
    def items(self) -> list[tuple[str, Any]]:
        """(name, value) of every field written or defaulted, and of every derived field set: in
        the order the file wrote them, then the others in the order they are declared."""
        order = self.__dict__.get("_order", ())
        names = [*order, *(f.name for f in dataclasses.fields(self) if f.name not in order)]
        derived_names = {f.name for f in dataclasses.fields(self) if f.metadata.get("derived")}
        return [(name, getattr(self, name)) for name in names
                if not (name in derived_names and getattr(self, name) is None)]

    def get(self, name: str, default: Any = None) -> Any:
        value = getattr(self, name, None)
        return default if value is None else value

    def __getitem__(self, name: str) -> Any:
        return getattr(self, name)

    def __setitem__(self, name: str, value: Any) -> None:
        setattr(self, name, value)

    def __contains__(self, name: str) -> bool:
        return name in self.__dataclass_fields__

    def to_dict(self) -> dict:
        return {name: plain(value) for name, value in self.items()}

    def __repr__(self) -> str:
        return f"<{self.KIND} {dict(self.items())!r}>"


def plain(value: Any) -> Any:
    """``value`` as plain data (dicts, lists, scalars): records (anything with ``to_dict``)
    inside lists and mappings included."""
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def setting(default: Any = MISSING, *, factory: Any = MISSING, doc: str = "", **rules: Any) -> Any:
    """A field a world file may set. No ``default`` nor ``factory``: the file must set it.

    ``rules`` (read by the validator): ``minimum``/``maximum`` (integers), ``coerce`` (YAML
    scalars accepted as strings: ``true`` -> ``"true"``), ``single_ok`` (one item for a list),
    ``pattern`` with ``type_name`` and ``pattern_error`` (a string of a fixed form)."""
    metadata = {"doc": doc, **rules}
    if factory is not MISSING:
        return dataclasses.field(default_factory=factory, metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


def derived(doc: str) -> Any:
    """A field the world computes (an id, an ARN, a URL); a world file cannot set it."""
    return dataclasses.field(default=None, metadata={"doc": doc, "derived": True})


def written_fields(record_type: type) -> list[dataclasses.Field]:
    """The fields a world file may write, in declaration order."""
    return [f for f in dataclasses.fields(record_type) if not f.metadata.get("derived")]


def is_required(spec: dataclasses.Field) -> bool:
    return spec.default is MISSING and spec.default_factory is MISSING
