"""Okta as an OpenID Provider: the org authorization server and custom authorization servers.

Contract with mock_okta.app: ``bp`` is a Flask blueprint registered on the org's app; it serves
``/oauth2/v1/...``, ``/oauth2/<serverId>/v1/...`` and the discovery documents.

Modules, each a piece of the protocol: ``servers`` (issuers, lifetimes), ``keys`` (per-server
RS256 key rings, JWKS), ``clients`` (OIDC apps, client authentication), ``authorize``,
``token_endpoint``, ``tokens`` (ID/access token claims), ``claims`` (scope → user claims),
``resource_endpoints`` (userinfo, introspect, revoke), ``logout``, ``discovery``, ``errors``
(Okta's texts), ``store`` (codes, refresh tokens); ``views`` is the Flask glue.

Test control: ``rotate_keys(org_app_or_running_world, server_id="org")``.
"""
from .views import bp, rotate_keys

__all__ = ["bp", "rotate_keys"]
