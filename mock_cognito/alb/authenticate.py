"""The ``authenticate-cognito`` listener action of one Application Load Balancer (docs/fidelity/alb.md#alb-authenticate-cognito).

Flow (row "ALB ↔ Cognito flow"): no session cookie → 302 to the pool's ``/oauth2/authorize``;
Cognito returns the code to ``https://<ALB>/oauth2/idpresponse``; the ALB calls Cognito's
``/oauth2/token`` then ``/oauth2/userInfo``, sets the session cookie and redirects to the
original URI; later requests are forwarded to the target with ``x-amzn-oidc-accesstoken``,
``x-amzn-oidc-identity`` and ``x-amzn-oidc-data`` (row "Headers to targets"), which are removed
from responses; the refresh token keeps the claims fresh until the session timeout.

This module is the protocol, with no Flask in it: :class:`AuthenticateAction` holds one load
balancer's configuration and the logins in flight and takes each step of the flow; the HTTP
glue (reading the request, writing responses and cookies) is :mod:`.views`.
"""
from __future__ import annotations

import http.cookiejar
import secrets
import threading
from dataclasses import dataclass
from urllib.parse import urlencode

import requests

from world_common import urls
from world_common.services import Services
from world_common.world_model import AwsAccount, LoadBalancer

from .. import moto_adapter
from . import oidc_data, session_cookie

OIDC_HEADERS = ("x-amzn-oidc-accesstoken", "x-amzn-oidc-identity", "x-amzn-oidc-data")
LOGIN_TIMEOUT = 15 * 60      # "Auth must complete within 15 minutes, else HTTP 401 from ALB"
COOKIE_MAX_AGE = 7 * 24 * 3600   # "cookie expiry 7 days independent of session timeout"
HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailers",
              "transfer-encoding", "upgrade", "content-length", "content-encoding", "host"}


class LoginFailed(Exception):
    """A step of the flow the ALB answers with an error page: ``status`` and the page's ``text``."""

    def __init__(self, status: int, text: str) -> None:
        super().__init__(text)
        self.status, self.text = status, text


UNAUTHORIZED = "401 Authorization Required"


@dataclass
class Pending:
    original_url: str
    started: float


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


def _claims(userinfo: requests.Response) -> dict | None:
    """The claims of a userInfo answer: a JSON object with HTTP 200, else None."""
    claims = _json_or_none(userinfo) if userinfo.status_code == 200 else None
    return claims if isinstance(claims, dict) else None


def forwardable(headers) -> list[tuple[str, str]]:
    """The headers that cross the ALB either way: not hop-by-hop, never an ``x-amzn-oidc-*``
    header (a client cannot forge them; a target's copies are removed from responses)."""
    return [(k, v) for k, v in headers if k.lower() not in HOP_BY_HOP and k.lower() not in OIDC_HEADERS]


