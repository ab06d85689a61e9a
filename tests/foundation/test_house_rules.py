"""House rules the project keeps (issue 18), beside the import graph of test_layers.py:

* no module of the packages over 500 lines;
* no function over 60 lines unless its docstring says why, in a sentence starting "Long because";
* an import inside a function only with its reason in a comment on that line or the line above
  (a lazy import for start-up speed is a reason; say so); one comment above a block of imports
  covers the block;
* a Flask app's state in ``app.extensions`` only (not ``app.config[...]``, not set by a
  blueprint's ``record``/``record_once`` hook): each package documents its one shape
  (mock_cognito/context.py, mock_okta/app.py, harness/app_standin/__init__.py).
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

from test_layers import modules

ROOT = Path(__file__).resolve().parents[2]
MODULE_LIMIT = 500
FUNCTION_LIMIT = 60
REASON = "Long because"
ELSEWHERE = re.compile(r"\.config\[|@\w+\.record(_once)?\b")


def _relative(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else path.name


def long_modules(files) -> list[str]:
    return [f"{_relative(p)}: {n} lines" for p in files if (n := len(p.read_text().splitlines())) > MODULE_LIMIT]


def _functions(tree: ast.AST):
    return [node for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]


def long_functions(path: Path) -> list[str]:
    found = []
    for node in _functions(ast.parse(path.read_text())):
        length = node.end_lineno - node.lineno + 1
        if length > FUNCTION_LIMIT and REASON not in (ast.get_docstring(node) or ""):
            found.append(f"{_relative(path)}:{node.lineno} {node.name}: {length} lines, no '{REASON} ...'")
    return found


def _comment_above(lines: list[str], index: int) -> bool:
    """Whether a comment stands right above the block of import lines that ``lines[index]`` is in."""
    index -= 1
    while index >= 0 and lines[index].strip().startswith(("import ", "from ")):
        index -= 1
    return index >= 0 and lines[index].strip().startswith("#")


def unexplained_imports(path: Path) -> list[str]:
    lines = path.read_text().splitlines()
    found = {}
    for function in _functions(ast.parse("\n".join(lines))):
        for node in ast.walk(function):
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            here = lines[node.lineno - 1]
            if "#" not in here and not _comment_above(lines, node.lineno - 1):
                # the innermost function names it (ast.walk visits the outer one first)
                found[node.lineno] = f"{_relative(path)}:{node.lineno} in {function.name}(): {here.strip()}"
    return [found[line] for line in sorted(found)]


def state_outside_extensions(path: Path) -> list[str]:
    return [f"{_relative(path)}:{number}: {line.strip()}"
            for number, line in enumerate(path.read_text().splitlines(), 1) if ELSEWHERE.search(line)]


def test_no_module_over_500_lines():
    found = long_modules(modules().values())
    assert not found, "modules over 500 lines (split them by responsibility):\n" + "\n".join(found)


def test_no_function_over_60_lines_without_a_reason():
    found = [line for path in modules().values() for line in long_functions(path)]
    assert not found, "functions over 60 lines:\n" + "\n".join(found)


def test_imports_inside_functions_say_why():
    found = [line for path in modules().values() for line in unexplained_imports(path)]
    assert not found, "imports inside functions without a reason (a comment on the line or above):\n" + "\n".join(found)


def test_per_app_state_lives_in_app_extensions():
    found = [line for path in modules().values() for line in state_outside_extensions(path)]
    assert not found, "per-app state outside app.extensions:\n" + "\n".join(found)


def test_the_checks_see_what_they_look_for(tmp_path):
    body = "".join(f"    x{i} = {i}\n" for i in range(FUNCTION_LIMIT))
    source = tmp_path / "sample.py"
    source.write_text(
        f"def long():\n{body}\n\n"
        f'def explained():\n    """Long because the table is one piece."""\n{body}\n\n'
        "def lazy():\n    import json\n    # lazy: start-up time\n    import csv\n    import os  # cycle: see above\n"
        "    import io\n    x = 1\n    import zlib\n"
        "    def inner():\n        import re\n")
    lines = source.read_text().splitlines()
    assert [entry.split(" ")[1] for entry in long_functions(source)] == ["long:"]
    assert unexplained_imports(source) == [
        f"sample.py:{lines.index('    import json') + 1} in lazy(): import json",
        f"sample.py:{lines.index('    import zlib') + 1} in lazy(): import zlib",
        f"sample.py:{lines.index('        import re') + 1} in inner(): import re"]
    big = tmp_path / "big.py"
    big.write_text("x = 1\n" * (MODULE_LIMIT + 1))
    assert long_modules([big, source]) == [f"big.py: {MODULE_LIMIT + 1} lines"]
    hooks = tmp_path / "hooks.py"
    hooks.write_text('app.config["ORG"] = org\n@bp.record_once\ndef f(state):\n    pass\napp.extensions["x"] = 1\n')
    assert state_outside_extensions(hooks) == ['hooks.py:1: app.config["ORG"] = org', "hooks.py:2: @bp.record_once"]
