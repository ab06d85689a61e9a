"""The HTTP engine: scenarios without a browser, behind the user-agent interface of
:mod:`scenarios.driver`.

An HTTP user agent over the world's routed session (TLS to the world's listener, verified
with the harness CA) that does what the browser does on the world's pages, none of which
needs JavaScript to sign in: it follows redirects (up to 20, as Chromium), sends a
browser's ``Accept`` for navigations, keeps cookies, submits forms the way HTML does (the
successful controls of the form in document order plus the clicked button), and posts on the
pages that post themselves (a form carrying ``SAMLResponse``/``SAMLRequest``, which the
mocks' pages submit with a script). Pages are read with the browser driver's own CSS
selectors through lxml, into the same :class:`~scenarios.driver.PageState` fields; the page
text approximates ``innerText`` (no script, style, noscript or hidden elements; a line per
block).

What it does not do (the browser stays the truth for what a person sees): run JavaScript,
render (no screenshot), lay out or check visibility, apply SameSite rules to cookies (the
flows' cross-site POSTs carry no cookie the mocks read), or load sub-resources.
"""
from __future__ import annotations

import functools
import re
from urllib.parse import urljoin, urlsplit, urlunsplit

import lxml.html
import requests
from lxml import etree
from lxml.cssselect import CSSSelector

from harness.internet import routed_session

from .driver import (
    APP_CLAIMS,
    APP_ERROR,
    APP_OIDC_HEADERS,
    AWS_ROLE_LINK,
    AWS_ROLE_RADIO,
    COGNITO_EMAIL,
    COGNITO_PROVIDERS,
    OKTA_ERROR,
    OKTA_MFA_SUBMIT,
    OKTA_SIGN_OUT,
    OKTA_USERNAME,
    OKTA_WIDGET,
    SAML_FIELDS,
    TEXT_CHARS,
    Deadline,
    DriverError,
    PageState,
)

MAX_REDIRECTS = 20   # Chromium's limit (net::ERR_TOO_MANY_REDIRECTS past it)
MAX_AUTOPOSTS = 10
# What Chromium sends with a navigation (a page request, not an XHR)
NAVIGATE_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8",
    "Accept-Language": "en-US,en;q=0.9",
    "User-Agent": "okta-aws-harness-http-engine/1 (a scenario user agent without a browser)",
}
_SKIP = {"script", "style", "noscript", "template", "head", "title", "meta", "link"}
_BLOCK = {"address", "article", "aside", "blockquote", "body", "dd", "details", "div", "dl", "dt", "fieldset",
          "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "html", "li",
          "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tr", "ul", "br", "legend", "caption"}


# ---- reading a page ------------------------------------------------------------------------------
@functools.lru_cache(maxsize=256)
def _selector(css: str) -> CSSSelector:
    """``css`` compiled once (lxml's ``el.cssselect(css)`` compiles it on every call)."""
    return CSSSelector(css, translator="html")


def select(el, css: str) -> list:
    return _selector(css)(el)


def _hidden(el) -> bool:
    style = (el.get("style") or "").replace(" ", "").lower()
    return el.get("hidden") is not None or "display:none" in style or (el.tag == "input" and el.get("type") == "hidden")


def inner_text(el) -> str:
    """``el``'s text as a browser's ``innerText`` gives it: rendered text only, a line per block,
    runs of white space collapsed (but kept inside ``pre``)."""
    parts: list[str] = []

    def add(text: str | None, pre: bool) -> None:
        if text:
            parts.append(text if pre else text.replace("\n", " "))

    def walk(node, pre: bool) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _SKIP or not tag or _hidden(node):
            return
        inner = pre or tag == "pre"
        block = tag in _BLOCK
        if block:
            parts.append("\n")
        add(node.text, inner)
        for child in node:
            walk(child, inner)
            add(child.tail, inner)
        if block:
            parts.append("\n")

    walk(el, False)
    lines = []
    for line in "".join(parts).split("\n"):
        line = " ".join(line.split())
        if line:
            lines.append(line)
    return "\n".join(lines)


