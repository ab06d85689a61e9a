"""The import graph: arrows point down the layers (harness_cli -> scenarios -> harness -> mocks ->
world_common), the two mocks never import each other, and no module imports itself back
through a chain of others (imports inside functions count too)."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ["world_common", "mock_okta", "mock_cognito", "harness", "scenarios", "harness_cli"]
ALLOWED = {
    "world_common": set(),
    "mock_okta": {"world_common"},
    "mock_cognito": {"world_common"},
    "harness": {"mock_okta", "mock_cognito", "world_common"},
    "scenarios": {"harness", "mock_okta", "mock_cognito", "world_common"},
    "harness_cli": {"scenarios", "harness", "mock_okta", "mock_cognito", "world_common"},
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")}


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The project modules ``name`` imports (``from pkg import sub`` counts as ``pkg.sub`` when
    ``sub`` is a module)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def graph() -> dict[str, set[str]]:
    mods = modules()
    return {name: imports_of(name, path, set(mods)) for name, path in mods.items()}


def test_arrows_point_down_the_layers():
    wrong = sorted(f"{a} -> {b}" for a, targets in graph().items() for b in targets
                   if b.split(".")[0] != a.split(".")[0] and b.split(".")[0] not in ALLOWED[a.split(".")[0]])
    assert not wrong, "imports against the layering:\n" + "\n".join(wrong)


def test_the_layer_check_sees_a_wrong_arrow(tmp_path):
    path = tmp_path / "cli.py"
    path.write_text("def f():\n    from scenarios import runner\n")
    assert imports_of("harness.cli", path, {"scenarios", "scenarios.runner"}) == {"scenarios.runner"}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def _without_package_inits(edges: dict[str, set[str]]) -> dict[str, set[str]]:
    """A package's ``__init__`` re-exporting its own submodules is not a cycle of logic: drop the
    edges from a package to the modules inside it."""
    return {a: {b for b in targets if not b.startswith(a + ".")} for a, targets in edges.items()}


def test_no_import_cycles():
    found = cycles(_without_package_inits(graph()))
    assert not found, "import cycles:\n" + "\n".join(" <-> ".join(c) for c in found)


def test_the_cycle_check_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
