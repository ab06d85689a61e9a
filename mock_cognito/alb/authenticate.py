"""The ``authenticate-cognito`` listener action of one Application Load Balancer (docs/fidelity/alb.md#alb-authenticate-cognito).

Flow (row "ALB ↔ Cognito flow"): no session cookie → 302 to the pool's ``/oauth2/authorize``;
Cognito returns the code to ``https://<ALB>/oauth2/idpresponse``; the ALB calls Cognito's
``/oauth2/token`` then ``/oauth2/userInfo``, sets the session cookie and redirects to the
original URI; later requests are forwarded to the target with ``x-amzn-oidc-accesstoken``,
``x-amzn-oidc-identity`` and ``x-amzn-oidc-data`` (row "Headers to targets"), which are removed
from responses; the refresh token keeps the claims fresh until the session timeout.
"""
from __future__ import annotations

import http.cookiejar
import secrets
from dataclasses import dataclass
from urllib.parse import urlencode

import requests
from flask import Flask, Response, redirect, request

from world_common import urls
from world_common.flask_app import WorldFlask

from .. import moto_adapter
from . import oidc_data, session_cookie

OIDC_HEADERS = ("x-amzn-oidc-accesstoken", "x-amzn-oidc-identity", "x-amzn-oidc-data")
LOGIN_TIMEOUT = 15 * 60      # "Auth must complete within 15 minutes, else HTTP 401 from ALB"
_HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailers",
               "transfer-encoding", "upgrade", "content-length", "content-encoding", "host"}


def _cookieless(session: requests.Session) -> requests.Session:
    """The world's routed session without a cookie jar: the ALB talks to Cognito and to the
    target for many users at once, so a cookie one response sets must never ride on another
    user's request (the shared session would keep it)."""
    own = requests.Session()
    own.trust_env, own.verify = False, session.verify
    own.adapters = session.adapters
    own.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
    return own


def _json_or_none(response: requests.Response):
    try:
        return response.json()
    except ValueError:
        return None


@dataclass
class Pending:
    original_url: str
    started: float


