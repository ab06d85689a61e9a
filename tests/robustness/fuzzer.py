"""A seeded fuzzer for a running world: malformed and hostile requests over every route of
every host, sent on raw keep-alive TLS connections to the listener so that broken framing can
be sent at all, each answer read with h11 (an HTTP/1.1 parser we did not write).

Used by ``tests/robustness/test_fuzz.py`` (a few thousand requests) and ``benchmarks/fuzz.py``
(10^5). What counts as a defect:

* ``5xx``: any response >= 500, except the deliberate ``502`` for a host the world does not serve;
* ``traceback``: a response that shows a Python traceback;
* ``desync``: an answer that is not one well-formed HTTP/1.1 response (an HTTP/0.9 reply, a body
  longer than announced, bytes where none were due) or no answer at all on an open connection.
"""
from __future__ import annotations

import json
import random
import socket
import ssl
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import quote

import h11

_METHODS = ["GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH"]
_NASTY = ["", "A" * 5000, "%", "%zz", "%00", "\u00e9\u2603", "<x>&amp;", "'\"", "../../etc/passwd",
          "${jndi:ldap://x}", "null", "[]", "{}", "-1", "9" * 40, "=", "&&&", "PHNhbWw+", "eJzT0yMAAGTvBe8="]
_PARAMS = ["SAMLRequest", "SAMLResponse", "RelayState", "client_id", "redirect_uri", "response_type", "scope",
           "state", "nonce", "code", "grant_type", "refresh_token", "token", "identity_provider",
           "idp_identifier", "username", "password", "sessionToken", "fromURI", "redirectUrl", "Action",
           "code_challenge", "code_verifier", "prompt", "login_hint", "id_token_hint", "post_logout_redirect_uri",
           "logout_uri", "client_secret", "roleIndex", "kind"]


@dataclass
class Tally:
    sent: int = 0
    statuses: Counter = field(default_factory=Counter)
    defects: Counter = field(default_factory=Counter)
    examples: dict = field(default_factory=dict)

    def defect(self, kind: str, request: bytes, detail: str) -> None:
        self.defects[kind] += 1
        self.examples.setdefault(kind, []).append((request[:300], detail[:300]))

    def summary(self) -> str:
        return (f"{self.sent} requests; statuses {dict(sorted(self.statuses.items()))}; "
                f"defects {dict(self.defects) or 'none'}")


def routes_of(running) -> list[tuple[str, str]]:
    """(host, path) for every rule of every Flask app of the world, with sample path values."""
    out = []
    for host, app in sorted(running.dispatcher.routes.items()):
        url_map = getattr(app, "url_map", None)
        if url_map is None:
            out += [(host, "/"), (host, "/?Action=GetCallerIdentity")]
            continue
        for rule in url_map.iter_rules():
            path = rule.rule
            for arg in rule.arguments:
                path = path.replace(f"<{arg}>", "x").replace(f"<path:{arg}>", "a/b")
                for conv in ("string", "int", "path", "any"):
                    path = path.replace(f"<{conv}:{arg}>", "1")
            out.append((host, path))
    return out


def _query(rng: random.Random) -> str:
    pairs = []
    for _ in range(rng.randint(0, 5)):
        value = rng.choice(_NASTY)
        pairs.append(f"{rng.choice(_PARAMS)}={quote(value) if rng.random() < 0.7 else value.replace(' ', '')}")
    return "&".join(pairs)


def _deep_json(rng: random.Random) -> bytes:
    depth = rng.choice([10, 1000, 3000, 20000])
    return ("[" * depth + "]" * depth).encode() if rng.random() < 0.5 else ('{"a":' * depth + "1" + "}" * depth).encode()


def _body(rng: random.Random) -> tuple[bytes, str]:
    kind = rng.randrange(6)
    if kind == 0:
        return b"", ""
    if kind == 1:
        return _query(rng).encode(), "application/x-www-form-urlencoded"
    if kind == 2:
        return json.dumps({rng.choice(_PARAMS): rng.choice(_NASTY) for _ in range(3)}).encode(), "application/json"
    if kind == 3:
        return _deep_json(rng), "application/json"
    if kind == 4:
        return bytes(rng.randrange(256) for _ in range(rng.randint(1, 2000))), rng.choice(
            ["application/json", "application/x-www-form-urlencoded", "text/xml", "application/x-amz-json-1.1"])
    return b"SAMLResponse=" + quote(rng.choice(_NASTY)).encode(), "application/x-www-form-urlencoded"


