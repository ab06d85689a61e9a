"""Users, Groups and app-assignment lists with an API token, over HTTP against the default world
(docs/fidelity/okta-mfa-idx.md#okta-mfa-idx-list-users, #okta-mfa-idx-list-groups,
#okta-mfa-idx-app-users, #okta-mfa-idx-list-pagination, #okta-mfa-idx-bad-token)."""
from __future__ import annotations

import re

import pytest


def logins(response):
    return [u["profile"]["login"] for u in response.json()]


def test_list_users_answers_every_user_with_oktas_user_shape(api):
    r = api("/api/v1/users")
    assert r.status_code == 200, r.text
    assert {"alice@example.com", "bob@example.com", "mallory@example.com"} <= set(logins(r))
    alice = next(u for u in r.json() if u["profile"]["login"] == "alice@example.com")
    assert alice["id"].startswith("00u") and alice["status"] == "ACTIVE"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", alice["created"])
    assert alice["credentials"]["provider"] == {"type": "OKTA", "name": "OKTA"}
    assert alice["_links"]["self"]["href"].endswith(f"/api/v1/users/{alice['id']}")
    assert 'rel="self"' in r.headers["Link"]


def test_q_filter_and_search(api):
    assert logins(api("/api/v1/users", q="ali")) == ["alice@example.com"]
    assert logins(api("/api/v1/users", q="Build")) == ["bob@example.com"]
    assert logins(api("/api/v1/users", filter='profile.login eq "bob@example.com"')) == ["bob@example.com"]
    found = logins(api("/api/v1/users", search='profile.lastName sw "Lid" or profile.firstName eq "Mallory"'))
    assert sorted(found) == ["alice@example.com", "mallory@example.com"]
    assert logins(api("/api/v1/users", filter='status eq "SUSPENDED"')) == []


def test_a_bad_search_is_e0000001(api):
    r = api("/api/v1/users", search='profile.login ~~ "x"')
    assert r.status_code == 400 and r.json()["errorCode"] == "E0000001"


def test_link_pagination_walks_every_user_once(api, w):
    seen, url, params = [], "/api/v1/users", {"limit": 1}
    while True:
        r = api(url, **params)
        assert r.status_code == 200 and len(r.json()) <= 1
        seen += logins(r)
        nxt = re.search(r'<([^>]+)>; rel="next"', r.headers["Link"])
        if not nxt:
            break
        url, params = nxt.group(1)[len(w.world.okta.org_url):], {}
    assert sorted(seen) == sorted(logins(api("/api/v1/users")))
    assert len(seen) == len(set(seen)) >= 3


def test_user_by_login_and_their_groups(api):
    alice = api("/api/v1/users/alice@example.com").json()
    groups = api(f"/api/v1/users/{alice['id']}/groups")
    names = [g["profile"]["name"] for g in groups.json()]
    assert names[0] == "Everyone" and "engineering" in names
    everyone = groups.json()[0]
    assert everyone["type"] == "BUILT_IN" and everyone["objectClass"] == ["okta:user_group"]


def test_groups_list_get_and_members(api):
    groups = api("/api/v1/groups", q="eng").json()
    assert [g["profile"]["name"] for g in groups] == ["engineering"]
    group = api(f"/api/v1/groups/{groups[0]['id']}").json()
    assert group["type"] == "OKTA_GROUP" and group["profile"]["description"] == "Engineers"
    members = api(f"/api/v1/groups/{group['id']}/users")
    assert "alice@example.com" in logins(members) and "bob@example.com" not in logins(members)
    assert api("/api/v1/groups/00gnothere000000000").json()["errorCode"] == "E0000007"


def test_app_users_and_groups(api, w):
    app = w.world.okta_app("AWS Account Federation")
    users = api(f"/api/v1/apps/{app.id}/users").json()
    by_name = {u["credentials"]["userName"]: u for u in users}
    assert "alice@example.com" in by_name and "mallory@example.com" not in by_name
    assert by_name["alice@example.com"]["scope"] == "GROUP"
    groups = api(f"/api/v1/apps/{app.id}/groups").json()
    ids = {g["id"] for g in api("/api/v1/groups").json() if g["profile"]["name"].startswith("aws#")}
    assert {g["id"] for g in groups} == ids
    apps = api("/api/v1/apps", filter='status eq "ACTIVE"', q="AWS").json()
    assert [a["label"] for a in apps] == ["AWS Account Federation"]


@pytest.mark.parametrize("path", ["/api/v1/users", "/api/v1/groups", "/api/v1/users/me", "/api/v1/apps",
                                  "/api/v1/users/me/appLinks"])
def test_a_bad_token_is_401_e0000011_everywhere(api, path):
    r = api(path, token="00not-a-token")
    assert r.status_code == 401, r.text
    body = r.json()
    assert body["errorCode"] == "E0000011" and body["errorSummary"] == "Invalid token provided"
