"""A lean HTTP/1.1 user agent for the benchmarks: one keep-alive TLS connection per host (straight
to the world's listener, or tunnelled through its CONNECT proxy), the request written in one
send, responses framed by ``Content-Length``, cookies kept per host.

Why not ``requests``: it costs the client ~1 ms of CPU a request (URL re-quoting of long SAML
URLs, header dicts, the email module's header parser), and the benchmark client shares the
machine's two cores with the world it measures. Every response of the world's listener
carries ``Content-Length`` (harness/wsgi_server.py), so no chunked decoding is needed here.
"""
from __future__ import annotations

import socket
import ssl
from urllib.parse import urlencode, urlsplit


class Response:
    __slots__ = ("status", "headers", "body")

    def __init__(self, status: int, headers: dict, body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Connection:
    """One keep-alive TLS connection to ``host`` (reconnects, resuming the TLS session, when the
    server closes it)."""

    def __init__(self, host: str, port: int, context: ssl.SSLContext, tunnel: bool) -> None:
        self.host, self.port, self.context, self.tunnel = host, port, context, tunnel
        self.sock: ssl.SSLSocket | None = None
        self.session: ssl.SSLSession | None = None
        self.buffer = b""

    def _connect(self) -> None:
        raw = socket.create_connection(("127.0.0.1", self.port), timeout=30)
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self.tunnel:
            raw.sendall(f"CONNECT {self.host}:443 HTTP/1.1\r\nHost: {self.host}:443\r\n\r\n".encode())
            answer = b""
            while b"\r\n\r\n" not in answer:
                chunk = raw.recv(4096)
                if not chunk:
                    raise ConnectionError("the proxy closed the connection")
                answer += chunk
            if not answer.startswith(b"HTTP/1.1 200"):
                raise ConnectionError(answer.decode("latin-1"))
        self.sock = self.context.wrap_socket(raw, server_hostname=self.host, session=self.session)
        self.session = self.sock.session
        self.buffer = b""

    def _read_until(self, marker: bytes) -> bytes:
        while marker not in self.buffer:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("the server closed the connection")
            self.buffer += chunk
        head, _, self.buffer = self.buffer.partition(marker)
        return head

    def _read_exactly(self, size: int) -> bytes:
        while len(self.buffer) < size:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("the server closed the connection")
            self.buffer += chunk
        body, self.buffer = self.buffer[:size], self.buffer[size:]
        return body

    def request(self, method: str, target: str, headers: list[tuple[str, str]], body: bytes = b"") -> Response:
        lines = [f"{method} {target} HTTP/1.1", f"Host: {self.host}", *(f"{n}: {v}" for n, v in headers)]
        if body or method == "POST":
            lines.append(f"Content-Length: {len(body)}")
        message = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
        if self.sock is None:
            self._connect()
        self.sock.sendall(message)
        head = self._read_until(b"\r\n\r\n").decode("latin-1").split("\r\n")
        status = int(head[0].split(" ", 2)[1])
        response_headers: dict = {}
        for line in head[1:]:
            name, _, value = line.partition(":")
            response_headers.setdefault(name.strip().lower(), []).append(value.strip())
        body = self._read_exactly(int(response_headers.get("content-length", ["0"])[0]))
        if "close" in response_headers.get("connection", [""])[0].lower():
            self.sock.close()
            self.sock = None
        return Response(status, response_headers, body)


class Agent:
    """A user agent: connections and cookies per host; no redirects followed."""

    def __init__(self, ca_file: str, port: int, tunnel: bool) -> None:
        self.context = ssl.create_default_context(cafile=ca_file)
        self.port, self.tunnel = port, tunnel
        self.connections: dict[str, Connection] = {}
        self.cookies: dict[str, dict[str, str]] = {}

    def request(self, method: str, url: str, headers: list | None = None, form: dict | None = None,
                json_body: bytes | None = None) -> Response:
        parts = urlsplit(url)
        host = parts.hostname
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers = list(headers or [])
        body = b""
        if form is not None:
            body = urlencode(form).encode("ascii")
            headers.append(("Content-Type", "application/x-www-form-urlencoded"))
        elif json_body is not None:
            body = json_body
            headers.append(("Content-Type", "application/json"))
        jar = self.cookies.setdefault(host, {})
        if jar:
            headers.append(("Cookie", "; ".join(f"{k}={v}" for k, v in jar.items())))
        conn = self.connections.get(host)
        if conn is None:
            conn = self.connections[host] = Connection(host, self.port, self.context, self.tunnel)
        response = conn.request(method, target, headers, body)
        for cookie in response.headers.get("set-cookie", ()):
            name, _, value = cookie.split(";", 1)[0].partition("=")
            jar[name.strip()] = value.strip()
        return response

    def get(self, url: str, **kwargs) -> Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs) -> Response:
        return self.request("POST", url, **kwargs)
