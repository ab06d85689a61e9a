"""Discovery documents (docs/fidelity/okta-oidc-api.md#okta-oidc-api-org-authorization-server, docs/fidelity/okta-oidc-api.md#okta-oidc-api-custom-authorization-server,
"Endpoints", "Discovery fields (sample)").

``/.well-known/openid-configuration`` and ``/.well-known/oauth-authorization-server`` of the org
server; ``/oauth2/<id>/.well-known/...`` of a custom server. Both documents carry the same
fields here (how Okta's two documents differ is unconfirmed).
"""
from __future__ import annotations

from . import device
from .servers import AuthorizationServer

GRANTS = ["authorization_code", "refresh_token", device.DEVICE_CODE]

# docs/fidelity/okta-oidc-api.md#okta-oidc-api-discovery-fields-sample.
RESPONSE_TYPES = ["code", "code id_token", "code token", "code id_token token", "id_token", "id_token token"]
RESPONSE_MODES = ["query", "fragment", "form_post", "okta_post_message"]
AUTH_METHODS = ["client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt", "none"]
# Claims Okta lists (unconfirmed list; these are the ones the harness can put in a token).
CLAIMS = ["iss", "ver", "sub", "aud", "iat", "exp", "jti", "auth_time", "amr", "idp", "nonce", "name",
          "nickname", "preferred_username", "given_name", "middle_name", "family_name", "email",
          "email_verified", "profile", "zoneinfo", "locale", "address", "phone_number", "updated_at",
          "groups", "at_hash"]


def document(server: AuthorizationServer) -> dict:
    return {
        "issuer": server.issuer,
        "authorization_endpoint": server.endpoint("authorize"),
        "token_endpoint": server.endpoint("token"),
        "userinfo_endpoint": server.endpoint("userinfo"),
        "registration_endpoint": f"{server.base_url.split('/oauth2', 1)[0]}/oauth2/v1/clients",
        "jwks_uri": server.endpoint("keys"),
        "response_types_supported": RESPONSE_TYPES,
        "response_modes_supported": RESPONSE_MODES,
        # The grants the org serves (docs/fidelity/okta-mfa-idx.md#okta-mfa-idx-discovery-grants);
        # the web SSO token exchange only on the org server.
        "grant_types_supported": GRANTS + ([device.TOKEN_EXCHANGE] if server.is_org else []),
        "device_authorization_endpoint": server.endpoint("device/authorize"),
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": list(server.scopes),
        "token_endpoint_auth_methods_supported": AUTH_METHODS,
        "claims_supported": CLAIMS,
        "code_challenge_methods_supported": ["S256"],
        "introspection_endpoint": server.endpoint("introspect"),
        "introspection_endpoint_auth_methods_supported": AUTH_METHODS,
        "revocation_endpoint": server.endpoint("revoke"),
        "revocation_endpoint_auth_methods_supported": AUTH_METHODS,
        "end_session_endpoint": server.endpoint("logout"),
        "request_parameter_supported": False,
    }
