"""The ``filter`` and ``search`` expressions of Okta's list APIs, and ``Link`` pagination
(docs/fidelity/okta-mfa-idx.md#okta-mfa-idx-list-users, #okta-mfa-idx-list-pagination).

Expressions are SCIM-style: ``attribute op "value"`` joined by ``and`` / ``or``, with
parentheses; operators ``eq``, ``ne``, ``sw``, ``co``, ``gt``, ``ge``, ``lt``, ``le`` and
``pr`` (present). Attribute names are dotted (``profile.login``, ``type.id``). Values compare
case-insensitively for strings, as Okta's search does for ``profile`` attributes (unconfirmed
for ``filter``).

    predicate = parse('status eq "ACTIVE" and profile.department sw "Eng"')
    predicate({"status": "ACTIVE", "profile": {"department": "Engineering"}})  # True
"""
from __future__ import annotations

import re
import urllib.parse

_TOKEN = re.compile(r'\s*(?:(\()|(\))|"((?:[^"\\]|\\.)*)"|([A-Za-z_][\w.:]*)|(-?\d+(?:\.\d+)?))')
OPERATORS = {"eq", "ne", "sw", "co", "ew", "gt", "ge", "lt", "le", "pr"}


class QueryError(ValueError):
    """The expression cannot be read; the message names the problem."""


def _tokens(text: str) -> list[tuple[str, object]]:
    out, pos = [], 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = _TOKEN.match(text, pos)
        if match is None:
            raise QueryError(f"cannot read the expression at {text[pos:pos + 20]!r}")
        pos = match.end()
        lpar, rpar, string, word, number = match.groups()
        if lpar:
            out.append(("(", None))
        elif rpar:
            out.append((")", None))
        elif string is not None:
            out.append(("value", string.replace('\\"', '"')))
        elif number is not None:
            out.append(("value", float(number) if "." in number else int(number)))
        else:
            lowered = word.lower()
            if lowered in ("true", "false"):
                out.append(("value", lowered == "true"))
            elif lowered in ("and", "or", "not") or lowered in OPERATORS:
                out.append((lowered, None))
            else:
                out.append(("name", word))
    return out


def lookup(record: dict, name: str):
    value = record
    for part in name.split("."):
        if not isinstance(value, dict):
            return None
        key = part if part in value else next((k for k in value if k.lower() == part.lower()), part)
        value = value.get(key)
    return value


def _compare(actual, op: str, expected) -> bool:
    if op == "pr":
        return actual not in (None, "", [])
    if isinstance(actual, list):
        return any(_compare(a, op, expected) for a in actual)
    if actual is None:
        return op == "ne"
    if isinstance(actual, str) and isinstance(expected, str):
        actual, expected = actual.lower(), expected.lower()
    elif isinstance(expected, bool) or isinstance(actual, bool):
        actual, expected = str(actual).lower(), str(expected).lower()
    try:
        return {
            "eq": lambda: actual == expected, "ne": lambda: actual != expected,
            "sw": lambda: str(actual).startswith(str(expected)), "ew": lambda: str(actual).endswith(str(expected)),
            "co": lambda: str(expected) in str(actual),
            "gt": lambda: actual > expected, "ge": lambda: actual >= expected,
            "lt": lambda: actual < expected, "le": lambda: actual <= expected,
        }[op]()
    except TypeError:
        return False


class _Parser:
    def __init__(self, tokens) -> None:
        self.tokens, self.pos = tokens, 0

    def peek(self):
        return self.tokens[self.pos][0] if self.pos < len(self.tokens) else None

    def take(self, kind: str | None = None):
        if self.pos >= len(self.tokens):
            raise QueryError("the expression ends too early")
        token = self.tokens[self.pos]
        if kind and token[0] != kind:
            raise QueryError(f"expected {kind}, found {token[1] if token[1] is not None else token[0]!r}")
        self.pos += 1
        return token

    def expression(self):
        left = self.conjunction()
        while self.peek() == "or":
            self.take()
            right, first = self.conjunction(), left
            left = lambda r, a=first, b=right: a(r) or b(r)   # noqa: E731
        return left

    def conjunction(self):
        left = self.term()
        while self.peek() == "and":
            self.take()
            right, first = self.term(), left
            left = lambda r, a=first, b=right: a(r) and b(r)   # noqa: E731
        return left

    def term(self):
        if self.peek() == "not":
            self.take()
            inner = self.term()
            return lambda r: not inner(r)
        if self.peek() == "(":
            self.take("(")
            inner = self.expression()
            self.take(")")
            return inner
        _, name = self.take("name")
        op = self.peek()
        if op not in OPERATORS:
            raise QueryError(f"expected an operator after {name!r} (one of {', '.join(sorted(OPERATORS))})")
        self.take()
        if op == "pr":
            return lambda r: _compare(lookup(r, name), "pr", None)
        _, value = self.take("value")
        return lambda r: _compare(lookup(r, name), op, value)


def parse(text: str):
    """A predicate over a JSON record; :class:`QueryError` when ``text`` cannot be read."""
    parser = _Parser(_tokens(text))
    predicate = parser.expression()
    if parser.pos != len(parser.tokens):
        raise QueryError(f"unexpected {parser.tokens[parser.pos][1] or parser.tokens[parser.pos][0]!r}")
    return predicate


def page(records: list[dict], base_url: str, args, *, default_limit: int, max_limit: int = 200):
    """(the page of ``records`` after the ``after`` cursor, the ``Link`` header value).
    The cursor is the last record's ``id``; the ``next`` link is there only when more follow."""
    try:
        limit = int(args.get("limit", default_limit))
    except ValueError:
        raise QueryError("limit: must be a number") from None
    limit = max(1, min(limit, max_limit))
    after = args.get("after")
    start = 0
    if after:
        ids = [r["id"] for r in records]
        start = ids.index(after) + 1 if after in ids else len(records)
    chunk = records[start:start + limit]
    keep = {k: v for k, v in args.items() if k not in ("after",)}
    links = [f'<{base_url}?{urllib.parse.urlencode(keep)}>; rel="self"' if keep else f'<{base_url}>; rel="self"']
    if start + limit < len(records) and chunk:
        nxt = urllib.parse.urlencode({**keep, "limit": limit, "after": chunk[-1]["id"]})
        links.append(f'<{base_url}?{nxt}>; rel="next"')
    return chunk, ", ".join(links)
