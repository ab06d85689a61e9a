"""The pytest plugin: the `world` marker and the wired browser page."""
from __future__ import annotations

import pytest


@pytest.mark.world("worlds/small.yaml")
def test_marker_selects_another_world(world):
    assert world.world.okta.org_url == "https://acme-test.okta.com"
    response = world.http.get("https://acme-test.okta.com/.well-known/okta-organization")
    assert response.status_code == 200


def test_default_world_when_unmarked(world):
    assert world.world.okta.org_url == "https://dev-123456.okta.com"


@pytest.mark.browser
def test_page_reaches_world_hosts_by_their_real_names(page, world):
    page.goto("https://dev-123456.okta.com/.well-known/okta-organization")
    assert "https://dev-123456.okta.com" in page.content()
    assert page.url == "https://dev-123456.okta.com/.well-known/okta-organization"
