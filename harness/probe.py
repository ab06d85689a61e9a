"""The sign-in driver behind ``harness diagnose --probe``: a user agent over HTTP (no browser)
that signs an Okta user in through a running world's real flows and reports what the user
would have seen at the end, an error text or a signed-in result.

Flows (DESIGN.md "What it is for"):

* :func:`cognito_sign_in` — the app's authorize request to the pool's hosted UI with
  ``identity_provider=<IdP>`` (SAML: Okta SSO and the auto-post to ``/saml2/idpresponse``;
  OIDC: Okta's ``/authorize`` and Cognito's ``/oauth2/idpresponse``), up to the app's callback.
* :func:`okta_tile` — the Okta tile (the app's embed link, IdP-initiated), up to whatever is not
  Okta's or AWS's (the app's callback) or an error page.
* :func:`aws_console` — the AWS app's tile -> ``signin.aws.amazon.com/saml`` -> role picker ->
  the console stand-in.
* :func:`aws_cli` — what saml2aws-like tools do: take Okta's SAML response and call STS
  ``AssumeRoleWithSAML`` with the app's Session Duration as ``DurationSeconds``.

Okta sign-in is done the way Okta's widget does it: ``/api/v1/authn`` then
``/login/sessionCookieRedirect`` (docs/fidelity/okta-oidc-api.md#okta-oidc-api-api). Each flow uses a fresh routed session, so
probes share no cookies.
"""
from __future__ import annotations

import base64
import html
import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from urllib.parse import parse_qs, urljoin, urlsplit

import boto3

from harness.internet import routed_session
from harness.jwt_parts import jwt_parts

TIMEOUT = 15
_HOPS = 30


@dataclass
class Outcome:
    """What the user saw at the end of a flow: ``ok`` (signed in) or not, and the text."""

    flow: str
    user: str
    ok: bool
    seen: str
    url: str = ""
    username: str | None = None     # the Cognito username or the AWS session, when signed in

    def to_dict(self) -> dict:
        return {"flow": self.flow, "user": self.user, "ok": self.ok, "seen": self.seen, "url": self.url}


class UserAgent:
    """A browser-like session for one Okta user: follows redirects, posts auto-submitted forms,
    signs in at Okta when Okta asks, and stops where the flow leaves the services."""

    def __init__(self, running, login: str, password: str) -> None:
        self.running = running
        self.login, self.password = login, password
        self.http = routed_session(running.port, running.world.hosts(), running.ca_file)
        self.okta_host = running.okta_host if running.world.okta else None
        self.service_hosts = _service_hosts(running.world)
        self._return_to: str | None = None

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> "UserAgent":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def get(self, url: str, **params):
        return self.http.get(url, params=params or None, allow_redirects=False, timeout=TIMEOUT)

    def follow(self, response, stop_before=None):
        """Follow ``response`` until it is a page, or until the next hop (a redirect or an
        auto-posted form) would go where ``stop_before(url)`` says; then return the last
        response (with ``.next_hop`` set to ``(url, form fields or None)`` when stopped)."""
        stop_before = stop_before or self.leaves_services
        response.next_hop = None
        for _ in range(_HOPS):
            here = urlsplit(response.url)
            if here.hostname == self.okta_host and ("SAMLRequest=" in here.query or "/sso/saml" in here.path
                                                    or here.path.startswith("/home/")
                                                    or "/oauth2/" in here.path and "authorize" in here.path):
                self._return_to = response.url
            if response.is_redirect:
                target = urljoin(response.url, response.headers["Location"])
                if stop_before(target):
                    response.next_hop = (target, None)
                    return response
                response = self.get(target)
                response.next_hop = None
                continue
            form = auto_post_form(response)
            if form is not None:
                action, fields = form
                action = urljoin(response.url, action)
                if stop_before(action):
                    response.next_hop = (action, fields)
                    return response
                response = self.http.post(action, data=fields, allow_redirects=False, timeout=TIMEOUT)
                response.next_hop = None
                continue
            if here.hostname == self.okta_host and response.status_code == 200 and "okta-signin" in response.text:
                response = self.okta_sign_in(self._return_to or response.url)
                if response is None:
                    raise ProbeError(f"Okta refused the password of {self.login}")
                response.next_hop = None
                continue
            return response
        raise ProbeError(f"more than {_HOPS} hops; last: {response.status_code} {response.url}")

    def okta_sign_in(self, return_to: str):
        authn = self.http.post(f"https://{self.okta_host}/api/v1/authn",
                               json={"username": self.login, "password": self.password}, timeout=TIMEOUT)
        if authn.status_code != 200 or "sessionToken" not in authn.json():
            return None
        return self.http.get(f"https://{self.okta_host}/login/sessionCookieRedirect",
                             params={"token": authn.json()["sessionToken"], "redirectUrl": return_to},
                             allow_redirects=False, timeout=TIMEOUT)

    def leaves_services(self, url: str) -> bool:
        """True for a hop to a host that is neither Okta's nor AWS's (the app, an ALB)."""
        return (urlsplit(url).hostname or "").lower() not in self.service_hosts


