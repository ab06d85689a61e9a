"""The parts of the Cognito user-pool JSON API (``X-Amz-Target: AWSCognitoIdentityProviderService.*``)
where moto's answer is not Cognito's, or where the hosted UI's state must follow the call.

Everything else goes to moto unchanged. Seam: :func:`dispatch` is a WSGI app taking the target's
operation name; :data:`OPERATIONS` lists the ones it handles.
"""
from __future__ import annotations

import base64
import hashlib
import io
import json
from dataclasses import dataclass

import jwt

from . import account_linking, moto_adapter, tokens
from .json_responses import answer, call, error
from .store import Store

SERVICE = "AWSCognitoIdentityProviderService"


@dataclass
class Api:
    """What the handlers need: the world's AWS record, its services (clock, HTTP), the hosted
    UI's store of tokens and sessions."""
    aws: object
    services: object
    store: Store


class Call:
    """One API request: its JSON body, and moto's answer when asked for."""

    def __init__(self, environ, moto) -> None:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        self.raw = environ["wsgi.input"].read(length) if length else b""
        self.environ, self.moto = environ, moto
        try:
            self.body = json.loads(self.raw or b"{}")
        except ValueError:
            self.body = {}
        if not isinstance(self.body, dict):   # moto answers such bodies itself; here: no fields
            self.body = {}

    def forward(self) -> tuple[str, list, bytes]:
        self.environ["wsgi.input"] = io.BytesIO(self.raw)
        return call(self.moto, self.environ)


def distribution_name(domain: str) -> str:
    """A CloudFront distribution domain, ``d`` + 13 characters + ``.cloudfront.net``, stable per
    domain (docs/fidelity/cognito-triggers.md#cognito-triggers-domain-description)."""
    digest = base64.b32encode(hashlib.sha256(domain.encode()).digest()).decode().lower()
    return f"d{digest[:13]}.cloudfront.net"


def _describe_domain(call: Call, start_response, api: "Api"):
    status, headers, body = call.forward()
    if status.startswith("200"):
        data = json.loads(body)
        description = data.get("DomainDescription") or {}
        if description:
            description["AWSAccountId"] = api.aws.account_id
            description["CloudFrontDistribution"] = distribution_name(description.get("Domain", ""))
            body = json.dumps(data).encode()
    return answer(start_response, status, body, headers)


def _create_domain(call: Call, start_response, api: "Api"):
    status, headers, body = call.forward()
    if status.startswith("200") and call.body.get("CustomDomainConfig"):
        body = json.dumps({"CloudFrontDomain": distribution_name(call.body.get("Domain", ""))}).encode()
    return answer(start_response, status, body, headers)


def _admin_global_sign_out(call: Call, start_response, api: "Api"):
    status, headers, body = call.forward()
    if status.startswith("200"):
        pool_id = call.body.get("UserPoolId", "")
        user = moto_adapter.find_user(api.aws.account_id, api.aws.region, pool_id, call.body.get("Username", ""))
        if user is not None:
            api.store.global_sign_out(pool_id, user["username"])
    return answer(start_response, status, body, headers)


def _global_sign_out(call: Call, start_response, api: "Api"):
    """GlobalSignOut with an access token the hosted UI issued (moto knows only its own tokens).
    Texts: docs/fidelity/cognito-triggers.md#cognito-triggers-global-sign-out."""
    token = call.body.get("AccessToken")
    token = token if isinstance(token, str) else ""
    claims = _hosted_ui_access_token(api.aws, token, api.services.clock.time())
    if claims is None:
        status, headers, body = call.forward()
        return answer(start_response, status, body, headers)
    pool_id = claims["iss"].rsplit("/", 1)[-1]
    if api.store.is_revoked(claims.get("origin_jti")):
        return error(start_response, "NotAuthorizedException", "Access Token has been revoked")
    if "aws.cognito.signin.user.admin" not in claims.get("scope", "").split():
        return error(start_response, "NotAuthorizedException", "Access Token does not have required scopes")
    api.store.global_sign_out(pool_id, claims["username"])
    return answer(start_response, "200 OK", b"{}")


def _hosted_ui_access_token(aws, token: str, now: float) -> dict | None:
    try:
        issuer = str(jwt.decode(token, options={"verify_signature": False}).get("iss", ""))
    except (jwt.PyJWTError, TypeError, ValueError, AttributeError):
        return None
    pool_id = issuer.rsplit("/", 1)[-1]
    if moto_adapter.user_pool(aws.account_id, aws.region, pool_id) is None:
        return None
    # Expired tokens are moto's to refuse as any unknown token (NotAuthorizedException).
    return tokens.verify_access_token(token, pool_id, issuer, now)


OPERATIONS = {
    "DescribeUserPoolDomain": _describe_domain,
    "CreateUserPoolDomain": _create_domain,
    "AdminUserGlobalSignOut": _admin_global_sign_out,
    "GlobalSignOut": _global_sign_out,
    "AdminLinkProviderForUser": account_linking.admin_link_provider_for_user,
    "AdminDisableProviderForUser": account_linking.admin_disable_provider_for_user,
}


def dispatch(operation: str, environ, start_response, *, moto, api: Api):
    return OPERATIONS[operation](Call(environ, moto), start_response, api)
