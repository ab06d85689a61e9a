"""How the listener reads requests (harness/request_reader.py, llhttp through httptools): what it
serves, what it refuses with which status, and where a refusal differs from the h11 reader it
replaced, the RFC 9112 / 9110 rule that allows it."""
from __future__ import annotations

import pytest

from harness.request_reader import RequestReader


def _read(*pieces: bytes) -> RequestReader:
    reader = RequestReader()
    for piece in pieces:
        if reader.reject is None:
            reader.feed(piece)
    return reader


def _refused(raw: bytes, status: int) -> str:
    reader = _read(raw)
    assert not reader.ready and reader.reject is not None, reader.ready
    assert reader.reject.status == status, reader.reject.reason
    return reader.reject.reason


@pytest.mark.parametrize("raw, status, words", [
    (b"GARBAGE\r\n\r\n", 400, "request line"),
    (b"GET\r\n\r\n", 400, "request line"),
    (b"GET /\r\n\r\n", 400, "HTTP/0.9"),
    (b"GET / HTTP/9.9\r\nHost: x\r\n\r\n", 400, "version"),
    (b"GET / HTTP/2.0\r\nHost: x\r\n\r\n", 400, "HTTP/2.0 is not supported"),
    (b"GET / HTTP/1.1\r\n\r\n", 400, "Host"),
    (b"GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n", 400, "multiple Host"),
    (b"GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400, "header"),
    (b"GET / HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\n\r\n", 400, "header value"),
    (b"GET /a b HTTP/1.1\r\nHost: x\r\n\r\n", 400, "request line"),
    ("GET /\u00e9 HTTP/1.1\r\nHost: x\r\n\r\n".encode(), 400, "url"),
    # RFC 9112 section 3.2.3: the authority form is CONNECT's only
    (b"GET x.example:443 HTTP/1.1\r\nHost: x\r\n\r\n", 400, "request line"),
    # RFC 9112 section 5.2: obs-fold is refused with a 400 that says so (h11 unfolded it)
    (b"GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n", 400, "obsolete line folding"),
    # RFC 9112 section 2.2: a bare LF MAY be taken as a line end; llhttp does not (h11 did)
    (b"GET / HTTP/1.1\nHost: x\n\n", 400, "bare LF"),
    (b"GET / HTTP/1.1\r\nHost: x\n\r\n", 400, "bare LF"),
    # RFC 9110 section 5.5: control characters are not part of a field value (h11 passed them on)
    (b"GET / HTTP/1.1\r\nHost: x\r\nX-A: a\x01b\r\n\r\n", 400, "header value"),
    (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1e3\r\n\r\n", 400, "Content-Length"),
    (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: \r\n\r\n", 400, "Content-Length"),
    # RFC 9110 section 8.6: repeated Content-Length values MAY be refused (h11 merged equal ones)
    (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nab", 400, "Content-Length"),
    (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400,
     "Content-Length"),
    (b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 400, "chunked"),
    (b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 400, "Transfer-Encoding"),
    (b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n", 400, "chunk"),
    (b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\nabc\n0\n\n", 400, "bare LF"),
    (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000000\r\n\r\n", 413, "at most"),
    (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 18446744073709551616\r\n\r\n", 413, "at most"),
    (b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 70000 + b"\r\n\r\n", 431, "head is over"),
    (b"GET / HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-H%d: v\r\n" % i for i in range(101)) + b"\r\n", 431,
     "more than 100 header fields"),
    # RFC 9112 section 3 / RFC 9110 section 9.1: a method the server does not know is a 501
    (b"FOO / HTTP/1.1\r\nHost: x\r\n\r\n", 501, "the method FOO is not implemented"),
    (b"get / HTTP/1.1\r\nHost: x\r\n\r\n", 501, "the method get is not implemented"),
])
def test_a_malformed_or_refused_request_gets_its_status_and_a_reason(raw, status, words):
    assert words in _refused(raw, status)


def test_a_head_that_keeps_growing_is_cut_off_at_the_limit_before_it_ends():
    reader = _read(b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: ", *[b"a" * 16384] * 5)
    assert reader.reject is not None and reader.reject.status == 431


def test_a_trailer_section_that_keeps_growing_is_431():
    head = b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-T: "
    reader = _read(head, *[b"a" * 16384] * 5)
    assert reader.reject is not None and reader.reject.status == 431 and "trailer" in reader.reject.reason


def test_headers_become_wsgi_keys_with_trailing_whitespace_dropped_and_repeats_joined():
    [request] = _read(b"POST /p?q=1 HTTP/1.1\r\nHost: x  \t\r\nX-A: 1\r\nx-a: 2 \r\nContent-Type: a\r\n"
                      b"Content-Type: text/plain\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\nab").ready
    assert (request.method, request.target, request.version, request.content()) == (b"POST", b"/p?q=1", "1.1", b"ab")
    assert request.headers == {"HTTP_HOST": "x", "HTTP_X_A": "1,2", "CONTENT_TYPE": "text/plain",
                               "HTTP_EXPECT": "100-continue"}
    assert request.expect_continue


def test_requests_split_anywhere_and_pipelined_are_read_in_order():
    raw = (b"GET /1 HTTP/1.1\r\nHost: x\r\n\r\nPOST /2 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
           b"3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nX-Trailer: t\r\n\r\nPOST /3 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nxyz")
    for cut in (1, 7, 40, 95, 130, len(raw) - 1):
        reader = _read(raw[:cut], raw[cut:])
        assert [(r.target, r.content()) for r in reader.ready] == [(b"/1", b""), (b"/2", b"abcde"), (b"/3", b"xyz")]
        assert "HTTP_X_TRAILER" not in reader.ready[1].headers   # a trailer is not a header


def test_a_fault_after_a_pipelined_request_is_answered_after_it():
    reader = _read(b"GET / HTTP/1.1\r\nHost: x\r\n\r\nGARBAGE\r\n\r\n")
    assert len(reader.ready) == 1 and reader.reject.status == 400


def test_empty_lines_before_a_request_are_ignored():
    # RFC 9112 section 2.2: a server SHOULD ignore at least one empty line before a request line
    assert [r.target for r in _read(b"\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n").ready] == [b"/"]


@pytest.mark.parametrize("framing, body", [(b"Content-Length: 2\r\n\r\nab", b"ab"),
                                           (b"Transfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n", b"ab")])
def test_an_upgrade_request_is_an_ordinary_one_with_its_body(framing, body):
    raw = b"POST / HTTP/1.1\r\nHost: x\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n" + framing
    reader = _read(raw + b"GET /next HTTP/1.1\r\nHost: x\r\n\r\n")
    assert [(r.target, r.content()) for r in reader.ready] == [(b"/", body), (b"/next", b"")]
    assert reader.ready[0].headers["HTTP_UPGRADE"] == "h2c"


def test_connect_has_no_content_and_parsing_goes_on_after_its_head():
    # RFC 9110 section 9.3.6: a CONNECT request has no content
    reader = _read(b"CONNECT x.example:443 HTTP/1.1\r\nHost: x\r\n\r\nGET /next HTTP/1.1\r\nHost: x\r\n\r\n")
    assert [(r.method, r.target) for r in reader.ready] == [(b"CONNECT", b"x.example:443"), (b"GET", b"/next")]