class ProbeError(Exception):
    """A flow could not be driven to an end (a hop loop, a refused password)."""


def _service_hosts(world) -> set[str]:
    hosts = set(world.hosts())
    for lb in (world.aws.LoadBalancers if world.aws else []):
        hosts.discard(lb.DNSName.lower())
    for app in world.apps:
        hosts.discard(app.url.split("//", 1)[1].split("/", 1)[0].lower())
    return hosts


def auto_post_form(response):
    """The action and hidden fields of an auto-submitted SAML form (Okta's, Cognito's, AWS's)."""
    if "text/html" not in response.headers.get("Content-Type", ""):
        return None
    if "SAMLResponse" not in response.text and "SAMLRequest" not in response.text:
        return None
    if 'name="roleIndex"' in response.text:   # a role picker: the user chooses, not the page
        return None
    match = re.search(r"<form[^>]*action=\"([^\"]+)\"[^>]*>(.*?)</form>", response.text, re.S | re.I)
    if match is None:
        return None
    fields = {}
    for tag in re.findall(r"<input[^>]*>", match.group(2), re.I):
        name, value = re.search(r"name=\"([^\"]+)\"", tag), re.search(r"value=\"([^\"]*)\"", tag)
        if name and 'type="radio"' not in tag:
            fields[html.unescape(name.group(1))] = html.unescape(value.group(1)) if value else ""
    return html.unescape(match.group(1)), fields


# ---- reading what the user sees -------------------------------------------------------------------

def _element_text(page: str, element_id: str | None = None, css_class: str | None = None) -> str | None:
    attr = f'id="{element_id}"' if element_id else f'class="{css_class}"'
    match = re.search(rf"<(\w+)[^>]*{attr}[^>]*>(.*?)</\1>", page, re.S)
    if match is None:
        return None
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(2))).strip()


def describe_page(response) -> str:
    """One line for an HTML page: where it is, and its error text (Cognito's and AWS's
    ``#error-message`` with the harness's ``#harness-detail`` note, Okta's ``.error-title`` and
    ``.error-description``, Okta's OAuth error page's ``#error-code`` and ``#error-description``)."""
    parts = urlsplit(response.url)
    where = f"{response.status_code} {parts.hostname}{parts.path}" + (f"?{parts.query}" if parts.query else "")
    text = response.text
    found = [_element_text(text, "error-message"), _element_text(text, "harness-detail"),
             _element_text(text, "error-code"), _element_text(text, "error-description")]   # Okta's OAuth page
    title, description = _element_text(text, css_class="error-title"), _element_text(text, css_class="error-description")
    if description:
        found.append(f"{response.status_code} {title}: {description}" if title else description)
    if "application/json" in response.headers.get("Content-Type", ""):
        found.append(response.text.strip()[:500])
    found = [f for f in found if f]
    if not found:
        heading = _element_text(text, css_class="error-detail") or re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))
        found = [heading.strip()[:300]]
    return f"{where}: " + " / ".join(found)


