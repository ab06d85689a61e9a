"""``--probe``: confirm findings with real sign-ins over HTTP (harness/probe.py)."""
from __future__ import annotations

import botocore.exceptions
import requests

from harness import probe as driver
from harness.runtime import start

from .aws_app import app_users
from .cognito_saml import EMAIL_CHANGE_UNPROBED
from .findings import Finding, Probe


def confirm(findings: list[Finding], running) -> None:
    """Sign the affected users in over HTTP through ``running`` (a started world) and set each
    finding's ``probe``: ``confirmed`` (a sign-in showed the predicted text), ``not confirmed``
    (it showed something else: ``saw``), or ``not probed`` (``why``)."""
    for finding in findings:
        if not finding.plan:
            finding.probe = {"result": "not probed",
                             "why": finding.unprobed or "no sign-in shows this finding", "sign_ins": []}
            continue
        sign_ins, result, saw, expected = [], "confirmed", None, []
        for planned in finding.plan:
            matched, outcomes, why = _run(running, planned)
            sign_ins += [o.to_dict() for o in outcomes]
            if why is not None:
                result, saw = "not probed", why
                break
            if not matched:
                result, expected = "not confirmed", list(planned.expect)
                saw = outcomes[-1].seen if outcomes else ""
                break
        finding.probe = {"result": result, "sign_ins": sign_ins}
        if result == "not probed":
            finding.probe["why"] = saw
        elif result == "not confirmed":
            finding.probe.update(saw=saw, expected=expected)


def _run(running, planned: Probe):
    """(matched, outcomes, why not probed) for one planned sign-in."""

    world = running.world
    user = _probe_user(world, planned)
    if user is None and planned.flow != "alb":
        return False, [], "no assigned Okta user with a password to sign in with"
    if planned.flow == "email-change":
        return _run_email_change(running, planned, user)
    try:
        if planned.flow == "alb":
            lb = next(lb for lb in world.aws.LoadBalancers if lb.Name == planned.lb)
            outcomes = [driver.alb_visit(running, lb)]
        elif planned.flow == "console":
            outcomes = [driver.aws_console(running, user, world.okta_app(planned.app), planned.role)]
        elif planned.flow == "cli":
            outcomes = [driver.aws_cli(running, user, world.okta_app(planned.app), planned.role)]
        else:
            pool = world.user_pool(planned.pool)
            client = _probe_client(pool, planned)
            if client is None and planned.flow == "authorize" and planned.params is None:
                return False, [], f"no app client of user pool {pool.PoolName!r} to sign in with"

            def once():
                if planned.flow == "tile":
                    return driver.okta_tile(running, user, world.okta_app(planned.app), pool, client)
                return driver.cognito_sign_in(running, user, pool, client, planned.provider, planned.params)
            outcomes = [once(), once()] if planned.twice else [once()]
    except (driver.ProbeError, requests.RequestException) as exc:
        return False, [], f"the sign-in broke off: {exc}"
    if planned.twice and not planned.expect:
        first, second = outcomes
        return first.ok and second.ok and first.username != second.username, outcomes, None
    return any(text in outcomes[-1].seen for text in planned.expect), outcomes, None


def _run_email_change(running, planned: Probe, user):
    """docs/fidelity/errors.md#errors-unstable-or-case-varying-nameid (email as NameID): sign in, change the case of the attribute the NameID
    comes from at Okta (Users API, the world's first API token), sign in again; confirmed when
    Cognito then holds two different users ``<Provider>_<NameID>`` (docs/fidelity/cognito-federation.md#cognito-federation-nameid: exact,
    case-sensitive match; docs/fidelity/cognito-tokens.md#cognito-tokens-username). The Okta profile is put back afterwards."""


    world = running.world
    if not (world.okta.api_tokens or []):
        return False, [], EMAIL_CHANGE_UNPROBED   # no API token to change the email with
    pool = world.user_pool(planned.pool)
    client = _probe_client(pool, planned)
    if client is None:
        return False, [], f"no app client of user pool {pool.PoolName!r} to sign in with"
    app = world.okta_app(planned.app)
    template = (app.saml.user_name_template if app.saml else None) or "${source.login}"
    attribute = "email" if "email" in template else "login"
    live = running.http.get(f"{world.okta.org_url}/api/v1/users/{user.id}", timeout=driver.TIMEOUT,
                            headers={"Authorization": f"SSWS {world.okta.api_tokens[0].token}"})
    current = (live.json().get("profile", {}) if live.status_code == 200 else {}).get(attribute)
    current = current or (user.login if attribute == "login" else user.profile.get(attribute))
    if not current:
        return False, [], f"Okta user {user.login} has no {attribute} to change"
    outcomes = []
    try:
        outcomes.append(driver.cognito_sign_in(running, user, pool, client, planned.provider))
        change = driver.okta_update_profile(running, user, {attribute: driver.case_changed(current)})
        outcomes.append(change)
        if not change.ok:
            return False, outcomes, None
        try:
            outcomes.append(driver.cognito_sign_in(running, user, pool, client, planned.provider))
        finally:
            driver.okta_update_profile(running, user, {attribute: current})   # put the profile back
        first, _, second = outcomes
        if not (first.ok and second.ok):   # "or failed sign-in": not what this probe confirms; saw = it
            return False, outcomes, None
        names = driver.cognito_usernames(running, pool, planned.provider)
    except (driver.ProbeError, requests.RequestException, botocore.exceptions.BotoCoreError,
            botocore.exceptions.ClientError) as exc:
        return False, outcomes, f"the sign-in broke off: {exc}"
    outcomes.append(driver.Outcome(f"Cognito ListUsers of user pool {pool.PoolName!r}", user.login, True,
                                   f"{len(names)} {planned.provider} user(s): {', '.join(names)}",
                                   running.aws_endpoint_url))
    two = first.username != second.username and {first.username, second.username} <= set(names)
    return two, outcomes, None


def _probe_user(world, planned: Probe):
    """The user named by the probe, else the first user assigned to the app who has a password."""
    if not world.okta:
        return None
    users = {u.login: u for u in world.okta.users}
    if planned.user:
        return users.get(planned.user)
    logins = list(app_users(world, world.okta_app(planned.app))) if planned.app else list(users)
    return next((users[login] for login in logins if login in users and users[login].password), None)


def _probe_client(pool, planned: Probe):
    wanted = planned.client or (planned.params or {}).get("client_id")
    if wanted:
        return next((c for c in pool.Clients if c.ClientId == wanted), None)
    return next((c for c in pool.Clients if planned.provider in c.SupportedIdentityProviders),
                pool.Clients[0] if pool.Clients else None)


def probe_world(world, findings: list[Finding]) -> None:
    """Start ``world``, confirm ``findings`` against it, stop it."""
    with start(world) as running:
        confirm(findings, running)
