"""The HTTP/1.1 server behind every host of a world: a WSGI server whose requests are read by
llhttp (:mod:`harness.request_reader`, through httptools, uvicorn's parser), a thread per connection.

Why not werkzeug's development server: a world is a dozen requests a sign-in, on keep-alive
connections, from browsers, SDKs and fuzzers alike. The server must frame every request the
way RFC 9112 says (``Content-Length``, chunked bodies, pipelining, ``HEAD``), answer malformed
input with a 4xx and ``Connection: close`` instead of a traceback, bound what one request may
cost (header bytes and count, body size, idle time), and add no latency (``TCP_NODELAY``, one
write per response, no selector per request). llhttp does the framing; this module is the glue.

Limits: those of :mod:`harness.request_reader` (431, 413, 400, 501, each answered, then the
connection is closed), and a connection idle for 60 s, or a TLS handshake not done in 10 s: closed.
"""
from __future__ import annotations

import ctypes
import io
import logging
import socket
import ssl
import sys
import threading
import time
import traceback
from typing import Callable
from urllib.parse import unquote_to_bytes

from world_common import serving_cpu

from .request_reader import Reject, Request, RequestReader

log = logging.getLogger("okta_aws_harness.server")

IDLE_TIMEOUT = 60.0
HANDSHAKE_TIMEOUT = 10.0
_READ_SIZE = 65536

WSGIApp = Callable

_REASONS = {400: "Bad Request", 408: "Request Timeout", 413: "Content Too Large",
            431: "Request Header Fields Too Large", 500: "Internal Server Error", 501: "Not Implemented"}


def _plain_response(status: int, text: str) -> bytes:
    body = (text + "\n").encode("utf-8", "replace")
    return (f"HTTP/1.1 {status} {_REASONS.get(status, 'Error')}\r\nContent-Type: text/plain; charset=utf-8\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode() + body


class Acceptor:
    """A listening socket on 127.0.0.1 whose connections are each handled in a thread of their
    own by ``handle(sock, address)`` (the world's listener and its CONNECT proxy)."""

    def __init__(self, handle: Callable, port: int = 0, name: str = "listener", host: str = "127.0.0.1") -> None:
        self._handle = handle
        self.socket = socket.create_server((host, port), backlog=128)
        self.host, self.port = self.socket.getsockname()[:2]
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._accept_loop, daemon=True, name=f"{name}-{self.port}")

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._closed.set()
        try:
            self.socket.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.socket.close()
        self._thread.join(timeout=5)

    def _accept_loop(self) -> None:
        while not self._closed.is_set():
            try:
                sock, address = self.socket.accept()
            except OSError:
                if self._closed.is_set():
                    return
                time.sleep(0.01)  # EMFILE and friends: let connections finish, then go on
                continue
            threading.Thread(target=self._serve, args=(sock, address), daemon=True,
                             name=f"conn-{self.port}").start()

    def _serve(self, sock: socket.socket, address) -> None:
        serving_cpu.serve_here()   # world_common/serving_cpu.py: why the serving threads share a CPU
        self._handle(sock, address)


class WSGIServer:
    """Serves ``app`` on ``127.0.0.1:port`` (TLS when ``ssl_context`` is given).

    :meth:`serve_connection` also takes a socket accepted elsewhere (the CONNECT proxy hands
    over its client this way, so a proxied request costs what a direct one does).
    """

    def __init__(self, app: WSGIApp, ssl_context: ssl.SSLContext | None = None, port: int = 0,
                 host: str = "127.0.0.1") -> None:
        self.app = app
        self.ssl_context = ssl_context
        self.scheme = "https" if ssl_context is not None else "http"
        self._acceptor = Acceptor(self.serve_connection, port, "listener", host)
        self.host, self.port = self._acceptor.host, self._acceptor.port
        self._connections: set[socket.socket] = set()
        self._closed_count = 0
        self._lock = threading.Lock()

    # ---- lifecycle ----------------------------------------------------------------------------
    def start(self) -> "WSGIServer":
        self._acceptor.start()
        return self

    def stop(self) -> None:
        self._acceptor.stop()
        with self._lock:
            open_connections = list(self._connections)
        for sock in open_connections:  # idle keep-alive connections end with the world
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    # ---- one connection -----------------------------------------------------------------------
    def serve_connection(self, sock: socket.socket, address=("127.0.0.1", 0)) -> None:
        """Serve requests on ``sock`` until either side closes it (runs in the caller's thread)."""
        with self._lock:
            self._connections.add(sock)
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if self.ssl_context is not None:
                sock.settimeout(HANDSHAKE_TIMEOUT)
                tls = self.ssl_context.wrap_socket(sock, server_side=True)  # handshake in this thread
                with self._lock:
                    self._connections.discard(sock)
                    self._connections.add(tls)
                sock = tls
            sock.settimeout(IDLE_TIMEOUT)
            _Connection(self, sock, address).run()
        except (OSError, ssl.SSLError, ValueError) as exc:
            # the peer went away, timed out, or spoke no TLS: nothing to answer
            log.debug("connection from %s ended: %r", address[0], exc)
        finally:
            with self._lock:
                self._connections.discard(sock)
                self._closed_count += 1
                trim = self._closed_count % _TRIM_EVERY == 0
            _lingering_close(sock)
            if trim:
                _release_free_memory()


