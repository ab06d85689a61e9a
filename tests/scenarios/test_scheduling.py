"""``harness run -n N`` deals out whole worlds: the cases of one world go to one worker, so a
worker starts each world once (scenarios/scheduling.py)."""
from __future__ import annotations

import textwrap

from scenarios.scheduling import WorldScopes

CASES = """
cases:
  - name: first on the default world
    flow: saml-sp-initiated
    user: alice@example.com
  - name: a changed world
    flow: saml-sp-initiated
    user: alice@example.com
    world:
      set:
        "aws.UserPools[PoolName=acme-users].UserPoolClients[ClientName=web].AllowedOAuthScopes": [openid]
  - name: second on the default world
    flow: oidc
    user: bob@example.com
"""


def test_cases_of_one_world_share_a_scope_and_other_items_have_their_own(tmp_path):
    (tmp_path / "cases.yaml").write_text(textwrap.dedent(CASES).lstrip(), encoding="utf-8")
    scopes = WorldScopes(str(tmp_path))
    first, changed, second = (scopes.of(f"cases.yaml::{name}") for name in
                              ("first on the default world", "a changed world", "second on the default world"))
    assert first == second and first.startswith("world:")
    assert changed != first and changed.startswith("world:")
    assert scopes.of("tests/test_x.py::test_y") == "tests/test_x.py::test_y"
    assert scopes.of("cases.yaml::no such case") == "cases.yaml::no such case"
    assert scopes.of("missing.yaml::a case") == "missing.yaml::a case"
