"""AWS's side of a captured sign-in, decided by mock_cognito.aws_signin's own functions: the
SAMLResponse POSTed to ``signin.aws.amazon.com/saml`` (:func:`assume_role.console_roles`, then
:func:`assume_role.assume` for the role chosen) and each ``Role`` value against IAM's providers,
roles and trust policies (the same ``assume`` per pair). This module picks the inputs from the
capture and names the settings behind each STS error."""
from __future__ import annotations

import datetime as _dt

from mock_cognito.aws_signin import assume_role, errors, pages, saml_response

from . import messages
from .steps import Step
from .world_side import setting


def invalid_page_text() -> str:
    """The text of AWS's invalid-response page, read from the page the mock serves."""
    return messages.page_text(pages.invalid_response())


def signin(ws, exchange, saml_b64: str, form: dict, state, now: _dt.datetime) -> Step:
    xml = messages.saml_xml(saml_b64) or b""
    facts = messages.saml_facts(xml)
    step = Step(exchange.index, "SAML Response to AWS sign-in (signin.aws.amazon.com/saml)",
                facts.get("issuer") or "the IdP", exchange.host or "signin.aws.amazon.com", facts=facts)
    step.roles = role_table(saml_b64, facts, now, ws.aws.region)
    try:
        _assertion, pairs = assume_role.console_roles(saml_b64, now)
    except errors.StsError as exc:
        _failure(ws, step, exc, facts, None)
        return step
    chosen = form.get("roleIndex")
    if chosen:
        pair = next((p for p in pairs if p[1] == chosen), None)
    elif len(pairs) == 1:
        pair = pairs[0]
    else:
        state.aws_pending = saml_b64
        step.outcome = "ok"
        step.notes.append("AWS shows the role picker: " + ", ".join(r for _p, r in pairs))
        return step
    if pair is None:
        step.outcome, step.error, step.shown_at = "fails", invalid_page_text(), "aws"
        step.detail = f"roleIndex {chosen} is not a role of this SAML response"
        return step
    try:
        result = assume_role.assume(role_arn=pair[1], principal_arn=pair[0], saml_assertion=saml_b64,
                                    duration_seconds=None, now=now, region=ws.aws.region, console=True)
    except errors.StsError as exc:
        _failure(ws, step, exc, facts, pair)
        return step
    step.outcome = "ok"
    step.notes.append(f"AssumeRoleWithSAML succeeds: console session as {result.assumed_role_arn}")
    return step


def role_table(saml_b64: str, facts: dict, now, region: str) -> list[dict]:
    """Each Role value: the pair it names and what AssumeRoleWithSAML says for it."""
    try:
        root = saml_response.decode(saml_b64)
    except errors.StsError:
        return []
    assertion = root.find("saml:Assertion", saml_response.NS)
    if assertion is None:
        return []
    values = saml_response.read(assertion).values(saml_response.ROLE)
    rows = []
    for value in values:
        pairs = saml_response.role_pairs([value])
        if not pairs:
            rows.append({"value": value, "result": "not a provider-arn,role-arn pair"})
            continue
        provider_arn, role_arn = pairs[0]
        try:
            assume_role.assume(role_arn=role_arn, principal_arn=provider_arn, saml_assertion=saml_b64,
                               duration_seconds=None, now=now, region=region, console=True)
            result = "ok"
        except errors.StsError as exc:
            result = f"{exc.code}: {exc.message}"
        rows.append({"value": value, "provider": provider_arn, "role": role_arn, "result": result})
    return rows


def _failure(ws, step: Step, exc: errors.StsError, facts: dict, pair) -> None:
    step.outcome, step.error, step.shown_at = "fails", invalid_page_text(), "aws"
    step.code, step.detail = exc.code, f"{exc.code}: {exc.message}"
    step.check = "sts-assume-role-with-saml"
    app = ws.okta_app(entity_id=facts.get("issuer"))
    settings, step.fix = _settings_for(ws, exc.message, app, facts, pair or _first_pair(step))
    step.settings = [s for s in settings if s]


def _first_pair(step: Step):
    row = next((r for r in step.roles or [] if r.get("role")), None)
    return (row["provider"], row["role"]) if row else None


