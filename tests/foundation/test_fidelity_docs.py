"""The project's fidelity reference (docs/fidelity/) against the code that cites it.

* Every ``docs/fidelity/<page>.md#<anchor>`` cited anywhere in the repository exists.
* Every error text in the mocks' error modules has a row (the text's fixed parts, in one row).
* Nothing cites a document outside the repository.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "fidelity"
ERROR_MODULES = [
    "mock_cognito/errors.py",
    "mock_cognito/aws_signin/errors.py",
    "mock_cognito/aws_signin/pages.py",
    "mock_okta/oidc/errors.py",
    "mock_okta/api/errors.py",
    "mock_okta/pages/errors.py",
]
CITATION = re.compile(r"docs/fidelity/([a-z0-9-]+\.md)#([a-z0-9-]+)")
ANCHOR = re.compile(r'<a id="([a-z0-9-]+)"></a>')
SCANNED = (".py", ".md", ".yaml", ".yml", ".sh", ".toml", ".txt", ".json", ".tf", ".js", ".html", ".cfg")
SKIPPED_DIRS = {".git", ".venv", "node_modules", "__pycache__", ".pytest_cache", "build", "dist"}
HOLE = "\0"


def repo_files():
    for path in ROOT.rglob("*"):
        if path.is_file() and path.suffix in SCANNED and not SKIPPED_DIRS.intersection(path.relative_to(ROOT).parts):
            yield path


def anchors_by_page() -> dict[str, set[str]]:
    return {page.name: set(ANCHOR.findall(page.read_text())) for page in DOCS.glob("*.md")}


def rows() -> list[str]:
    return [line for page in DOCS.glob("*.md") for line in page.read_text().splitlines() if line.startswith("|")]


# ---- error texts out of a module's source --------------------------------------------------------

def _text_of(node, names: dict[str, str]) -> str | None:
    """The string an expression builds, with ``HOLE`` for every part filled in at run time."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return re.sub(r"(?<!\{)\{[a-z_0-9]*\}(?!\})", HOLE, node.value).replace("{{", "{").replace("}}", "}")
    if isinstance(node, ast.JoinedStr):
        return "".join(_text_of(v, names) or HOLE if isinstance(v, ast.Constant) else HOLE for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _text_of(node.left, names), _text_of(node.right, names)
        return None if left is None or right is None else left + right
    if isinstance(node, ast.Name):
        return names.get(node.id)
    return None


def _is_docstring(node, parents) -> bool:
    parent = parents.get(node)
    return (isinstance(parent, ast.Expr) and isinstance(parents.get(parent),
            (ast.Module, ast.FunctionDef, ast.ClassDef)))


def error_texts(source: str) -> list[str]:
    """Every human-readable text (a space and a letter in it, no markup) a module spells out."""
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    names: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            text = _text_of(node.value, names)
            if text is not None:
                names[node.targets[0].id] = text
    texts = []
    for node in ast.walk(tree):
        if not isinstance(node, (ast.Constant, ast.JoinedStr, ast.BinOp)) or _is_docstring(node, parents):
            continue
        if isinstance(parents.get(node), (ast.JoinedStr, ast.BinOp)):
            continue
        text = _text_of(node, names)
        if text and " " in text.strip(HOLE + " ") and re.search(r"[A-Za-z]{3}", text) and "<" not in text:
            texts.append(text)
    return texts


def fragments(text: str) -> list[str]:
    parts = (p.strip(" .:,'\"") for p in text.split(HOLE))
    return [p for p in parts if len(p) >= 4]


def missing_rows(texts, table_rows) -> list[str]:
    plain = [" ".join(row.replace("`", "").split()) for row in table_rows]
    return [text for text in texts
            if not any(all(" ".join(f.split()) in row for f in fragments(text)) for row in plain)]


# ---- the checks ---------------------------------------------------------------------------------

def test_every_cited_anchor_exists():
    pages = anchors_by_page()
    broken = []
    for path in repo_files():
        for page, anchor in CITATION.findall(path.read_text(errors="replace")):
            if anchor not in pages.get(page, set()):
                broken.append(f"{path.relative_to(ROOT)}: docs/fidelity/{page}#{anchor}")
    assert not broken, "citations of rows that do not exist:\n" + "\n".join(sorted(set(broken)))


def test_anchors_are_unique_and_prefixed_by_their_page():
    for page in DOCS.glob("*.md"):
        anchors = ANCHOR.findall(page.read_text())
        assert len(anchors) == len(set(anchors)), page.name
        prefix = page.stem + "-"
        assert all(a.startswith(prefix) or (page.stem == "README" and a.startswith("fidelity-"))
                   for a in anchors), page.name


@pytest.mark.parametrize("module", ERROR_MODULES)
def test_every_error_text_has_a_row(module):
    texts = error_texts((ROOT / module).read_text())
    assert texts, f"no error texts found in {module}: the extractor no longer reads it"
    missing = missing_rows(texts, rows())
    assert not missing, f"error texts in {module} without a row in docs/fidelity/:\n" + "\n".join(missing)


def test_the_text_check_catches_a_text_without_a_row():
    source = ('NEW = "A text no page has ever mentioned"\n'
              'def f(x):\n    return f"Invalid user attributes: {x}: The attribute is required"\n')
    texts = error_texts(source)
    assert texts == ["A text no page has ever mentioned", f"Invalid user attributes: {HOLE}: The attribute is required"]
    assert missing_rows(texts, rows()) == ["A text no page has ever mentioned"]


def test_the_anchor_check_reads_citations():
    cited = "see docs/fidelity/errors.md" + "#errors-none-such here"
    assert CITATION.findall(cited) == [("errors.md", "errors-none-such")]
    assert "errors-none-such" not in anchors_by_page()["errors.md"]


def test_nothing_cites_a_document_outside_the_repository():
    outside = re.compile(r"cognito\.md|okta-aws\.md|\.\./shared")
    this_file = Path(__file__).resolve()
    hits = [str(p.relative_to(ROOT)) for p in repo_files()
            if p.resolve() != this_file and outside.search(p.read_text(errors="replace"))]
    assert not hits, hits
