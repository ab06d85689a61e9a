"""Okta's side of a captured sign-in, decided by mock_okta's own functions on the world's org
(:class:`mock_okta.org.Org`): the password sign-in and what the sign-on policy asks next
(:func:`mock_okta.mfa.primary.primary`), an MFA answer (:func:`mock_okta.mfa.factors.check` at
the capture's time), and app assignment (:meth:`Org.is_assigned`), for the 403 App Not Assigned
page and Okta's OIDC ``access_denied``."""
from __future__ import annotations

from mock_okta.mfa import factors, primary
from mock_okta.mfa.transactions import Transactions
from mock_okta.oidc import errors as oidc_errors
from mock_okta.org import Org
from mock_okta.pages import errors as page_errors
from mock_okta.pages import login
from mock_okta.pages import mfa as mfa_page
from world_common.clock import Clock

from .steps import Step
from .world_side import setting


def org(ws):
    return Org(ws.okta) if ws.okta else None


def sign_in(ws, exchange, state) -> Step:
    """The Okta sign-in form POST (``username``, ``password``)."""
    username = exchange.form.get("username", "")
    state.okta_login = username or state.okta_login
    step = Step(exchange.index, "password sign-in at Okta", "the user (browser)", exchange.host,
                facts={"username": username})
    outcome = primary.primary(org(ws), Transactions(Clock()), username, exchange.form.get("password", ""))
    if outcome.kind in ("success", "transaction"):
        step.outcome = "ok"
        if outcome.kind == "transaction":
            step.notes.append(f"Okta's sign-on policy asks for more: {outcome.transaction.status}")
        return step
    step.outcome, step.error, step.shown_at, step.check = "fails", login.SIGN_IN_FAILED, "okta", "okta-sign-in"
    record = ws.okta_user(username)
    if record is not None:
        step.settings = [setting(f"okta.users[login={record.login}].password", record, "password", "(hidden)"),
                         setting(f"okta.users[login={record.login}].status", record, "status")]
        step.fix = "the password is not the user's (or the user is not ACTIVE)"
    else:
        step.settings = [setting("okta.users", None, value=[u.login for u in ws.okta.users])]
        step.fix = f"{username!r} is not a user of the org"
    return step


def mfa_answer(ws, exchange, state, moment) -> Step:
    """The answer to Okta's MFA challenge (``answer``), checked against the user's enrolled
    factors at the capture's time."""
    step = Step(exchange.index, "MFA answer at Okta", "the user (browser)", exchange.host)
    user = org(ws).user_by_login(state.okta_login) if state.okta_login else None
    if user is None:
        step.outcome = "unknown"
        step.notes.append("who signed in is not in the capture: the answer is not checked")
        return step
    answer = (exchange.form.get("answer") or "").strip()
    if any(factors.check(f, answer, moment.timestamp(), None) for f in factors.active(user)):
        step.outcome = "ok"
        return step
    step.outcome, step.error, step.shown_at, step.check = "fails", mfa_page.INVALID, "okta", "okta-mfa"
    record = ws.okta_user(user.login)
    step.settings = [setting(f"okta.users[login={record.login}].factors", record, "factors",
                             [f.get("type") for f in record.factors])]
    step.fix = ("the code is not the enrolled factor's at the capture's time: check the authenticator's "
                "secret and the device clock")
    return step


def not_assigned_app(ws, text: str):
    """The Okta app a 403 App Not Assigned page names (matched against the page's own template)."""
    for app in (ws.okta.apps if ws.okta else []):
        if text == page_errors.APP_NOT_ASSIGNED.format(app=app.label):
            return app
    return None


def oidc_not_assigned_text() -> str:
    return str(oidc_errors.user_not_assigned().description)


def assignment(ws, step: Step, app, login_name: str | None) -> None:
    """Name the assignment settings and say whether the configuration would refuse the user."""
    step.check = "okta-app-assignment"
    step.settings = [setting(f"{ws.app_path(app)}.users", app, "users"),
                     setting(f"{ws.app_path(app)}.groups", app, "groups")]
    step.fix = f"assign the user (or a group of theirs) to the Okta app {app.label!r}"
    the_org = org(ws)
    user = the_org.user_by_login(login_name) if login_name else None
    record = ws.okta_user(login_name)
    if record is not None:
        step.settings.append(setting(f"okta.users[login={record.login}].groups", record, "groups"))
    if user is None:
        step.notes.append("who signed in is not in the capture: the assignment is not re-checked")
    elif the_org.is_assigned(app, user):
        step.notes.append(f"the configuration given assigns {login_name} to {app.label!r}: it is not the "
                          "configuration that was live")
        step.facts["configuration_agrees"] = False
    else:
        step.facts["configuration_agrees"] = True