def _callback_outcome(flow: str, login: str, url: str, running, pool, client) -> Outcome:
    """The redirect to the app's callback: Cognito's ``error`` + ``error_description`` or a code
    (exchanged for tokens to name the Cognito user, docs/fidelity/cognito-tokens.md#cognito-tokens-oauth2-token)."""
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    if "error" in query:
        seen = f"error={query['error']}"
        if "error_description" in query:
            seen += f"&error_description={query['error_description']}"
        return Outcome(flow, login, False, seen, url)
    if "code" not in query:
        return Outcome(flow, login, False, f"redirect to {url}", url)
    username = None
    if pool is not None and client is not None:
        username = _cognito_username(running, pool, client, query["code"], url.split("?", 1)[0])
    return Outcome(flow, login, True, f"signed in as Cognito user {username}" if username else "signed in (code)",
                   url, username)


def _cognito_username(running, pool, client, code: str, redirect_uri: str) -> str | None:
    auth = (client.ClientId, client.ClientSecret) if client.ClientSecret else None
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
    if auth is None:
        data["client_id"] = client.ClientId
    response = running.http.post(f"{pool.domain_url}/oauth2/token", data=data, auth=auth, timeout=TIMEOUT)
    if response.status_code != 200:
        return None
    token = response.json().get("id_token", "")
    parts = jwt_parts(token)
    return parts[1].get("cognito:username") if parts else None


def _end(flow: str, login: str, agent: UserAgent, response, running, pool=None, client=None) -> Outcome:
    hop = response.next_hop
    if hop is not None:
        return _callback_outcome(flow, login, hop[0], running, pool, client)
    return Outcome(flow, login, False, describe_page(response), response.url)


# ---- the flows ---------------------------------------------------------------------------------

def cognito_sign_in(running, user, pool, client, provider_name: str, params: dict | None = None) -> Outcome:
    """SP-initiated: the app sends the user to ``/oauth2/authorize?identity_provider=...``
    (``params``: the authorize parameters to send instead, e.g. an Okta Default RelayState's)."""
    if params is None:
        redirect_uri = client.CallbackURLs[0] if client.CallbackURLs else "https://app.example.com/callback"
        scope = " ".join(s for s in ("openid", "email", "profile") if s in client.AllowedOAuthScopes) or "openid"
        params = {"client_id": client.ClientId, "response_type": "code", "redirect_uri": redirect_uri,
                  "identity_provider": provider_name, "scope": scope}
    flow = (f"{params.get('identity_provider') or provider_name} sign-in through "
            f"{pool.domain_host}/oauth2/authorize (client {client.ClientName if client else params.get('client_id')})")
    with UserAgent(running, user.login, user.password) as agent:
        start = agent.get(f"{pool.domain_url}/oauth2/authorize", **params)
        response = agent.follow(start)
        return _end(flow, user.login, agent, response, running, pool, client)


def okta_tile(running, user, app, pool=None, client=None) -> Outcome:
    """IdP-initiated: the user clicks the app's tile in Okta (its embed link)."""
    flow = f"Okta tile of {app.label!r} (IdP-initiated)"
    with UserAgent(running, user.login, user.password) as agent:
        response = agent.follow(agent.get(app.embed_link))
        return _end(flow, user.login, agent, response, running, pool, client)


