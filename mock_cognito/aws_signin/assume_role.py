"""``AssumeRoleWithSAML`` with the checks real STS makes (docs/fidelity/aws-signin-sts.md#aws-signin-sts-sts), in this order:

parameters (BOTO-STS limits) -> PrincipalArn names an IAM SAML provider ("Unknown provider")
-> the response decodes -> its signature verifies with the provider metadata's certificates
("Bad signature") -> its Issuer is the metadata's entityID ("Issuer mismatch") -> its Audience
is ``urn:amazon:webservices`` ("Wrong audience") -> one bearer SubjectConfirmation with
NotOnOrAfter and an AWS sign-in Recipient ("Subject confirmation") -> the assertion was issued at most 5 minutes
ago, then NotOnOrAfter has not passed ("Expired") -> it has a NameID ("Not authorized")
-> RoleSessionName present and well formed ("Missing/Bad RoleSessionName") -> SourceIdentity
well formed ("Bad SourceIdentity") -> (PrincipalArn, RoleArn) is one of the Role attribute's
pairs, in either order ("RoleArn/PrincipalArn must be a pair", unconfirmed) -> the role exists
and its trust policy allows the provider with its SAML conditions ("Not authorized") ->
DurationSeconds within the role's MaxSessionDuration ("Duration too long"). The order in which
AWS makes the checks is not documented (unconfirmed); each failure's code and text are.

On success the credentials come from moto's STS backend and the response carries what AWS
returns (docs/fidelity/aws-signin-sts.md#aws-signin-sts-success-body).
"""
from __future__ import annotations

import base64
import datetime as _dt
import hashlib
import re
from dataclasses import dataclass

from .. import moto_adapter
from . import errors, saml_response, trust_policy
from .saml_response import Assertion, Provider

SESSION_NAME = re.compile(r"[a-zA-Z_0-9+=,.@-]{2,64}")      # docs/fidelity/aws-signin-sts.md#aws-signin-sts-bad-rolesessionname
SOURCE_IDENTITY = re.compile(r"[a-zA-Z_0-9+=,.@-]{2,64}")   # docs/fidelity/aws-signin-sts.md#aws-signin-sts-bad-sourceidentity
REDEEM_WINDOW = _dt.timedelta(minutes=5)                     # docs/fidelity/aws-signin-sts.md#aws-signin-sts-expired
DEFAULT_DURATION = 3600                                      # docs/fidelity/aws-signin-sts.md#aws-signin-sts-default-duration
NAMEID_PREFIX = "urn:oasis:names:tc:SAML:2.0:nameid-format:"  # docs/fidelity/aws-signin-sts.md#aws-signin-sts-success-body: SubjectType
# The harness's own note behind AWS's invalid-response page when no Role value is a pair (AWS
# shows only the page; no STS call is made).
NO_ROLE_PAIR = "the Role attribute has no provider-arn,role-arn pair"


@dataclass
class Result:
    credentials: dict
    expiration: _dt.datetime
    assumed_role_arn: str
    assumed_role_id: str
    role_arn: str
    session_name: str
    subject: str
    subject_type: str
    issuer: str
    audience: str
    name_qualifier: str
    source_identity: str | None


def subject_type(name_id_format: str | None) -> str:
    fmt = name_id_format or "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
    return fmt[len(NAMEID_PREFIX):] if fmt.startswith(NAMEID_PREFIX) else fmt


def name_qualifier(issuer: str, account_id: str, provider_name: str) -> str:
    """docs/fidelity/aws-signin-sts.md#aws-signin-sts-saml-condition-keys: Base64(SHA1(Issuer + accountId + "/" + providerName))."""
    return base64.b64encode(hashlib.sha1(f"{issuer}{account_id}/{provider_name}".encode()).digest()).decode()


def _account_of(arn: str) -> str:
    return arn.split(":")[4]


def load_provider(provider_arn: str) -> Provider:
    if not saml_response.PROVIDER_ARN.match(provider_arn or ""):
        raise errors.InvalidIdentityToken(errors.PROVIDER_MISSING)
    metadata = moto_adapter.saml_provider_metadata(_account_of(provider_arn), provider_arn)
    if metadata is None:
        raise errors.InvalidIdentityToken(errors.PROVIDER_MISSING)
    return saml_response.provider_from_metadata(provider_arn, metadata)


