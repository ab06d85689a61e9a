"""Two worlds side by side (two processes, as two xdist workers are) share nothing."""
from __future__ import annotations

import json
import multiprocessing


def _run_world(name: str, queue) -> None:
    import harness
    from mock_cognito import moto_adapter

    with harness.start() as world:
        client = moto_adapter.client("cognito-idp", world.aws_endpoint_url, "us-east-1")
        client.create_user_pool(PoolName=f"only-in-{name}")
        queue.put(("ready", name))
        # wait until the other world has created its pool too, then look
        queue_in[name].get(timeout=60)
        names = sorted(p["Name"] for p in client.list_user_pools(MaxResults=60)["UserPools"])
        queue.put((name, json.dumps({"port": world.port, "proxy": world.proxy.port, "pools": names})))


queue_in: dict = {}


def _child(name, out, inbox):
    queue_in[name] = inbox
    _run_world(name, out)


def test_two_worlds_share_nothing():
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    inboxes = {n: ctx.Queue() for n in ("a", "b")}
    procs = [ctx.Process(target=_child, args=(n, out, inboxes[n])) for n in ("a", "b")]
    for p in procs:
        p.start()
    try:
        ready = {out.get(timeout=120)[1] for _ in procs}
        assert ready == {"a", "b"}
        for inbox in inboxes.values():
            inbox.put("go")
        results = dict(out.get(timeout=120) for _ in procs)
    finally:
        for p in procs:
            p.join(timeout=60)
    a, b = json.loads(results["a"]), json.loads(results["b"])
    assert a["pools"] == ["acme-users", "only-in-a"]
    assert b["pools"] == ["acme-users", "only-in-b"]
    assert a["port"] != b["port"] and a["proxy"] != b["proxy"]


def test_one_world_per_process_is_enforced(world):
    import pytest

    import harness

    with pytest.raises(RuntimeError, match="already running"):
        harness.start_world()
