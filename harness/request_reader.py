"""HTTP/1.1 requests read from a connection's bytes (RFC 9112) on llhttp, Node's parser, through
httptools (MagicStack's bindings, uvicorn's default parser): the framing of the listener every host
is served from (:mod:`harness.wsgi_server`).

llhttp does the framing in strict mode (request line, header syntax, ``Content-Length``, chunked
bodies, pipelining); this module adds what it leaves to a server and bounds what one request may
cost. Each rule answers with the status RFC 9110 names, then the connection is closed:

* a request head over 64 KiB, or more than 100 header fields: ``431``; a trailer section (or a
  run of chunk framing without data) over 64 KiB: ``431``;
* a body over 32 MiB (declared or read): ``413``;
* a malformed request line, header, ``Content-Length`` or chunk, a second ``Host``, no ``Host``
  in HTTP/1.1, both ``Content-Length`` and ``Transfer-Encoding``, a transfer coding other than
  ``chunked``, an HTTP version other than 1.0 and 1.1, obs-fold, a bare LF or CR: ``400``;
* a well-formed request line with a method llhttp does not know: ``501`` (RFC 9112 section 3).

Why llhttp and not h11: h11 is pure Python (its receive buffer, regular expressions per header
and a state machine per event); a sign-in's four requests cost ~0.2 ms of parsing there.
"""
from __future__ import annotations

import re
from collections import deque

import httptools

MAX_HEADER_BYTES = 64 * 1024
MAX_HEADERS = 100
MAX_BODY_BYTES = 32 * 1024 * 1024


