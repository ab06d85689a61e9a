"""The local internet: one TLS listener on loopback that serves every host of a world.

* :class:`HostDispatcher` routes each request to the WSGI app of its ``Host``.
* :class:`Listener` is the TLS server (the handshake runs in the connection's own thread, so a
  client that opens a socket and waits cannot stall the others).
* :class:`ConnectProxy` lets any other program (AWS CLI, boto3, curl, a user's app) reach the
  world's hosts with ``HTTPS_PROXY``.
* :func:`routed_session` is the ``requests`` session the mocks use for server-to-server calls:
  real host names and certificate checks, but connected straight to the listener.
"""
from __future__ import annotations

import io
import select
import socket
import socketserver
import ssl
import threading
import time
from typing import Callable, Iterable
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler

from .trace import Exchange, Trace

WSGIApp = Callable


def _unknown_host_app(hosts: Iterable[str]) -> WSGIApp:
    served = ", ".join(sorted(hosts))

    def app(environ, start_response):
        host = environ.get("HTTP_HOST", "")
        body = (f"okta-aws-harness: this world serves no host {host!r}.\n"
                f"It serves: {served}\n").encode()
        start_response("502 Bad Gateway", [("Content-Type", "text/plain; charset=utf-8"),
                                           ("Content-Length", str(len(body)))])
        return [body]

    return app


class HostDispatcher:
    """WSGI app: ``Host`` header -> the app that serves that host."""

    def __init__(self, routes: dict[str, WSGIApp], trace: Trace | None = None) -> None:
        self.routes = {h.lower(): app for h, app in routes.items()}
        self.fallback = _unknown_host_app(self.routes)
        self.trace = trace

    def add(self, host: str, app: WSGIApp) -> None:
        self.routes[host.lower()] = app

    def app_for(self, host: str) -> WSGIApp:
        return self.routes.get(host.split(":", 1)[0].lower().rstrip("."), self.fallback)

    def __call__(self, environ, start_response):
        host = environ.get("HTTP_HOST", "") or environ.get("SERVER_NAME", "")
        app = self.app_for(host)
        if self.trace is None:
            return app(environ, start_response)
        return _traced(app, environ, start_response, self.trace, host.split(":", 1)[0].lower())


def _traced(app, environ, start_response, trace: Trace, host: str):
    started = time.time()
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(body)
    query = environ.get("QUERY_STRING", "")
    url = f"{environ.get('wsgi.url_scheme', 'https')}://{host}{environ.get('PATH_INFO', '')}" + (f"?{query}" if query else "")
    headers = {k[5:].replace("_", "-").title(): v for k, v in environ.items() if k.startswith("HTTP_")}
    if environ.get("CONTENT_TYPE"):
        headers["Content-Type"] = environ["CONTENT_TYPE"]
    exchange = Exchange(started=started, method=environ.get("REQUEST_METHOD", "GET"), url=url, host=host,
                        request_headers=headers, request_body=body[: Trace.MAX_BODY])

    def recording_start_response(status, response_headers, exc_info=None):
        exchange.status = int(status.split(" ", 1)[0])
        exchange.response_headers = list(response_headers)
        return start_response(status, response_headers, exc_info)

    result = app(environ, recording_start_response)
    chunks = []
    try:
        for chunk in result:
            chunks.append(chunk)
    finally:
        if hasattr(result, "close"):
            result.close()
    content = b"".join(chunks)
    ctype = (exchange.header("Content-Type") or "").lower()
    if any(t in ctype for t in ("json", "html", "xml", "text")):
        exchange.response_body = content[: Trace.MAX_BODY]
    exchange.duration_ms = (time.time() - started) * 1000
    trace.add(exchange)
    return [content]


