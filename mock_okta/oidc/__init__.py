"""Okta as an OpenID Provider: the org authorization server and custom authorization servers.

Contract with mock_okta.app: ``bp`` is a Flask blueprint registered on the org's app; it serves
``/oauth2/v1/...``, ``/oauth2/<serverId>/v1/...`` and the discovery documents.
"""
from flask import Blueprint

bp = Blueprint("okta_oidc", __name__)
