"""Evaluating HCL expressions offline, over python-hcl2's parse tree (which keeps line numbers).

python-hcl2 parses; it does not evaluate. This module evaluates the part of Terraform's language
that configuration of this kind uses: literals, strings with interpolation and ``$${}``
escapes, heredocs, lists, objects, ``var.``/``local.``/resource/``data.`` references with
attribute and index steps and splats, conditionals, operators, ``for`` expressions and the
common built-in functions. Whatever needs the live cloud (most data sources, registry modules)
raises :class:`~harness.iac.located.Unresolved` naming the expression, so the caller can report it and go on.
"""
from __future__ import annotations

import base64
import json
import re
import textwrap

import hcl2
from lark import Token, Tree

from harness.world.errors import WorldError

from .located import Unresolved


def parse(text: str, file: str) -> Tree:
    try:
        return hcl2.parses_to_tree(text)
    except Exception as exc:  # lark's errors carry line/column
        line = getattr(exc, "line", None)
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise WorldError(f"not valid HCL: {message}", file=file, line=line) from None


def children(node) -> list:
    """Children without layout (newlines, comments) and punctuation tokens."""
    return [c for c in node.children if not (isinstance(c, Tree) and c.data == "new_line_or_comment")]


def trees(node) -> list:
    return [c for c in children(node) if isinstance(c, Tree)]


def line_of(node) -> int | None:
    if isinstance(node, Token):
        return node.line
    meta = getattr(node, "meta", None)
    return getattr(meta, "line", None) if meta is not None and not meta.empty else None


def name_of(node) -> str:
    """The text of an identifier or string label."""
    if isinstance(node, Token):
        return str(node)
    if node.data in ("identifier", "keyword", "literal_value"):
        return str(node.children[0])
    if node.data == "string":
        return "".join(str(p.children[0]) for p in trees(node) if p.data == "string_part")
    raise ValueError(f"not a name: {node.data}")


class Block:
    """One HCL block: its type, labels, attributes (unevaluated) and nested blocks."""

    def __init__(self, node: Tree, file: str) -> None:
        parts = trees(node)
        self.type = name_of(parts[0])
        body = next(p for p in parts if p.data == "body")
        self.labels = [name_of(p) for p in parts[1:] if p is not body]
        self.file = file
        self.line = line_of(node)
        self.attributes: dict[str, Tree] = {}
        self.attribute_lines: dict[str, int] = {}
        self.blocks: list[Block] = []
        for item in trees(body):
            if item.data == "attribute":
                key_node, expression = trees(item)[0], trees(item)[-1]
                key = name_of(key_node)
                self.attributes[key] = expression
                self.attribute_lines[key] = line_of(item) or self.line
            elif item.data == "block":
                self.blocks.append(Block(item, file))


def blocks_of(tree: Tree, file: str) -> list[Block]:
    body = next(p for p in trees(tree) if p.data == "body")
    return [Block(item, file) for item in trees(body) if item.data == "block"]


# ---- the evaluator ----------------------------------------------------------------------------

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unescape(text: str) -> str:
    text = re.sub(r'\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)',
                  lambda m: chr(int(m.group(1)[1:], 16)) if m.group(1)[0] in "uU" and len(m.group(1)) > 1
                  else _ESCAPES.get(m.group(1), m.group(0)), text)
    return text.replace("$${", "${").replace("%%{", "%{")


class Scope:
    """How names are looked up: ``resolve(root, steps, line)`` for references; locals of a
    ``for`` expression in ``names``."""

    def __init__(self, resolve, file: str, names: dict | None = None) -> None:
        self.resolve = resolve
        self.file = file
        self.names = names or {}

    def child(self, names: dict) -> "Scope":
        return Scope(self.resolve, self.file, {**self.names, **names})


