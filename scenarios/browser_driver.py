"""The browser engine: the system Chromium through Playwright, behind the user-agent interface of
:mod:`scenarios.driver`.

One warm browser per process and one page per worker, reused across cases: between cases the
page goes to ``about:blank`` and its cookies, the storage of every origin it showed and the HTTP
cache are cleared, so a case starts as signed out as in a new browser. The driver waits on the
page's own navigation and load events (never a fixed sleep, never a polling loop), and reads a
page with one small classifier that returns a few fields. One renderer process serves the page
(no new process per site), and reads, clicks and typing go through the page's DevTools session
in one round trip each (see :class:`BrowserAgent`).
"""
from __future__ import annotations

import json
from urllib.parse import urlsplit

from harness import browser as harness_browser
from harness.wsgi_server import Acceptor

from .driver import (
    APP_CLAIMS,
    APP_ERROR,
    APP_OIDC_HEADERS,
    AWS_ROLE_LINK,
    AWS_ROLE_RADIO,
    COGNITO_EMAIL,
    COGNITO_PROVIDERS,
    HEAD_CHARS,
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

_CLASSIFY_JS = """
(limit) => {
  const q = (s) => document.querySelector(s);
  const txt = (s) => { const e = q(s); return e ? (e.innerText || e.textContent || '').trim() : null; };
  const error = q('%(app_error)s');
  return {
    url: location.href, host: location.hostname, path: location.pathname, title: document.title,
    okta_signin: !!q('%(username)s') && !!q('%(widget)s'),
    okta_mfa: !!q('%(mfa)s'),
    okta_error: txt('%(okta_error)s'),
    providers: Array.from(document.querySelectorAll('%(providers)s')).map(b => b.dataset.provider),
    email_box: !!q('%(email)s'),
    roles: Array.from(document.querySelectorAll('%(radio)s')).map(r => r.value)
           .concat(Array.from(document.querySelectorAll('%(link)s')).map(a => a.id)),
    role_links: !!q('%(link)s'),
    claims: txt('%(claims)s'),
    app_error: txt('%(app_error)s'),
    app_error_code: error ? (error.dataset.error || null) : null,
    autopost: !!q('%(saml)s') && !q('%(radio)s') && !q('%(link)s') && !q('%(username)s'),
    headers: Object.fromEntries(Array.from(document.querySelectorAll('%(headers)s'))
                                .map(e => [e.id, (e.innerText || e.textContent || '').trim()])),
    signout: !!q('%(signout)s'),
    text: (document.body ? document.body.innerText : '').trim().slice(0, limit),
  };
}
""" % {"username": OKTA_USERNAME, "widget": OKTA_WIDGET, "okta_error": OKTA_ERROR, "email": COGNITO_EMAIL,
       "providers": COGNITO_PROVIDERS, "radio": AWS_ROLE_RADIO, "link": AWS_ROLE_LINK, "claims": APP_CLAIMS, "app_error": APP_ERROR,
       "headers": APP_OIDC_HEADERS, "signout": OKTA_SIGN_OUT, "saml": SAML_FIELDS,
       "mfa": OKTA_MFA_SUBMIT}


# One round trip per page: wait in the page for its load event (at most ``wait`` ms), then
# classify it; null when it has not loaded by then.
_SETTLE_JS = """
async ([limit, wait]) => {
  if (document.readyState !== 'complete')
    await Promise.race([new Promise(r => window.addEventListener('load', r, {once: true})),
                        new Promise(r => setTimeout(r, wait))]);
  return document.readyState === 'complete' ? (%s)(limit) : null;
}
""" % _CLASSIFY_JS.strip()

# One round trip per click or fill: wait in the page (on animation frames, at most ``wait`` ms)
# until a person could use the element: attached, with a box, visible, enabled (editable for a
# fill) and not covered by another element at its centre (what Playwright's actionability checks
# look at, but the one that waits for two animation frames of a still box: the mocks' pages do
# not animate); bring it into view and say where its centre is. For a fill it also takes the
# focus and selects the current value, which the typed text then replaces.
_TARGET_JS = """
async ([selector, wait, fill]) => {
  const until = performance.now() + wait;
  let why = 'no element matches';
  for (;;) {
    const el = document.querySelector(selector);
    if (el) {
      el.scrollIntoView({block: 'nearest', inline: 'nearest'});
      const box = el.getBoundingClientRect();
      const x = box.left + box.width / 2, y = box.top + box.height / 2;
      const hit = document.elementFromPoint(x, y);
      if (!box.width || !box.height || getComputedStyle(el).visibility !== 'visible') why = 'the element is not visible';
      else if (el.disabled) why = 'the element is disabled';
      else if (fill && el.readOnly) why = 'the element is read-only';
      else if (!hit || !(hit === el || el.contains(hit))) why = 'another element would receive the click';
      else {
        if (fill) { el.focus(); if (el.select) el.select(); }
        return {x, y};
      }
    }
    if (performance.now() >= until) return {why};
    await new Promise(r => { requestAnimationFrame(r); setTimeout(r, 50); });
  }
}
"""


def _timeout(exc: Exception) -> bool:
    return "Timeout" in type(exc).__name__ or "timeout" in str(exc).lower()


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


class BrowserAgent:
    """One Playwright page as the user agent of :mod:`scenarios.driver`.

    Navigations and their waits go through Playwright; reading a page, clicking and typing go
    through the page's DevTools session (``cdp``): one ``Runtime.evaluate`` of a small function
    per read, and the same trusted input events Playwright sends (``Input.dispatchMouseEvent``,
    ``Input.insertText``), without Playwright's helper scripts that it injects into every new
    document and the dozen round trips of its actionability checks.
    """

    def __init__(self, page, cdp=None) -> None:
        self.page = page
        self.cdp = cdp if cdp is not None else page.context.new_cdp_session(page)

    # ---- reading the page ------------------------------------------------------------------------
    def evaluate(self, function: str, arg):
        """``function(arg)`` in the page's main world, its result by value (one round trip)."""
        reply = self.cdp.send("Runtime.evaluate", {"expression": f"({function.strip()})({json.dumps(arg)})",
                                                   "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in reply:
            details = reply["exceptionDetails"]
            raise DriverError(f"the page's script failed: {details.get('exception', {}).get('description') or details.get('text')}")
        return reply["result"].get("value")

    def state(self, limit: int = HEAD_CHARS) -> PageState | None:
        """The page in front of the user (``limit`` characters of its text), or None while the
        document is being replaced (its execution context went away)."""
        try:
            data = self.evaluate(_CLASSIFY_JS, limit)
        except Exception:
            return None
        return PageState.of(data) if data else None

    def _loaded(self, deadline: Deadline) -> PageState | None:
        """The current document once its load event has fired (one round trip), or None when it
        was replaced meanwhile (then after the next document's load event) or the deadline passed."""
        try:
            data = self.evaluate(_SETTLE_JS, [HEAD_CHARS, deadline.left_ms()])
            return PageState.of(data) if data else None
        except Exception:           # the document went away under the wait: a navigation is under way
            try:
                self.page.wait_for_load_state("load", timeout=deadline.left_ms() or 1)
            except Exception as exc:
                if _timeout(exc):
                    raise deadline.timeout(self.page.url) from None
                raise DriverError(f"the browser went away: {_first_line(exc)}") from None
            return None

    def settle(self, deadline: Deadline) -> PageState:
        """Wait for the current document's load event and return the page, unless it is a page
        that posts itself on (an auto-post form): then wait for the navigation it starts, and so on."""
        while True:
            if deadline.expired():
                raise deadline.timeout(self.page.url)
            state = self._loaded(deadline)
            if state is None:
                continue
            if not state.autopost and state.url != "about:blank":
                return state
            here = state.url
            try:
                self.page.wait_for_url(lambda url, here=here: url != here, wait_until="commit",
                                       timeout=deadline.left_ms() or 1)
            except Exception as exc:
                if _timeout(exc):
                    raise deadline.timeout(self.page.url) from None
                raise DriverError(f"the browser went away: {_first_line(exc)}") from None

    # ---- what the user does ----------------------------------------------------------------------
    def goto(self, url: str, deadline: Deadline) -> PageState:
        try:
            self.page.goto(url, timeout=deadline.left_ms() or 1, wait_until="commit")
        except Exception as exc:
            if _timeout(exc):
                raise DriverError(f"timed out opening {url}") from None
            if "interrupted by another navigation" not in str(exc):   # an auto-post page posting on
                raise DriverError(f"could not open {url}: {_first_line(exc)}") from None
        return self.settle(deadline)

    def _target(self, selector: str, deadline: Deadline, fill: bool = False) -> dict:
        where = self.evaluate(_TARGET_JS, [selector, deadline.left_ms(), fill])
        if not where or "why" in where:
            raise DriverError(f"cannot {'type into' if fill else 'click'} {selector} on {self.page.url}: "
                              f"{(where or {}).get('why', 'the page went away')} "
                              f"(after {deadline.seconds:g} s)")
        return where

    def _mouse_click(self, where: dict) -> None:
        """A person's click at the element's centre: the mouse moves there, presses and releases."""
        x, y = where["x"], where["y"]
        self.cdp.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y})
        self.cdp.send("Input.dispatchMouseEvent", {"type": "mousePressed", "x": x, "y": y, "button": "left",
                                                   "buttons": 1, "clickCount": 1})
        self.cdp.send("Input.dispatchMouseEvent", {"type": "mouseReleased", "x": x, "y": y, "button": "left",
                                                   "buttons": 0, "clickCount": 1})

    def fill(self, selector: str, value: str, deadline: Deadline) -> None:
        """Type ``value`` into the input, replacing what it held (as Playwright's ``fill``)."""
        self._target(selector, deadline, fill=True)
        self.cdp.send("Input.insertText", {"text": value})

    def check(self, selector: str, deadline: Deadline) -> None:
        """Tick a radio button or checkbox (a click), and make sure it is ticked."""
        self._mouse_click(self._target(selector, deadline))
        if not self.evaluate("(s) => !!(document.querySelector(s) || {}).checked", selector):
            raise DriverError(f"clicking {selector} did not tick it")

    def click(self, selector: str, deadline: Deadline) -> PageState:
        """Click and wait for the navigation the click starts (form submissions navigate, even a
        failed sign-in that shows the same page with an error)."""
        where = self._target(selector, deadline)
        try:
            with self.page.expect_navigation(wait_until="commit", timeout=deadline.left_ms() or 1):
                self._mouse_click(where)
        except Exception as exc:
            if _timeout(exc):
                raise deadline.timeout(self.page.url) from None
            raise
        return self.settle(deadline)

    def look(self) -> PageState | None:
        return self.state(TEXT_CHARS)

    def expire_cookies(self, host: str, prefix: str) -> list[str]:
        context = self.page.context
        jar = context.cookies()
        gone = [c for c in jar if c["name"].startswith(prefix) and c["domain"].lstrip(".").lower() == host.lower()]
        if gone:
            context.clear_cookies()
            context.add_cookies([c for c in jar if c not in gone])
        return [c["name"] for c in gone]

    def screenshot(self, path: str) -> str | None:
        self.page.screenshot(path=path, timeout=5000)
        return path


class FrontDoor:
    """A local port that stays while worlds come and go: Chromium's host rules point at it, and it
    hands each connection to the current world's listener (``serve_connection``, no byte relay).
    A world that stops closes its connections, so no keep-alive socket outlives its world.
    Accepting is the harness's one :class:`~harness.wsgi_server.Acceptor`."""

    def __init__(self) -> None:
        self.listener = None
        self._acceptor = Acceptor(self._hand_over, name="front-door")
        self.port = self._acceptor.port
        self._acceptor.start()

    def _hand_over(self, sock, address) -> None:
        listener = self.listener
        if listener is None:
            sock.close()
            return
        listener.serve_connection(sock, address)

    def close(self) -> None:
        self._acceptor.stop()


# One renderer process for the warm browser's one page: Chromium's site isolation would start a
# new renderer (~100 ms of CPU each) on every cross-site hop of a sign-in (app -> Cognito -> Okta
# -> Cognito -> app, and the reset to about:blank), five or six per case. The process model
# changes no web-visible behaviour (same-origin policy, cookies, SameSite and CORS are the same
# in one process); one case runs at a time in a worker's browser.
ONE_RENDERER_ARGS = ["--disable-site-isolation-trials", "--renderer-process-limit=1"]


class Browsers:
    """A warm Chromium, launched once per TLS leaf (the same for worlds with the same host
    names), with one context and one page reused by every case. Chromium reaches the world
    through a :class:`FrontDoor` (``--host-resolver-rules`` to its port), which serves whichever
    world is current, so a new world costs neither a new browser nor a new context."""

    name = "browser"

    def __init__(self, headed: bool = False, playwright=None) -> None:
        self.headed = headed
        # one sync Playwright per process (harness.browser), unless the caller passes its own
        self.playwright = playwright
        self.browser = None
        self.key = None
        self.context = self.page = self.cdp = None
        self.door: FrontDoor | None = None
        self.tracing = False
        self.origins: set[str] = set()
        # more Playwright context options (e.g. record_har_path); with any, each case gets its own
        # context again, closed at the end of the case (a HAR is written when its context closes)
        self.context_options: dict = {}

    # ---- a case's user agent ------------------------------------------------------------------
    def session(self, running, record_trace: bool) -> BrowserAgent:
        """The page for the next case, clean (see :meth:`release`)."""
        key = running.credentials.spki_sha256_b64
        if self.browser is None or self.key != key or not self.browser.is_connected():
            self._launch(running)
            self.key = key
        self.door.listener = running.listener
        if self.context is None:
            self._new_context()
        elif self.page is None or self.page.is_closed():
            self._new_page()
        if record_trace:     # one trace for the context, one chunk per case
            if not self.tracing:
                # DOM snapshots and network, not the screencast: the screencast encodes every frame
                # the page paints (about a third of a case's CPU); a failed case's screenshot is
                # saved on its own (execute.run_case)
                self.context.tracing.start(screenshots=False, snapshots=True)   # starts the first chunk
                self.tracing = True
            else:
                self.context.tracing.start_chunk()
        return BrowserAgent(self.page, self.cdp)

    def release(self, record_trace: bool, trace_path: str | None = None) -> str | None:
        """End a case: keep its Playwright trace at ``trace_path`` (if given), then clear what
        the case left: cookies, the storage of every origin the page showed, the HTTP cache."""
        kept = None
        if record_trace and self.tracing:
            try:
                self.context.tracing.stop_chunk(path=trace_path) if trace_path else self.context.tracing.stop_chunk()
                kept = trace_path
            except Exception:
                pass
        if self.context_options:
            self._close_context()
            return kept
        try:
            self.clear()
        except Exception:   # a crashed page or browser: the next case starts a new context
            self._close_context()
        return kept

    def clear(self) -> None:
        """Make the reused page as clean as a new context: no document, no cookies, no storage
        (local, session, IndexedDB, cache storage, service workers: CDP's
        ``Storage.clearDataForOrigin`` with ``all``, for each origin the page showed) and no HTTP
        cache (``Network.clearBrowserCache``)."""
        self.page.goto("about:blank", wait_until="commit")
        self.context.clear_cookies()
        self.cdp.send("Network.clearBrowserCache")
        for origin in sorted(self.origins):
            self.cdp.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"})
        self.origins.clear()

    # ---- the browser, its context and page ----------------------------------------------------
    def _launch(self, running) -> None:
        self.close()
        if self.playwright is None:
            self.playwright = harness_browser.playwright()
        self.door = FrontDoor()
        self.browser = self.playwright.chromium.launch(
            executable_path=(harness_browser.chromium_executable() if self.headed
                             else harness_browser.headless_executable()), headless=not self.headed,
            args=running.chromium_args(port=self.door.port) + ONE_RENDERER_ARGS)

    def _new_context(self) -> None:
        self._close_context()
        self.context = self.browser.new_context(viewport={"width": 1100, "height": 800}, **self.context_options)
        self._new_page()

    def _new_page(self) -> None:
        self.page = self.context.new_page()
        self.cdp = self.context.new_cdp_session(self.page)
        self.page.on("framenavigated", self._seen)

    def _seen(self, frame) -> None:
        parts = urlsplit(frame.url)
        if parts.scheme in ("http", "https") and parts.netloc:
            self.origins.add(f"{parts.scheme}://{parts.netloc}")

    def _close_context(self) -> None:
        if self.context is not None:
            try:
                self.context.close()
            except Exception:
                pass
        self.context = self.page = self.cdp = None
        self.tracing = False
        self.origins.clear()

    def close(self) -> None:
        self._close_context()
        if self.browser is not None:
            try:
                self.browser.close()
            except Exception:
                pass
        self.browser = None
        if self.door is not None:
            self.door.close()
            self.door = None
