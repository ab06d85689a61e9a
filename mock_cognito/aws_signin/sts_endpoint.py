"""``https://sts.amazonaws.com/`` and ``https://sts.<region>.amazonaws.com/`` (docs/fidelity/aws-signin-sts.md#aws-signin-sts-protocol): the AWS Query protocol. ``AssumeRoleWithSAML`` is answered here with every check
of :mod:`.assume_role`; any other action goes on to moto unchanged."""
from __future__ import annotations

import io
import urllib.parse
import uuid
from xml.sax.saxutils import escape

from world_common.world_model import AwsAccount

from . import assume_role, errors

XMLNS = "https://sts.amazonaws.com/doc/2011-06-15/"


class StsEndpoint:
    """The WSGI app of the STS hosts; its state: the world's region, clock and moto."""

    def __init__(self, aws: AwsAccount, services) -> None:
        self.region, self.clock, self.moto = aws.region, services.clock, services.moto_app

    def __call__(self, environ, start_response):
        body = _read_body(environ)
        params = {k: v[-1] for k, v in urllib.parse.parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True).items()}
        if environ.get("REQUEST_METHOD") == "POST" and "form-urlencoded" in environ.get("CONTENT_TYPE", ""):
            params.update({k: v[-1] for k, v in urllib.parse.parse_qs(body.decode("utf-8", "replace"),
                                                                      keep_blank_values=True).items()})
        if params.get("Action") != "AssumeRoleWithSAML":
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
            return self.moto(environ, start_response)
        request_id = str(uuid.uuid4())
        try:
            result = assume_role.assume(
                role_arn=params.get("RoleArn", ""), principal_arn=params.get("PrincipalArn", ""),
                saml_assertion=params.get("SAMLAssertion", ""),
                duration_seconds=_duration(params.get("DurationSeconds")),
                now=self.clock.now(), region=self.region)
        except errors.StsError as exc:
            return _respond(start_response, exc.status, error_xml(exc, request_id), request_id)
        return _respond(start_response, 200, success_xml(result, request_id), request_id)


def _read_body(environ) -> bytes:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    return environ["wsgi.input"].read(length) if length > 0 else b""


def _duration(value):
    if value in (None, ""):
        return None
    try:
        return int(value)
    except ValueError:
        # AWS's generic validation text for a non-numeric member (unconfirmed for STS).
        raise errors.ValidationError(
            f"1 validation error detected: Value '{value}' at 'durationSeconds' failed to satisfy "
            "constraint: Member must be a number") from None


def _respond(start_response, status: int, body: str, request_id: str):
    data = body.encode()
    reason = {200: "OK", 400: "Bad Request", 403: "Forbidden"}.get(status, "Error")
    start_response(f"{status} {reason}", [("Content-Type", "text/xml"), ("Content-Length", str(len(data))),
                                          ("x-amzn-RequestId", request_id)])
    return [data]


def error_xml(exc: errors.StsError, request_id: str) -> str:
    """docs/fidelity/aws-signin-sts.md#aws-signin-sts-error-body."""
    return (f'<ErrorResponse xmlns="{XMLNS}"><Error><Type>{exc.type}</Type><Code>{exc.code}</Code>'
            f'<Message>{escape(exc.message)}</Message></Error><RequestId>{request_id}</RequestId></ErrorResponse>')


def success_xml(result: assume_role.Result, request_id: str) -> str:
    """docs/fidelity/aws-signin-sts.md#aws-signin-sts-success-body, docs/fidelity/aws-signin-sts.md#aws-signin-sts-credentials-element-names."""
    c = result.credentials
    source = f"<SourceIdentity>{escape(result.source_identity)}</SourceIdentity>" if result.source_identity else ""
    return (
        f'<AssumeRoleWithSAMLResponse xmlns="{XMLNS}"><AssumeRoleWithSAMLResult>'
        f"<Audience>{escape(result.audience)}</Audience>"
        f"<AssumedRoleUser><AssumedRoleId>{escape(result.assumed_role_id)}</AssumedRoleId>"
        f"<Arn>{escape(result.assumed_role_arn)}</Arn></AssumedRoleUser>"
        f"<Credentials><AccessKeyId>{c['AccessKeyId']}</AccessKeyId><SecretAccessKey>{c['SecretAccessKey']}"
        f"</SecretAccessKey><SessionToken>{c['SessionToken']}</SessionToken>"
        f"<Expiration>{result.expiration.strftime('%Y-%m-%dT%H:%M:%SZ')}</Expiration></Credentials>"
        f"<Issuer>{escape(result.issuer)}</Issuer><NameQualifier>{escape(result.name_qualifier)}</NameQualifier>"
        f"<Subject>{escape(result.subject)}</Subject><SubjectType>{escape(result.subject_type)}</SubjectType>"
        f"{source}</AssumeRoleWithSAMLResult>"
        f"<ResponseMetadata><RequestId>{request_id}</RequestId></ResponseMetadata></AssumeRoleWithSAMLResponse>")
