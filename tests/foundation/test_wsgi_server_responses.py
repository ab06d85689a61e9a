"""How the listener frames what an app answers (harness/wsgi_server.py): the head is written from
the app's headers, the server decides the framing and whether the connection stays open."""
from __future__ import annotations

import socket
import time

import pytest

from harness.wsgi_server import WSGIServer


def _app(environ, start_response):
    path = environ["PATH_INFO"]
    if path == "/echo":
        body = environ["wsgi.input"].read()
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"echo:" + body]
    if path == "/split":
        start_response("200 OK", [("Content-Type", "text/plain"), ("X-Evil", "a\r\nSet-Cookie: owned=1")])
        return [b"never"]
    if path == "/empty":
        start_response("204 No Content", [("Content-Length", "0")] if environ["QUERY_STRING"] else [])
        return []
    if path == "/liar":
        start_response("200 OK", [("Content-Length", "10")])
        return [b"short"]
    if path == "/nonsense":
        start_response("200 OK", [("Content-Length", "5 ")])
        return [b"hello"]
    start_response("200 OK", [("Content-Type", "text/plain"), ("Connection", "keep-alive"),
                              ("Transfer-Encoding", "chunked")])
    return [b"hello"]


@pytest.fixture(scope="module")
def server():
    running = WSGIServer(_app).start()
    yield running
    running.stop()


def _exchange(server, raw: bytes) -> tuple[bytes, bool]:
    """Everything the server sends back until it closes or goes quiet; whether it closed."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(raw)
        sock.settimeout(0.5)
        data = b""
        try:
            while chunk := sock.recv(65536):
                data += chunk
        except socket.timeout:
            return data, False
        return data, True


def test_the_head_carries_the_apps_headers_but_the_server_frames_and_persists(server):
    data, closed = _exchange(server, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    assert lines[0] == b"HTTP/1.1 200 OK" and b"Content-Type: text/plain" in lines
    assert b"Content-Length: 5" in lines and not any(line.lower().startswith((b"connection", b"transfer")) for line in lines)
    assert body == b"hello" and not closed


def test_an_http10_client_gets_connection_close(server):
    data, closed = _exchange(server, b"GET / HTTP/1.0\r\n\r\n")
    assert b"\r\nConnection: close\r\n" in data and data.endswith(b"hello") and closed


def test_a_client_that_says_close_gets_connection_close(server):
    data, closed = _exchange(server, b"GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive, close\r\n\r\n")
    assert b"\r\nConnection: close\r\n" in data and data.endswith(b"hello") and closed


def test_pipelined_requests_are_answered_in_order_on_one_connection(server):
    data, closed = _exchange(server, b"GET / HTTP/1.1\r\nHost: x\r\n\r\nHEAD / HTTP/1.1\r\nHost: x\r\n\r\n"
                                     b"GET /empty HTTP/1.1\r\nHost: x\r\n\r\n")
    assert data.count(b"HTTP/1.1 200 OK") == 2 and data.count(b"hello") == 1 and b"HTTP/1.1 204" in data
    assert not closed


def test_a_body_in_pieces_then_a_pipelined_request_in_the_same_send(server):
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhel")
        time.sleep(0.05)
        sock.sendall(b"lo ")
        time.sleep(0.05)
        sock.sendall(b"world" + b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nok")
        data = b""
        while data.count(b"echo:") < 2:
            data += sock.recv(65536)
    assert b"echo:hello world" in data and data.endswith(b"echo:ok")


def test_expect_100_continue_then_the_body(server):
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
        assert sock.recv(65536).startswith(b"HTTP/1.1 100 ")
        sock.sendall(b"body")
        data = b""
        while not data.endswith(b"echo:body"):
            data += sock.recv(65536)


def test_a_client_that_closes_in_the_middle_of_the_body_gets_400(server):
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")
        sock.shutdown(socket.SHUT_WR)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    assert data.startswith(b"HTTP/1.1 400 ") and b"middle of the request body" in data


def test_a_client_that_closes_in_the_middle_of_the_head_gets_400(server):
    data, closed = _exchange_and_close(server, b"GET / HTTP/1.1\r\nHost: x\r\n")
    assert data.startswith(b"HTTP/1.1 400 ") and b"middle of the request head" in data and closed


def test_a_bad_request_after_a_pipelined_one_is_answered_after_it_then_the_connection_closes(server):
    data, closed = _exchange(server, b"GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost x\r\n\r\n")
    first, _, second = data.partition(b"hello")
    assert first.startswith(b"HTTP/1.1 200 OK") and second.startswith(b"HTTP/1.1 400 Bad Request\r\n")
    assert b"okta-aws-harness: malformed request: Invalid header token" in second and closed


def test_a_method_the_server_does_not_know_is_501_and_close(server):
    data, closed = _exchange(server, b"FOO / HTTP/1.1\r\nHost: x\r\n\r\n")
    assert data.startswith(b"HTTP/1.1 501 Not Implemented\r\n") and closed
    assert data.endswith(b"okta-aws-harness: the method FOO is not implemented\n")


def _exchange_and_close(server, raw: bytes) -> tuple[bytes, bool]:
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(raw)
        sock.shutdown(socket.SHUT_WR)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
        return data, True


def test_head_has_the_length_but_no_body(server):
    data, closed = _exchange(server, b"HEAD / HTTP/1.1\r\nHost: x\r\n\r\n")
    assert data.endswith(b"\r\n\r\n") and b"hello" not in data and not closed


@pytest.mark.parametrize("query", ["", "?length"])
def test_204_has_no_body(server, query):
    data, _ = _exchange(server, f"GET /empty{query} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    assert data.startswith(b"HTTP/1.1 204 No Content\r\n") and data.endswith(b"\r\n\r\n")


@pytest.mark.parametrize("path", ["/split", "/liar", "/nonsense"])
def test_a_header_that_would_split_the_response_or_lie_about_its_length_is_a_500(server, path):
    data, closed = _exchange(server, f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    assert data.startswith(b"HTTP/1.1 500 ") and b"owned" not in data and b"never" not in data and closed