class AuthenticateAction:
    """One load balancer's ``authenticate-cognito`` action: its configuration, the logins in
    flight (by ``state``), and the steps of the flow. Kept per app in
    ``app.extensions["mock_cognito"]`` (:mod:`mock_cognito.context`)."""

    def __init__(self, aws: AwsAccount, lb: LoadBalancer, services: Services) -> None:
        self.lb, self.config, self.clock = lb, lb.AuthenticateCognitoConfig, services.clock
        self.account, self.region = aws.account_id, aws.region
        self.pool_id = self.config.UserPoolArn.rsplit("/", 1)[-1]
        self.domain_host = urls.cognito_domain_host(self.config.UserPoolDomain, aws.region)
        self.issuer = urls.cognito_issuer(aws.region, self.pool_id)
        self.callback = f"https://{lb.DNSName}/oauth2/idpresponse"
        self.kid, self.key = oidc_data.signing_key(aws.region, lb.Arn)
        self.http = _cookieless(services.http)
        self._pending: dict[str, Pending] = {}
        self._lock = threading.Lock()

    # ---- the login ------------------------------------------------------------------------------
    def begin_login(self, original_url: str) -> str:
        """Remember the URL asked for; the pool's ``/oauth2/authorize`` URL to send the browser to."""
        state = secrets.token_urlsafe(24)
        now = self.clock.time()
        with self._lock:
            # A login never completed is useless after LOGIN_TIMEOUT: forget it, so visitors who
            # never come back (crawlers, fuzzers, closed tabs) cannot grow this without bound.
            for old in [s for s, p in self._pending.items() if now - p.started > LOGIN_TIMEOUT]:
                self._pending.pop(old, None)
            self._pending[state] = Pending(original_url, now)
        params = {"client_id": self.config.UserPoolClientId, "redirect_uri": self.callback,
                  "response_type": "code", "scope": self.config.Scope, "state": state}
        params.update(self.config.AuthenticationRequestExtraParams or {})
        return f"https://{self.domain_host}/oauth2/authorize?{urlencode(params)}"

    def finish_login(self, args) -> tuple[str, dict]:
        """``/oauth2/idpresponse``: (the original URL, the new session), or :class:`LoginFailed`."""
        with self._lock:
            started = self._pending.pop(args.get("state", ""), None)
        if started is None or self.clock.time() - started.started > LOGIN_TIMEOUT:
            raise LoginFailed(401, UNAUTHORIZED)
        if "error" in args:
            raise LoginFailed(401, f"{UNAUTHORIZED}: {args.get('error')}")
        tokens = self._token_request({"grant_type": "authorization_code", "code": args.get("code", ""),
                                      "redirect_uri": self.callback, "client_id": self.config.UserPoolClientId})
        body = _json_or_none(tokens)
        if tokens.status_code != 200 or not isinstance(body, dict) or "access_token" not in body:
            # The ALB's page for a failed exchange is not in the reference (unconfirmed): 500.
            raise LoginFailed(500, f"500 Internal Server Error: the token exchange failed: {tokens.text}")
        userinfo = self._userinfo(body["access_token"])
        claims = _claims(userinfo)
        if claims is None:
            raise LoginFailed(500, f"500 Internal Server Error: userInfo failed: {userinfo.text}")
        now = self.clock.time()
        return started.original_url, {
            "access_token": body["access_token"], "refresh_token": body.get("refresh_token", ""),
            "claims": claims, "token_expiry": now + int(body.get("expires_in", 3600)),
            "session_expiry": now + self.config.SessionTimeout}

    # ---- the session ----------------------------------------------------------------------------
    def session(self, cookies) -> dict | None:
        """The session the cookies carry, while the session timeout has not passed."""
        session = session_cookie.decode(cookies, self.lb.Arn, self.config.SessionCookieName)
        if session is None or self.clock.time() >= session["session_expiry"]:
            return None
        return session

    def needs_refresh(self, session: dict) -> bool:
        return self.clock.time() >= session["token_expiry"]

    def refresh(self, session: dict) -> bool:
        """New tokens (and, when userInfo answers, claims) with the refresh token; False when
        Cognito refuses it (the request is then unauthenticated)."""
        tokens = self._token_request({"grant_type": "refresh_token", "refresh_token": session["refresh_token"],
                                      "client_id": self.config.UserPoolClientId})
        body = _json_or_none(tokens)
        if tokens.status_code != 200 or not isinstance(body, dict) or "access_token" not in body:
            return False
        claims = _claims(self._userinfo(body["access_token"]))
        session.update(access_token=body["access_token"],
                       token_expiry=self.clock.time() + int(body.get("expires_in", 3600)))
        if claims is not None:
            session["claims"] = claims
        return True

    def session_cookies(self, session: dict) -> list[tuple[str, str]]:
        """The session as cookie shards; :class:`session_cookie.ClaimsTooLarge` above the limit."""
        return session_cookie.encode(session, self.lb.Arn, self.config.SessionCookieName)

    def is_session_cookie(self, name: str) -> bool:
        return name.startswith(f"{self.config.SessionCookieName}-")

    # ---- to the target --------------------------------------------------------------------------
    def oidc_headers(self, session: dict) -> dict:
        """The three headers the target receives for a signed-in user (row "Headers to targets")."""
        return {"x-amzn-oidc-accesstoken": session["access_token"],
                "x-amzn-oidc-identity": session["claims"].get("sub", ""),
                "x-amzn-oidc-data": oidc_data.encode(
                    session["claims"], kid=self.kid, key=self.key, issuer=self.issuer,
                    client_id=self.config.UserPoolClientId, signer=self.lb.Arn, exp=int(self.clock.time()) + 120)}

    def to_target(self, method: str, full_path: str, headers: dict, body: bytes) -> requests.Response:
        """The request, sent on to the target; :class:`LoginFailed` 502 when the target does not answer."""
        target = self.lb.Target.rstrip("/") + full_path.rstrip("?")
        try:
            return self.http.request(method, target, headers=headers, data=body, allow_redirects=False, timeout=30)
        except requests.RequestException as exc:
            # An unreachable target: the ALB answers 502 (its body is not in the reference).
            raise LoginFailed(502, f"502 Bad Gateway: target {self.lb.Target} did not answer ({exc})") from None

    # ---- to Cognito -----------------------------------------------------------------------------
    def _client_secret(self) -> str:
        client = moto_adapter.app_client(self.account, self.region, self.pool_id, self.config.UserPoolClientId)
        return client.secret if client is not None and client.generate_secret else ""

    def _token_request(self, form: dict) -> requests.Response:
        # The ALB authenticates to the token endpoint with the client secret; which method it
        # uses is not in the reference (unconfirmed): HTTP Basic, which Cognito accepts (docs/fidelity/cognito-tokens.md#cognito-tokens-endpoints).
        return self.http.post(f"https://{self.domain_host}/oauth2/token", data=form,
                              auth=(self.config.UserPoolClientId, self._client_secret()), timeout=10)

    def _userinfo(self, access_token: str) -> requests.Response:
        return self.http.get(f"https://{self.domain_host}/oauth2/userInfo",
                             headers={"Authorization": f"Bearer {access_token}"}, timeout=10)