def evaluate(node, scope: Scope):
    if isinstance(node, Token):
        return _token(node)
    kind = node.data
    parts = children(node)
    if kind == "expr_term":
        inner = [p for p in parts if isinstance(p, Tree)]
        return evaluate(inner[0], scope)
    if kind == "int_lit":
        return int(str(parts[0]))
    if kind == "float_lit":
        return float(str(parts[0]))
    if kind == "literal_value":
        return {"true": True, "false": False, "null": None}[str(parts[0])]
    if kind == "string":
        return _string([p for p in parts if isinstance(p, Tree)], scope, line_of(node))
    if kind in ("heredoc_template", "heredoc_template_trim"):
        return _heredoc(str(parts[0]), kind.endswith("trim"), scope, line_of(node))
    if kind == "template_string":
        return _unescape(str(parts[0])[2:-2])
    if kind == "tuple":
        return [evaluate(p, scope) for p in parts if isinstance(p, Tree)]
    if kind == "object":
        out = {}
        for elem in (p for p in parts if isinstance(p, Tree) and p.data == "object_elem"):
            key_node, value_node = trees(elem)[0], trees(elem)[-1]
            key_expr = trees(key_node)[0] if trees(key_node) else key_node.children[0]
            key = _object_key(key_expr, scope)
            out[key] = evaluate(value_node, scope)
        return out
    if kind == "identifier":
        name = str(parts[0])
        if name in scope.names:
            return scope.names[name]
        return scope.resolve(name, [], line_of(node))
    if kind in ("get_attr_expr_term", "index_expr_term", "attr_splat_expr_term", "full_splat_expr_term"):
        return _traversal(node, scope)
    if kind == "function_call":
        return _call(node, scope)
    if kind == "conditional":
        cond, yes, no = [p for p in parts if isinstance(p, Tree)]
        return evaluate(yes, scope) if evaluate(cond, scope) else evaluate(no, scope)
    if kind == "binary_op":
        left, term = [p for p in parts if isinstance(p, Tree)]
        operator_node, right = trees(term)
        return _binary(str(operator_node.children[0]), evaluate(left, scope), lambda: evaluate(right, scope))
    if kind == "unary_op":
        op, operand = str(parts[0]), evaluate(parts[1], scope)
        return -operand if op == "-" else not operand
    if kind == "for_tuple_expr":
        return _for(node, scope, as_object=False)
    if kind == "for_object_expr":
        return _for(node, scope, as_object=True)
    raise Unresolved(kind, "this HCL expression is not supported offline", line_of(node))


def _token(token):
    return str(token)


def _object_key(node, scope):
    if isinstance(node, Tree) and node.data == "expr_term":
        inner = trees(node)
        if len(inner) == 1 and inner[0].data == "identifier":
            return str(inner[0].children[0])  # a bare key is a literal name, not a reference
    if isinstance(node, Tree) and node.data in ("identifier", "keyword"):
        return str(node.children[0])
    return str(evaluate(node, scope))


def _string(parts, scope, line):
    pieces = []
    for part in parts:
        inner = part.children[0]
        if isinstance(inner, Token):
            pieces.append(_unescape(str(inner)))   # "$${" -> "${", and \" inside it -> "
        elif inner.data == "interpolation":
            pieces.append(evaluate(trees(inner)[0], scope))
        else:
            raise Unresolved("%{...}", "template directives are not supported offline", line)
    if len(pieces) == 1 and not isinstance(pieces[0], str):
        return pieces[0]
    if len(pieces) == 1:
        return pieces[0]
    return "".join(_text(p) for p in pieces)


def _heredoc(raw: str, trim: bool, scope, line):
    first_newline = raw.index("\n")
    body = raw[first_newline + 1:]
    body = body[: body.rstrip("\n").rfind("\n") + 1] if "\n" in body.rstrip("\n") else ""
    if trim:
        body = textwrap.dedent(body)
    return template(body, scope, line)


def template(text: str, scope, line):
    """A template outside quotes (a heredoc): literal text with ``${expr}`` interpolations."""
    out, i = [], 0
    while True:
        start = text.find("${", i)
        if start < 0:
            out.append(text[i:])
            break
        if start > 0 and text[start - 1] == "$":
            out.append(text[i:start - 1] + "${")
            i = start + 2
            continue
        out.append(text[i:start])
        depth, j = 1, start + 2
        while j < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            j += 1
        expression = text[start + 2:j - 1]
        tree = hcl2.parses_to_tree(f"x = {expression}\n")
        attribute = trees(trees(tree)[0])[0]
        out.append(_text(evaluate(trees(attribute)[-1], scope)))
        i = j
    return "".join(out)


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (list, dict)):
        raise TypeError("a list or object cannot be used inside a string")
    return str(value)


