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


@pytest.mark.world("../../examples/terraform/users.yaml", iac=["../../examples/terraform/working"])
def test_marker_accepts_iac(world):
    pools = world.world.aws.UserPools
    assert pools, "the Terraform example defines a user pool"
    pool = pools[0]
    jwks = world.http.get(f"https://cognito-idp.{world.world.aws.region}.amazonaws.com/{pool.Id}/.well-known/jwks.json")
    assert jwks.status_code == 200
    assert any(u.password for u in world.world.okta.users), "passwords come from the small world file"