def _settings_for(ws, message: str, app, facts: dict, pair):
    aws_app = (lambda name: setting(f"{ws.app_path(app)}.aws.{name}", app.aws, name)) if app else (lambda n: None)
    saml = (lambda name: setting(f"{ws.app_path(app)}.saml.{name}", app.saml, name)) if app else (lambda n: None)
    provider = _saml_provider(ws, pair[0]) if pair else None
    role = _role(ws, pair[1]) if pair else None
    if message == errors.PROVIDER_MISSING:
        names = [p.Name for p in ws.aws.SAMLProviders]
        return ([aws_app("roleValuePattern"), aws_app("identityProviderArn"),
                 setting("aws.SAMLProviders", None, value=names)],
                f"make the Role value's saml-provider name match IAM's exactly ({', '.join(names) or 'none'}; "
                "names are case-sensitive)")
    if message in (errors.SIGNATURE_INVALID, errors.ISSUER_NOT_IN_PROVIDER) and provider is not None:
        return ([setting(f"aws.SAMLProviders[Name={provider.Name}].SAMLMetadataDocument", provider,
                         "SAMLMetadataDocument", value="(metadata document)")],
                f"upload the metadata of the IdP that signs these responses (Issuer {facts.get('issuer')}) "
                f"to the IAM SAML provider {provider.Name}")
    if message == errors.AUDIENCE_MISSING:
        return [saml("audience")], "set the Okta app's Audience to urn:amazon:webservices"
    if message in (errors.SESSION_NAME_REQUIRED, errors.SESSION_NAME_PATTERN):
        return ([saml("user_name_template")], "use an application username that is a valid RoleSessionName "
                                              "([a-zA-Z_0-9+=,.@-]{2,64}: the Okta username or an email)")
    if message == assume_role.NO_ROLE_PAIR:
        user = ws.okta_user(facts.get("name_id"))
        found = [aws_app("useGroupMapping"), aws_app("groupFilter"), aws_app("roleValuePattern")]
        if app is not None:
            found.append(setting(f"{ws.app_path(app)}.groups", app, "groups"))
            found.append(setting(f"{ws.app_path(app)}.users", app, "users"))
        if user is not None:
            found.append(setting(f"okta.users[login={user.login}].groups", user, "groups"))
        return (found, "send at least one Role value: a group the Group Filter matches (role names with periods "
                       "need [\\w\\-.]+), or SAML User Roles on the assignment")
    if message == errors.NOT_AUTHORIZED and role is not None:
        return ([setting(f"aws.Roles[RoleName={role.RoleName}].AssumeRolePolicyDocument", role,
                         "AssumeRolePolicyDocument")],
                f"let the trust policy Allow sts:AssumeRoleWithSAML to {pair[0]} with SAML:aud = "
                "https://signin.aws.amazon.com/saml")
    if message in (errors.RESPONSE_EXPIRED, errors.REDEEM_WINDOW):
        return [], "the response was redeemed too late at the capture's time (clock skew, or --at)"
    if message == errors.DURATION_EXCEEDS_MAX and role is not None:
        return ([aws_app("sessionDuration"), setting(f"aws.Roles[RoleName={role.RoleName}].MaxSessionDuration",
                                                     role, "MaxSessionDuration")],
                "raise the role's MaxSessionDuration or lower the Session Duration")
    return [], None


def _saml_provider(ws, arn: str):
    return next((p for p in ws.aws.SAMLProviders if p.Arn == arn), None)


def _role(ws, arn: str):
    return next((r for r in ws.aws.Roles if r.Arn == arn), None)


def sts_call(ws, exchange, form: dict, now: _dt.datetime) -> Step:
    """A captured ``AssumeRoleWithSAML`` API call (the AWS CLI, gimme-aws-creds…): the same
    :func:`assume_role.assume` STS runs, with the call's own parameters."""
    saml_b64 = form.get("SAMLAssertion", "")
    facts = messages.saml_facts(messages.saml_xml(saml_b64) or b"")
    step = Step(exchange.index, "STS AssumeRoleWithSAML", "a CLI tool", exchange.host or "sts.amazonaws.com",
                facts=facts)
    step.roles = role_table(saml_b64, facts, now, ws.aws.region)
    pair = (form.get("PrincipalArn", ""), form.get("RoleArn", ""))
    try:
        duration = int(form["DurationSeconds"]) if form.get("DurationSeconds") else None
        result = assume_role.assume(role_arn=pair[1], principal_arn=pair[0], saml_assertion=saml_b64,
                                    duration_seconds=duration, now=now, region=ws.aws.region)
    except ValueError:
        step.outcome, step.error, step.shown_at = "fails", "DurationSeconds is not a number", "sts"
        return step
    except errors.StsError as exc:
        _failure(ws, step, exc, facts, pair)
        step.error, step.shown_at = exc.message, "sts"
        return step
    step.outcome = "ok"
    step.notes.append(f"AssumeRoleWithSAML succeeds: {result.assumed_role_arn} until {result.expiration}")
    return step


def is_sts(ws, host: str) -> bool:
    return bool(ws.aws) and host in ("sts.amazonaws.com", f"sts.{ws.aws.region}.amazonaws.com")


def role_choice(ws, exchange, form: dict, state, now) -> Step:
    """The role picker's POST back (``roleIndex`` with the same SAMLResponse)."""
    return signin(ws, exchange, form.get("SAMLResponse") or state.aws_pending or "", form, state, now)