def _traversal(node, scope):
    """Flatten ``a.b[0].c`` into a root and steps; references go to ``scope.resolve``."""
    steps = []
    current = node
    while isinstance(current, Tree) and current.data in (
            "get_attr_expr_term", "index_expr_term", "attr_splat_expr_term", "full_splat_expr_term", "expr_term"):
        if current.data == "expr_term":
            inner = trees(current)
            if len(inner) != 1 or inner[0].data not in ("get_attr_expr_term", "index_expr_term",
                                                          "attr_splat_expr_term", "full_splat_expr_term"):
                break
            current = inner[0]
            continue
        base, step = trees(current)
        steps.insert(0, _step(step, scope))
        current = base
    line = line_of(node)
    inner = trees(current) if isinstance(current, Tree) and current.data == "expr_term" else [current]
    if len(inner) == 1 and isinstance(inner[0], Tree) and inner[0].data == "identifier":
        root = str(inner[0].children[0])
        if root in scope.names:
            return apply_steps(scope.names[root], steps, root, line)
        return scope.resolve(root, steps, line)
    return apply_steps(evaluate(current, scope), steps, "expression", line)


def _step(step, scope):
    if step.data == "get_attr":
        return ("attr", name_of(trees(step)[0]))
    if step.data == "braces_index":
        return ("index", evaluate(trees(step)[0], scope))
    if step.data == "short_index":
        return ("index", int(str(children(step)[-1])))
    if step.data in ("attr_splat", "full_splat"):
        return ("splat", [_step(s, scope) for s in trees(step)])
    raise Unresolved(step.data, "unsupported traversal", line_of(step))


def apply_steps(value, steps, name, line):
    for i, (kind, arg) in enumerate(steps):
        if kind == "splat":
            items = value if isinstance(value, list) else [value]
            return [apply_steps(item, arg + steps[i + 1:], name, line) for item in items]
        try:
            value = value[arg]
        except (KeyError, IndexError, TypeError):
            raise Unresolved(name, f"has no {arg!r}", line) from None
    return value


def _binary(op, left, right_thunk):
    if op == "&&":
        return bool(left) and bool(right_thunk())
    if op == "||":
        return bool(left) or bool(right_thunk())
    right = right_thunk()
    table = {"==": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b,
             ">": lambda a, b: a > b, "<=": lambda a, b: a <= b, ">=": lambda a, b: a >= b,
             "+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
             "/": lambda a, b: a / b, "%": lambda a, b: a % b}
    return table[op](left, right)


def _for(node, scope, as_object):
    parts = trees(node)
    intro = next(p for p in parts if p.data == "for_intro")
    names = [str(p.children[0]) for p in trees(intro) if p.data == "identifier"]
    collection = evaluate([p for p in trees(intro) if p.data != "identifier"][-1], scope)
    bodies = [p for p in parts if p.data not in ("for_intro", "for_cond")]
    cond = next((p for p in parts if p.data == "for_cond"), None)
    pairs = collection.items() if isinstance(collection, dict) else enumerate(collection)
    out_list, out_dict = [], {}
    for key, value in pairs:
        bound = {names[0]: value} if len(names) == 1 else {names[0]: key, names[1]: value}
        inner = scope.child(bound)
        if cond is not None and not evaluate(trees(cond)[0], inner):
            continue
        if as_object:
            out_dict[_text(evaluate(bodies[0], inner))] = evaluate(bodies[1], inner)
        else:
            out_list.append(evaluate(bodies[0], inner))
    return out_dict if as_object else out_list


# ---- functions --------------------------------------------------------------------------------

def _format(spec, *args):
    args = list(args)

    def one(match):
        verb = match.group(0)
        if verb == "%%":
            return "%"
        value = args.pop(0)
        if verb.endswith("q"):
            return json.dumps(value)
        if verb.endswith("d"):
            return str(int(value))
        return _text(value) if not isinstance(value, (list, dict)) else json.dumps(value)
    return re.sub(r"%%|%[-+# 0-9.]*[sdvqf]", one, spec)


