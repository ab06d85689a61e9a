"""The listener's answers to broken HTTP framing (harness/wsgi_server.py; RFC 9112), each
read with h11 on a raw keep-alive TLS connection."""
from __future__ import annotations

import json
import ssl

import pytest

from .fuzzer import _Connection

OKTA = "dev-123456.okta.com"


@pytest.fixture
def conn(world):
    context = ssl.create_default_context(cafile=world.ca_file)
    context.check_hostname = False
    connection = _Connection(world.port, context)
    yield connection
    connection.close()


def _post(path: str, headers: str, body: bytes = b"") -> bytes:
    return f"POST {path} HTTP/1.1\r\nHost: {OKTA}\r\n{headers}\r\n".encode() + body


@pytest.mark.parametrize("value", ["abc", "1e3", "12, 13", "-5", "0x10"])
def test_a_malformed_content_length_is_400_and_the_connection_closes(conn, value):
    status, body, keep = conn.exchange(_post("/api/v1/authn", f"Content-Length: {value}\r\n"), b"POST")
    assert status == 400 and not keep
    assert b"Content-Length" in body


@pytest.mark.parametrize("value", ["1000000000000", str(2 ** 64)])
def test_a_huge_content_length_is_413_without_reading_the_body(conn, value):
    status, _, keep = conn.exchange(_post("/api/v1/authn", f"Content-Length: {value}\r\n"), b"POST")
    assert (status, keep) == (413, False)


def test_json_nested_thousands_deep_is_oktas_e0000003(conn):
    body = b"[" * 3000 + b"]" * 3000
    raw = _post("/api/v1/authn", f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n", body)
    status, answer, keep = conn.exchange(raw, b"POST")
    assert status == 400 and keep
    assert json.loads(answer)["errorCode"] == "E0000003"


def test_a_header_line_over_64_kib_is_431(conn):
    raw = f"GET / HTTP/1.1\r\nHost: {OKTA}\r\nX-Big: {'a' * 70000}\r\n\r\n".encode()
    status, _, keep = conn.exchange(raw, b"GET")
    assert (status, keep) == (431, False)


def test_more_than_100_headers_is_431(conn):
    raw = (f"GET / HTTP/1.1\r\nHost: {OKTA}\r\n" + "".join(f"X-H{i}: v\r\n" for i in range(101)) + "\r\n").encode()
    status, _, keep = conn.exchange(raw, b"GET")
    assert (status, keep) == (431, False)


def test_head_to_an_unknown_host_has_no_body_and_the_connection_stays_in_step(world, conn):
    status, body, keep = conn.exchange(b"HEAD / HTTP/1.1\r\nHost: nowhere.example\r\n\r\n", b"HEAD")
    assert (status, body, keep) == (502, b"", True)
    status, body, _ = conn.exchange(b"GET / HTTP/1.1\r\nHost: nowhere.example\r\n\r\n", b"GET")
    assert status == 502
    served = body.decode().split("It serves: ", 1)[1]
    assert OKTA in served and f"myapp.auth.{world.world.aws.region}.amazoncognito.com" in served


def test_after_a_bad_request_line_the_server_says_close_and_never_answers_http09(conn):
    status, body, keep = conn.exchange(b"GARBAGE\r\n\r\n", b"GET")
    assert (status, keep) == (400, False)
    assert b"request line" in body


@pytest.mark.parametrize("head", [
    "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n",   # request smuggling
    "Content-Length: 2\r\nContent-Length: 3\r\n",
])
def test_ambiguous_body_framing_is_400_and_close(conn, head):
    status, _, keep = conn.exchange(_post("/api/v1/authn", head, b"3\r\nabc\r\n0\r\n\r\n"), b"POST")
    assert (status, keep) == (400, False)


def test_a_chunked_body_is_read_and_a_pipelined_request_after_it_is_answered(world, conn):
    alice = json.dumps({"username": "alice@example.com", "password": "Alice-Passw0rd"}).encode()
    chunked = b"".join(f"{len(p):x}\r\n".encode() + p + b"\r\n" for p in (alice[:10], alice[10:])) + b"0\r\n\r\n"
    first = _post("/api/v1/authn", "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n", chunked)
    second = f"GET /.well-known/okta-organization HTTP/1.1\r\nHost: {OKTA}\r\n\r\n".encode()
    conn.sock.sendall(first + second)  # both requests in one write: pipelined
    status, body, keep = conn.exchange(b"", b"POST")
    assert (status, keep) == (200, True)
    assert json.loads(body)["status"] == "SUCCESS"
    status, body, _ = conn.exchange(b"", b"GET")
    assert status == 200 and "pipeline" in json.loads(body)


def test_the_app_standin_answers_a_code_cognito_refuses_with_400(world):
    response = world.http.get("https://app.example.com/callback", params={"code": "not-a-code"}, allow_redirects=False)
    assert response.status_code == 400


def test_the_trace_is_capped_by_bytes(world):
    trace = world.trace
    before = len(trace)
    cap, trace.max_bytes = trace.max_bytes, 3 * 1024 * 1024
    try:
        payload = b"x" * (250 * 1024)
        for _ in range(40):
            world.http.post(f"https://{OKTA}/api/v1/authn", data=payload, headers={"Content-Type": "text/plain"})
        assert trace.recorded_bytes <= 3 * 1024 * 1024
        assert len(trace) == before + 40            # positions keep counting what was dropped
        assert len(trace.since(before)) < 40        # the oldest exchanges were dropped
    finally:
        trace.max_bytes = cap