def _well_framed(rng: random.Random, host: str, path: str) -> bytes:
    method = rng.choice(_METHODS)
    query = _query(rng)
    target = path + ("?" + query if query else "")
    body, ctype = _body(rng) if method not in ("GET", "HEAD") or rng.random() < 0.1 else (b"", "")
    headers = [f"Host: {host}"]
    if ctype:
        headers.append(f"Content-Type: {ctype}")
    if rng.random() < 0.2:
        headers.append(f"Cookie: {rng.choice(['sid=' + 'x' * 40, 'JSESSIONID=%%', 'a=b; c', 'XSRF-TOKEN=1'])}")
    if rng.random() < 0.1:
        headers.append(f"Authorization: {rng.choice(['Basic !!!', 'Basic ' + 'QQ==', 'Bearer x.y.z', 'SSWS x'])}")
    if body and rng.random() < 0.3:
        chunked = b"".join(f"{len(part):x}\r\n".encode() + part + b"\r\n"
                           for part in (body[i:i + 700] for i in range(0, len(body), 700))) + b"0\r\n\r\n"
        return (f"{method} {target} HTTP/1.1\r\n" + "\r\n".join(headers + ["Transfer-Encoding: chunked"])
                + "\r\n\r\n").encode() + chunked
    headers.append(f"Content-Length: {len(body)}")
    return (f"{method} {target} HTTP/1.1\r\n" + "\r\n".join(headers) + "\r\n\r\n").encode() + body


