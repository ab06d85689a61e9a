"""moto in process: its WSGI app (what the world's AWS hosts serve), clients that call it
without a socket, and a reset between worlds.

Part of :mod:`mock_cognito.moto_adapter`, the only door to moto."""
from __future__ import annotations

import functools
import json
import logging
import threading
import traceback

import boto3
import botocore.config

log = logging.getLogger("okta_aws_harness.moto")
_SERVICES = ("cognito-idp", "iam", "sts")
_lock = threading.Lock()
_world_account = {"id": "123456789012"}   # the account of the world applied last (one per process)


def wsgi_app():
    """moto's own server app (routes by the request's service), served in process."""
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    _share_moto_pool_key()
    return _refuse_what_moto_cannot_parse(DomainDispatcherApplication(create_backend_app))


def _refuse_what_moto_cannot_parse(app):
    """moto answers a request that is not a well-formed AWS API call (a browser visiting
    ``https://sts.amazonaws.com/``, a form with no Action) with a 500 and a traceback. AWS
    answers such requests with a 4xx error; the reference tables do not give its exact body
    (unconfirmed), so the harness answers 400 in the protocol's error shape, naming the problem."""
    def guarded(environ, start_response):
        # moto answers for the world's account (its default is 123456789012): per request, the
        # header moto reads (moto.core.responses.get_current_account), unless a caller named one.
        environ.setdefault("HTTP_X_MOTO_ACCOUNT_ID", _world_account["id"])
        captured: dict = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return lambda data: None

        try:
            body = b"".join(app(environ, capture))
            failed = int(captured.get("status", "500").split(" ", 1)[0]) >= 500
        except Exception:  # moto failed to parse the call: logged, and answered as a client error
            log.warning("moto could not handle %s %s%s:\n%s", environ.get("REQUEST_METHOD"),
                        environ.get("HTTP_HOST", ""), environ.get("PATH_INFO", ""), traceback.format_exc())
            body, failed = b"", True
        if not failed:
            start_response(captured["status"], captured["headers"])
            return [body]
        message = "The request is not an AWS API call this endpoint understands (no valid Action or X-Amz-Target)."
        if environ.get("HTTP_X_AMZ_TARGET") or "json" in environ.get("CONTENT_TYPE", ""):
            out = json.dumps({"__type": "UnknownOperationException", "message": message}).encode()
            ctype = "application/x-amz-json-1.1"
        else:
            out = ("<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code>"
                   f"<Message>{message}</Message></Error><RequestId>00000000-0000-0000-0000-000000000000"
                   "</RequestId></ErrorResponse>").encode()
            ctype = "text/xml"
        start_response("400 Bad Request", [("Content-Type", ctype), ("Content-Length", str(len(out)))])
        return [out]

    return guarded


@functools.lru_cache(maxsize=1)
def _share_moto_pool_key() -> None:
    """moto parses the same bundled private JWK for every user pool it creates (~50-100 ms
    each, most of a world's start-up). The harness never uses moto's own tokens (Cognito's are
    mock_cognito's), so parse it once and share it."""
    from moto.cognitoidp import models

    original = models.jwk.RSAKey.import_key
    parsed: dict = {}

    class _OnceRSAKey:
        @staticmethod
        def import_key(data, *args, **kwargs):
            key = repr((data, args, sorted(kwargs.items())))
            if key not in parsed:
                parsed[key] = original(data, *args, **kwargs)
            return parsed[key]

        def __getattr__(self, name):
            return getattr(models.jwk.RSAKey, name)

    class _Jwk:
        RSAKey = _OnceRSAKey

        def __getattr__(self, name):
            return getattr(original_module, name)

    original_module = models.jwk
    models.jwk = _Jwk()


def reset() -> None:
    """Forget every pool, client, user, role and provider (moto is per process)."""
    from moto.backends import get_backend

    for service in _SERVICES:
        get_backend(service).reset()


@functools.lru_cache(maxsize=1)
def _session() -> boto3.session.Session:
    return boto3.session.Session(aws_access_key_id="AKIAHARNESSADMIN0000", aws_secret_access_key="harness",
                                 region_name="us-east-1")


@functools.lru_cache(maxsize=32)
def client(service: str, endpoint_url: str, region: str):
    """A boto3 client for ``service`` at moto's endpoint (clients are cached: ~50 ms each to make)."""
    with _lock:
        return _session().client(service, endpoint_url=endpoint_url, region_name=region,
                                 config=botocore.config.Config(retries={"max_attempts": 1}))


def _in_process(request, **_kwargs):
    """botocore ``before-send`` hook: hand the signed request to moto's own dispatcher in
    process (moto's ``BotocoreStubber``, what ``mock_aws`` uses).

    The request is the one boto3 would send over HTTP (same API, same validation, the same
    response parsers in moto); only the socket, the WSGI environ and moto's per-service Flask
    apps are skipped, which makes applying a world several times cheaper.
    """
    request.headers["X-Moto-Account-Id"] = _world_account["id"]
    response = _stubber()("before-send", request)
    if response is None:
        raise RuntimeError(f"moto has no handler for {request.method} {request.url}")
    return response


@functools.lru_cache(maxsize=1)
def _stubber():
    from moto.core.botocore_stubber import BotocoreStubber

    _share_moto_pool_key()
    stubber = BotocoreStubber()
    stubber.enabled = True
    return stubber


@functools.lru_cache(maxsize=8)
def admin_client(service: str, region: str):
    """A boto3 client that talks to this process's moto without a socket (applying worlds)."""
    # AWS's own endpoint: moto's dispatcher routes by it; nothing leaves the process.
    made = _session().client(service, region_name=region,
                             config=botocore.config.Config(retries={"max_attempts": 1}))
    made.meta.events.register("before-send", _in_process)
    return made
