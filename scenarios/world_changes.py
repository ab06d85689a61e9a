"""Apply a case's world changes ("this Okta app's audience is X", "this mapping says Y") to a copy
of the world file's text, before it is loaded.

Paths name objects the way the world file does: ``okta.apps[label=Cognito SAML].saml.audience``,
``aws.UserPools[PoolName=acme-users].IdentityProviders[ProviderName=Okta].AttributeMapping.email``;
``[0]`` picks by position and ``["a.b"]`` is a key that holds dots.
"""
from __future__ import annotations

import copy
import functools
import re

import yaml

from harness.world import DEFAULT_WORLD
from harness.world.errors import WorldError, WorldErrors

# libyaml when PyYAML has it (the world's text is parsed here for every changed world): the
# same YAML, several times faster than the pure-Python loader and dumper
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_TOKEN = re.compile(r"""\.?(?:\["(?P<quoted>[^"]+)"\]|\[(?P<sel>[^\]]+)\]|(?P<name>[^.\[\]]+))""")


class PathError(Exception):
    pass


def parse_path(path: str) -> list:
    """``a.b[k=v][0]["x.y"]`` -> ['a', 'b', ('k', 'v'), 0, 'x.y']."""
    pos, out = 0, []
    while pos < len(path):
        m = _TOKEN.match(path, pos)
        if not m or m.end() == pos:
            raise PathError(f"cannot read the path {path!r} at {path[pos:]!r}")
        pos = m.end()
        if m.group("quoted") is not None:
            out.append(m.group("quoted"))
        elif m.group("sel") is not None:
            sel = m.group("sel").strip()
            if sel.isdigit():
                out.append(int(sel))
            elif "=" in sel:
                key, value = sel.split("=", 1)
                out.append((key.strip(), value.strip().strip("'\"")))
            else:
                raise PathError(f"{path!r}: [{sel}] is neither a position nor key=value")
        else:
            out.append(m.group("name"))
    if not out:
        raise PathError("an empty path")
    return out


def _step(node, token, path: str, create: bool):
    if isinstance(token, tuple):
        key, value = token
        if not isinstance(node, list):
            raise PathError(f"{path!r}: [{key}={value}] needs a list here")
        for item in node:
            if isinstance(item, dict) and str(item.get(key)) == value:
                return item
        have = [str(i.get(key)) for i in node if isinstance(i, dict)]
        raise PathError(f"{path!r}: no item with {key}={value!r} (there are: {', '.join(have) or 'none'})")
    if isinstance(token, int):
        if not isinstance(node, list) or token >= len(node):
            raise PathError(f"{path!r}: no item [{token}]")
        return node[token]
    if not isinstance(node, dict):
        raise PathError(f"{path!r}: {token!r} needs a mapping here")
    if token not in node:
        if not create:
            raise PathError(f"{path!r}: there is no {token!r} (there are: {', '.join(map(str, node)) or 'none'})")
        node[token] = {}
    return node[token]


def _parent(data, path: str, create: bool):
    tokens = parse_path(path)
    node = data
    for token in tokens[:-1]:
        node = _step(node, token, path, create)
    return node, tokens[-1]


def set_value(data, path: str, value) -> None:
    node, last = _parent(data, path, create=True)
    if isinstance(last, (tuple, int)):
        target = _step(node, last, path, create=False)
        if not isinstance(target, dict) or not isinstance(value, dict):
            raise PathError(f"{path!r}: a selected list item can only be replaced by a mapping")
        target.clear()
        target.update(value)
        return
    if not isinstance(node, dict):
        raise PathError(f"{path!r}: {last!r} needs a mapping here")
    node[last] = value


def remove_value(data, path: str) -> None:
    node, last = _parent(data, path, create=False)
    if isinstance(last, (tuple, int)):
        node.remove(_step(node, last, path, create=False))
    elif isinstance(node, dict) and last in node:
        del node[last]
    else:
        raise PathError(f"{path!r}: there is no {last!r} to remove")


def append_value(data, path: str, value) -> None:
    node, last = _parent(data, path, create=True)
    target = _step(node, last, path, create=False) if isinstance(last, (tuple, int)) else node.setdefault(last, [])
    if not isinstance(target, list):
        raise PathError(f"{path!r} is not a list")
    target.extend(value if isinstance(value, list) else [value])


def _plain(value):
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


@functools.lru_cache(maxsize=8)
def _parsed(text: str):
    """The world file's data, parsed once per text (most changed worlds change the same file);
    callers change a deep copy."""
    return yaml.load(text, Loader=_LOADER) or {}


def world_text(world_file: str | None, changes, scenario_file: str) -> str:
    """The world file's text with ``changes`` (a validated ``world:`` record) applied."""
    source = world_file or str(DEFAULT_WORLD)
    try:
        with open(source, encoding="utf-8") as fh:
            text = fh.read()
    except OSError as exc:
        raise WorldError(f"cannot read the world file: {exc}", file=source) from None
    if changes is None or not (changes.set or changes.remove or changes.append):
        return text
    data = copy.deepcopy(_parsed(text))
    errors = []

    def attempt(what, path, line, fn):
        try:
            fn()
        except PathError as exc:
            errors.append(WorldError(str(exc), file=scenario_file, line=line, field=f"world.{what}.{path}"))

    sets = changes.set or {}
    set_lines = getattr(sets, "lines", {})
    for path, value in sets.items():
        attempt("set", path, set_lines.get(path, changes.loc("set")[1]),
                lambda p=path, v=value: set_value(data, p, _plain(v)))
    for path in changes.remove or []:
        attempt("remove", path, changes.loc("remove")[1], lambda p=path: remove_value(data, p))
    appends = changes.append or {}
    append_lines = getattr(appends, "lines", {})
    for path, value in appends.items():
        attempt("append", path, append_lines.get(path, changes.loc("append")[1]),
                lambda p=path, v=value: append_value(data, p, _plain(v)))
    if errors:
        raise WorldErrors(errors)
    return yaml.dump(data, Dumper=_DUMPER, sort_keys=False, allow_unicode=True)
