"""Fixtures shared by the test packages."""
from __future__ import annotations

import pytest
from lxml import etree

from world_common import xmldsig


@pytest.fixture
def verifier_calls(monkeypatch) -> list[tuple[str, object]]:
    """Every call of the world's one XML-DSig verifier (``xmldsig.verify_enveloped``) while the
    test runs, as (local name of the element verified, ``at``); the verifier still answers."""
    seen: list[tuple[str, object]] = []
    real = xmldsig.verify_enveloped

    def spy(element, certificates, *, at=None):
        seen.append((etree.QName(element).localname, at))
        return real(element, certificates, at=at)

    monkeypatch.setattr(xmldsig, "verify_enveloped", spy)
    return seen