def verified(saml_b64: str, provider: Provider, now: _dt.datetime) -> Assertion:
    """The assertion checked against ``provider`` and the clock (signature, issuer, audience,
    subject confirmation, the 5-minute window, expiry, NameID, RoleSessionName, SourceIdentity)."""
    root = saml_response.decode(saml_b64)
    assertion = saml_response.read(saml_response.verified_assertion(root, provider, now))
    if not assertion.issuer or assertion.issuer != provider.entity_id:
        raise errors.InvalidIdentityToken(errors.ISSUER_NOT_IN_PROVIDER)
    if saml_response.AWS_AUDIENCE not in assertion.audiences:
        raise errors.InvalidIdentityToken(errors.AUDIENCE_MISSING)
    problem = saml_response.subject_confirmation_problem(assertion)
    if problem:   # docs/fidelity/aws-signin-sts.md#aws-signin-sts-subject-confirmation (text: the harness's, inferred)
        raise errors.InvalidIdentityToken(errors.MALFORMED.format(detail=problem))
    # The 5-minute window comes before NotOnOrAfter: Okta's NotOnOrAfter is IssueInstant + 5
    # minutes, and people who reuse an old Okta assertion report the window's text
    # (docs/fidelity/okta-mfa-idx.md#okta-mfa-idx-sts-redeem-window-first).
    if assertion.issue_instant is not None and now > assertion.issue_instant + REDEEM_WINDOW:
        raise errors.ExpiredToken(errors.REDEEM_WINDOW)
    if assertion.not_on_or_after is not None and now >= assertion.not_on_or_after:
        raise errors.ExpiredToken(errors.RESPONSE_EXPIRED)
    if not assertion.name_id:
        raise errors.AccessDenied(errors.NOT_AUTHORIZED)
    names = assertion.values(saml_response.ROLE_SESSION_NAME)
    if not names:
        raise errors.InvalidIdentityToken(errors.SESSION_NAME_REQUIRED)
    if not SESSION_NAME.fullmatch(names[0]):
        raise errors.InvalidIdentityToken(errors.SESSION_NAME_PATTERN)
    for identity in assertion.values(saml_response.SOURCE_IDENTITY)[:1]:
        if not SOURCE_IDENTITY.fullmatch(identity) or identity.startswith("aws:"):
            raise errors.InvalidIdentityToken(errors.SOURCE_IDENTITY_PATTERN)
    return assertion


def trust_context(assertion: Assertion, provider: Provider) -> dict[str, list[str]]:
    """docs/fidelity/aws-signin-sts.md#aws-signin-sts-saml-condition-keys."""
    context = {
        "saml:aud": [assertion.recipient] if assertion.recipient else None,
        "saml:iss": [assertion.issuer],
        "saml:sub": [assertion.name_id],
        "saml:sub_type": [subject_type(assertion.name_id_format)],
        "saml:namequalifier": [name_qualifier(assertion.issuer, provider.account_id, provider.name)],
        "saml:doc": [f"{provider.account_id}/{provider.name}"],
    }
    return {k: v for k, v in context.items() if v is not None}


