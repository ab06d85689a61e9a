"""A few thousand malformed requests over every route of the default world: no server error,
no traceback, no desynchronised connection, and a normal sign-in afterwards."""
from __future__ import annotations

from harness import probe

from .fuzzer import routes_of, run


def test_every_host_and_route_is_fuzzed(world):
    routes = routes_of(world)
    hosts = {host for host, _ in routes}
    assert set(world.dispatcher.routes) <= hosts
    assert len(routes) > 50


def test_fuzzing_finds_no_server_error_traceback_or_desync(world):
    tally = run(world, count=3000, seed=20261130)
    assert tally.sent == 3000
    assert not tally.defects, f"{tally.summary()}\nexamples: {tally.examples}"
    assert tally.statuses[400] > 0 and tally.statuses[431] > 0 and tally.statuses[413] > 0
    # and the world still works for a person
    okta = world.world.okta
    pool = world.world.aws.UserPools[0]
    client = next(c for c in pool.Clients if c.ClientName == "web")
    alice = next(u for u in okta.users if u.login == "alice@example.com")
    outcome = probe.cognito_sign_in(world, alice, pool, client, "Okta")
    assert outcome.ok, outcome.seen