def aws_console(running, user, app, role_arn: str | None = None) -> Outcome:
    """The AWS app's tile -> ``signin.aws.amazon.com/saml`` -> (role picker) -> console."""
    flow = f"Okta tile of {app.label!r} -> AWS console" + (f" as {role_arn.rsplit('/', 1)[-1]}" if role_arn else "")
    with UserAgent(running, user.login, user.password) as agent:
        response = agent.follow(agent.get(app.embed_link))
        page = response.text if response.status_code == 200 else ""
        # the legacy picker's radio buttons, or the current page's role links (id = the role ARN)
        roles = re.findall(r'name="roleIndex" value="([^"]+)"', page) or \
            [html.unescape(a) for a in re.findall(r'<a [^>]*id="([^"]+)" data-testid="roleLink-', page)]
        if roles:
            chosen = role_arn if role_arn in roles else roles[0]
            fields = {k: v for k, v in _hidden_fields(response.text).items()}
            fields["roleIndex"] = chosen
            response = agent.http.post(urljoin(response.url, "/saml"), data=fields, allow_redirects=False,
                                       timeout=TIMEOUT)
            response = agent.follow(response)
        if response.status_code == 200 and 'id="assumed-role-arn"' in response.text:
            arn = _element_text(response.text, "assumed-role-arn")
            return Outcome(flow, user.login, True, f"AWS console as {arn}", response.url, arn)
        return _end(flow, user.login, agent, response, running)


def aws_cli(running, user, app, role_arn: str | None = None) -> Outcome:
    """Okta's SAML response for the AWS app, handed to STS ``AssumeRoleWithSAML`` with
    ``DurationSeconds`` = the app's Session Duration (docs/fidelity/errors.md#errors-cli-session-longer-than-the-role: what CLI tools ask for)."""
    duration = app.aws.sessionDuration
    flow = f"Okta {app.label!r} -> STS AssumeRoleWithSAML (DurationSeconds={duration}, as CLI tools ask)"
    with UserAgent(running, user.login, user.password) as agent:
        response = agent.follow(agent.get(app.embed_link), stop_before=lambda url: "signin.aws.amazon.com" in url)
        if response.next_hop is None or not response.next_hop[1]:
            return Outcome(flow, user.login, False, describe_page(response), response.url)
        saml = response.next_hop[1].get("SAMLResponse", "")
        pairs = _role_pairs(saml)
        pair = next((p for p in pairs if p[1] == role_arn), pairs[0] if pairs else None)
        if pair is None:
            return Outcome(flow, user.login, False, "Okta's SAML response has no Role", response.url)
        sts = f"https://sts.{running.world.aws.region}.amazonaws.com/"
        reply = agent.http.post(sts, data={"Action": "AssumeRoleWithSAML", "Version": "2011-06-15",
                                           "RoleArn": pair[1], "PrincipalArn": pair[0], "SAMLAssertion": saml,
                                           "DurationSeconds": str(duration)}, timeout=TIMEOUT)
        code, message = _sts_error(reply.text)
        if code:
            return Outcome(flow, user.login, False, f"{code}: {message}", sts)
        arn = re.search(r"<Arn>([^<]+)</Arn>", reply.text)
        return Outcome(flow, user.login, True, f"credentials for {arn.group(1) if arn else pair[1]}", sts)


def _hidden_fields(page: str) -> dict:
    fields = {}
    for tag in re.findall(r"<input[^>]*type=\"hidden\"[^>]*>", page, re.I):
        name, value = re.search(r"name=\"([^\"]+)\"", tag), re.search(r"value=\"([^\"]*)\"", tag)
        if name:
            fields[html.unescape(name.group(1))] = html.unescape(value.group(1)) if value else ""
    return fields


def _role_pairs(saml_b64: str) -> list[tuple[str, str]]:
    """``(provider ARN, role ARN)`` from the Role attribute values (docs/fidelity/aws-signin-sts.md#aws-signin-sts-role-attribute)."""
    try:
        root = ElementTree.fromstring(base64.b64decode(saml_b64))
    except (ValueError, ElementTree.ParseError):
        return []
    pairs = []
    for attribute in root.iter("{urn:oasis:names:tc:SAML:2.0:assertion}Attribute"):
        if attribute.get("Name") != "https://aws.amazon.com/SAML/Attributes/Role":
            continue
        for value in attribute.iter("{urn:oasis:names:tc:SAML:2.0:assertion}AttributeValue"):
            parts = (value.text or "").split(",")
            provider = next((p for p in parts if ":saml-provider/" in p), "")
            role = next((p for p in parts if ":role/" in p), "")
            pairs.append((provider, role))
    return pairs