class _KeepAliveHandler(WSGIRequestHandler):
    """werkzeug's handler, but HTTP/1.1 keep-alive instead of ``Connection: close`` on every
    response: a sign-in is a dozen requests, and a new TCP connection plus TLS handshake for
    each costs more than the work behind them. Safe because every request body is read to its
    end before the next request line (:func:`_drain`)."""

    protocol_version = "HTTP/1.1"
    timeout = 60  # an idle keep-alive connection is closed after this many seconds

    def send_header(self, keyword: str, value: str) -> None:
        if (keyword.lower() == "connection" and value.lower() == "close"
                and self.request_version == "HTTP/1.1"
                and self.headers.get("Connection", "").lower() != "close"):
            return  # HTTP/1.1 connections are persistent unless either side says otherwise
        super().send_header(keyword, value)

    def make_environ(self):
        environ = super().make_environ()  # captures the real socket stream as wsgi.input
        # After the response, werkzeug drains "whatever is left" from the connection, assuming
        # it closes next. On a kept-alive connection that is the client's next request; give
        # that loop an exhausted stream instead (bodies are fully read anyway: see _drain).
        self._real_stream = (self.rfile, self.connection)
        self.rfile, self.connection = io.BytesIO(), _ExhaustedConnection(self.connection)
        return environ

    def run_wsgi(self) -> None:
        try:
            super().run_wsgi()
        finally:
            if getattr(self, "_real_stream", None) is not None:
                self.rfile, self.connection = self._real_stream
                self._real_stream = None

    def log_request(self, *args, **kwargs) -> None:  # the trace is the log
        pass

    def log(self, type: str, message: str, *args) -> None:
        if type == "error":
            super().log(type, message, *args)


_EOF_PAIR = socket.socketpair()
_EOF_PAIR[1].close()  # the other end is closed: always readable, always at end of file


class _ExhaustedConnection:
    """The connection as werkzeug's post-response drain loop sees it: nothing more to read."""

    def __init__(self, real) -> None:
        self._real = real

    def fileno(self) -> int:
        return _EOF_PAIR[0].fileno()

    def __getattr__(self, name):
        return getattr(self._real, name)


def _drain(app: WSGIApp) -> WSGIApp:
    """Read the whole request body before the app runs, so an app that ignores it cannot leave
    bytes on a keep-alive connection."""

    def drained(environ, start_response):
        if not isinstance(environ.get("wsgi.input"), io.BytesIO):
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length) if length > 0 else b""
            environ["wsgi.input"] = io.BytesIO(body)
        return app(environ, start_response)

    return drained


class Listener:
    """A threaded HTTP(S) server on 127.0.0.1 in a background thread."""

    def __init__(self, app: WSGIApp, ssl_context: ssl.SSLContext | None, port: int = 0) -> None:
        self.server = ThreadedWSGIServer("127.0.0.1", port, _drain(app), handler=_KeepAliveHandler)
        self.server.daemon_threads = True
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        self._ssl = ssl_context
        original = self.server.finish_request

        def tracked(sock, client_address):
            # werkzeug sends headers and body in two writes: with Nagle on, the body waits for
            # the client's delayed ACK (up to 40 ms a response).
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            except OSError:
                pass
            with self._connections_lock:
                self._connections.add(sock)
            try:
                original(sock, client_address)
            finally:
                with self._connections_lock:
                    self._connections.discard(sock)

        self.server.finish_request = tracked  # type: ignore[method-assign]
        if ssl_context is not None:
            self.server.ssl_context = ssl_context  # for wsgi.url_scheme; sockets wrap per thread

            def finish_request(request, client_address):
                request.settimeout(60)
                try:
                    wrapped = ssl_context.wrap_socket(request, server_side=True)
                except (ssl.SSLError, OSError):
                    request.close()
                    return
                tracked(wrapped, client_address)

            self.server.finish_request = finish_request  # type: ignore[method-assign]
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.01},
                                        daemon=True, name=f"listener-{self.port}")

    def start(self) -> "Listener":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        with self._connections_lock:
            open_connections = list(self._connections)
        for sock in open_connections:  # idle keep-alive connections end with the world
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._thread.join(timeout=5)


