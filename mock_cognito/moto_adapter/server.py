"""moto in process: its WSGI app (what the world's AWS hosts serve), boto3 clients for a moto
endpoint, and a reset between worlds.

Part of :mod:`mock_cognito.moto_adapter`, the only door to moto."""
from __future__ import annotations

import functools
import io
import json
import logging
import sys
import threading
import traceback
import urllib.parse

from ..json_responses import call

log = logging.getLogger("okta_aws_harness.moto")
_lock = threading.Lock()
_world_account = {"id": "123456789012"}   # the account of the world applied last (one per process)


def wsgi_app():
    """moto's own server app (routes by the request's service), served in process."""
    return _refuse_what_moto_cannot_parse(_on_first_request)


def _on_first_request(environ, start_response):
    return _moto_server_app()(environ, start_response)


@functools.lru_cache(maxsize=1)
def _moto_server_app():
    """One per process, made when the first AWS request arrives: moto's server module and its
    routing table cost ~0.1 s to import, and a world whose users call no AWS API never needs
    them. Its state is moto's backends (reset between worlds), so every world shares it and
    keeps the per-service apps it has built."""
    # lazy: moto's server module and routing table, only once an AWS request comes
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    _share_moto_pool_key()
    return DomainDispatcherApplication(create_backend_app)


def _refuse_what_moto_cannot_parse(app):
    """moto answers a request that is not a well-formed AWS API call (a form with no Action)
    with a 500 and a traceback, and an unsigned request to ``/`` that names no operation (a
    browser visiting ``https://sts.amazonaws.com/``) as S3's ListAllMyBuckets. AWS answers such
    requests with a 4xx error whose exact body is not published, so the harness answers 400 in
    the protocol's error shape, naming the problem
    (docs/fidelity/errors.md#errors-aws-not-an-api-call)."""
    def guarded(environ, start_response):
        # moto answers for the world's account (its default is 123456789012): per request, the
        # header moto reads (moto.core.responses.get_current_account), unless a caller named one.
        environ.setdefault("HTTP_X_MOTO_ACCOUNT_ID", _world_account["id"])
        if not _names_an_operation(environ):
            return _not_an_api_call(environ, start_response)
        try:
            status, headers, body = call(app, environ)
            failed = int(status.split(" ", 1)[0]) >= 500
        except Exception:  # moto failed to parse the call: logged, and answered as a client error
            log.warning("moto could not handle %s %s%s:\n%s", environ.get("REQUEST_METHOD"),
                        environ.get("HTTP_HOST", ""), environ.get("PATH_INFO", ""), traceback.format_exc())
            failed = True
        if not failed:
            start_response(status, headers)
            return [body]
        return _not_an_api_call(environ, start_response)

    return guarded


_SIGNED_QUERY = {"X-Amz-Signature", "X-Amz-Credential", "Signature"}   # presigned (SigV4, SigV2)


def _names_an_operation(environ) -> bool:
    """Whether moto can tell which operation is asked for: the request is signed (the signature
    names the service), names a target (JSON protocols) or an Action (query protocols, in the
    query or a form body: STS's AssumeRoleWithSAML and AssumeRoleWithWebIdentity are unsigned by
    design), or goes to a path below the root (moto's own routes, such as a pool's JWKS)."""
    if environ.get("PATH_INFO", "/") not in ("", "/"):
        return True
    if environ.get("HTTP_AUTHORIZATION") or environ.get("HTTP_X_AMZ_TARGET"):
        return True
    query = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    if "Action" in query or _SIGNED_QUERY & query.keys():
        return True
    if "form-urlencoded" not in environ.get("CONTENT_TYPE", ""):
        return False
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    body = environ["wsgi.input"].read(length) if length > 0 else b""
    environ["wsgi.input"] = io.BytesIO(body)   # moto reads it again
    form = urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
    return "Action" in form or bool(_SIGNED_QUERY & form.keys())


def _not_an_api_call(environ, start_response):
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


@functools.lru_cache(maxsize=1)
def _share_moto_pool_key() -> None:
    """moto parses its bundled private JWK for every user pool it creates, and the JWK has no
    prime factors, so each parse recovers them (50-150 ms of CPU, random; most of a world's
    AWS side). moto signs with it only when it issues tokens itself (a user's InitiateAuth
    through moto); mock_cognito's tokens never use it. So the pools share one key, parsed on
    its first use: joserfc takes a callable as the key ("a very flexible key") and calls it
    when it signs."""
    from moto.cognitoidp import models  # lazy: moto costs ~0.2 s to import (package docstring)

    original_module = models.jwk

    @functools.lru_cache(maxsize=None)
    def parsed(data: str):
        return original_module.RSAKey.import_key(json.loads(data))

    class _OnFirstUseRSAKey:
        @staticmethod
        def import_key(data, *args, **kwargs):
            if args or kwargs or not isinstance(data, dict):
                return original_module.RSAKey.import_key(data, *args, **kwargs)
            text = json.dumps(data, sort_keys=True)
            return lambda _obj: parsed(text)

        def __getattr__(self, name):
            return getattr(original_module.RSAKey, name)

    class _Jwk:
        RSAKey = _OnFirstUseRSAKey()

        def __getattr__(self, name):
            return getattr(original_module, name)

    models.jwk = _Jwk()


def reset() -> None:
    """Forget every pool, client, user, role and provider (moto is per process): every
    service's state at once (moto's ``BackendDict.reset`` clears all services' backends).
    Nothing to forget, and moto not imported, in a process that has not used moto yet (a world
    with no AWS side never does)."""
    if "moto.core.base_backend" not in sys.modules:
        return
    from moto.core.base_backend import BackendDict  # lazy: moto costs ~0.2 s to import (package docstring)

    BackendDict.reset()


@functools.lru_cache(maxsize=1)
def _session():
    import boto3  # lazy: ~0.1 s to import; only clients of a moto endpoint (tests, apply_world) need it

    return boto3.session.Session(aws_access_key_id="AKIAHARNESSADMIN0000", aws_secret_access_key="harness",
                                 region_name="us-east-1")


@functools.lru_cache(maxsize=32)
def client(service: str, endpoint_url: str, region: str):
    """A boto3 client for ``service`` at moto's endpoint (clients are cached: ~50 ms each to make)."""
    import botocore.config  # lazy: as boto3 in _session

    with _lock:
        return _session().client(service, endpoint_url=endpoint_url, region_name=region,
                                 config=botocore.config.Config(retries={"max_attempts": 1}))
