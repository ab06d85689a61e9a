"""Fixtures for the ALB tests: a user agent that signs in over HTTP the way a browser would, an
upstream echo server standing in for a user's own app, and worlds whose ALB forwards to it."""
from __future__ import annotations

import html
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlencode, urljoin, urlsplit

import pytest

from harness.internet import routed_session
from harness.probe import auto_post_form

DEFAULT_ALB = "https://acme-alb-1234567890.us-east-1.elb.amazonaws.com"
USERS = {"alice@example.com": "Alice-Passw0rd", "bob@example.com": "Bob-Passw0rd",
         "carol@example.com": "Carol-Passw0rd"}      # carol: worlds/big_claims.yaml


class HttpUser:
    """A cookie-keeping user agent over the world's routed session (not the shared ``world.http``).

    It follows redirects itself and does what a browser with JavaScript would: auto-posts SAML
    forms and, at Okta's sign-in page, signs in the way Okta's own widget does (``/api/v1/authn``
    then ``/login/sessionCookieRedirect`` back to the page that asked for the sign-in,
    docs/fidelity/okta-oidc-api.md#okta-oidc-api-mock-cookies).
    """

    def __init__(self, running, login: str = "alice@example.com") -> None:
        self.running = running
        self.login, self.password = login, USERS[login]
        self.http = routed_session(running.port, running.world.hosts(), running.ca_file)
        self.okta_host = running.okta_host
        self.history: list = []

    def close(self) -> None:
        self.http.close()

    def get(self, url: str, **kw):
        return self.http.get(url, allow_redirects=False, timeout=15, **kw)

    def follow(self, response, stop_before=lambda url: False, limit: int = 25):
        """Follow redirects, auto-posted forms and the Okta sign-in until a final page, or until a
        redirect to a URL for which ``stop_before`` is true (that redirect is returned)."""
        for _ in range(limit):
            self.history.append(response)
            if response.is_redirect:
                target = urljoin(response.url, response.headers["Location"])
                if stop_before(target):
                    return response
                response = self.get(target)
                continue
            form = auto_post_form(response)
            if form is not None:
                action, fields = form
                response = self.http.post(urljoin(response.url, action), data=fields, allow_redirects=False,
                                          timeout=15)
                continue
            host = urlsplit(response.url).hostname
            if host == self.okta_host and response.status_code == 200 and "okta-signin" in response.text:
                response = self.okta_sign_in(self._okta_return_url(response.url))
                continue
            idp_link = _cognito_idp_link(response, "Okta")
            if idp_link is not None:
                response = self.get(urljoin(response.url, idp_link))
                continue
            return response
        raise AssertionError(f"too many hops; last: {response.status_code} {response.url}")

    def _okta_return_url(self, fallback: str) -> str:
        """The Okta URL that asked for the sign-in (the SAML SSO request), not the login page."""
        for earlier in reversed(self.history):
            parts = urlsplit(earlier.url)
            if parts.hostname == self.okta_host and ("SAMLRequest=" in parts.query or "/sso/saml" in parts.path):
                return earlier.url
        return fallback

    def okta_sign_in(self, return_to: str):
        authn = self.http.post(f"https://{self.okta_host}/api/v1/authn",
                               json={"username": self.login, "password": self.password}, timeout=15)
        assert authn.status_code == 200, authn.text
        token = authn.json()["sessionToken"]
        return self.http.get(f"https://{self.okta_host}/login/sessionCookieRedirect",
                             params={"token": token, "redirectUrl": return_to}, allow_redirects=False, timeout=15)


def _form_fields(form_html: str) -> dict:
    fields = {}
    for tag in re.findall(r"<input[^>]*>", form_html, re.I):
        name = re.search(r"name=\"([^\"]+)\"", tag)
        value = re.search(r"value=\"([^\"]*)\"", tag)
        if name:
            fields[html.unescape(name.group(1))] = html.unescape(value.group(1)) if value else ""
    return fields


