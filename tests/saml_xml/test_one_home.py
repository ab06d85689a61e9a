"""One home for SAML's XML rules: the product's packages parse outside XML only through
world_common.saml_xml and verify XML signatures only through world_common.xmldsig (no second
verifier such as signxml or xmlsec, no second parser configuration)."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ["world_common", "mock_okta", "mock_cognito", "harness", "scenarios", "harness_cli"]
SECOND_VERIFIERS = {"signxml", "xmlsec", "saml2.sigver", "onelogin"}


def sources():
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            yield path.relative_to(ROOT).as_posix(), ast.parse(path.read_text())


def imported(tree) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_no_second_signature_verifier_is_imported():
    found = sorted(f"{path}: {name}" for path, tree in sources() for name in imported(tree)
                   if any(name == v or name.startswith(v + ".") for v in SECOND_VERIFIERS))
    assert not found, "\n".join(found)


def test_xml_parsers_are_configured_in_one_module():
    found = sorted({path for path, tree in sources() for node in ast.walk(tree)
                    if isinstance(node, ast.Attribute) and node.attr == "XMLParser"})
    assert found == ["world_common/saml_xml.py"]


def test_the_check_sees_a_second_verifier():
    assert imported(ast.parse("from signxml import XMLVerifier\nimport lxml.etree")) == {"signxml", "lxml.etree"}
