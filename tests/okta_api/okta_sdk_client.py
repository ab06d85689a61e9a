"""Run by the ``okta`` SDK's own interpreter (see conftest ``okta_sdk``): list the world's users
(all pages, through the SDK's Link pagination), groups, a group's members, a user's groups, and
the apps; print what it read as JSON. argv: org URL, API token, proxy host, proxy port; SSL_CERT_FILE names the harness CA."""
import asyncio
import json
import sys

from okta.client import Client
from okta.pagination import PaginationHelper


def group_name(group) -> str:
    """A Group's profile is an anyOf (Okta group or AD group) in the SDK's models."""
    return group.profile.actual_instance.name


async def main(org_url, token, proxy_host, proxy_port):
    # The SDK deep-copies its configuration (an SSLContext cannot be copied): the harness CA comes
    # from SSL_CERT_FILE (set by the caller), which its HTTP client's (aiohttp's) default context reads.
    config = {"orgUrl": org_url, "token": token, "proxy": {"host": proxy_host, "port": int(proxy_port)}}
    async with Client(config) as client:
        users, resp, err = await client.list_users(limit=1)
        assert err is None, err
        pages = 1
        # The SDK's own reading of the Link header: the "after" cursor of rel="next"
        while (cursor := PaginationHelper.extract_next_cursor(resp.headers)) is not None:
            more, resp, err = await client.list_users(limit=1, after=cursor)
            assert err is None, err
            users += more
            pages += 1
        groups, _, err = await client.list_groups()
        assert err is None, err
        engineering = next(g for g in groups if group_name(g) == "engineering")
        members, _, err = await client.list_group_users(engineering.id)
        assert err is None, err
        alice = next(u for u in users if u.profile.login == "alice@example.com")
        alice_groups, _, err = await client.list_user_groups(alice.id)
        assert err is None, err
        found, _, err = await client.list_users(search='profile.lastName eq "Danvers"')
        assert err is None, err
        apps, _, err = await client.list_applications()
        assert err is None, err
        print(json.dumps({
            "users": [u.profile.login for u in users], "pages": pages,
            "statuses": sorted({str(getattr(u.status, "value", u.status)) for u in users}),
            "groups": [group_name(g) for g in groups], "engineering": [u.profile.login for u in members],
            "alice_groups": [group_name(g) for g in alice_groups], "search": [u.profile.login for u in found],
            "apps": [a.label for a in apps],
        }))


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:5]))