def classify(url: str, content_type: str, body: bytes) -> tuple[PageState, object]:
    """The :class:`PageState` of a response, and its parsed document (None when it is not HTML)."""
    parts = urlsplit(url)
    state = PageState(url=url, host=(parts.hostname or "").lower(), path=parts.path or "/")
    if "html" not in content_type.lower():
        # Chromium shows a text or JSON body as text (no title)
        state.text = body.decode("utf-8", "replace").strip()[:TEXT_CHARS]
        return state, None
    try:
        doc = lxml.html.document_fromstring(body)
    except (etree.ParserError, ValueError):
        return state, None

    def q(selector):
        return select(doc, selector)

    def txt(selector):
        found = q(selector)
        return inner_text(found[0]).strip() if found else None

    error = q(APP_ERROR)
    title = doc.find(".//title")
    state.title = " ".join((title.text_content() if title is not None else "").split())
    state.okta_signin = bool(q(OKTA_USERNAME)) and bool(q(OKTA_WIDGET))
    state.okta_mfa = bool(q(OKTA_MFA_SUBMIT))
    state.okta_error = txt(OKTA_ERROR)
    state.providers = [b.get("data-provider") for b in q(COGNITO_PROVIDERS)]
    state.email_box = bool(q(COGNITO_EMAIL))
    state.roles = [r.get("value") for r in q(AWS_ROLE_RADIO)] + [a.get("id") for a in q(AWS_ROLE_LINK)]
    state.role_links = bool(q(AWS_ROLE_LINK))
    state.claims = txt(APP_CLAIMS)
    state.app_error = txt(APP_ERROR)
    state.app_error_code = (error[0].get("data-error") or None) if error else None
    state.autopost = (bool(q(SAML_FIELDS)) and not q(AWS_ROLE_RADIO) and not q(AWS_ROLE_LINK)
                      and not q(OKTA_USERNAME))
    state.headers = {e.get("id"): inner_text(e).strip() for e in q(APP_OIDC_HEADERS)}
    state.signout = bool(q(OKTA_SIGN_OUT))
    body_el = doc.find("body")
    state.text = inner_text(body_el).strip()[:TEXT_CHARS] if body_el is not None else ""
    return state, doc


# ---- forms ---------------------------------------------------------------------------------------
_UNSAFE = re.compile(rb"[^A-Za-z0-9_.~ -]")


def _quote_plus(text: str) -> str:
    """``urllib.parse.quote_plus(text)``, escaping only the bytes that need it (the stdlib quotes
    byte by byte in Python: ~1 ms for a 13 kB SAMLResponse, posted twice a sign-in)."""
    data = _UNSAFE.sub(lambda m: b"%%%02X" % m.group()[0], text.encode("utf-8"))
    return data.decode("ascii").replace(" ", "+")


def form_urlencode(fields) -> str:
    """``application/x-www-form-urlencoded``, as ``urllib.parse.urlencode(fields)`` writes it."""
    return "&".join(f"{_quote_plus(str(k))}={_quote_plus(str(v))}" for k, v in fields)


def _form_of(el):
    owner = el.get("form")
    if owner:
        found = el.getroottree().getroot().get_element_by_id(owner, None)
        if found is not None and found.tag == "form":
            return found
    for ancestor in el.iterancestors("form"):
        return ancestor
    return None


def _is_submitter(el) -> bool:
    kind = (el.get("type") or "").lower()
    return (el.tag == "button" and kind in ("", "submit")) or (el.tag == "input" and kind in ("submit", "image"))


def submission(form, base_url: str, submitter=None) -> tuple[str, str, list[tuple[str, str]]]:
    """(method, url, fields) of submitting ``form`` with ``submitter`` (HTML's form submission:
    the successful controls in document order, then the button's own name and value)."""
    action = (submitter.get("formaction") if submitter is not None else None) or form.get("action") or base_url
    method = ((submitter.get("formmethod") if submitter is not None else None) or form.get("method") or "get").lower()
    fields = list(form.form_values())
    if submitter is not None and submitter.get("name"):
        fields.append((submitter.get("name"), submitter.get("value") or ""))
    return ("POST" if method == "post" else "GET"), urljoin(base_url, action), fields