def create_app(aws, lb, services) -> Flask:
    config = lb.AuthenticateCognitoConfig
    region, account = aws.region, aws.account_id
    pool_id = config.UserPoolArn.rsplit("/", 1)[-1]
    domain_host = urls.cognito_domain_host(config.UserPoolDomain, region)
    issuer = urls.cognito_issuer(region, pool_id)
    callback = f"https://{lb.DNSName}/oauth2/idpresponse"
    kid, key = oidc_data.signing_key(region, lb.Arn)
    pending: dict[str, Pending] = {}
    http_client = _cookieless(services.http)
    app = WorldFlask(f"alb-{lb.Name}")

    def client_secret() -> str:
        client = moto_adapter.app_client(account, region, pool_id, config.UserPoolClientId)
        return client.secret if client is not None and client.generate_secret else ""

    def token_request(form: dict) -> requests.Response:
        # The ALB authenticates to the token endpoint with the client secret; which method it
        # uses is not in the reference (unconfirmed): HTTP Basic, which Cognito accepts (docs/fidelity/cognito-tokens.md#cognito-tokens-endpoints).
        return http_client.post(f"https://{domain_host}/oauth2/token", data=form,
                                  auth=(config.UserPoolClientId, client_secret()), timeout=10)

    def start_login():
        state = secrets.token_urlsafe(24)
        now = services.clock.time()
        # A login never completed is useless after LOGIN_TIMEOUT: forget it, so visitors who never
        # come back (crawlers, fuzzers, closed tabs) cannot grow this without bound.
        for old in [s for s, p in pending.items() if now - p.started > LOGIN_TIMEOUT]:
            pending.pop(old, None)
        pending[state] = Pending(request.url, now)
        params = {"client_id": config.UserPoolClientId, "redirect_uri": callback, "response_type": "code",
                  "scope": config.Scope, "state": state}
        params.update(config.AuthenticationRequestExtraParams or {})
        return redirect(f"https://{domain_host}/oauth2/authorize?{urlencode(params)}", 302)

    def unauthenticated():
        mode = config.OnUnauthenticatedRequest
        if mode == "deny":
            return Response("401 Authorization Required\n", 401, content_type="text/plain")
        if mode == "allow":
            return forward(None)
        return start_login()

    def claims_too_large() -> Response:
        # "claims+token > 11 KB → HTTP 500 + ELBAuthUserClaimsSizeExceeded" (docs/fidelity/alb.md#alb-cookies);
        # AWS names the reason in the access log's error_reason; the body here carries the name.
        return Response("ELBAuthUserClaimsSizeExceeded\n", 500, content_type="text/plain")

    def set_session(response: Response, session: dict) -> Response:
        for name in list(request.cookies):
            if name.startswith(f"{config.SessionCookieName}-"):
                response.delete_cookie(name, path="/", secure=True)
        for name, value in session_cookie.encode(session, lb.Arn, config.SessionCookieName):
            # "cookie expiry 7 days independent of session timeout"
            response.set_cookie(name, value, max_age=7 * 24 * 3600, path="/", secure=True, httponly=True)
        return response

    def forward(session: dict | None) -> Response:
        headers = {k: v for k, v in request.headers.items()
                   if k.lower() not in _HOP_BY_HOP and k.lower() not in OIDC_HEADERS}
        if session is not None:
            now = int(services.clock.time())
            headers["x-amzn-oidc-accesstoken"] = session["access_token"]
            headers["x-amzn-oidc-identity"] = session["claims"].get("sub", "")
            headers["x-amzn-oidc-data"] = oidc_data.encode(
                session["claims"], kid=kid, key=key, issuer=issuer, client_id=config.UserPoolClientId,
                signer=lb.Arn, exp=now + 120)
        target = lb.Target.rstrip("/") + request.full_path.rstrip("?")
        try:
            upstream = http_client.request(request.method, target, headers=headers, data=request.get_data(),
                                             allow_redirects=False, timeout=30)
        except requests.RequestException as exc:
            # An unreachable target: the ALB answers 502 (its body is not in the reference).
            return Response(f"502 Bad Gateway: target {lb.Target} did not answer ({exc})\n", 502,
                            content_type="text/plain")
        response = Response(upstream.content, upstream.status_code)
        for name, value in upstream.raw.headers.items():
            if name.lower() not in _HOP_BY_HOP and name.lower() not in OIDC_HEADERS:
                response.headers.add(name, value)
        return response

    @app.route("/oauth2/idpresponse", methods=["GET"])
    def idpresponse():
        state = request.args.get("state", "")
        started = pending.pop(state, None)
        if started is None or services.clock.time() - started.started > LOGIN_TIMEOUT:
            return Response("401 Authorization Required\n", 401, content_type="text/plain")
        if "error" in request.args:
            return Response(f"401 Authorization Required: {request.args.get('error')}\n", 401,
                            content_type="text/plain")
        tokens = token_request({"grant_type": "authorization_code", "code": request.args.get("code", ""),
                                "redirect_uri": callback, "client_id": config.UserPoolClientId})
        body = _json_or_none(tokens)
        if tokens.status_code != 200 or not isinstance(body, dict) or "access_token" not in body:
            # The ALB's page for a failed exchange is not in the reference (unconfirmed): 500.
            return Response(f"500 Internal Server Error: the token exchange failed: {tokens.text}\n", 500,
                            content_type="text/plain")
        userinfo = http_client.get(f"https://{domain_host}/oauth2/userInfo",
                                   headers={"Authorization": f"Bearer {body['access_token']}"}, timeout=10)
        if userinfo.status_code != 200:
            return Response(f"500 Internal Server Error: userInfo failed: {userinfo.text}\n", 500,
                            content_type="text/plain")
        claims = _json_or_none(userinfo)
        if not isinstance(claims, dict):
            return Response(f"500 Internal Server Error: userInfo failed: {userinfo.text}\n", 500,
                            content_type="text/plain")
        now = services.clock.time()
        session = {"access_token": body["access_token"], "refresh_token": body.get("refresh_token", ""),
                   "claims": claims, "token_expiry": now + int(body.get("expires_in", 3600)),
                   "session_expiry": now + config.SessionTimeout}
        try:
            return set_session(redirect(started.original_url, 302), session)
        except session_cookie.ClaimsTooLarge:
            return claims_too_large()

    @app.route("/", defaults={"path": ""}, methods=["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
    @app.route("/<path:path>", methods=["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
    def everything(path):
        session = session_cookie.decode(request.cookies, lb.Arn, config.SessionCookieName)
        now = services.clock.time()
        if session is None or now >= session["session_expiry"]:
            return unauthenticated()
        refreshed = False
        if now >= session["token_expiry"]:
            tokens = token_request({"grant_type": "refresh_token", "refresh_token": session["refresh_token"],
                                    "client_id": config.UserPoolClientId})
            body = _json_or_none(tokens)
            if tokens.status_code != 200 or not isinstance(body, dict) or "access_token" not in body:
                return unauthenticated()
            userinfo = http_client.get(f"https://{domain_host}/oauth2/userInfo",
                                       headers={"Authorization": f"Bearer {body['access_token']}"}, timeout=10)
            session.update(access_token=body["access_token"], token_expiry=now + int(body.get("expires_in", 3600)))
            if userinfo.status_code == 200 and isinstance(_json_or_none(userinfo), dict):
                session["claims"] = userinfo.json()
            refreshed = True
        response = forward(session)
        if not refreshed:
            return response
        try:
            return set_session(response, session)
        except session_cookie.ClaimsTooLarge:
            return claims_too_large()

    return app
