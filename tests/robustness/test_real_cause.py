"""A failed server-to-server call is shown to the user as the real service shows it, but the
log and the trace carry its real cause; ``harness up -v`` logs one line per request."""
from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time

import pytest
import requests

from harness import internet, tls


def test_a_tls_failure_between_services_is_logged_and_traced_with_both_certificates(world, tmp_path, caplog,
                                                                                     monkeypatch):
    monkeypatch.setenv("OKTA_AWS_HARNESS_CACHE", str(tmp_path))   # another CA than the listener's
    other_ca = tls.credentials_for(["elsewhere.example"]).ca_file
    session = internet.routed_session(world.port, world.hosts, other_ca, trace=world.trace)
    before = len(world.trace)
    with caplog.at_level(logging.WARNING, logger="okta_aws_harness"), pytest.raises(requests.exceptions.SSLError):
        session.get("https://dev-123456.okta.com/.well-known/openid-configuration", timeout=10)
    [failed] = [e for e in world.trace.since(before) if e.error]
    assert failed.status == 0 and failed.url.endswith("/.well-known/openid-configuration")
    assert "the listener presents subject CN=" in failed.error
    assert "issued by CN=okta-aws-harness local CA" in failed.error and other_ca in failed.error
    assert any("server-to-server call GET https://dev-123456.okta.com" in r.getMessage() for r in caplog.records)


def test_harness_up_verbose_logs_one_line_per_request(tmp_path):
    endpoints, state = tmp_path / "endpoints.json", tmp_path / "state.json"
    log = open(tmp_path / "stderr.txt", "w+")
    process = subprocess.Popen([sys.executable, "-m", "harness_cli", "up", "-v", "--json", str(endpoints),
                                "--state", str(state)], stdout=subprocess.DEVNULL, stderr=log)
    try:
        for _ in range(600):
            if endpoints.exists() or process.poll() is not None:
                break
            time.sleep(0.1)
        assert endpoints.exists(), open(tmp_path / "stderr.txt").read()
        data = json.loads(endpoints.read_text())
        response = requests.get("https://dev-123456.okta.com/.well-known/okta-organization",
                                proxies={"https": data["proxy"]}, verify=data["ca_file"], timeout=10)
        assert response.status_code == 200
        time.sleep(0.3)
    finally:
        process.terminate()
        process.wait(timeout=30)
    log.seek(0)
    text = log.read()
    assert "GET dev-123456.okta.com/.well-known/okta-organization 200" in text, text[-2000:]
    assert "Traceback" not in text
    assert os.path.exists(endpoints)