def _sts_error(body: str) -> tuple[str | None, str | None]:
    code = re.search(r"<Code>([^<]+)</Code>", body)
    message = re.search(r"<Message>([^<]*)</Message>", body)
    if code is None:
        return None, None
    return html.unescape(code.group(1)), html.unescape(message.group(1)) if message else ""


def alb_visit(running, lb) -> Outcome:
    """An unauthenticated visit to the ALB: its redirect to the pool's authorize endpoint with the
    ALB's own ``/oauth2/idpresponse`` callback (docs/fidelity/alb.md#alb-authenticate-cognito), up to the first page."""
    flow = f"visit to the ALB {lb.DNSName}"
    with UserAgent(running, "(anonymous)", "") as agent:
        def stop(url: str) -> bool:   # the ALB's redirect is followed; Okta's sign-in is not needed
            host = (urlsplit(url).hostname or "").lower()
            return host == agent.okta_host or (host != lb.DNSName.lower() and agent.leaves_services(url))
        response = agent.follow(agent.get(f"https://{lb.DNSName}/"), stop_before=stop)
        if response.next_hop is not None:
            return Outcome(flow, "(anonymous)", True, f"sent on to {response.next_hop[0].split('?')[0]}",
                           response.next_hop[0])
        return Outcome(flow, "(anonymous)", False, describe_page(response), response.url)


# ---- changing the user at Okta, reading Cognito's users -------------------------------------------

def case_changed(value: str) -> str:
    """``value`` in another case (upper, or lower when it is already all upper)."""
    return value.upper() if value != value.upper() else value.lower()


def okta_update_profile(running, user, changes: dict) -> Outcome:
    """Okta's Users API partial update, ``POST /api/v1/users/{id}`` with ``{"profile": changes}``
    and the world's first API token (docs/fidelity/okta-oidc-api.md#okta-oidc-api-api; OK-USERS "Update a user")."""
    flow = f"Okta Users API POST /api/v1/users/{user.id} (profile {changes})"
    tokens = running.world.okta.api_tokens or []
    if not tokens:
        raise ProbeError("the world has no Okta API token (okta.api_tokens) to change the user with")
    url = f"{running.world.okta.org_url}/api/v1/users/{user.id}"
    reply = running.http.post(url, json={"profile": changes}, timeout=TIMEOUT,
                              headers={"Authorization": f"SSWS {tokens[0].token}", "Accept": "application/json"})
    if reply.status_code != 200:
        return Outcome(flow, user.login, False, f"{reply.status_code} {reply.text.strip()[:300]}", url)
    profile = reply.json().get("profile", {})
    return Outcome(flow, user.login, True, "profile now " + ", ".join(f"{k}={profile.get(k)!r}" for k in changes), url)


def cognito_usernames(running, pool, provider_name: str) -> list[str]:
    """The pool's users federated from ``provider_name`` (``<Provider>_<NameID>``, docs/fidelity/cognito-tokens.md#cognito-tokens-username), as Cognito's ``ListUsers`` returns them (boto3 against the world's AWS endpoint)."""

    client = boto3.client("cognito-idp", endpoint_url=running.aws_endpoint_url, region_name=running.world.aws.region,
                          aws_access_key_id="testing", aws_secret_access_key="testing")
    names, token = [], None
    while True:
        page = client.list_users(UserPoolId=pool.Id, **({"PaginationToken": token} if token else {}))
        names += [u["Username"] for u in page.get("Users", []) if u["Username"].startswith(f"{provider_name}_")]
        token = page.get("PaginationToken")
        if not token:
            return names


__all__ = ["Outcome", "ProbeError", "UserAgent", "cognito_sign_in", "okta_tile", "aws_console", "aws_cli",
           "alb_visit", "case_changed", "okta_update_profile", "cognito_usernames"]