def _flatten(items):
    out = []
    for item in items:
        out.extend(_flatten(item) if isinstance(item, list) else [item])
    return out


FUNCTIONS = {
    "jsonencode": lambda v: json.dumps(v, separators=(",", ":")),
    "jsondecode": lambda s: json.loads(s),
    "format": _format,
    "formatlist": lambda spec, *lists: [_format(spec, *vals) for vals in zip(*lists, strict=False)],
    "join": lambda sep, items: sep.join(_text(i) for i in items),
    "split": lambda sep, s: s.split(sep),
    "lower": lambda s: s.lower(), "upper": lambda s: s.upper(), "title": lambda s: s.title(),
    "replace": lambda s, old, new: (re.sub(old[1:-1], new.replace("$", "\\"), s)
                                    if len(old) > 1 and old.startswith("/") and old.endswith("/")
                                    else s.replace(old, new)),
    "concat": lambda *lists: [i for items in lists for i in items],
    "merge": lambda *maps: {k: v for m in maps for k, v in (m or {}).items()},
    "tostring": lambda v: v if isinstance(v, str) else _text(v),
    "tonumber": lambda v: int(v) if str(v).lstrip("-").isdigit() else float(v),
    "tobool": lambda v: v if isinstance(v, bool) else str(v) == "true",
    "tolist": list, "toset": lambda v: list(dict.fromkeys(v)), "tomap": dict,
    "length": len, "keys": lambda m: sorted(m), "values": lambda m: [m[k] for k in sorted(m)],
    "element": lambda items, i: items[i % len(items)],
    "lookup": lambda m, k, *default: m[k] if k in m or not default else default[0],
    "coalesce": lambda *vals: next(v for v in vals if v not in (None, "")),
    "coalescelist": lambda *lists: next(v for v in lists if v),
    "contains": lambda items, v: v in items,
    "distinct": lambda items: list(dict.fromkeys(items)), "flatten": _flatten,
    "compact": lambda items: [i for i in items if i not in (None, "")],
    "trimsuffix": lambda s, x: s[: -len(x)] if x and s.endswith(x) else s,
    "trimprefix": lambda s, x: s[len(x):] if s.startswith(x) else s,
    "trimspace": lambda s: s.strip(), "trim": lambda s, chars: s.strip(chars),
    "startswith": lambda s, x: s.startswith(x), "endswith": lambda s, x: s.endswith(x),
    "substr": lambda s, offset, length: s[offset:] if length < 0 else s[offset:offset + length],
    "base64encode": lambda s: base64.b64encode(s.encode()).decode(),
    "base64decode": lambda s: base64.b64decode(s).decode(),
    "sort": lambda items: sorted(items), "zipmap": lambda k, v: dict(zip(k, v, strict=False)),
    "min": min, "max": max, "abs": abs,
    "one": lambda items: items[0] if items else None,
}


def _call(node, scope):
    parts = trees(node)
    name = str(parts[0].children[0])
    argument_nodes = trees(parts[1]) if len(parts) > 1 and parts[1].data == "arguments" else []
    line = line_of(node)
    if name == "try":
        for argument in argument_nodes:
            try:
                return evaluate(argument, scope)
            except (Unresolved, KeyError, IndexError, TypeError, ValueError):
                continue
        raise Unresolved("try(...)", "no argument could be evaluated", line)
    if name == "can":
        try:
            evaluate(argument_nodes[0], scope)
            return True
        except (KeyError, IndexError, TypeError, ValueError):
            return False
    if name == "file":
        path = evaluate(argument_nodes[0], scope)
        return scope.resolve("__file__", [("attr", path)], line)
    if name not in FUNCTIONS:
        raise Unresolved(f"{name}(...)", "this function is not evaluated offline", line)
    arguments = [evaluate(a, scope) for a in argument_nodes]
    try:
        return FUNCTIONS[name](*arguments)
    except Exception as exc:  # a wrong argument gives a located report, not a traceback
        raise Unresolved(f"{name}(...)", f"cannot be evaluated: {exc}", line) from None