class Reject(Exception):
    """A request the server answers itself with ``status`` and then closes the connection."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


class Request:
    """One request: its method, target, version, the WSGI ``CONTENT_TYPE``/``HTTP_*`` keys of
    its header fields (values joined with ``,`` as RFC 9110 section 5.3 allows), and body."""

    __slots__ = ("method", "target", "version", "headers", "body", "size", "length", "chunked",
                 "transfer_coding", "expect_continue", "count", "head_bytes", "head_done", "framing_bytes")

    def __init__(self) -> None:
        self.target, self.headers, self.body, self.size, self.count = b"", {}, [], 0, 0
        self.length, self.chunked, self.transfer_coding, self.expect_continue = 0, False, None, False
        self.head_bytes, self.head_done, self.framing_bytes = 0, False, 0
        self.method, self.version = b"", ""

    def content(self) -> bytes:
        return self.body[0] if len(self.body) == 1 else b"".join(self.body)


_TOKEN_LINE = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+ [\x21-\x7e\x80-\xff]+ HTTP/[0-9]\.[0-9]\r?\n")
_LINE_ERRORS = ("method", "url", "version", "HTTP/", "PRI")


class RequestReader:
    """The requests in the bytes fed to it, in order. :meth:`feed` never raises for bad input:
    complete requests go to ``ready``, and the first fault becomes ``reject`` (answered after
    the requests before it, as a pipeline is answered in order)."""

    def __init__(self) -> None:
        self.parser = httptools.HttpRequestParser(self)
        self.ready: deque[Request] = deque()
        self.request: Request | None = None     # begun, not complete
        self.reject: Reject | None = None
        self.fields: list[tuple[bytes, bytes]] = []   # the header fields of the request begun
        self._continued: Request | None = None  # an Upgrade request whose body is being read

    def feed(self, data) -> None:
        """Parse ``data``, what one read of the connection returned."""
        before = self.request
        read = before.length if before is not None else 0
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade as upgrade:
            rest = data[upgrade.args[0]:]
        except httptools.HttpParserCallbackError as exc:
            if not isinstance(exc.__context__, Reject):
                raise   # a fault of this module, not of the request: let it be seen
            self.reject = exc.__context__
            return
        except httptools.HttpParserError as exc:
            self.reject = _parser_fault(exc, data if before is None and not self.ready else b"")
            return
        else:
            self._bound(before, read, len(data))
            return
        self._after_upgrade(rest)

    def _bound(self, before: Request | None, read: int, size: int) -> None:
        """The head and chunk-framing limits, counted in fed bytes (llhttp keeps a partial header
        line in memory, so a head that never ends must be cut off while it grows)."""
        request = self.request
        if request is None:
            return
        if not request.head_done:
            if request is before:
                request.head_bytes += size
            elif before is None and not self.ready:
                request.head_bytes = size   # the head began with this data
            # else it began after a pipelined request in this data: counted from the next data on
            if request.head_bytes > MAX_HEADER_BYTES:
                self.reject = Reject(431, f"the request head is over {MAX_HEADER_BYTES} bytes")
        elif request is before and request.chunked:
            # bytes that carried no data: chunk lines, chunk extensions, a trailer section
            request.framing_bytes = request.framing_bytes + size if request.length == read else 0
            if request.framing_bytes > MAX_HEADER_BYTES:
                self.reject = Reject(431, f"a chunked body's trailer section or chunk framing is over "
                                          f"{MAX_HEADER_BYTES} bytes")

    # ---- llhttp's callbacks (a Reject raised here becomes self.reject) -------------------------
    def on_message_begin(self) -> None:
        self.request = Request()
        self.fields = []

    def on_url(self, url: bytes) -> None:
        self.request.target += url

    def on_header(self, name: bytes, value: bytes) -> None:
        # kept as they come and read in one loop at the end of the head: ~4 us a request less than
        # reading each here (0.102 -> 0.085 ms a sign-in's four, benchmarks/listener_cpu.py); a trailer field
        # (RFC 9112 section 7.1.2) lands here after the head and is not passed on
        self.fields.append((name, value))

    def on_headers_complete(self) -> None:
        request = self.request
        request.head_done = True
        request.method = self.parser.get_method()
        request.version = self.parser.get_http_version()
        _read_fields(request, self.fields)
        _check_head(request)

    def on_body(self, body: bytes) -> None:
        request = self.request
        request.body.append(body)
        if request.chunked:
            request.length += len(body)
            if request.length > MAX_BODY_BYTES:
                raise Reject(413, f"a request body is at most {MAX_BODY_BYTES} bytes")

    def on_message_complete(self) -> None:
        request = self.request
        if self._continued is not None:   # the body of an Upgrade request, behind a stand-in head
            self._continued.body, request = request.body, self._continued
            self._continued = None
        self.ready.append(request)
        self.request = None

    # ---- Upgrade and CONNECT -------------------------------------------------------------------
    def _after_upgrade(self, rest: bytes) -> None:
        """llhttp stops at the end of the head of a request with ``Upgrade`` (and ``Connection:
        upgrade``) or ``CONNECT``. The server never switches protocols (RFC 9110 section 7.8 lets
        it ignore ``Upgrade``), so the request is an ordinary one: its body is read by a fresh
        parser behind a stand-in head with the same framing, then parsing goes on. A CONNECT
        request has no content (RFC 9110 section 9.3.6)."""
        self.parser = httptools.HttpRequestParser(self)
        request = self.ready[-1]
        if request.method != b"CONNECT" and (request.length or request.chunked):
            self._continued = self.ready.pop()
            framing = b"Transfer-Encoding: chunked" if request.chunked else b"Content-Length: %d" % request.length
            self.parser.feed_data(b"PUT / HTTP/1.1\r\nHost: _\r\n" + framing + b"\r\n\r\n")
        if rest:
            self.feed(rest)


_KEYS: dict[bytes, str] = {}   # a field name -> its WSGI key ("HTTP_USER_AGENT"): a pure function, cached
_KEYS_KEPT = 512                # names, at most (a client may send any)


def _read_fields(request: Request, fields: list[tuple[bytes, bytes]]) -> None:
    """The head's fields into the request: WSGI keys (``CONTENT_TYPE``, ``HTTP_*``; repeated
    fields joined with ``,``, RFC 9110 section 5.3), the framing, ``Expect``, count and size."""
    headers, size = request.headers, 0
    for name, raw in fields:
        value = raw.rstrip(b" \t")   # llhttp keeps trailing whitespace; it is not part of the value
        size += len(name) + len(value) + 4
        key = _KEYS.get(name)
        if key is None:
            key = name.decode("latin-1").upper().replace("-", "_")
            key = key if key in _OWN_KEYS else "HTTP_" + key
            if len(_KEYS) < _KEYS_KEPT:
                _KEYS[name] = key
        text = value.decode("latin-1")
        if key in _OWN_KEYS:
            if key == "CONTENT_LENGTH":
                request.length = int(text)   # llhttp has checked it is digits, and the only one
            elif key == "TRANSFER_ENCODING":
                request.chunked = True
                coding = request.transfer_coding
                request.transfer_coding = text if coding is None else f"{coding},{text}"
            else:
                headers[key] = text   # CONTENT_TYPE: the last one wins, as before
            continue
        if key == "HTTP_EXPECT" and request.version == "1.1" and text.lower() == "100-continue":
            request.expect_continue = True   # HTTP/1.1's (RFC 9110 section 10.1.1)
        if key in headers:
            if key == "HTTP_HOST":
                raise Reject(400, "malformed request: Found multiple Host: headers")
            text = f"{headers[key]},{text}"
        headers[key] = text
    request.count, request.size = len(fields), size


_OWN_KEYS = frozenset({"CONTENT_TYPE", "CONTENT_LENGTH", "TRANSFER_ENCODING"})


def _check_head(request: Request) -> None:
    """What llhttp leaves to the server (RFC 9112): the head's size and field count, a supported
    version, ``Host`` in HTTP/1.1, and ``chunked`` as the only transfer coding."""
    if request.count > MAX_HEADERS:
        raise Reject(431, f"more than {MAX_HEADERS} header fields")
    if len(request.target) + request.size > MAX_HEADER_BYTES:
        raise Reject(431, f"the request head is over {MAX_HEADER_BYTES} bytes")
    if request.version not in ("1.0", "1.1"):
        if request.version == "0.9":
            raise Reject(400, "malformed request line: no HTTP version (HTTP/0.9 is not supported)")
        raise Reject(400, f"HTTP/{request.version} is not supported")
    if request.version == "1.1" and "HTTP_HOST" not in request.headers:
        raise Reject(400, "malformed request: Missing mandatory Host: header")
    if request.chunked and [c.strip().lower() for c in request.transfer_coding.split(",")] != ["chunked"]:
        raise Reject(400, "malformed request: Only Transfer-Encoding: chunked is supported")
    if request.length > MAX_BODY_BYTES:
        raise Reject(413, f"a request body is at most {MAX_BODY_BYTES} bytes")


def _parser_fault(exc: httptools.HttpParserError, data: bytes) -> Reject:
    """The answer to what llhttp refused; ``data`` is what it was fed when that began with the
    request (empty when the fault was in a later, pipelined one)."""
    reason = str(exc)
    if reason == "Content-Length overflow":
        return Reject(413, f"a request body is at most {MAX_BODY_BYTES} bytes")
    if isinstance(exc, httptools.HttpParserInvalidMethodError) and _TOKEN_LINE.match(data.lstrip(b"\r\n")):
        method = data.lstrip(b"\r\n").split(b" ", 1)[0].decode("latin-1")
        return Reject(501, f"the method {method} is not implemented")
    if reason.startswith("Missing expected CR") or reason == "Expected CRLF after version":
        reason += " (a line ends with CRLF: a bare LF or CR is not accepted, RFC 9112 section 2.2)"
    if reason == "Unexpected whitespace after header value":
        return Reject(400, "malformed request: obsolete line folding (obs-fold) in a header field "
                           "is not accepted (RFC 9112 section 5.2)")
    if isinstance(exc, (httptools.HttpParserInvalidMethodError, httptools.HttpParserInvalidURLError)) or any(
            word in reason for word in _LINE_ERRORS):
        return Reject(400, f"malformed request line: {reason}")
    return Reject(400, f"malformed request: {reason}")
