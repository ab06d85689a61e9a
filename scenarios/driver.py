"""The Playwright driver: the steps a person takes, each one small function, and the loop that
looks at the page in front of the user and takes the next step.

Every wait is bounded by the case's deadline, so a hung or unexpected page fails the case
(with a screenshot and the last hop) instead of hanging the run.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

# Selectors the mocks serve (issue 7 brief; re-read against mock_okta / mock_cognito code):
OKTA_WIDGET = "div#okta-sign-in"
OKTA_USERNAME = "input#okta-signin-username"
OKTA_PASSWORD = "input#okta-signin-password"
OKTA_SUBMIT = "input#okta-signin-submit"
OKTA_ERROR = ".o-form-error-container"
COGNITO_PROVIDER_BUTTON = 'button[data-provider="{name}"]'
COGNITO_EMAIL = "input#idp-identifier-email"
COGNITO_EMAIL_SUBMIT = "button#idp-identifier-submit"
APP_CLAIMS = "pre#claims"
APP_ERROR = "p#error"
# The AWS sign-in role picker: radio inputs named roleIndex whose value is the role ARN, as on
# the real legacy page (okta-aws.md §6 "gimme-aws-creds roles", §7 item 2).
AWS_ROLE_RADIO = 'input[type="radio"][name="roleIndex"]'
# The current page: each role a link whose id is the role ARN (gimme-aws-creds
# tests/fixtures/aws_nextjs.html; docs/fidelity/okta-mfa-idx.md#okta-mfa-idx-aws-current-picker).
AWS_ROLE_LINK = 'a[data-testid^="roleLink-"]'
AWS_SIGNIN_BUTTON = "#signin_button, button[type=submit], input[type=submit]"
# The app stand-in's /headers page behind the ALB: one element per x-amzn-oidc-* header it
# received, its id the header name (harness/app_standin.py; cognito.md §7 "Headers to targets").
APP_OIDC_HEADERS = '[id^="x-amzn-oidc-"]'
# Okta's end-user dashboard (/app/UserHome) has a "Sign Out" button posting to /login/signout:
# what mock_okta serves; the reference is silent on Okta's sign-out page (unconfirmed).
OKTA_DASHBOARD = "/app/UserHome"
OKTA_SIGN_OUT = 'form[action="/login/signout"] input[type=submit]'

_CLASSIFY_JS = """
() => {
  const q = (s) => document.querySelector(s);
  const txt = (s) => { const e = q(s); return e ? (e.innerText || e.textContent || '').trim() : null; };
  const visible = (s) => { const e = q(s); return !!(e && e.offsetParent !== null); };
  const forms = Array.from(document.forms || []);
  const autopost = forms.some(f => f.querySelector('input[name=SAMLResponse],input[name=SAMLRequest]'))
                   && !q('%(radio)s') && !q('%(link)s') && !q('%(username)s');
  return {
    url: location.href, host: location.hostname, path: location.pathname,
    marked: !!window.__harnessMark, ready: document.readyState,
    title: document.title,
    okta_signin: !!q('%(username)s') && !!q('%(widget)s'),
    okta_error: txt('%(okta_error)s'),
    providers: Array.from(document.querySelectorAll('button[data-provider]')).map(b => b.dataset.provider),
    email_box: !!q('%(email)s'),
    roles: Array.from(document.querySelectorAll('%(radio)s')).map(r => r.value)
           .concat(Array.from(document.querySelectorAll('%(link)s')).map(a => a.id)),
    claims: txt('%(claims)s'),
    app_error: txt('%(app_error)s'),
    app_error_code: q('%(app_error)s') ? (q('%(app_error)s').dataset.error || null) : null,
    autopost: autopost,
    headers: Object.fromEntries(Array.from(document.querySelectorAll('%(headers)s'))
                                .map(e => [e.id, (e.innerText || e.textContent || '').trim()])),
    signout: !!q('%(signout)s'),
    text: (document.body ? document.body.innerText : '').trim().slice(0, 20000),
  };
}
""" % {"username": OKTA_USERNAME, "widget": OKTA_WIDGET, "okta_error": OKTA_ERROR, "email": COGNITO_EMAIL,
       "radio": AWS_ROLE_RADIO, "link": AWS_ROLE_LINK, "claims": APP_CLAIMS, "app_error": APP_ERROR,
       "headers": APP_OIDC_HEADERS, "signout": OKTA_SIGN_OUT}


class DriverError(Exception):
    """The browser did not reach a page the case can judge (timeout, unexpected page)."""


@dataclass
class PageState:
    url: str = ""
    host: str = ""
    path: str = ""
    marked: bool = False
    ready: str = ""
    title: str = ""
    okta_signin: bool = False
    okta_error: str | None = None
    providers: list = field(default_factory=list)
    email_box: bool = False
    roles: list = field(default_factory=list)
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
    signed_in_as: str | None = None
    sign_out: dict | None = None      # what the sign-out step saw (see :func:`sign_out`)


class Deadline:
    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds
        self.seconds = seconds

    def left_ms(self) -> float:
        return max(0.0, (self.end - time.monotonic()) * 1000)

    def expired(self) -> bool:
        return time.monotonic() >= self.end


# ---- looking at the page ----------------------------------------------------------------------
def look(page) -> PageState | None:
    try:
        return PageState.of(page.evaluate(_CLASSIFY_JS))
    except Exception:  # the page is navigating: its execution context went away
        return None


def mark(page) -> None:
    try:
        page.evaluate("() => { window.__harnessMark = true; }")
    except Exception:
        pass


def settle(page, deadline: Deadline, before: PageState | None = None) -> PageState:
    """Wait until the page in front of the user is one a person would act on: not an auto-posting
    SAML form, fully loaded, and (after an action) either a new page or a changed one."""
    while True:
        if deadline.expired():
            raise DriverError(f"timed out after {deadline.seconds:g} s waiting for a page to settle "
                              f"(at {page.url})")
        state = look(page)
        if state is not None and state.ready == "complete" and not state.autopost and state.url != "about:blank":
            if before is None or not state.marked:
                return state
            # the same document: it counts once an error appears on it (a wrong password)
            if state.okta_error and state.okta_error != (before.okta_error if before else None):
                return state
        try:
            page.wait_for_timeout(10)
        except Exception as exc:
            raise DriverError(f"the browser went away: {exc}") from None


def act(page, deadline: Deadline, action) -> PageState:
    before = look(page)
    mark(page)
    action()
    return settle(page, deadline, before)


# ---- the steps a person takes ----------------------------------------------------------------
def open_url(page, deadline: Deadline, url: str) -> PageState:
    try:
        page.goto(url, timeout=deadline.left_ms() or 1, wait_until="commit")
    except Exception as exc:
        if "Timeout" in type(exc).__name__ or "timeout" in str(exc).lower():
            raise DriverError(f"timed out opening {url}") from None
        raise DriverError(f"could not open {url}: {str(exc).splitlines()[0]}") from None
    return settle(page, deadline)


def open_app(page, deadline, app_url: str, client: str, identity_provider: str | None = None,
             idp_identifier: str | None = None) -> PageState:
    """The user clicks "Sign in" on the application (the stand-in's /login starts the flow)."""
    params = {"client": client}
    if identity_provider:
        params["identity_provider"] = identity_provider
    if idp_identifier:
        params["idp_identifier"] = idp_identifier
    return open_url(page, deadline, f"{app_url.rstrip('/')}/login?{urlencode(params)}")


def choose_idp_button(page, deadline, provider: str) -> PageState:
    """At Cognito's managed login, the user clicks the button of the identity provider."""
    selector = COGNITO_PROVIDER_BUTTON.format(name=provider)
    return act(page, deadline, lambda: page.click(selector, timeout=deadline.left_ms() or 1))


def enter_email(page, deadline, email: str) -> PageState:
    """At Cognito's managed login, the user types their email (IdpIdentifiers route it)."""
    def action():
        page.fill(COGNITO_EMAIL, email, timeout=deadline.left_ms() or 1)
        page.click(COGNITO_EMAIL_SUBMIT, timeout=deadline.left_ms() or 1)
    return act(page, deadline, action)


def okta_sign_in(page, deadline, login: str, password: str) -> PageState:
    """At Okta's sign-in widget, the user types their username and password."""
    def action():
        page.fill(OKTA_USERNAME, login, timeout=deadline.left_ms() or 1)
        page.fill(OKTA_PASSWORD, password, timeout=deadline.left_ms() or 1)
        page.click(OKTA_SUBMIT, timeout=deadline.left_ms() or 1)
    return act(page, deadline, action)


def open_okta_tile(page, deadline, embed_link: str) -> PageState:
    """On the Okta dashboard the user clicks the app's tile (its embed link)."""
    return open_url(page, deadline, embed_link)


def pick_role(page, deadline, role: str | None, roles: list[str]) -> PageState:
    """At the AWS sign-in role picker, the user picks a role and clicks Sign in."""
    wanted = next((r for r in roles if role and (r == role or r.endswith(f":role/{role}") or r.endswith(f"/{role}"))),
                  None)
    if wanted is None:
        if role:
            raise DriverError(f"the AWS role picker does not offer {role!r}; it offers {', '.join(roles)}")
        wanted = roles[0]

    def action():
        if page.query_selector(AWS_ROLE_LINK):      # the current page: click the role's link
            page.click(f'{AWS_ROLE_LINK}[id="{wanted}"]', timeout=deadline.left_ms() or 1)
            return
        page.check(f'{AWS_ROLE_RADIO}[value="{wanted}"]', timeout=deadline.left_ms() or 1)
        page.click(AWS_SIGNIN_BUTTON, timeout=deadline.left_ms() or 1)
    return act(page, deadline, action)


def expire_cookies(page, host: str, prefix: str) -> list[str]:
    """The app's part of signing out behind an ALB: "App must expire auth cookies (expiry −1)"
    (cognito.md §7 "Logout"; the ALB has no logout endpoint). Returns the names expired."""
    context = page.context
    jar = context.cookies()
    gone = [c for c in jar if c["name"].startswith(prefix) and c["domain"].lstrip(".").lower() == host.lower()]
    if gone:
        context.clear_cookies()
        context.add_cookies([c for c in jar if c not in gone])
    return [c["name"] for c in gone]


def cognito_logout(page, deadline, domain_url: str, client_id: str, logout_uri: str) -> PageState:
    """The app's "Sign out": the browser goes to Cognito's /logout with ``client_id`` and
    ``logout_uri`` (cognito.md §5 "/logout": logout_uri must be one of the client's LogoutURLs),
    which ends Cognito's session and redirects to ``logout_uri``."""
    query = urlencode({"client_id": client_id, "logout_uri": logout_uri})
    return open_url(page, deadline, f"{domain_url.rstrip('/')}/logout?{query}")


def okta_sign_out(page, deadline, org_url: str) -> PageState:
    """On Okta's dashboard the user clicks "Sign Out" (mock_okta: POST /login/signout, which
    ends the session and shows the sign-in page; unconfirmed against Okta)."""
    state = open_url(page, deadline, f"{org_url.rstrip('/')}{OKTA_DASHBOARD}")
    if not state.signout:       # no Okta session: the dashboard sent the user to the sign-in page
        return state
    return act(page, deadline, lambda: page.click(OKTA_SIGN_OUT, timeout=deadline.left_ms() or 1))


# ---- the loop ------------------------------------------------------------------------------------
def kind_of(state: PageState, hosts: dict) -> str:
    """Name the page in front of the user."""
    role = hosts.get(state.host, "")
    if state.okta_signin:
        return "okta-error" if state.okta_error else "okta-signin"
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
    t = (state.title + " " + state.text[:300]).lower()
    return any(w in t for w in ("403", "404", "error", "not assigned", "not found", "denied"))


TERMINAL = {"app-claims", "app-error", "okta-error", "okta-page", "cognito-error", "aws-page", "unknown", "app-page"}


def walk(page, deadline: Deadline, state: PageState, hosts: dict, user, max_steps: int = 12,
         journey: Journey | None = None) -> Journey:
    """From ``state``, take whatever step the page asks of the user until a page ends the flow.

    ``user`` has ``login``, ``password``, ``provider`` (Cognito IdP name), ``email`` and ``role``.
    """
    journey = journey or Journey()
    for _ in range(max_steps):
        kind = kind_of(state, hosts)
        journey.pages.append((kind, state.url))
        if kind in TERMINAL:
            journey.final = state
            return journey
        if kind == "okta-signin":
            journey.signed_in_as = user.login
            state = okta_sign_in(page, deadline, user.login, user.password)
        elif kind == "cognito-login":
            if user.provider not in state.providers:
                journey.final = state
                return journey
            state = choose_idp_button(page, deadline, user.provider)
        elif kind == "cognito-email":
            state = enter_email(page, deadline, user.email)
        elif kind == "aws-roles":
            state = pick_role(page, deadline, user.role, state.roles)
        else:  # pragma: no cover - kind_of only returns the kinds above
            raise DriverError(f"no step for a {kind} page")
    raise DriverError(f"the flow took more than {max_steps} steps; pages: "
                      + " -> ".join(k for k, _ in journey.pages))
