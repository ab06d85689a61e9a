"""The local internet: one TLS listener on loopback that serves every host of a world.

* :class:`HostDispatcher` routes each request to the WSGI app of its ``Host``.
* :class:`Listener` is the TLS server (:mod:`harness.wsgi_server`; the handshake runs in the
  connection's own thread, so a client that opens a socket and waits cannot stall the others).
* :class:`ConnectProxy` lets any other program (AWS CLI, boto3, curl, a user's app) reach the
  world's hosts with ``HTTPS_PROXY``; the listener serves each tunnel itself.
* :func:`routed_session` is the ``requests`` session the mocks use for server-to-server calls:
  real host names and certificate checks, but connected straight to the listener.
"""
from __future__ import annotations

import io
import logging
import select
import socket
import ssl
import time
from typing import Callable, Iterable
from urllib.parse import urlsplit

import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from requests.adapters import HTTPAdapter

from .trace import Exchange, Trace
from .wsgi_server import Acceptor, WSGIServer

WSGIApp = Callable
log = logging.getLogger("okta_aws_harness.internet")


class HostNames:
    """The names a world serves: exact host names, and ``*.<parent>`` patterns that stand for any
    one label under ``<parent>`` (as a certificate's wildcard name does: ``a.parent``, not
    ``a.b.parent`` nor ``parent`` itself). A world answers on names created after it started
    (Cognito prefix domains made through the API) this way."""

    def __init__(self, names: Iterable[str]) -> None:
        names = [n.lower() for n in names]
        self.exact = {n for n in names if not n.startswith("*.")}
        self.parents = tuple(dict.fromkeys(n[1:] for n in names if n.startswith("*.")))   # ".parent"

    def pattern_for(self, host: str) -> str | None:
        """The ``*.<parent>`` pattern ``host`` falls under, or None."""
        for parent in self.parents:
            label = host[: -len(parent)]
            if host.endswith(parent) and label and "." not in label:
                return "*" + parent
        return None

    def __contains__(self, host: object) -> bool:
        return isinstance(host, str) and (host in self.exact or self.pattern_for(host) is not None)

    def __iter__(self):
        return iter(sorted(self.exact) + ["*" + p for p in self.parents])


def _unknown_host_app(dispatcher: "HostDispatcher") -> WSGIApp:
    def app(environ, start_response):
        host = environ.get("HTTP_HOST", "")
        # read per request: hosts are added after start
        served = ", ".join(sorted(dispatcher.routes) + sorted(dispatcher.patterns))
        body = (f"okta-aws-harness: this world serves no host {host!r}.\n"
                f"It serves: {served}\n").encode()
        start_response("502 Bad Gateway", [("Content-Type", "text/plain; charset=utf-8"),
                                           ("Content-Length", str(len(body)))])
        return [body]

    return app


class HostDispatcher:
    """WSGI app: ``Host`` header -> the app that serves that host.

    A pattern ``*.<parent>`` (:meth:`add_pattern`) serves hosts named after the world started:
    its ``resolve(host)`` is asked, at the host's first request, for the app of a host that
    matches and has no route yet; it answers None for a host that does not exist (which then
    gets the unknown-host answer, and is asked again next time)."""

    def __init__(self, routes: dict[str, WSGIApp], trace: Trace | None = None) -> None:
        self.routes = {h.lower(): app for h, app in routes.items()}
        self.patterns: dict[str, Callable[[str], WSGIApp | None]] = {}
        self._pattern_names = HostNames(())
        self.fallback = _unknown_host_app(self)
        self.trace = trace

    def add(self, host: str, app: WSGIApp) -> None:
        self.routes[host.lower()] = app

    def add_pattern(self, pattern: str, resolve: Callable[[str], WSGIApp | None]) -> None:
        self.patterns[pattern.lower()] = resolve
        self._pattern_names = HostNames(self.patterns)

    def app_for(self, host: str) -> WSGIApp:
        host = host.split(":", 1)[0].lower().rstrip(".")
        app = self.routes.get(host)
        if app is not None or not self.patterns:
            return app or self.fallback
        pattern = self._pattern_names.pattern_for(host)
        app = self.patterns[pattern](host) if pattern else None
        if app is None:
            return self.fallback
        return self.routes.setdefault(host, app)   # two first requests at once: both use one app

    def __call__(self, environ, start_response):
        host = environ.get("HTTP_HOST", "") or environ.get("SERVER_NAME", "")
        app = self.app_for(host)
        if self.trace is None:
            return app(environ, start_response)
        return _traced(app, environ, start_response, self.trace, host.split(":", 1)[0].lower())