_TRIM_EVERY = 256  # connections


def _release_free_memory() -> None:
    """Give the C allocator's free pages back to the system (glibc's ``malloc_trim``). Every
    connection has its own thread, and glibc keeps what each thread's arena freed; on a world
    that serves for hours (a fuzzer, a CI service) that is most of the growth of its RSS."""
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _load_libc():
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.malloc_trim  # noqa: B018  (glibc only: elsewhere there is nothing to trim)
        return libc
    except (OSError, AttributeError):
        return None


_LIBC = _load_libc()


def _lingering_close(sock: socket.socket) -> None:
    """Close after the last response without losing it: stop sending, then read (and drop) what
    the client still sends for a moment, so the kernel does not answer unread bytes with a reset
    that would destroy the response in the client's buffer (RFC 9112 section 9.6)."""
    try:
        sock.settimeout(0.5)
        sock.shutdown(socket.SHUT_WR)
        for _ in range(16):
            if not sock.recv(65536):
                break
    except (OSError, ValueError):
        pass
    finally:
        try:
            sock.close()
        except OSError:
            pass


_QUICKACK = getattr(socket, "TCP_QUICKACK", None)  # Linux only


def _ack_at_once(sock: socket.socket) -> None:
    """Acknowledge now what has arrived, and what arrives next, without the kernel's delayed ACK
    (``TCP_QUICKACK``; the kernel turns it off again after every response, so it is set before
    every read that waits for the rest of a request, and only then: between requests an ACK
    rides on the response, and a separate one costs both sides CPU).

    Why: a client that keeps Nagle's algorithm on (urllib3 1.26 behind a proxy, so requests,
    and so every tool on ``HTTPS_PROXY``) writes a POST's head and body in two sends and holds
    the body until the head is acknowledged. With the ACK delayed, every such POST waited
    ~40 ms (measured: 45 ms for Cognito's ``/saml2/idpresponse`` and ``/oauth2/token``)."""
    if _QUICKACK is not None:
        try:
            sock.setsockopt(socket.IPPROTO_TCP, _QUICKACK, 1)
        except OSError:
            pass


class _Connection:
    """The request/response cycles of one connection."""

    def __init__(self, server: WSGIServer, sock: socket.socket, address) -> None:
        self.server, self.sock, self.address = server, sock, address
        self.reader = RequestReader()

    def run(self) -> None:
        try:
            while (request := self._next_request()) is not None and self._respond(request):
                pass   # _respond says False when a side said Connection: close (or HTTP/1.0)
        except socket.timeout:
            return

    def _next_request(self) -> Request | None:
        """The next complete request; None when the client closed between requests, or after
        answering a request the server refuses."""
        reader = self.reader
        while not reader.ready:
            if reader.reject is not None:
                self._reject(reader.reject.status, reader.reject.reason)
                return None
            request = reader.request
            if request is not None:   # in the middle of a request: its sender may wait for this ACK
                if request.expect_continue and request.head_done:
                    # the client waits for this before it sends the body; a request whose body came
                    # with its head gets none (RFC 9110 section 10.1.1: the server MAY omit it)
                    request.expect_continue = False
                    self.sock.sendall(b"HTTP/1.1 100 \r\n\r\n")
                _ack_at_once(self.sock)
            data = self.sock.recv(_READ_SIZE)
            if not data:
                if reader.request is None:
                    return None
                where = "body" if reader.request.head_done else "head"
                reader.reject = Reject(400, f"the connection closed in the middle of the request {where}")
                continue
            reader.feed(data)
        return reader.ready.popleft()

    def _reject(self, status: int, reason: str) -> None:
        log.info("%s %s: %s", self.address[0], status, reason)
        try:
            self.sock.sendall(_plain_response(status, f"okta-aws-harness: {reason}"))
        except OSError:
            pass

    # ---- WSGI ---------------------------------------------------------------------------------
    def _environ(self, request: Request) -> dict:
        target = request.target
        if not target.startswith(b"/"):  # absolute-form (a proxy-style request line) or "*"
            scheme_sep = target.find(b"://")
            slash = target.find(b"/", scheme_sep + 3) if scheme_sep >= 0 else -1
            target = target[slash:] if slash >= 0 else b"/"
        path, _, query = target.partition(b"?")
        body = request.content()
        environ = {
            "REQUEST_METHOD": request.method.decode("ascii"),
            "SCRIPT_NAME": "",
            "PATH_INFO": unquote_to_bytes(path).decode("latin-1"),
            "QUERY_STRING": query.decode("latin-1"),
            "RAW_URI": target.decode("latin-1"),
            "REQUEST_URI": target.decode("latin-1"),
            "SERVER_NAME": self.server.host, "SERVER_PORT": str(self.server.port),
            "SERVER_PROTOCOL": "HTTP/" + request.version,
            "REMOTE_ADDR": str(self.address[0]), "REMOTE_PORT": str(self.address[1]),
            "wsgi.version": (1, 0), "wsgi.url_scheme": self.server.scheme,
            "wsgi.input": io.BytesIO(body), "wsgi.errors": sys.stderr,
            "wsgi.multithread": True, "wsgi.multiprocess": False, "wsgi.run_once": False,
            "CONTENT_LENGTH": str(len(body)) if body else "",
        }
        environ.update(request.headers)   # CONTENT_TYPE and HTTP_* (harness/request_reader.py)
        return environ

    def _respond(self, request: Request) -> bool:
        """Answer ``request``; whether the connection stays open for the next one."""
        started = time.perf_counter()
        environ = self._environ(request)
        status, headers, content = _call_app(self.server.app, environ)
        keep_alive = _keeps_alive(request)
        try:
            out = _frame(request, status, headers, content, keep_alive)
        except ValueError as exc:  # the app's headers contradict its body
            log.error("%s %s: the response cannot be framed (%s)", environ["REQUEST_METHOD"], environ["PATH_INFO"], exc)
            self.sock.sendall(_plain_response(500, "okta-aws-harness: the server built a response it cannot send"))
            raise OSError("unframeable response") from exc
        self.sock.sendall(out)
        if log.isEnabledFor(logging.INFO):
            log.info("%s %s %s%s %s %.1f ms", self.address[0], environ["REQUEST_METHOD"], environ.get("HTTP_HOST", "-"),
                     environ.get("RAW_URI", ""), status[:3], (time.perf_counter() - started) * 1000)
        return keep_alive