class _ProxyHandler(socketserver.BaseRequestHandler):
    server: "_ProxyServer"

    def handle(self) -> None:
        sock: socket.socket = self.request
        sock.settimeout(30)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(4096)
            if not chunk:
                return
            data += chunk
            if len(data) > 65536:
                return
        head, _, rest = data.partition(b"\r\n\r\n")
        request_line = head.split(b"\r\n", 1)[0].decode("latin-1")
        parts = request_line.split()
        if len(parts) != 3:
            return self._reply(sock, 400, "okta-aws-harness proxy: malformed request line")
        method, target, _ = parts
        if method.upper() != "CONNECT":
            return self._reply(sock, 502, "okta-aws-harness proxy: only HTTPS (CONNECT) to the world's hosts "
                                          f"is proxied; {target} is not one of them")
        host, _, port = target.rpartition(":")
        host = host.strip("[]").lower()
        if host not in self.server.hosts or port != "443":
            return self._reply(sock, 502, f"okta-aws-harness proxy: this world serves no host {target}; it serves: "
                                          + ", ".join(sorted(self.server.hosts)))
        upstream = socket.create_connection(("127.0.0.1", self.server.tls_port), timeout=30)
        try:
            sock.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            if rest:
                upstream.sendall(rest)
            _pipe(sock, upstream)
        finally:
            upstream.close()

    @staticmethod
    def _reply(sock: socket.socket, status: int, text: str) -> None:
        reason = {400: "Bad Request", 502: "Bad Gateway"}[status]
        body = (text + "\n").encode()
        sock.sendall(f"HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain\r\nContent-Length: {len(body)}\r\n"
                     f"Connection: close\r\n\r\n".encode() + body)


def _pipe(a: socket.socket, b: socket.socket) -> None:
    sockets = [a, b]
    while True:
        readable, _, errored = select.select(sockets, [], sockets, 60)
        if errored or not readable:
            return
        for s in readable:
            try:
                data = s.recv(65536)
            except OSError:
                return
            if not data:
                return
            (b if s is a else a).sendall(data)


class _ProxyServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, tls_port: int, hosts: Iterable[str]) -> None:
        super().__init__(("127.0.0.1", 0), _ProxyHandler)
        self.tls_port = tls_port
        self.hosts = {h.lower() for h in hosts}


class ConnectProxy:
    """An HTTP CONNECT proxy that reaches only the world's hosts (on 443)."""

    def __init__(self, tls_port: int, hosts: Iterable[str]) -> None:
        self.server = _ProxyServer(tls_port, hosts)
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.01},
                                        daemon=True, name=f"proxy-{self.port}")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "ConnectProxy":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)


class _RoutingAdapter(HTTPAdapter):
    """Connects to the listener for the world's hosts; verifies the certificate for the real name."""

    def __init__(self, port: int, hosts: set[str], ca_file: str) -> None:
        self.port, self.hosts, self.ca_file = port, hosts, ca_file
        # One context with the CA loaded once (urllib3 would otherwise load the file per connection).
        self.tls = ssl.create_default_context(cafile=ca_file)
        super().__init__(pool_connections=32, pool_maxsize=32)

    def cert_verify(self, conn, url, verify, cert):
        if getattr(conn, "_harness_routed", False):
            return  # verification is configured on the pool's SSL context
        super().cert_verify(conn, url, verify, cert)

    def get_connection_with_tls_context(self, request, verify, proxies=None, cert=None):
        parts = urlsplit(request.url)
        host = (parts.hostname or "").lower()
        if parts.scheme != "https" or host not in self.hosts:
            return super().get_connection_with_tls_context(request, verify, proxies, cert)
        pool = self.poolmanager.connection_from_host(
            "127.0.0.1", self.port, scheme="https",
            pool_kwargs={"cert_reqs": "CERT_REQUIRED", "ssl_context": self.tls,
                         "server_hostname": host, "assert_hostname": host},
        )
        pool._harness_routed = True
        return pool

    def send(self, request, **kwargs):
        parts = urlsplit(request.url)
        host = (parts.hostname or "").lower()
        if host in self.hosts:
            request.headers["Host"] = host if parts.port in (None, 443) else f"{host}:{parts.port}"
        elif parts.hostname not in ("127.0.0.1", "localhost", "::1"):
            raise requests.ConnectionError(
                f"okta-aws-harness: {parts.hostname} is not a host of this world and the harness runs offline")
        return super().send(request, **kwargs)


def routed_session(port: int, hosts: Iterable[str], ca_file: str) -> requests.Session:
    session = requests.Session()
    session.trust_env = False
    session.verify = ca_file
    adapter = _RoutingAdapter(port, {h.lower() for h in hosts}, ca_file)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session