def _traced(app, environ, start_response, trace: Trace, host: str):
    started = time.time()
    body_stream = environ["wsgi.input"]
    # The server hands over the whole body in a BytesIO: record it without copying.
    body = body_stream.getvalue() if isinstance(body_stream, io.BytesIO) else b""
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
    try:
        content = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    ctype = (exchange.header("Content-Type") or "").lower()
    if any(t in ctype for t in ("json", "html", "xml", "text")):
        exchange.response_body = content[: Trace.MAX_BODY]
    exchange.duration_ms = (time.time() - started) * 1000
    trace.add(exchange)
    return [content]


class Listener(WSGIServer):
    """The world's HTTP(S) server on 127.0.0.1, serving in background threads."""


def _read_head(sock: socket.socket) -> tuple[bytes, bytes] | None:
    """The request head (up to the blank line) and whatever came after it, or None."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            return None
        data += chunk
        if len(data) > 65536:
            return None
    head, _, rest = data.partition(b"\r\n\r\n")
    return head, rest


class ConnectProxy:
    """An HTTP CONNECT proxy that reaches only the world's hosts (on 443).

    After ``200 Connection established`` the client's socket is handed to the listener's own
    connection handler in this thread: no second socket and no byte relay, so a request through
    the proxy costs what a direct one does (and every socket has ``TCP_NODELAY``).
    """

    def __init__(self, listener: Listener, hosts: Iterable[str]) -> None:
        self.listener = listener
        self.hosts = HostNames(hosts)
        self._acceptor = Acceptor(self._handle, name="proxy")
        self.port = self._acceptor.port

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "ConnectProxy":
        self._acceptor.start()
        return self

    def stop(self) -> None:
        self._acceptor.stop()

    def _handle(self, sock: socket.socket, address) -> None:
        handed_over = False
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            sock.settimeout(30)
            parsed = _read_head(sock)
            if parsed is None:
                return self._reply(sock, 400, "okta-aws-harness proxy: malformed or oversized request head")
            head, rest = parsed
            parts = head.split(b"\r\n", 1)[0].decode("latin-1").split()
            if len(parts) != 3:
                return self._reply(sock, 400, "okta-aws-harness proxy: malformed request line")
            method, target, _ = parts
            if method.upper() != "CONNECT":
                return self._reply(sock, 502, "okta-aws-harness proxy: only HTTPS (CONNECT) to the world's hosts "
                                              f"is proxied; {target} is not one of them")
            host, _, port = target.rpartition(":")
            host = host.strip("[]").lower()
            if host not in self.hosts or port != "443":
                return self._reply(sock, 502, f"okta-aws-harness proxy: this world serves no host {target}; it serves: "
                                              + ", ".join(self.hosts))
            sock.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            if rest:  # the client spoke before the answer: relay what it sent, then everything else
                return _relay(sock, rest, self.listener.port)
            handed_over = True
            self.listener.serve_connection(sock, address)
        except OSError:
            pass
        finally:
            if not handed_over:
                try:
                    sock.close()
                except OSError:
                    pass

    @staticmethod
    def _reply(sock: socket.socket, status: int, text: str) -> None:
        reason = {400: "Bad Request", 502: "Bad Gateway"}[status]
        body = (text + "\n").encode()
        sock.sendall(f"HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain\r\nContent-Length: {len(body)}\r\n"
                     f"Connection: close\r\n\r\n".encode() + body)


def _relay(client: socket.socket, first: bytes, port: int) -> None:
    """Pipe bytes between the client and the listener (only when the client sent early data)."""
    upstream = socket.create_connection(("127.0.0.1", port), timeout=30)
    try:
        upstream.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        upstream.sendall(first)
        buffer = bytearray(65536)
        view = memoryview(buffer)
        peers = {client: upstream, upstream: client}
        while True:
            readable, _, errored = select.select(list(peers), [], list(peers), 60)
            if errored or not readable:
                return
            for s in readable:
                n = s.recv_into(buffer)
                if not n:
                    return
                peers[s].sendall(view[:n])
    finally:
        upstream.close()


class _RoutingAdapter(HTTPAdapter):
    """Connects to the listener for the world's hosts; verifies the certificate for the real name.

    A call that fails before any response (TLS, connect, timeout) is shown to the user the way
    the real service shows it (the mocks catch it), but its real cause is logged and recorded
    in the trace here, the one place every server-to-server call passes through."""

    def __init__(self, port: int, hosts: HostNames, ca_file: str, trace: Trace | None = None) -> None:
        self.port, self.hosts, self.ca_file, self.trace = port, hosts, ca_file, trace
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
            error = requests.ConnectionError(
                f"okta-aws-harness: {parts.hostname} is not a host of this world and the harness runs offline")
            self._record_failure(request, error, time.time())
            raise error
        started = time.time()
        try:
            return super().send(request, **kwargs)
        except requests.RequestException as exc:
            self._record_failure(request, exc, started)
            raise

    def _record_failure(self, request, exc: Exception, started: float) -> None:
        parts = urlsplit(request.url)
        cause = f"{type(exc).__name__}: {exc}"
        if isinstance(exc, requests.exceptions.SSLError):
            cause += "; " + _describe_tls(self.port, (parts.hostname or "").lower(), self.ca_file)
        log.warning("server-to-server call %s %s failed: %s", request.method, request.url, cause)
        if self.trace is not None:
            body = request.body if isinstance(request.body, bytes) else (request.body or "").encode()
            self.trace.add(Exchange(started=started, method=request.method or "GET", url=request.url,
                                    host=(parts.hostname or "").lower(), request_headers=dict(request.headers),
                                    request_body=body[: Trace.MAX_BODY], status=0, via="server-to-server",
                                    error=cause, duration_ms=(time.time() - started) * 1000))


def _describe_tls(port: int, host: str, ca_file: str) -> str:
    """Which certificate the listener presents for ``host`` and which CA the caller trusts."""
    try:
        probe = ssl.create_default_context()
        probe.check_hostname, probe.verify_mode = False, ssl.CERT_NONE
        with socket.create_connection(("127.0.0.1", port), timeout=2) as raw, \
                probe.wrap_socket(raw, server_hostname=host) as tls:
            der = tls.getpeercert(binary_form=True)
        cert = x509.load_der_x509_certificate(der)
        presented = f"the listener presents subject {cert.subject.rfc4514_string()} issued by {cert.issuer.rfc4514_string()}"
    except (OSError, ValueError) as exc:
        presented = f"no certificate could be read from the listener ({exc})"
    try:
        with open(ca_file, "rb") as handle:
            ca = x509.load_pem_x509_certificate(handle.read())
        trusted = (f"the caller trusts {ca.subject.rfc4514_string()} "
                   f"(SHA-256 {ca.fingerprint(hashes.SHA256()).hex()[:16]}…) from {ca_file}")
    except (OSError, ValueError) as exc:
        trusted = f"the CA file {ca_file} cannot be read ({exc})"
    return f"{presented}; {trusted}"


def routed_session(port: int, hosts: Iterable[str], ca_file: str, trace: Trace | None = None) -> requests.Session:
    session = requests.Session()
    session.trust_env = False
    session.verify = ca_file
    adapter = _RoutingAdapter(port, HostNames(hosts), ca_file, trace)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session
