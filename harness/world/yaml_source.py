"""YAML with line numbers: every mapping and list remembers where each of its items stood."""
from __future__ import annotations

import yaml

from .errors import WorldError


class LMap(dict):
    """A dict that knows the line of each key (``lines[key]``) and its own (``line``)."""

    line: int | None = None
    lines: dict


class LList(list):
    line: int | None = None
    lines: list


def _convert(node: yaml.Node, file: str):
    if isinstance(node, yaml.MappingNode):
        out = LMap()
        out.line = node.start_mark.line + 1
        out.lines = {}
        for key_node, value_node in node.value:
            key = _convert(key_node, file)
            if not isinstance(key, (str, int, float, bool)) or key is None:
                raise WorldError("mapping keys must be plain scalars", file=file,
                                 line=key_node.start_mark.line + 1)
            key = str(key) if not isinstance(key, str) else key
            if key in out:
                raise WorldError(f"duplicate key {key!r}", file=file,
                                 line=key_node.start_mark.line + 1, field=key)
            out[key] = _convert(value_node, file)
            out.lines[key] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        out_list = LList(_convert(item, file) for item in node.value)
        out_list.line = node.start_mark.line + 1
        out_list.lines = [item.start_mark.line + 1 for item in node.value]
        return out_list
    return _scalar(node)


_constructor = yaml.constructor.SafeConstructor()


def _scalar(node: yaml.ScalarNode):
    return _constructor.construct_object(node, deep=True)


# libyaml's parser when PyYAML was built with it (about 7x faster on a world file: every
# scenario case with world changes loads one); a document it refuses is parsed again by the
# pure-Python parser, whose messages the errors quote.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(text: str, file: str):
    """Parse ``text``; YAML errors become a :class:`WorldError` with the file and line."""
    try:
        node = yaml.compose(text, Loader=_FAST_LOADER)
    except yaml.YAMLError:
        node = _compose_checked(text, file)
    if node is None:
        return LMap()
    return _convert(node, file)


def _compose_checked(text: str, file: str):
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise WorldError(f"not valid YAML: {exc.problem or exc}", file=file, line=line) from None
    except yaml.YAMLError as exc:
        raise WorldError(f"not valid YAML: {exc}", file=file) from None