def assume(*, role_arn: str, principal_arn: str, saml_assertion: str, duration_seconds: int | None,
           now: _dt.datetime, region: str, console: bool = False) -> Result:
    """The whole AssumeRoleWithSAML. ``console`` is the AWS sign-in page calling it for the
    user: the session lasts the SessionDuration attribute (docs/fidelity/aws-signin-sts.md#aws-signin-sts-session-limits:
    console up to 12 h) rather than DurationSeconds."""
    _check_parameters(role_arn, principal_arn, saml_assertion, duration_seconds)
    provider = load_provider(principal_arn)
    assertion = verified(saml_assertion, provider, now)
    if (principal_arn, role_arn) not in saml_response.role_pairs(assertion.values(saml_response.ROLE)):
        raise errors.AccessDenied(errors.NOT_AUTHORIZED)
    role = moto_adapter.iam_role(_account_of(role_arn), role_arn)
    if role is None:
        raise errors.AccessDenied(errors.NOT_AUTHORIZED)
    actions = ["sts:AssumeRoleWithSAML"]
    if any(name.startswith(saml_response.PRINCIPAL_TAG) for name in assertion.attributes):
        actions.append("sts:TagSession")
    source_identity = (assertion.values(saml_response.SOURCE_IDENTITY) or [None])[0]
    if source_identity:
        actions.append("sts:SetSourceIdentity")
    try:
        allowed = trust_policy.allows(role["AssumeRolePolicyDocument"], provider_arn=provider.arn,
                                      actions=actions, context=trust_context(assertion, provider))
    except (ValueError, TypeError):
        allowed = False
    if not allowed:
        raise errors.AccessDenied(errors.NOT_AUTHORIZED)

    session_attr = _int((assertion.values(saml_response.SESSION_DURATION) or [None])[0])
    if console:
        seconds = session_attr or DEFAULT_DURATION
    else:
        seconds = duration_seconds or DEFAULT_DURATION
        if seconds > role["MaxSessionDuration"]:
            raise errors.ValidationError(errors.DURATION_EXCEEDS_MAX)
        if session_attr:   # docs/fidelity/aws-signin-sts.md#aws-signin-sts-sessionduration-attribute: on the API it only shortens
            seconds = min(seconds, session_attr)
    expiration = now + _dt.timedelta(seconds=seconds)
    if assertion.session_not_on_or_after is not None:
        expiration = min(expiration, assertion.session_not_on_or_after)
    expiration = expiration.replace(microsecond=0)
    session_name = assertion.values(saml_response.ROLE_SESSION_NAME)[0]
    credentials = moto_adapter.assume_role_credentials(_account_of(role_arn), region, role_arn,
                                                       session_name, expiration)
    return Result(
        credentials=credentials, expiration=expiration, assumed_role_arn=credentials["Arn"],
        assumed_role_id=f'{role["RoleId"]}:{session_name}', role_arn=role_arn, session_name=session_name,
        subject=assertion.name_id, subject_type=subject_type(assertion.name_id_format),
        issuer=assertion.issuer, audience=assertion.recipient or "",
        name_qualifier=name_qualifier(assertion.issuer, provider.account_id, provider.name),
        source_identity=source_identity)


def _int(value):
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _validation(value, member: str, constraint: str) -> errors.ValidationError:
    # AWS's generic validation text (the reference tables are silent for STS: unconfirmed).
    return errors.ValidationError(
        f"1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: {constraint}")


def _check_parameters(role_arn, principal_arn, saml_assertion, duration_seconds) -> None:
    """docs/fidelity/aws-signin-sts.md#aws-signin-sts-parameter-limits (BOTO-STS)."""
    for name, value in (("RoleArn", role_arn), ("PrincipalArn", principal_arn), ("SAMLAssertion", saml_assertion)):
        if not value:
            raise errors.MissingParameter(f"The request must contain the parameter {name}")
    for member, value, low, high in (("roleArn", role_arn, 20, 2048), ("principalArn", principal_arn, 20, 2048),
                                     ("sAMLAssertion", saml_assertion, 4, 100000)):
        if len(value) < low:
            raise _validation(value if len(value) < 64 else "...", member,
                              f"Member must have length greater than or equal to {low}")
        if len(value) > high:
            raise _validation("...", member, f"Member must have length less than or equal to {high}")
    if duration_seconds is not None:
        if duration_seconds < 900:
            raise _validation(duration_seconds, "durationSeconds", "Member must have value greater than or equal to 900")
        if duration_seconds > 43200:
            raise _validation(duration_seconds, "durationSeconds", "Member must have value less than or equal to 43200")


def console_roles(saml_b64: str, now: _dt.datetime) -> tuple[Assertion, list[tuple[str, str]]]:
    """For the sign-in page: the assertion (checked against the provider its first pair names)
    and its well-formed Role pairs whose provider exists and verifies it. Raises the STS error
    that makes AWS show the invalid-response page (docs/fidelity/aws-signin-sts.md#aws-signin-sts-invalid-response-page)."""
    root = saml_response.decode(saml_b64)
    unverified = saml_response.read(root.find("saml:Assertion", saml_response.NS))
    pairs = saml_response.role_pairs(unverified.values(saml_response.ROLE))
    if not pairs:
        raise errors.InvalidIdentityToken(NO_ROLE_PAIR)
    good: list[tuple[str, str]] = []
    assertion = None
    first_error: errors.StsError | None = None
    checked: dict[str, Assertion | errors.StsError] = {}
    for provider_arn, role_arn in pairs:
        if provider_arn not in checked:
            try:
                checked[provider_arn] = verified(saml_b64, load_provider(provider_arn), now)
            except errors.StsError as exc:
                checked[provider_arn] = exc
        outcome = checked[provider_arn]
        if isinstance(outcome, errors.StsError):
            first_error = first_error or outcome
            continue
        assertion = assertion or outcome
        good.append((provider_arn, role_arn))
    if not good:
        raise first_error
    return assertion, good