def _keeps_alive(request: Request) -> bool:
    """RFC 9112 section 9.3: HTTP/1.1 without ``Connection: close``. (The app's own
    ``Connection`` header is dropped: persistence is the server's to decide.)"""
    if request.version != "1.1":
        return False
    connection = request.headers.get("HTTP_CONNECTION")
    return connection is None or "close" not in [token.strip() for token in connection.lower().split(",")]


def _frame(request: Request, status: str, headers: list, content: bytes, keep_alive: bool) -> bytes:
    """The response's bytes, framed by ``Content-Length`` (RFC 9112 section 6), written here from
    the app's headers (llhttp only reads; h11's writer, used before, re-validated every header with
    regular expressions, ~0.15 ms of a sign-in's four responses). What a writer must check is
    checked here: no line break in a header (so a header
    can never split the response), a ``Content-Length`` that is a number and the body's length."""
    code, _, reason = status.partition(" ")
    if len(code) != 3 or not code.isdigit():
        raise ValueError(f"the status {status!r} is not a three-digit code")
    no_body = request.method == b"HEAD" or code in ("204", "304") or code[0] == "1"
    lines, length = [f"HTTP/1.1 {code} {reason}"], None
    for name, value in headers:
        lowered = name.lower()
        if lowered in ("transfer-encoding", "connection"):
            continue  # framing and persistence are the server's to decide
        if "\n" in name or "\r" in name or "\n" in value or "\r" in value:
            raise ValueError(f"a line break in the header {name!r}")
        if lowered == "content-length":
            if not (value.isascii() and value.isdigit()) or (length is not None and value != length):
                raise ValueError(f"the Content-Length {value!r} is not one number")
            length = value
        lines.append(f"{name}: {value}")
    if no_body:
        content = b""
    elif length is None:
        lines.append(f"Content-Length: {len(content)}")
    elif int(length) != len(content):
        raise ValueError(f"Content-Length {length} but a body of {len(content)} bytes")
    if not keep_alive:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + content


def _call_app(app: WSGIApp, environ: dict) -> tuple[str, list, bytes]:
    """Run the WSGI app; an exception becomes a logged traceback and a plain 500."""
    response: dict = {}

    def start_response(status, headers, exc_info=None):
        if exc_info and response.get("sent"):
            raise exc_info[1].with_traceback(exc_info[2])
        response["status"], response["headers"] = status, list(headers)
        return lambda data: response.setdefault("written", []).append(data)

    try:
        result = app(environ, start_response)
        try:
            content = b"".join([*response.get("written", []), *result])
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        return response["status"], response["headers"], content
    except Exception:  # noqa: BLE001 - any failure of an app is a logged 500, never a dropped connection
        log.error("%s %s%s failed:\n%s", environ.get("REQUEST_METHOD"), environ.get("HTTP_HOST", ""),
                  environ.get("RAW_URI", ""), traceback.format_exc())
        text = b"Internal Server Error\n"
        return "500 Internal Server Error", [("Content-Type", "text/plain; charset=utf-8"),
                                             ("Content-Length", str(len(text)))], text
