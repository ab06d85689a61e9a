"""The steps a person takes through a sign-in, each one small function, and the loop that looks
at the page in front of the user and takes the next step, for either engine.

An engine gives the steps a *user agent* with this small interface (``browser_driver`` drives
the system Chromium through Playwright, ``http_driver`` is an HTTP user agent without a browser):

* ``goto(url, deadline) -> PageState``: open a URL; returns the page once it has settled.
* ``fill(selector, value, deadline)``, ``check(selector, deadline)``: type into / tick an input.
* ``click(selector, deadline) -> PageState``: click something that navigates; returns the page
  the navigation settles on.
* ``look() -> PageState | None``: the page in front of the user, with its text (the final page).
* ``expire_cookies(host, prefix) -> [names]``: what an app does to drop its own cookies.
* ``screenshot(path) -> str | None``: an image of a failed case's page (None without a browser).

"Settled" means: the navigation finished loading and the page is not one that posts itself on
(an auto-submitted SAML form). Every wait is bounded by the case's :class:`Deadline`, so a hung
or unexpected page fails the case (with the last hop) instead of hanging the run.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

# Selectors the mocks serve (issue 7 brief; re-read against mock_okta / mock_cognito code). Both
# engines read pages with these same selectors (CSS, in Chromium and through lxml's cssselect).
OKTA_WIDGET = "div#okta-sign-in"
OKTA_USERNAME = "input#okta-signin-username"
OKTA_PASSWORD = "input#okta-signin-password"
OKTA_SUBMIT = "input#okta-signin-submit"
OKTA_ERROR = ".o-form-error-container"
COGNITO_PROVIDERS = "button[data-provider]"
COGNITO_PROVIDER_BUTTON = 'button[data-provider="{name}"]'
COGNITO_EMAIL = "input#idp-identifier-email"
COGNITO_EMAIL_SUBMIT = "button#idp-identifier-submit"
APP_CLAIMS = "pre#claims"
APP_ERROR = "p#error"
# The AWS sign-in role picker: radio inputs named roleIndex whose value is the role ARN, as on
# the real legacy page (docs/fidelity/okta-oidc-api.md#okta-oidc-api-gimme-aws-creds-roles, docs/fidelity/okta-saml.md#okta-saml-nike-inc-gimme-aws-creds-tests-2).
AWS_ROLE_RADIO = 'input[type="radio"][name="roleIndex"]'
# The current page: each role a link whose id is the role ARN (gimme-aws-creds
# tests/fixtures/aws_nextjs.html; docs/fidelity/okta-mfa-idx.md#okta-mfa-idx-aws-current-picker).
AWS_ROLE_LINK = 'a[data-testid^="roleLink-"]'
AWS_SIGNIN_BUTTON = "#signin_button, button[type=submit], input[type=submit]"
# The app stand-in's /headers page behind the ALB: one element per x-amzn-oidc-* header it
# received, its id the header name (harness/app_standin/views.py; docs/fidelity/alb.md#alb-headers-to-targets).
APP_OIDC_HEADERS = '[id^="x-amzn-oidc-"]'
# Okta's end-user dashboard (/app/UserHome) has a "Sign Out" button posting to /login/signout:
# what mock_okta serves; the reference is silent on Okta's sign-out page (unconfirmed).
OKTA_DASHBOARD = "/app/UserHome"
OKTA_SIGN_OUT = 'form[action="/login/signout"] input[type=submit]'
# The sign-in page's factor step (mock_okta/pages/mfa.py; docs/fidelity/okta-mfa-idx.md#okta-mfa-idx-sign-in-page)
OKTA_MFA_ANSWER = '#okta-sign-in input[name="answer"]'
OKTA_MFA_SUBMIT = "#okta-sign-in #okta-mfa-submit"
# A page that posts a SAML message on by itself (Okta's, Cognito's and AWS's auto-post pages):
# a form carrying SAMLResponse or SAMLRequest, on a page that is neither a role picker nor a
# sign-in form (the same rule as harness.probe.auto_post_form).
SAML_FIELDS = "input[name=SAMLResponse], input[name=SAMLRequest]"
HEAD_CHARS = 300     # the page text the loop needs to name a page (the final page keeps it all)
TEXT_CHARS = 20000   # the final page's text, for expectations and the report


class DriverError(Exception):
    """The user agent did not reach a page the case can judge (timeout, unexpected page)."""


@dataclass
class PageState:
    """What a person sees on a page, in a few fields (both engines fill the same ones)."""

    url: str = ""
    host: str = ""
    path: str = ""
    title: str = ""
    okta_signin: bool = False
    okta_mfa: bool = False                          # the sign-in page asks for a second factor
    okta_error: str | None = None
    providers: list = field(default_factory=list)
    email_box: bool = False
    roles: list = field(default_factory=list)      # role ARNs offered (radio values or link ids)
    role_links: bool = False                        # the current picker: roles are links
    claims: str | None = None
    app_error: str | None = None
    app_error_code: str | None = None
    autopost: bool = False
    text: str = ""
    headers: dict = field(default_factory=dict)
    signout: bool = False

    @classmethod
    def of(cls, data: dict) -> "PageState":
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


@dataclass
class Journey:
    """What the user went through: the pages seen (kind, url) and the final page."""

    pages: list = field(default_factory=list)
    final: PageState | None = None
    sign_out: dict | None = None      # what the sign-out step saw (see execute._sign_out)


class Deadline:
    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds
        self.seconds = seconds

    def left_ms(self) -> float:
        return max(0.0, (self.end - time.monotonic()) * 1000)

    def left_s(self) -> float:
        return self.left_ms() / 1000

    def expired(self) -> bool:
        return time.monotonic() >= self.end

    def timeout(self, where: str) -> DriverError:
        return DriverError(f"timed out after {self.seconds:g} s waiting for a page to settle (at {where})")


# ---- the steps a person takes ----------------------------------------------------------------
def open_url(agent, deadline: Deadline, url: str) -> PageState:
    return agent.goto(url, deadline)


def open_app(agent, deadline, app_url: str, client: str, identity_provider: str | None = None,
             idp_identifier: str | None = None) -> PageState:
    """The user clicks "Sign in" on the application (the stand-in's /login starts the flow)."""
    params = {"client": client}
    if identity_provider:
        params["identity_provider"] = identity_provider
    if idp_identifier:
        params["idp_identifier"] = idp_identifier
    return open_url(agent, deadline, f"{app_url.rstrip('/')}/login?{urlencode(params)}")


def choose_idp_button(agent, deadline, provider: str) -> PageState:
    """At Cognito's managed login, the user clicks the button of the identity provider."""
    return agent.click(COGNITO_PROVIDER_BUTTON.format(name=provider), deadline)


def enter_email(agent, deadline, email: str) -> PageState:
    """At Cognito's managed login, the user types their email (IdpIdentifiers route it)."""
    agent.fill(COGNITO_EMAIL, email, deadline)
    return agent.click(COGNITO_EMAIL_SUBMIT, deadline)


def okta_sign_in(agent, deadline, login: str, password: str) -> PageState:
    """At Okta's sign-in widget, the user types their username and password."""
    agent.fill(OKTA_USERNAME, login, deadline)
    agent.fill(OKTA_PASSWORD, password, deadline)
    return agent.click(OKTA_SUBMIT, deadline)


def answer_mfa(agent, deadline, code: str | None) -> PageState:
    """At the sign-in page's factor step, the user types the code (or answer) and clicks Verify;
    for a push factor (no code) they only click "Send Push"."""
    if code is not None:
        agent.fill(OKTA_MFA_ANSWER, code, deadline)
    return agent.click(OKTA_MFA_SUBMIT, deadline)


def open_okta_tile(agent, deadline, embed_link: str) -> PageState:
    """On the Okta dashboard the user clicks the app's tile (its embed link)."""
    return open_url(agent, deadline, embed_link)


def choose_role(role: str | None, roles: list[str]) -> str:
    """The ARN the user picks: the one named by ``role`` (ARN, name or path/name), else the first."""
    wanted = next((r for r in roles if role and (r == role or r.endswith(f":role/{role}") or r.endswith(f"/{role}"))),
                  None)
    if wanted is None:
        if role:
            raise DriverError(f"the AWS role picker does not offer {role!r}; it offers {', '.join(roles)}")
        wanted = roles[0]
    return wanted


def pick_role(agent, deadline, state: PageState, role: str | None) -> PageState:
    """At the AWS sign-in role picker, the user picks a role: on the current page they click the
    role's link, on the legacy page they tick its radio button and click Sign in."""
    wanted = choose_role(role, state.roles)
    if state.role_links:
        return agent.click(f'{AWS_ROLE_LINK}[id="{wanted}"]', deadline)
    agent.check(f'{AWS_ROLE_RADIO}[value="{wanted}"]', deadline)
    return agent.click(AWS_SIGNIN_BUTTON, deadline)


def expire_cookies(agent, host: str, prefix: str) -> list[str]:
    """The app's part of signing out behind an ALB: "App must expire auth cookies (expiry −1)"
    (docs/fidelity/alb.md#alb-logout; the ALB has no logout endpoint). Returns the names expired."""
    return agent.expire_cookies(host, prefix)


def cognito_logout(agent, deadline, domain_url: str, client_id: str, logout_uri: str) -> PageState:
    """The app's "Sign out": the user agent goes to Cognito's /logout with ``client_id`` and
    ``logout_uri`` (docs/fidelity/cognito-tokens.md#cognito-tokens-logout: logout_uri must be one of the client's LogoutURLs),
    which ends Cognito's session and redirects to ``logout_uri``."""
    query = urlencode({"client_id": client_id, "logout_uri": logout_uri})
    return open_url(agent, deadline, f"{domain_url.rstrip('/')}/logout?{query}")


def okta_sign_out(agent, deadline, org_url: str) -> PageState:
    """On Okta's dashboard the user clicks "Sign Out" (mock_okta: POST /login/signout, which
    ends the session and shows the sign-in page; unconfirmed against Okta)."""
    state = open_url(agent, deadline, f"{org_url.rstrip('/')}{OKTA_DASHBOARD}")
    if not state.signout:       # no Okta session: the dashboard sent the user to the sign-in page
        return state
    return agent.click(OKTA_SIGN_OUT, deadline)


# ---- the loop ------------------------------------------------------------------------------------
def kind_of(state: PageState, hosts: dict) -> str:
    """Name the page in front of the user."""
    role = hosts.get(state.host, "")
    if state.okta_signin:
        return "okta-error" if state.okta_error else "okta-signin"
    if state.okta_mfa:
        return "okta-error" if state.okta_error else "okta-mfa"
    if role == "okta":
        return "okta-error" if state.okta_error or _looks_like_error(state) else "okta-page"
    if role == "app":
        if state.claims is not None:
            return "app-claims"
        if state.app_error is not None:
            return "app-error"
        return "app-page"
    if role == "cognito":
        if state.email_box and not state.providers:
            return "cognito-email"
        if state.providers:
            return "cognito-login"
        return "cognito-error"
    if role == "aws":
        return "aws-roles" if state.roles else "aws-page"
    return "unknown"


def _looks_like_error(state: PageState) -> bool:
    t = (state.title + " " + state.text[:HEAD_CHARS]).lower()
    return any(w in t for w in ("403", "404", "error", "not assigned", "not found", "denied"))


TERMINAL = {"app-claims", "app-error", "okta-error", "okta-page", "cognito-error", "aws-page", "unknown", "app-page"}


def walk(agent, deadline: Deadline, state: PageState, hosts: dict, user, max_steps: int = 12,
         journey: Journey | None = None) -> Journey:
    """From ``state``, take whatever step the page asks of the user until a page ends the flow.

    ``user`` has ``login``, ``password``, ``provider`` (Cognito IdP name), ``email``, ``role`` and
    ``mfa_code`` (the answer to Okta's factor step, or a function giving the current TOTP code).
    """
    journey = journey or Journey()
    for _ in range(max_steps):
        kind = kind_of(state, hosts)
        journey.pages.append((kind, state.url))
        if kind in TERMINAL:
            journey.final = agent.look() or state
            return journey
        if kind == "okta-signin":
            state = okta_sign_in(agent, deadline, user.login, user.password)
        elif kind == "okta-mfa":
            state = answer_mfa(agent, deadline, user.mfa_code() if callable(user.mfa_code) else user.mfa_code)
        elif kind == "cognito-login":
            if user.provider not in state.providers:
                journey.final = agent.look() or state
                return journey
            state = choose_idp_button(agent, deadline, user.provider)
        elif kind == "cognito-email":
            state = enter_email(agent, deadline, user.email)
        elif kind == "aws-roles":
            state = pick_role(agent, deadline, state, user.role)
        else:  # pragma: no cover - kind_of only returns the kinds above
            raise DriverError(f"no step for a {kind} page")
    raise DriverError(f"the flow took more than {max_steps} steps; pages: "
                      + " -> ".join(k for k, _ in journey.pages))