def _broken_framing(rng: random.Random, host: str, path: str) -> bytes:
    """A request whose framing is wrong; the server must answer 4xx and close (RFC 9112)."""
    kind = rng.randrange(14)
    if kind == 0:
        value = rng.choice(["abc", "1e3", "12, 13", "-5", "0x10", " ", "1 2"])
        return f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: {value}\r\n\r\n".encode()
    if kind == 1:
        value = rng.choice(["1000000000000", str(2 ** 64), str(2 ** 63 - 1)])
        return f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: {value}\r\n\r\n".encode()
    if kind == 2:
        return f"GET {path} HTTP/1.1\r\nHost: {host}\r\nX-Big: {'a' * 70000}\r\n\r\n".encode()
    if kind == 3:
        return (f"GET {path} HTTP/1.1\r\nHost: {host}\r\n" + "".join(f"X-H{i}: v\r\n" for i in range(150))
                + "\r\n").encode()
    if kind == 4:
        return rng.choice([b"GARBAGE\r\n\r\n", b"GET\r\n\r\n", b"GET / HTTP/9.9\r\nHost: x\r\n\r\n",
                           f"GET {path} HTTP/1.1\r\nHost {host}\r\n\r\n".encode(),
                           f"GET {path}\x00 HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()])
    if kind == 5:
        return (f"POST {path} HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: chunked\r\n\r\n"
                "zz\r\nabc\r\n0\r\n\r\n").encode()
    if kind == 6:
        return (f"POST {path} HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: chunked\r\n"
                "Content-Length: 3\r\n\r\n3\r\nabc\r\n0\r\n\r\n").encode()
    if kind == 7:
        return f"GET {path} HTTP/1.1\r\nHost: {host}\r\nHost: other.example\r\n\r\n".encode()
    if kind == 8:
        return f"GET {path} HTTP/1.1\r\n\tfolded: header\r\nHost: {host}\r\n\r\n".encode()
    if kind == 9:
        return f"GET {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nab".encode()
    # refused since the listener reads with llhttp (harness/request_reader.py; h11 took them)
    if kind == 10:   # obs-fold (RFC 9112 section 5.2)
        return f"GET {path} HTTP/1.1\r\nHost: {host}\r\nX-A: a\r\n b\r\n\r\n".encode()
    if kind == 11:   # bare LF line ends (RFC 9112 section 2.2)
        return f"GET {path} HTTP/1.1\nHost: {host}\n\n".encode()
    if kind == 12:   # a control character in a field value (RFC 9110 section 5.5)
        return f"GET {path} HTTP/1.1\r\nHost: {host}\r\nX-A: a\x01b\r\n\r\n".encode()
    # two equal Content-Length fields (RFC 9110 section 8.6: a recipient MAY refuse them)
    return f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nab".encode()


class _Connection:
    def __init__(self, port: int, context: ssl.SSLContext) -> None:
        raw = socket.create_connection(("127.0.0.1", port), timeout=20)
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock = context.wrap_socket(raw, server_hostname="fuzz.invalid")
        self.h11 = h11.Connection(h11.CLIENT)

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass

    def exchange(self, raw: bytes, method: bytes) -> tuple[int, bytes, bool]:
        """Send ``raw`` and read one response: (status, body, the server keeps the connection)."""
        self.sock.sendall(raw)
        # h11 must know which request this answers (HEAD has no body); it parses only the answer.
        self.h11.send(h11.Request(method=method, target="/", headers=[("Host", "x")]))
        self.h11.send(h11.EndOfMessage())
        status, body = 0, b""
        while True:
            event = self.h11.next_event()
            if event is h11.NEED_DATA:
                data = self.sock.recv(65536)
                self.h11.receive_data(data)
                continue
            if isinstance(event, h11.Response):
                status = event.status_code
            elif isinstance(event, h11.InformationalResponse):
                continue
            elif isinstance(event, h11.Data):
                body += bytes(event.data)
            elif isinstance(event, h11.EndOfMessage):
                break
            elif isinstance(event, h11.ConnectionClosed):
                raise ConnectionError("closed before a whole response")
        keep = self.h11.our_state is h11.DONE and self.h11.their_state is h11.DONE
        if keep:
            self.h11.start_next_cycle()
        return status, body, keep


def run(running, count: int, seed: int = 1, broken_share: float = 0.15, tally: Tally | None = None) -> Tally:
    """Send ``count`` requests to the world's listener; return what came back (added to ``tally``)."""
    rng = random.Random(seed)
    routes = routes_of(running) + [("unknown.example.com", "/"), ("", "/")]
    context = ssl.create_default_context(cafile=running.ca_file)
    context.check_hostname = False  # the SNI/Host may be anything; the listener serves one certificate
    tally = tally if tally is not None else Tally()
    conn: _Connection | None = None
    previous = b""
    for _ in range(count):
        host, path = rng.choice(routes)
        broken = rng.random() < broken_share
        raw = _broken_framing(rng, host, path) if broken else _well_framed(rng, host, path)
        method = raw.split(b" ", 1)[0] if b" " in raw[:10] else b"GET"
        if conn is None:
            conn = _Connection(running.port, context)
        tally.sent += 1
        try:
            status, body, keep = conn.exchange(raw, method if method.isalpha() else b"GET")
        except (h11.RemoteProtocolError, ConnectionError, OSError) as exc:
            tally.defect("desync", raw, f"{type(exc).__name__}: {exc}; the request before on this "
                                        f"connection: {previous[:200]!r}")
            conn.close()
            conn = None
            continue
        tally.statuses[status] += 1
        sent_host = next((line[5:].strip().decode("latin-1").lower() for line in raw.split(b"\r\n\r\n")[0].split(b"\r\n")
                          if line.lower().startswith(b"host:")), "")
        served = sent_host in running.dispatcher.routes
        if status >= 500 and not (status == 502 and not served):
            tally.defect("5xx", raw, f"{status}: {body[:200]!r}")
        if b"Traceback (most recent call last)" in body or b'File "/' in body:
            tally.defect("traceback", raw, body[:300].decode("latin-1"))
        if broken and keep:
            tally.defect("kept-after-bad-framing", raw, f"{status}")
        previous = raw
        if not keep:
            conn.close()
            conn = None
            previous = b""
    if conn is not None:
        conn.close()
    return tally
