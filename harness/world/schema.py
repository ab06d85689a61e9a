"""A small schema language for world and scenario files: types, required fields, defaults,
helpful errors.

Validation turns located YAML (:mod:`.yaml_source`) into records that keep the file and line of
every field, so later checks (references, ``harness diagnose``) can point at the exact setting.
A world file's records are the typed dataclasses of :mod:`world_common.world_model`
(:func:`record_of` reads their declarations into this language); a scenario file's are generic
:class:`Record` objects declared with :class:`Obj`.
"""
from __future__ import annotations

import dataclasses
import difflib
import functools
import re
import types
import typing
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any, Callable

from world_common.world_model.record import Located, is_required, plain, written_fields

from .errors import WorldError
from .yaml_source import LList, LMap


class Record:
    """A validated object: attribute access to fields plus ``loc(field)`` for their source."""

    def __init__(self, kind: str, values: dict, file: str, line: int | None, lines: dict) -> None:
        self.__dict__["_kind"] = kind
        self.__dict__["_values"] = values
        self.__dict__["_file"] = file
        self.__dict__["_line"] = line
        self.__dict__["_lines"] = lines

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["_values"][name]
        except KeyError:
            raise AttributeError(f"{self._kind} has no field {name!r}") from None

    def __setattr__(self, name: str, value: Any) -> None:
        self._values[name] = value

    def __getitem__(self, name: str) -> Any:
        return self._values[name]

    def __setitem__(self, name: str, value: Any) -> None:
        self._values[name] = value

    def __contains__(self, name: str) -> bool:
        return name in self._values

    def get(self, name: str, default: Any = None) -> Any:
        value = self._values.get(name, default)
        return default if value is None else value

    def items(self):
        return self._values.items()

    def loc(self, name: str | None = None) -> tuple[str, int | None]:
        """(file, line) where ``name`` (or the record itself) was written."""
        line = self._lines[name] if name is not None and name in self._lines else self._line
        # IaC worlds span several files: their lines carry their own file (harness.iac.located).
        return getattr(line, "file", self._file), line

    def where(self, name: str | None = None) -> str:
        file, line = self.loc(name)
        return file if line is None else f"{file}:{line}"

    def to_dict(self) -> dict:
        return {k: plain(v) for k, v in self._values.items()}

    def __repr__(self) -> str:
        return f"<{self._kind} {self._values!r}>"


@dataclass
class Ctx:
    file: str
    errors: list = dc_field(default_factory=list)

    def error(self, message: str, line: int | None, path: str) -> None:
        self.errors.append(WorldError(message, file=self.file, line=line, field=path))


class Type:
    name = "value"

    def check(self, value: Any, ctx: Ctx, path: str, line: int | None) -> Any:
        raise NotImplementedError


class Any_(Type):
    name = "any value"

    def check(self, value, ctx, path, line):
        return value


class Str(Type):
    """A string. ``coerce`` accepts YAML scalars (true, 5) where AWS wants strings ("true")."""

    name = "a string"

    def __init__(self, coerce: bool = False, choices: tuple[str, ...] | None = None) -> None:
        self.coerce = coerce
        self.choices = choices

    def check(self, value, ctx, path, line):
        if self.coerce and isinstance(value, bool):
            value = "true" if value else "false"
        elif self.coerce and isinstance(value, (int, float)):
            value = str(value)
        if not isinstance(value, str):
            ctx.error(f"expected {self.name}, got {_describe(value)}", line, path)
            return None
        if self.choices and value not in self.choices:
            ctx.error(f"{value!r} is not one of: {', '.join(self.choices)}", line, path)
            return None
        return value


class Int(Type):
    name = "an integer"

    def __init__(self, minimum: int | None = None, maximum: int | None = None) -> None:
        self.minimum, self.maximum = minimum, maximum

    def check(self, value, ctx, path, line):
        if isinstance(value, bool) or not isinstance(value, int):
            ctx.error(f"expected {self.name}, got {_describe(value)}", line, path)
            return None
        if self.minimum is not None and value < self.minimum:
            ctx.error(f"must be at least {self.minimum}, got {value}", line, path)
        if self.maximum is not None and value > self.maximum:
            ctx.error(f"must be at most {self.maximum}, got {value}", line, path)
        return value


class Bool(Type):
    name = "true or false"

    def check(self, value, ctx, path, line):
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        if not isinstance(value, bool):
            ctx.error(f"expected {self.name}, got {_describe(value)}", line, path)
            return None
        return value


class ListOf(Type):
    def __init__(self, item: Type, single_ok: bool = False) -> None:
        self.item = item
        self.single_ok = single_ok
        self.name = f"a list of {item.name}"

    def check(self, value, ctx, path, line):
        if self.single_ok and not isinstance(value, list):
            value = LList([value])
            value.line, value.lines = line, [line]
        if not isinstance(value, list):
            ctx.error(f"expected {self.name}, got {_describe(value)}", line, path)
            return []
        lines = getattr(value, "lines", [line] * len(value))
        return [self.item.check(v, ctx, f"{path}[{i}]", lines[i]) for i, v in enumerate(value)]


class MapOf(Type):
    def __init__(self, item: Type) -> None:
        self.item = item
        self.name = f"a mapping of {item.name}"

    def check(self, value, ctx, path, line):
        if not isinstance(value, dict):
            ctx.error(f"expected {self.name}, got {_describe(value)}", line, path)
            return {}
        lines = getattr(value, "lines", {})
        out = LMap()
        out.line, out.lines = getattr(value, "line", line), dict(lines)
        for k, v in value.items():
            out[k] = self.item.check(v, ctx, f"{path}.{k}", lines.get(k, line))
        return out