def _cognito_idp_link(response, provider: str):
    """Where the hosted UI's button for ``provider`` leads, when the flow stops at Cognito's
    /login page (docs/fidelity/cognito-tokens.md#cognito-tokens-login: a sign-in page with IdP buttons)."""
    if response.status_code != 200 or "amazoncognito.com" not in (urlsplit(response.url).hostname or ""):
        return None
    for action, body in re.findall(r"<form[^>]*action=\"([^\"]+)\"[^>]*>(.*?)</form>", response.text, re.S | re.I):
        fields = _form_fields(body)
        if fields.get("identity_provider") == provider:
            return f"{html.unescape(action)}?{urlencode(fields)}"
    for href in re.findall(r"href=\"([^\"]+)\"", response.text):
        href = html.unescape(href)
        if f"identity_provider={provider}" in href and "/oauth2/authorize" in href:
            return href
    return None


@pytest.fixture
def http_user():
    """``http_user(running_world, login="alice@example.com")`` → an :class:`HttpUser`."""
    users = []

    def make(running, login: str = "alice@example.com") -> HttpUser:
        users.append(HttpUser(running, login))
        return users[-1]

    yield make
    for user in users:
        user.close()


# ---- a user's own app behind the ALB ------------------------------------------------------------
class _Echo(BaseHTTPRequestHandler):
    """Answers every request with the headers it received, and tries to leak x-amzn-oidc-* back."""

    def _answer(self) -> None:
        body = json.dumps({"path": self.path, "method": self.command,
                           "headers": {k.lower(): v for k, v in self.headers.items()}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Upstream", "echo")
        self.send_header("Set-Cookie", "target-cookie=set-by-the-target; Path=/")
        for name in ("x-amzn-oidc-data", "x-amzn-oidc-identity", "x-amzn-oidc-accesstoken"):
            self.send_header(name, "leaked-by-the-target")
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = _answer

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="session")
def echo_upstream():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


_ECHO_WORLD = """
name: alb-{mode}
okta:
  org_url: https://dev-654321.okta.com
aws:
  UserPools:
    - PoolName: edge-users
      Domain: edge
      Clients:
        - ClientName: alb
          GenerateSecret: true
          CallbackURLs: [https://edge-alb-42.us-east-1.elb.amazonaws.com/oauth2/idpresponse]
          AllowedOAuthFlows: [code]
          AllowedOAuthScopes: [openid]
          AllowedOAuthFlowsUserPoolClient: true
  LoadBalancers:
    - Name: edge-alb
      DNSName: edge-alb-42.us-east-1.elb.amazonaws.com
      AuthenticateCognitoConfig:
        UserPoolArn: ${{user_pool:edge-users.arn}}
        UserPoolClientId: ${{user_pool_client:edge-users/alb.id}}
        UserPoolDomain: edge
        OnUnauthenticatedRequest: {mode}
        SessionCookieName: EdgeSession
        AuthenticationRequestExtraParams: {{identity_provider: Okta, lang: fr}}
      Target: {target}
"""
EDGE_ALB = "https://edge-alb-42.us-east-1.elb.amazonaws.com"


@pytest.fixture
def echo_world(request, _harness_world_pool, echo_upstream, tmp_path_factory):
    """A world whose ALB forwards to :func:`echo_upstream`; ``@pytest.mark.alb_mode("deny")``."""
    marker = request.node.get_closest_marker("alb_mode")
    mode = marker.args[0] if marker else "authenticate"
    path = tmp_path_factory.getbasetemp() / f"alb-echo-{mode}.yaml"
    if not path.exists():
        path.write_text(_ECHO_WORLD.format(mode=mode, target=echo_upstream))
    running = _harness_world_pool.get(str(path))
    offset = running.clock.offset
    yield running
    running.clock.advance(offset - running.clock.offset)


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "alb_mode(mode): OnUnauthenticatedRequest of the echo world's ALB")
