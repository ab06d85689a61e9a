"""Many people signing in at once, and worlds started at once on an empty cache."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor

from harness import probe


def test_32_parallel_sp_initiated_sign_ins_each_get_their_own_user(world):
    okta, pool = world.world.okta, world.world.aws.UserPools[0]
    client = next(c for c in pool.Clients if c.ClientName == "web")
    users = [u for u in okta.users if u.login in ("alice@example.com", "bob@example.com")]
    people = [users[i % len(users)] for i in range(32)]
    with ThreadPoolExecutor(max_workers=32) as pool_of_threads:
        outcomes = list(pool_of_threads.map(lambda user: probe.cognito_sign_in(world, user, pool, client, "Okta"),
                                            people))
    for user, outcome in zip(people, outcomes, strict=False):
        assert outcome.ok, f"{user.login}: {outcome.seen}"
        # the Cognito username of a SAML federated user is <provider>_<NameID>
        assert outcome.username == f"Okta_{user.login}", (user.login, outcome.username)


_SIGN_IN = textwrap.dedent("""
    import json, sys
    import harness
    from harness import probe
    with harness.start() as world:
        okta, pool = world.world.okta, world.world.aws.UserPools[0]
        client = next(c for c in pool.Clients if c.ClientName == "web")
        alice = next(u for u in okta.users if u.login == "alice@example.com")
        outcome = probe.cognito_sign_in(world, alice, pool, client, "Okta")
        print(json.dumps({"ok": outcome.ok, "seen": outcome.seen, "ca": world.credentials.ca_fingerprint_sha256}))
""")


def test_two_worlds_started_at_once_on_an_empty_cache_both_sign_in(tmp_path):
    env = {**os.environ, "OKTA_AWS_HARNESS_CACHE": str(tmp_path / "cache")}
    processes = [subprocess.Popen([sys.executable, "-c", _SIGN_IN], env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err[-3000:]
        results.append(json.loads(out.strip().splitlines()[-1]))
    assert all(r["ok"] for r in results), results
    assert results[0]["ca"] == results[1]["ca"]  # one CA, created once


def test_a_cached_ca_whose_key_does_not_match_is_made_again(tmp_path, monkeypatch):
    from harness import tls

    monkeypatch.setenv("OKTA_AWS_HARNESS_CACHE", str(tmp_path))
    first = tls.credentials_for(["a.example"])
    (tmp_path / "tls" / "ca.key").write_bytes(
        (tmp_path / "tls" / next(p.name for p in (tmp_path / "tls").glob("server-*.key"))).read_bytes())
    second = tls.credentials_for(["a.example"])
    assert second.ca_fingerprint_sha256 != first.ca_fingerprint_sha256
    again = tls.credentials_for(["a.example"])
    assert again.ca_fingerprint_sha256 == second.ca_fingerprint_sha256
