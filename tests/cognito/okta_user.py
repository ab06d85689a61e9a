"""A user agent over HTTP for the default world: follows redirects, posts the auto-submitted
SAML forms, signs in at mock_okta the way Okta's widget does (``/api/v1/authn`` then
``/login/sessionCookieRedirect``) and presses the hosted UI's IdP button."""
from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from harness.internet import routed_session
from harness.probe import auto_post_form


class OktaUser:
    def __init__(self, world, login: str, password: str) -> None:
        self.world = world
        self.login, self.password = login, password
        self.http = routed_session(world.port, world.world.hosts(), world.ca_file)
        self.okta_host = world.okta_host
        self.last_okta_request: str | None = None

    def close(self) -> None:
        self.http.close()

    def get(self, url: str):
        return self.http.get(url, allow_redirects=False, timeout=15)

    def follow(self, response, stop_before=lambda url: False, limit: int = 25):
        for _ in range(limit):
            parts = urlsplit(response.url)
            if parts.hostname == self.okta_host and ("SAMLRequest=" in parts.query or "/sso/saml" in parts.path
                                                     or parts.path.startswith("/home/")):
                self.last_okta_request = response.url
            if response.is_redirect:
                target = urljoin(response.url, response.headers["Location"])
                if stop_before(target):
                    return response
                response = self.get(target)
                continue
            form = auto_post_form(response)
            if form is not None:
                action, fields = form
                if stop_before(action):
                    return response
                response = self.http.post(urljoin(response.url, action), data=fields, allow_redirects=False,
                                          timeout=15)
                continue
            if parts.hostname == self.okta_host and response.status_code == 200 and "okta-signin" in response.text:
                response = self.okta_sign_in(self.last_okta_request or response.url)
                continue
            return response
        raise AssertionError(f"too many hops; last: {response.status_code} {response.url}")

    def okta_sign_in(self, return_to: str):
        authn = self.http.post(f"https://{self.okta_host}/api/v1/authn",
                               json={"username": self.login, "password": self.password}, timeout=15)
        assert authn.status_code == 200, authn.text
        return self.http.get(f"https://{self.okta_host}/login/sessionCookieRedirect",
                             params={"token": authn.json()["sessionToken"], "redirectUrl": return_to},
                             allow_redirects=False, timeout=15)
