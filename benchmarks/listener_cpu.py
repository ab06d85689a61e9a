"""The listener's own CPU per request (harness/wsgi_server.py + harness/request_reader.py): a real
TLS listener serving a trivial WSGI app, a keep-alive client in another process sending a
sign-in's four requests (browser-like heads, a 10 KB form POST, a token POST) over and over.
CPU is this process's (the server's threads) per four requests, minus what the trivial app
itself costs (measured by calling it directly).

    .venv/bin/python benchmarks/listener_cpu.py [--sign-ins 3000] [--rounds 3] [--compare old_module.py]

``--compare`` names another copy of wsgi_server.py (e.g. main's, before a change) to serve the
same requests in alternating rounds, so both are measured under the same load.
"""
from __future__ import annotations

import argparse
import importlib.util
import io
import multiprocessing
import os
import pathlib
import socket
import ssl
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from harness import tls, wsgi_server  # noqa: E402

_BROWSER = ("Host: {host}\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0.0.0 Safari/537.36\r\nAccept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
            "Accept-Encoding: gzip, deflate, br\r\nAccept-Language: en-US,en;q=0.9\r\nConnection: keep-alive\r\n"
            "Upgrade-Insecure-Requests: 1\r\nSec-Fetch-Dest: document\r\nSec-Fetch-Mode: navigate\r\nSec-Fetch-Site: none\r\n"
            "Cookie: XSRF-TOKEN=0123456789abcdef; cognito=abcdefabcdefabcdef\r\n")


def _requests() -> list[bytes]:
    form = b"SAMLResponse=" + b"PHNhbWxwOlJlc3BvbnNl" * 500 + b"&RelayState=abc"
    token = b"grant_type=authorization_code&client_id=1example23456789&code=abcdef-1234&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcallback"
    cognito, okta = "myapp.auth.us-east-1.amazoncognito.com", "dev-123456.okta.com"
    return [
        ("GET /oauth2/authorize?response_type=code&client_id=1example23456789&redirect_uri=https%3A%2F%2Fapp.example.com"
         "%2Fcallback&scope=openid+email&identity_provider=Okta&state=xyz HTTP/1.1\r\n" + _BROWSER.format(host=cognito)
         + "\r\n").encode(),
        (f"GET /app/okta_aws/exk1/sso/saml?SAMLRequest={'fZJdT4MwFIb%2F' * 40}&RelayState=abc HTTP/1.1\r\n"
         + _BROWSER.format(host=okta) + "\r\n").encode(),
        ("POST /saml2/idpresponse HTTP/1.1\r\n" + _BROWSER.format(host=cognito)
         + f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(form)}\r\n\r\n").encode() + form,
        (f"POST /oauth2/token HTTP/1.1\r\nHost: {cognito}\r\nUser-Agent: python-requests/2.32.3\r\nAccept-Encoding: gzip, "
         f"deflate\r\nAccept: */*\r\nConnection: keep-alive\r\nContent-Type: application/x-www-form-urlencoded\r\n"
         f"Content-Length: {len(token)}\r\n\r\n").encode() + token,
    ]


def app(environ, start_response):
    environ["wsgi.input"].read()
    body = b"x" * (2000 if environ["REQUEST_METHOD"] == "GET" else 600)
    start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store"),
                              ("Set-Cookie", "sid=abcdef; Path=/; Secure; HttpOnly")])
    return [body]


def _client(port: int, ca_file: str, sign_ins: int, done) -> None:
    context = ssl.create_default_context(cafile=ca_file)
    context.check_hostname = False
    sock = context.wrap_socket(socket.create_connection(("127.0.0.1", port)), server_hostname="x.example")
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    requests = _requests()
    for _ in range(sign_ins):
        for raw in requests:
            sock.sendall(raw)
            data = b""
            while b"\r\n\r\n" not in data:
                data += sock.recv(65536)
            head, _, body = data.partition(b"\r\n\r\n")
            length = int(head.lower().split(b"content-length: ", 1)[1].split(b"\r\n", 1)[0])
            while len(body) < length:
                body += sock.recv(65536)
    sock.close()
    done.put(True)


def _serve(module, credentials, sign_ins: int) -> float:
    """Server CPU (ms) per sign-in's four requests, app excluded."""
    server = module.WSGIServer(app, credentials.server_context()).start()
    done = multiprocessing.Queue()
    client = multiprocessing.Process(target=_client, args=(server.port, credentials.ca_file, sign_ins, done))
    before = time.process_time()
    client.start()
    done.get(timeout=600)
    cpu = time.process_time() - before
    client.join()
    server.stop()
    return cpu * 1000 / sign_ins


def _app_cost(n: int = 20000) -> float:
    """What the trivial app itself costs per four requests (ms), to take out of the figure."""
    environ = {"REQUEST_METHOD": "GET", "wsgi.input": io.BytesIO(b"")}
    started = time.process_time()
    for _ in range(n):
        environ["wsgi.input"] = io.BytesIO(b"")
        app(environ, lambda status, headers: None)
    return (time.process_time() - started) * 1000 / n * 4


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sign-ins", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--compare", help="another copy of harness/wsgi_server.py to measure alternately")
    args = parser.parse_args()
    credentials = tls.credentials_for(["x.example"])
    modules = {"this": wsgi_server}
    if args.compare:
        spec = importlib.util.spec_from_file_location("compared_wsgi_server", args.compare)
        modules["compared"] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(modules["compared"])
    app_ms = _app_cost()
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; trivial app {app_ms:.3f} ms per 4 requests "
          "(subtracted)")
    results: dict[str, list[float]] = {name: [] for name in modules}
    for _ in range(args.rounds):
        for name, module in modules.items():
            results[name].append(_serve(module, credentials, args.sign_ins) - app_ms)
    for name, values in results.items():
        print(f"{name:9} server CPU per sign-in (4 requests): min {min(values):.3f} ms, all "
              + ", ".join(f"{v:.3f}" for v in values))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
