"""``https://signin.aws.amazon.com/saml`` and ``https://<region>.signin.aws.amazon.com/saml``
(docs/fidelity/aws-signin-sts.md#aws-signin-sts-aws-post-handling): the browser POSTs ``SAMLResponse`` (+ ``RelayState``);
with one role AWS calls AssumeRoleWithSAML for the user at once, with several it shows the role
picker first (current or legacy page: the world's ``aws.signin_page``); the picker POSTs back
with ``roleIndex``. Any failure shows AWS's invalid-response page (docs/fidelity/aws-signin-sts.md#aws-signin-sts-sts-runs-the-same-checks-for-console).

The real sign-in then redirects to ``console.aws.amazon.com``; the world does not serve that
host, so the console stand-in lives at ``/console/home`` on the sign-in host itself.
"""
from __future__ import annotations

import secrets
import threading

from flask import Blueprint, Flask, redirect, request

from world_common.flask_app import WorldFlask
from world_common.services import Services
from world_common.world_model import AwsAccount

from .. import moto_adapter
from ..context import app_state, install
from . import assume_role, errors, pages

# docs/fidelity/aws-signin-sts.md#aws-signin-sts-role-chooser: region "IAD" observed for us-east-1;
# other regions' codes are not in the reference (unconfirmed), so the region name is used.
_REGION_CODES = {"us-east-1": "IAD"}


class ConsoleSessions:
    """One-time hand-off from the sign-in POST to the console stand-in page."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sessions: dict[str, tuple[assume_role.Result, str]] = {}

    def put(self, result: assume_role.Result, relay_state: str) -> str:
        token = secrets.token_urlsafe(24)
        with self._lock:
            self._sessions[token] = (result, relay_state)
        return token

    def get(self, token: str):
        with self._lock:
            return self._sessions.get(token)


class Console:
    """The console sign-in host's state (``app.extensions["mock_cognito"]``, see
    :mod:`mock_cognito.context`): the world's account record, its services, the hand-offs."""

    def __init__(self, aws: AwsAccount, services) -> None:
        self.aws, self.services, self.sessions = aws, services, ConsoleSessions()


bp = Blueprint("aws_signin", __name__)


def create_app(aws: AwsAccount, services: Services) -> Flask:
    app = WorldFlask("mock_cognito.aws_signin")
    install(app, Console(aws, services))
    app.register_blueprint(bp)
    return app


def _console() -> Console:
    return app_state()


def _html(body: str, status: int = 200):
    return body, status, {"Content-Type": "text/html; charset=utf-8"}


def _invalid(detail: str, status: int = 200):
    # The status code of AWS's invalid-response page is not in the reference (unconfirmed).
    return _html(pages.invalid_response(detail), status)


def _sign_in(pair, saml_response: str, relay_state: str):
    """AssumeRoleWithSAML for the chosen (provider, role) pair; the console stand-in next."""
    console = _console()
    provider_arn, role_arn = pair
    try:
        result = assume_role.assume(role_arn=role_arn, principal_arn=provider_arn, saml_assertion=saml_response,
                                    duration_seconds=None, now=console.services.clock.now(),
                                    region=console.aws.region, console=True)
    except errors.StsError as exc:
        return _invalid(f"{exc.code}: {exc.message}")
    token = console.sessions.put(result, relay_state)
    return redirect(f"/console/home?region={console.aws.region}&signin_token={token}", code=302)


def _role_picker(pairs, saml_response: str, relay_state: str):
    """The page that lets the user choose among several roles, grouped by account."""
    aws = _console().aws
    accounts: dict[str, list[str]] = {}
    for _provider, role_arn in pairs:
        account_id = role_arn.split(":")[4]
        label = pages.account_label(account_id, moto_adapter.account_alias(account_id))
        accounts.setdefault(label, [])
        if role_arn not in accounts[label]:
            accounts[label].append(role_arn)
    if aws.signin_page == "legacy":
        return _html(pages.legacy_picker(accounts, saml_response, relay_state))
    return _html(pages.current_picker(accounts, saml_response, relay_state,
                                      _REGION_CODES.get(aws.region, aws.region)))


@bp.post("/saml")
def saml():
    saml_response = request.form.get("SAMLResponse", "")
    relay_state = request.form.get("RelayState", "")
    if not saml_response:
        return _invalid("no SAMLResponse in the POST")
    try:
        _assertion, pairs = assume_role.console_roles(saml_response, _console().services.clock.now())
    except errors.StsError as exc:
        return _invalid(f"{exc.code}: {exc.message}")
    chosen = request.form.get("roleIndex")
    if chosen:
        pair = next((p for p in pairs if p[1] == chosen), None)
        if pair is None:
            return _invalid(f"roleIndex {chosen} is not a role of this SAML response")
        return _sign_in(pair, saml_response, relay_state)
    if len(pairs) == 1:
        return _sign_in(pairs[0], saml_response, relay_state)
    return _role_picker(pairs, saml_response, relay_state)


@bp.get("/console/home")
def console_home():
    console = _console()
    found = console.sessions.get(request.args.get("signin_token", ""))
    if found is None:
        return _html("<!DOCTYPE html><html><body><h1>Session expired</h1><p>okta-aws-harness: this console "
                     "stand-in page needs the sign-in token of a SAML sign-in.</p></body></html>", 401)
    result, relay_state = found
    return _html(pages.console(
        assumed_role_arn=result.assumed_role_arn, session_name=result.session_name,
        expiration=result.expiration.strftime("%Y-%m-%dT%H:%M:%SZ"), account_id=result.role_arn.split(":")[4],
        role_name=result.role_arn.rsplit("/", 1)[-1], region=request.args.get("region", console.aws.region),
        relay_state=relay_state))
