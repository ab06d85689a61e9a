"""``https://cognito-idp.<region>.amazonaws.com``: the user-pool API host.

The pools' JWKS and discovery documents, GetSigningCertificate (moto lacks it), the user-pool
API operations the world answers itself (:mod:`mock_cognito.idp_api`), DescribeIdentityProvider
with what Cognito adds, and everything else of the JSON API passed on to moto. Which pools exist
is moto's answer, so a pool created through the API after the world started has its JWKS as it
has its discovery document.
"""
from __future__ import annotations

import json

from flask import Blueprint, jsonify, request

from world_common.flask_app import WorldFlask
from world_common.keys import cert_body_b64
from world_common.world_model import AwsAccount

from . import idp_api, moto_adapter
from .context import app_state, install
from .json_responses import answer, call
from .saml.metadata import MetadataCache, MetadataError
from .saml.signing_certificate import certificate_b64, encryption_certificate
from .tokens import jwks_for_pool

bp = Blueprint("cognito_idp", __name__)


class CognitoIdp:
    """The host's WSGI app: a dispatcher in front of moto, with a small Flask app for what moto
    does not serve. Its state: the world's account record (also the Flask app's state,
    ``app.extensions["mock_cognito"]``), moto, the metadata cache and the API's own operations."""

    def __init__(self, aws: AwsAccount, services, store) -> None:
        self.aws, self.services, self.moto = aws, services, services.moto_app
        self.metadata = MetadataCache()
        self.api = idp_api.Api(aws=aws, services=services, store=store)
        self.flask = WorldFlask("mock_cognito.cognito_idp")
        install(self.flask, self)
        self.flask.register_blueprint(bp)

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if environ.get("REQUEST_METHOD") == "GET" and "/.well-known/" in path:
            return self.flask(environ, start_response)
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        operation = target.rpartition(".")[2]
        if operation in idp_api.OPERATIONS:
            return idp_api.dispatch(operation, environ, start_response, moto=self.moto, api=self.api)
        if target.endswith(".GetSigningCertificate"):
            return self.flask(environ, start_response)
        if target.endswith(".DescribeIdentityProvider"):
            return _describe_identity_provider(self.moto, environ, start_response, self.services, self.metadata)
        return self.moto(environ, start_response)


def _aws():
    return app_state().aws


def _pool_exists(pool_id: str) -> bool:
    aws = _aws()
    return moto_adapter.user_pool(aws.account_id, aws.region, pool_id) is not None


@bp.get("/<pool_id>/.well-known/jwks.json")
def jwks(pool_id):
    if not _pool_exists(pool_id):
        return _moto_like_not_found(pool_id)
    return jsonify(jwks_for_pool(pool_id))


@bp.get("/<pool_id>/.well-known/openid-configuration")
def openid_configuration(pool_id):
    if not _pool_exists(pool_id):
        return _moto_like_not_found(pool_id)
    return jsonify(discovery_document(_aws(), pool_id))


@bp.post("/")
def get_signing_certificate():
    # moto lacks GetSigningCertificate; the pool's SAML signing certificate, as the API
    # returns it (docs/fidelity/cognito-federation.md#cognito-federation-user-pool-saml-signing-certificate).
    pool_id = (request.get_json(force=True, silent=True) or {}).get("UserPoolId", "")
    if not _pool_exists(pool_id):
        body = {"__type": "ResourceNotFoundException", "message": f"User pool {pool_id} does not exist."}
        return jsonify(body), 400
    return jsonify({"Certificate": certificate_b64(pool_id)})


def _describe_identity_provider(moto, environ, start_response, services, metadata):
    """moto's answer plus what Cognito adds on describe (docs/fidelity/cognito-federation.md#cognito-federation-providerdetails-keys-2: SSORedirectBindingURI, SLORedirectBindingURI, ActiveEncryptionCertificate;
    docs/fidelity/cognito-federation.md#cognito-federation-providerdetails-describe: attributes_url_add_attributes "false" for OIDC)."""
    status, headers, body = call(moto, environ)
    if status.startswith("200"):
        try:
            data = json.loads(body)
            provider = data["IdentityProvider"]
            details = provider.setdefault("ProviderDetails", {})
            if provider.get("ProviderType") == "SAML":
                try:
                    found = metadata.get(details, services.http, services.clock.time())
                    for key, value in (("SSORedirectBindingURI", found.sso_redirect_url),
                                       ("SLORedirectBindingURI", found.slo_redirect_url)):
                        if value:
                            details[key] = value
                except MetadataError:
                    pass
                if str(details.get("EncryptedResponses", "")).lower() == "true":
                    details["ActiveEncryptionCertificate"] = cert_body_b64(
                        encryption_certificate(provider["UserPoolId"], provider["ProviderName"]))
            elif provider.get("ProviderType") == "OIDC":
                details.setdefault("attributes_url_add_attributes", "false")
            body = json.dumps(data).encode()
        except (ValueError, KeyError):
            pass
    return answer(start_response, status, body, headers)


def discovery_document(aws: AwsAccount, pool_id: str) -> dict:
    """docs/fidelity/cognito-tokens.md#cognito-tokens-discovery-jwks, docs/fidelity/cognito-tokens.md#cognito-tokens-oidc-discovery-document; the
    endpoint list beyond that capture (revocation, end_session) follows FED-EP: unconfirmed."""
    issuer = f"https://cognito-idp.{aws.region}.amazonaws.com/{pool_id}"
    doc = {"issuer": issuer, "jwks_uri": f"{issuer}/.well-known/jwks.json",
           "id_token_signing_alg_values_supported": ["RS256"], "response_types_supported": ["code", "token"],
           "scopes_supported": ["openid", "email", "phone", "profile"], "subject_types_supported": ["public"],
           "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"]}
    host = moto_adapter.pool_domain_host(aws.account_id, aws.region, pool_id)
    if host:
        doc.update({"authorization_endpoint": f"https://{host}/oauth2/authorize",
                    "token_endpoint": f"https://{host}/oauth2/token",
                    "userinfo_endpoint": f"https://{host}/oauth2/userInfo",
                    "revocation_endpoint": f"https://{host}/oauth2/revoke",
                    "end_session_endpoint": f"https://{host}/logout"})
    return dict(sorted(doc.items()))


def _moto_like_not_found(pool_id):
    # The fidelity reference is silent on the body for an unknown pool's JWKS; S3-style XML from the real
    # endpoint is not documented, so a plain 404 names what is missing (unconfirmed shape).
    return jsonify({"message": f"User pool {pool_id} does not exist."}), 404


