"""Okta's own Python SDK (PyPI ``okta`` 3.4.6, by Okta, Inc.) as an independent client of the
directory APIs (docs/fidelity/okta-mfa-idx.md#okta-mfa-idx-list-users, #okta-mfa-idx-list-groups,
#okta-mfa-idx-list-pagination): it reads every user page by page, the groups and their members."""


def test_the_okta_sdk_lists_users_and_groups_from_the_world(okta_sdk, w):
    seen = okta_sdk()
    logins = {u.login for u in w.world.okta.users}
    assert sorted(seen["users"]) == sorted(logins) and seen["pages"] == len(logins)   # limit=1: one per page
    assert seen["statuses"] == ["ACTIVE"]
    assert set(seen["groups"]) == {"Everyone", *(g.name for g in w.world.okta.groups)}
    assert sorted(seen["engineering"]) == sorted(u.login for u in w.world.okta.users if "engineering" in u.groups)
    assert seen["alice_groups"][0] == "Everyone" and "engineering" in seen["alice_groups"]
    assert seen["search"] == ["carol@example.com"]
    assert set(seen["apps"]) == {a.label for a in w.world.okta.apps}