# ---- the user agent ------------------------------------------------------------------------------
class HttpAgent:
    """An HTTP user agent for one case at a time (see the module's docstring)."""

    def __init__(self, http: requests.Session) -> None:
        self.http = http
        self.state: PageState | None = None
        self.doc = None
        self.html = b""

    def reset(self) -> None:
        self.http.cookies.clear()
        self.state, self.doc, self.html = None, None, b""

    # ---- the interface ----------------------------------------------------------------------------
    def goto(self, url: str, deadline: Deadline) -> PageState:
        return self._navigate("GET", url, None, deadline)

    def fill(self, selector: str, value: str, deadline: Deadline) -> None:
        el = self._find(selector)
        if el.tag == "textarea":
            el.text = value
        else:
            el.set("value", value)

    def check(self, selector: str, deadline: Deadline) -> None:
        el = self._find(selector)
        if (el.get("type") or "").lower() == "radio" and el.get("name"):
            form = _form_of(el)
            scope = form if form is not None else self.doc
            for other in scope.iter("input"):
                if other.get("name") == el.get("name") and (other.get("type") or "").lower() == "radio":
                    other.attrib.pop("checked", None)
        el.set("checked", "checked")

    def click(self, selector: str, deadline: Deadline) -> PageState:
        el = self._find(selector)
        if el.tag == "a" and (el.get("data-testid") or "").startswith("roleLink-"):   # AWS_ROLE_LINK
            return self._role_link(el, deadline)
        if el.tag == "a" and el.get("href") and not el.get("href").startswith("#"):
            return self._navigate("GET", urljoin(self.state.url, el.get("href")), None, deadline)
        form = _form_of(el) if _is_submitter(el) else None
        if form is None:
            raise DriverError(f"clicking {selector} on {self.state.url} does nothing without JavaScript "
                              "(the HTTP engine follows links and submits forms only)")
        return self._submit(form, el, deadline)

    def look(self) -> PageState | None:
        return self.state

    def expire_cookies(self, host: str, prefix: str) -> list[str]:
        jar = self.http.cookies
        gone = [c for c in jar if c.name.startswith(prefix) and c.domain.lstrip(".").lower() == host.lower()]
        for c in gone:
            jar.clear(c.domain, c.path, c.name)
        return [c.name for c in gone]

    def screenshot(self, path: str) -> str | None:
        return None      # no pixels without a browser; the hops carry each page's text

    def _role_link(self, link, deadline: Deadline) -> PageState:
        """What the current AWS role picker's one script does when a role link is clicked
        (mock_cognito/aws_signin/pages.py ``_ROLE_SCRIPT``): put the link's id (the role ARN) in
        the ``#saml_post`` form's ``roleIndex`` and submit that form."""
        form = self.doc.get_element_by_id("saml_post", None)
        if form is None:
            raise DriverError(f"the role picker at {self.state.url} has role links but no #saml_post form")
        for field in form.inputs:
            if field.name == "roleIndex":
                field.set("value", link.get("id"))
        return self._submit(form, None, deadline)

    # ---- navigating -------------------------------------------------------------------------------
    def _find(self, selector: str):
        found = select(self.doc, selector) if self.doc is not None else []
        if not found:
            where = self.state.url if self.state is not None else "no page"
            raise DriverError(f"no element {selector} on {where}")
        return found[0]

    def _submit(self, form, submitter, deadline: Deadline) -> PageState:
        method, url, fields = submission(form, self.state.url, submitter)
        if method == "GET":
            parts = urlsplit(url)
            return self._navigate("GET", urlunsplit(parts._replace(query=form_urlencode(fields), fragment="")), None,
                                  deadline)
        return self._navigate("POST", url, fields, deadline)

    def _navigate(self, method: str, url: str, data, deadline: Deadline) -> PageState:
        """One navigation, redirects followed, then the pages that post themselves, until a page
        a person acts on or reads."""
        for _ in range(MAX_AUTOPOSTS):
            response = self._fetch(method, url, data, deadline)
            self.html = response.content
            self.state, self.doc = classify(response.url, response.headers.get("Content-Type", ""), self.html)
            if not self.state.autopost:
                return self.state
            saml = select(self.doc, SAML_FIELDS)[0]
            form = _form_of(saml)
            if form is None:
                return self.state
            method, url, data = submission(form, self.state.url)
            if method == "GET":
                url, data = urlunsplit(urlsplit(url)._replace(query=form_urlencode(data))), None
        raise DriverError(f"more than {MAX_AUTOPOSTS} pages posted themselves on; last {url}")

    def _fetch(self, method: str, url: str, data, deadline: Deadline) -> requests.Response:
        origin = None
        if self.state is not None and method == "POST":
            here = urlsplit(self.state.url)
            origin = f"{here.scheme}://{here.netloc}"
        for _ in range(MAX_REDIRECTS + 1):
            if deadline.expired():
                raise deadline.timeout(url)
            headers = dict(NAVIGATE_HEADERS)
            if origin and method == "POST":
                headers["Origin"] = origin
            body = None
            if data is not None:
                body = form_urlencode(data).encode("ascii")
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            try:
                response = self.http.request(method, url.split("#", 1)[0], data=body, headers=headers,
                                             allow_redirects=False, timeout=max(deadline.left_s(), 0.001))
            except requests.Timeout:
                raise DriverError(f"timed out opening {url}") from None
            except requests.RequestException as exc:
                raise DriverError(f"could not open {url}: {str(exc).splitlines()[0] if str(exc) else exc}") from None
            location = response.headers.get("Location")
            if response.status_code not in (301, 302, 303, 307, 308) or not location:
                return response
            url = urljoin(response.url, location)
            if response.status_code in (301, 302, 303) and method == "POST" or response.status_code == 303:
                method, data = "GET", None
            origin = "null" if method == "POST" else None   # a redirected POST: Chromium sends Origin: null
        raise DriverError(f"more than {MAX_REDIRECTS} redirects; last {url}")


class HttpAgents:
    """The HTTP engine's side of :class:`scenarios.execute` (the counterpart of
    :class:`scenarios.browser_driver.Browsers`): one routed session per world, its connections
    kept, its cookies cleared between cases."""

    name = "http"

    def __init__(self) -> None:
        self.agent: HttpAgent | None = None
        self.agent_for = None

    def session(self, running, record_trace: bool = False) -> HttpAgent:
        if self.agent is None or self.agent_for is not running:
            self.close()
            self.agent = HttpAgent(routed_session(running.port, running.hosts, running.ca_file))
            self.agent_for = running
        self.agent.reset()
        return self.agent

    def release(self, record_trace: bool = False, trace_path: str | None = None) -> str | None:
        if self.agent is not None:
            self.agent.reset()
        return None

    def close(self) -> None:
        if self.agent is not None:
            self.agent.http.close()
        self.agent = self.agent_for = None
