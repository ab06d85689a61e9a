"""The subset of Okta Expression Language used in SAML attribute statements and custom
application usernames (docs/fidelity/okta-saml.md#okta-saml-attribute-statements, OK-EL):

* ``user.<attribute>`` (``source.<attribute>`` and ``appuser.<attribute>`` read the same
  profile; the world has no per-app profile), string literals in ``'…'`` or ``"…"``, ``null``,
  ``true``/``false``, integers;
* ``+`` concatenation; ``==`` / ``!=``; ``cond ? a : b``; parentheses;
* ``String.toLowerCase``, ``String.toUpperCase``, ``String.substringBefore``,
  ``String.substringAfter``, ``String.join``, ``Arrays.toCsvString``; and the template forms
  ``${source.login}`` / ``${user.email}`` for the Application username, several of them with
  literal text between (``${user.firstName} ${user.lastName}``) being their concatenation.

Anything else is an :class:`ExpressionError` naming the unsupported part, raised when the
world loads (never an empty value at sign-in).

Null handling: the functions return ``null`` for a ``null`` input and a statement whose value
is ``null`` is omitted (docs/fidelity/okta-saml.md#okta-saml-empty-null-attribute-values: unconfirmed).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

FUNCTIONS = {
    "String.toLowerCase": (1, 1),
    "String.toUpperCase": (1, 1),
    "String.substringBefore": (2, 2),
    "String.substringAfter": (2, 2),
    "String.join": (1, None),
    "Arrays.toCsvString": (1, 1),
}
PROFILE_ROOTS = ("user", "source", "appuser")


class ExpressionError(ValueError):
    """An expression outside the supported subset, or malformed."""


_TOKEN = re.compile(r"""
    \s*(?:
      (?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
    | (?P<number>\d+)
    | (?P<name>[A-Za-z_$][A-Za-z0-9_$]*(?:\.[A-Za-z_$][A-Za-z0-9_$]*)*)
    | (?P<op>==|!=|&&|\|\||[-+?:(),!<>*/%\[\]{}=])
    )""", re.X)


@dataclass
class Node:
    kind: str           # lit, attr, call, concat, cond, eq, ne
    value: object = None
    args: tuple = ()


def _tokens(text: str):
    pos, out = 0, []
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ExpressionError(f"unsupported character {text[pos:].lstrip()[:1]!r} at position {pos + 1}")
        kind = m.lastgroup
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = _tokens(text)
        self.i = 0

    def peek(self, value=None):
        if self.i >= len(self.toks):
            return None
        tok = self.toks[self.i]
        if value is not None and tok[1] != value:
            return None
        return tok

    def take(self, value=None):
        tok = self.peek(value)
        if tok is None:
            expected = f"{value!r}" if value else "a value"
            raise ExpressionError(f"expected {expected} at the end of {self.text!r}" if self.i >= len(self.toks)
                                  else f"expected {expected}, found {self.toks[self.i][1]!r}")
        self.i += 1
        return tok

    def parse(self) -> Node:
        if not self.toks:
            raise ExpressionError("empty expression")
        node = self.conditional()
        if self.i < len(self.toks):
            raise ExpressionError(f"unsupported: {self.toks[self.i][1]!r} (after {self.text[:40]!r}...)"
                                  if len(self.text) > 40 else f"unsupported: {self.toks[self.i][1]!r}")
        return node

    def conditional(self) -> Node:
        cond = self.equality()
        if self.peek("?"):
            self.take("?")
            yes = self.conditional()
            self.take(":")
            no = self.conditional()
            return Node("cond", args=(cond, yes, no))
        return cond

    def equality(self) -> Node:
        left = self.concat()
        while self.peek("==") or self.peek("!="):
            op = self.take()[1]
            left = Node("eq" if op == "==" else "ne", args=(left, self.concat()))
        return left

    def concat(self) -> Node:
        parts = [self.primary()]
        while self.peek("+"):
            self.take("+")
            parts.append(self.primary())
        return parts[0] if len(parts) == 1 else Node("concat", args=tuple(parts))

    def primary(self) -> Node:
        tok = self.peek()
        if tok is None:
            self.take()
        kind, text = tok
        if kind == "string":
            self.i += 1
            return Node("lit", _unquote(text))
        if kind == "number":
            self.i += 1
            return Node("lit", text)
        if kind == "op" and text == "(":
            self.i += 1
            node = self.conditional()
            self.take(")")
            return node
        if kind == "name":
            self.i += 1
            if text == "null":
                return Node("lit", None)
            if text in ("true", "false"):
                return Node("lit", text == "true")
            if self.peek("("):
                return self.call(text)
            root, _, attr = text.partition(".")
            if root in PROFILE_ROOTS and attr and "." not in attr:
                return Node("attr", attr)
            raise ExpressionError(f"unsupported: {text!r} (supported values are user.<attribute>, "
                                  "string literals and the String/Arrays functions)")
        raise ExpressionError(f"unsupported: operator {text!r}")

    def call(self, name: str) -> Node:
        if name not in FUNCTIONS:
            raise ExpressionError(f"unsupported function {name!r}; supported: {', '.join(FUNCTIONS)}")
        self.take("(")
        args = []
        if not self.peek(")"):
            args.append(self.conditional())
            while self.peek(","):
                self.take(",")
                args.append(self.conditional())
        self.take(")")
        low, high = FUNCTIONS[name]
        if len(args) < low or (high is not None and len(args) > high):
            raise ExpressionError(f"{name} takes {low if low == high else f'at least {low}'} argument(s), "
                                  f"not {len(args)}")
        return Node("call", name, tuple(args))


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text[1:-1])


_TEMPLATE = re.compile(r"^\$\{\s*(?P<body>.*?)\s*\}$")


def parse(text: str) -> Node:
    """Parse an expression (or a ``${...}`` template around one); raise ExpressionError."""
    if not isinstance(text, str):
        raise ExpressionError(f"an expression must be a string, not {type(text).__name__}")
    return _parse_cached(text)


@functools.lru_cache(maxsize=1024)
def _parse_cached(text: str) -> Node:
    if not isinstance(text, str):
        raise ExpressionError(f"an expression must be a string, not {type(text).__name__}")
    m = _TEMPLATE.match(text.strip())
    if m and _template_end(text.strip(), 0) == len(text.strip()):
        return _Parser(m.group("body")).parse()
    if "${" in text:
        return _template(text)
    return _Parser(text).parse()


def _template_end(text: str, start: int) -> int:
    """The index after the ``}`` closing the ``${`` at ``start`` (quotes and nested braces
    skipped); -1 when it is not closed."""
    depth, i, quote = 0, start + 1, None
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return -1


def _template(text: str) -> Node:
    """A template with literal text around one or more ``${expression}`` parts (an Application
    username like ``${source.firstName}.${source.lastName}``): their concatenation
    (docs/fidelity/iac.md#iac-okta-templates; several parts in one template: inferred)."""
    parts, i = [], 0
    while i < len(text):
        start = text.find("${", i)
        if start < 0:
            parts.append(Node("lit", text[i:]))
            break
        if start > i:
            parts.append(Node("lit", text[i:start]))
        end = _template_end(text, start)
        if end < 0:
            raise ExpressionError(f"unclosed ${{ at position {start + 1} of {text!r}")
        parts.append(_Parser(text[start + 2:end - 1]).parse())
        i = end
    return parts[0] if len(parts) == 1 else Node("concat", args=tuple(parts))


def validate(text: str) -> None:
    parse(text)


def evaluate(node_or_text, profile: dict):
    """The value of an expression for a user with Okta ``profile``; ``None`` is ``null``."""
    node = parse(node_or_text) if isinstance(node_or_text, str) else node_or_text
    return _eval(node, profile)


def _eval(node: Node, profile: dict):
    kind = node.kind
    if kind == "lit":
        return node.value
    if kind == "attr":
        return profile.get(node.value)
    if kind == "concat":
        # SpEL (which Okta EL is built on) writes null as "null" when concatenating (unconfirmed
        # for Okta); a present value is written as its string form.
        return "".join(_text(_eval(a, profile)) for a in node.args)
    if kind in ("eq", "ne"):
        left, right = (_eval(a, profile) for a in node.args)
        return (left == right) if kind == "eq" else (left != right)
    if kind == "cond":
        cond, yes, no = node.args
        return _eval(yes, profile) if _truthy(_eval(cond, profile)) else _eval(no, profile)
    if kind == "call":
        return _call(node.value, [_eval(a, profile) for a in node.args])
    raise ExpressionError(f"cannot evaluate {kind}")


def _truthy(value) -> bool:
    if isinstance(value, str):
        return value.lower() == "true"
    return bool(value)


def _text(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _call(name: str, args: list):
    if name == "String.join":
        sep, rest = args[0], args[1:]
        if sep is None:
            return None
        items = []
        for value in rest:
            items.extend(value if isinstance(value, (list, tuple)) else [value])
        return str(sep).join(_text(v) for v in items if v is not None)
    if name == "Arrays.toCsvString":
        value = args[0]
        if value is None:
            return None
        return ",".join(_text(v) for v in (value if isinstance(value, (list, tuple)) else [value]))
    value = args[0]
    if value is None:
        return None
    value = _text(value)
    if name == "String.toLowerCase":
        return value.lower()
    if name == "String.toUpperCase":
        return value.upper()
    sep = _text(args[1])
    if name == "String.substringBefore":
        # Apache Commons StringUtils semantics (which Okta's String functions wrap): the whole
        # string when the separator is absent.
        return value.split(sep, 1)[0] if sep in value else value
    if name == "String.substringAfter":
        return value.split(sep, 1)[1] if sep in value else ""
    raise ExpressionError(f"unsupported function {name!r}")