@dataclass
class Field:
    type: Type
    required: bool = False
    default: Any = None
    default_factory: Callable[[], Any] | None = None
    doc: str = ""


class Obj(Type):
    """A mapping with known fields. Unknown fields are errors, with a "did you mean"."""

    def __init__(self, kind: str, fields: dict[str, Field], *, aliases: dict[str, str] | None = None,
                 post: Callable[[Record, Ctx, str], None] | None = None) -> None:
        self.kind = kind
        self.fields = fields
        self.aliases = aliases or {}
        self.post = post
        self.name = f"a mapping ({kind})"

    def check(self, value, ctx, path, line):
        if value is None:
            value = LMap()
            value.line, value.lines = line, {}
        if not isinstance(value, dict):
            ctx.error(f"expected {self.name}, got {_describe(value)}", line, path)
            return None
        lines = dict(getattr(value, "lines", {}))
        own_line = getattr(value, "line", line)
        out: dict[str, Any] = {}
        for key, raw in value.items():
            name = self.aliases.get(key, key)
            if name != key:
                lines[name] = lines.get(key, own_line)
            spec = self.fields.get(name)
            sub = f"{path}.{key}" if path else key
            if spec is None:
                hint = difflib.get_close_matches(key, list(self.fields), n=1, cutoff=0.6)
                more = f"; did you mean {hint[0]!r}?" if hint else f"; known fields: {', '.join(self.fields)}"
                ctx.error(f"unknown field {key!r} in {self.kind}{more}", lines.get(key, own_line), sub)
                continue
            out[name] = spec.type.check(raw, ctx, sub, lines.get(key, own_line))
        for name, spec in self.fields.items():
            if name in out:
                continue
            if spec.required:
                ctx.error(f"{self.kind} needs the field {name!r}", own_line, f"{path}.{name}" if path else name)
                out[name] = None
            elif spec.default_factory is not None:
                out[name] = spec.default_factory()
            else:
                out[name] = spec.default
        record = self.make(out, ctx.file, own_line, lines)
        if self.post:
            self.post(record, ctx, path)
        return record

    def make(self, values: dict, file: str, line: int | None, lines: dict):
        return Record(self.kind, values, file, line, lines)


class Pattern(Str):
    """A string of a fixed form (``pattern``), with its own name and error."""

    def __init__(self, pattern: str, name: str, error: str, coerce: bool = False) -> None:
        super().__init__(coerce=coerce)
        self.pattern, self.name, self.pattern_error = re.compile(pattern), name, error

    def check(self, value, ctx, path, line):
        value = super().check(value, ctx, path, line)
        if value is not None and not self.pattern.fullmatch(value):
            ctx.error(self.pattern_error.format(value=value), line, path)
            return None
        return value


class RecordOf(Obj):
    """A typed world record (a :class:`world_common.world_model.Located` dataclass): its fields'
    annotations and ``metadata`` are the schema; its ``normalise`` runs once the fields are valid."""

    def __init__(self, record_type: type[Located]) -> None:
        super().__init__(record_type.KIND, {}, aliases=record_type.ALIASES, post=self._normalise)
        self.record_type = record_type
        hints = typing.get_type_hints(record_type)
        self.fields = {spec.name: _field_of(spec, hints[spec.name]) for spec in written_fields(record_type)}

    def make(self, values, file, line, lines):
        record = self.record_type(**values)
        record.place(file, line, lines, tuple(values))
        return record

    def _normalise(self, record: Located, ctx: Ctx, path: str) -> None:
        record.normalise(_RecordCheck(record, ctx, path))


@functools.cache
def record_of(record_type: type[Located]) -> RecordOf:
    """The schema of a world record type (built once per type)."""
    return RecordOf(record_type)


class _RecordCheck:
    """What a record's ``normalise`` reports through (:class:`world_common.world_model.Check`)."""

    def __init__(self, record: Located, ctx: Ctx, path: str) -> None:
        self.record, self.ctx, self.path, self.file = record, ctx, path, ctx.file

    def error(self, message: str, at: str | None = None, field: str | None = None) -> None:
        name = field or at
        self.ctx.error(message, self.record.loc(at)[1], f"{self.path}.{name}" if name else self.path)

    def default(self, record_type: type, field: str) -> Any:
        return record_of(record_type).check(None, self.ctx, f"{self.path}.{field}", self.record.loc()[1])


def _field_of(spec: dataclasses.Field, annotation: Any) -> Field:
    default = None if spec.default is dataclasses.MISSING else spec.default
    factory = None if spec.default_factory is dataclasses.MISSING else spec.default_factory
    return Field(_type_of(annotation, spec.metadata), required=is_required(spec), default=default,
                 default_factory=factory, doc=spec.metadata.get("doc", ""))


def _type_of(annotation: Any, rules) -> Type:
    """The schema type of a field annotation; ``rules`` (the field's metadata) apply to its scalars."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        kept = [a for a in args if a is not type(None)]
        return _type_of(kept[0], rules) if len(kept) == 1 else Any_()
    if origin is list:
        return ListOf(_type_of(args[0], rules), single_ok=rules.get("single_ok", False))
    if origin is dict:
        return MapOf(_type_of(args[1], rules))
    if origin is typing.Literal:
        return Str(coerce=rules.get("coerce", False), choices=args)
    if isinstance(annotation, type) and issubclass(annotation, Located):
        return record_of(annotation)
    if annotation is str and "pattern" in rules:
        return Pattern(rules["pattern"], rules["type_name"], rules["pattern_error"], rules.get("coerce", False))
    if annotation is str:
        return Str(coerce=rules.get("coerce", False))
    if annotation is bool:
        return Bool()
    if annotation is int:
        return Int(rules.get("minimum"), rules.get("maximum"))
    return Any_()


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"a string ({value!r})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__
