"""Answers in the AWS JSON protocol (``application/x-amz-json-1.1``), for the cognito-idp
operations the mock serves in front of moto (:mod:`mock_cognito.idp_api`,
:mod:`mock_cognito.account_linking`, :mod:`mock_cognito.cognito_idp`), and moto's own answer
captured (:func:`call`) where the mock amends it."""
from __future__ import annotations

import json


def answer(start_response, status: str, body: bytes, headers=None):
    headers = [(k, v) for k, v in (headers or [("Content-Type", "application/x-amz-json-1.1")])
               if k.lower() != "content-length"]
    headers.append(("Content-Length", str(len(body))))
    start_response(status, headers)
    return [body]


def error(start_response, kind: str, message: str):
    body = json.dumps({"__type": kind, "message": message}).encode()
    return answer(start_response, "400 Bad Request", body)


def call(app, environ) -> tuple[str, list, bytes]:
    """(status, headers, body) of the WSGI ``app`` (moto) for ``environ``, to be amended and
    sent on with :func:`answer`."""
    captured: dict = {}

    def capture(status, headers, exc_info=None):
        captured["status"], captured["headers"] = status, headers
        return lambda data: None

    body = b"".join(app(environ, capture))
    return captured.get("status", "500 Internal Server Error"), captured.get("headers", []), body
