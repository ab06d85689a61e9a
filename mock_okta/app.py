"""The Flask application factory for one Okta org."""
from __future__ import annotations

from flask import Flask, current_app, jsonify, request
from werkzeug.exceptions import HTTPException

from world_common import urls
from world_common.flask_app import WorldFlask
from world_common.services import Services
from world_common.world_model import OktaOrg

from .api.apps import bp as apps_bp
from .api.authn import bp as authn_bp
from .api.directory import bp as directory_bp
from .api.errors import NOT_FOUND, api_error
from .json_bodies import BoundedJSONProvider
from .mfa.transactions import Transactions
from .oidc import bp as oidc_bp
from .oidc.provider import Provider
from .org import Org
from .pages import errors as error_pages
from .pages.login import bp as login_bp
from .saml.keys import signing_key_and_cert
from .saml.views import PendingRequests
from .saml.views import bp as saml_bp
from .sessions import SessionStore


def create_app(okta: OktaOrg, services: Services) -> Flask:
    """A Flask app serving the org ``okta`` (the world file's ``okta`` record)."""
    app = WorldFlask("mock_okta")
    app.json = BoundedJSONProvider(app)
    # The org's per-app state, where Flask keeps extension state (read as
    # ``current_app.extensions["mock_okta"][...]`` by the blueprints); nothing is kept elsewhere.
    org = Org(okta)
    app.extensions["mock_okta"] = {
        "OKTA": okta,
        "SERVICES": services,
        "ORG": org,
        "OIDC_PROVIDER": Provider(okta, org, services.clock),   # the authorization servers, keys, grants
        "ORG_ID": urls.okta_id("00o", okta.org_url),
        "OKTA_SESSIONS": SessionStore(services.clock),
        "OKTA_SAML_PENDING": PendingRequests(services.clock),
        "OKTA_CREATED": services.clock.time(),
        "OKTA_TRANSACTIONS": Transactions(services.clock),
    }

    app.register_blueprint(oidc_bp)
    for bp in (login_bp, saml_bp, authn_bp, apps_bp, directory_bp):
        app.register_blueprint(bp)
    _register_error_pages(app)
    _derive_signing_keys(app, okta)
    app.add_url_rule("/.well-known/okta-organization", view_func=okta_organization, methods=["GET"])
    return app


def okta_organization():
    # Shape of Okta's public, unauthenticated org endpoint. The reference tables are silent
    # on it (unconfirmed): fields as the endpoint answers for a Classic/Identity Engine org.
    okta = current_app.extensions["mock_okta"]["OKTA"]
    return jsonify({
        "id": urls.okta_id("00o", okta.org_url),
        # docs/fidelity/okta-mfa-idx.md#okta-mfa-idx-engine: "idx" for Identity Engine, "v1" for Classic
        "pipeline": "idx" if okta.engine == "identity_engine" else "v1",
        "_links": {"organization": {"href": okta.org_url}, "alternate": {"href": okta.org_url}},
        "settings": {"analyticsCollectionEnabled": False, "bugReportingEnabled": True, "omEnabled": False},
    })


def _derive_signing_keys(app: Flask, okta: OktaOrg) -> None:
    """Every key the org signs with exists before the world reports ready: deriving one inside
    the first request that needs it could outlast the caller's timeout (Cognito gives an IdP
    5 seconds)."""
    for record in okta.apps:
        if record.saml is not None:
            signing_key_and_cert(okta.org_url, record.id)
    for ring in app.extensions["mock_okta"]["OIDC_PROVIDER"].keyrings.values():
        ring.published()


def _register_error_pages(app: Flask) -> None:
    """Unknown paths get Okta's 404 page (API paths its E0000007 JSON); a bad method or
    unreadable form gets a page, never a bare traceback."""
    @app.errorhandler(404)
    def not_found(exc):
        if request.path.startswith("/oauth2/"):
            return exc   # the OIDC blueprint answers for its own paths
        if request.path.startswith("/api/"):
            return api_error(NOT_FOUND, f"Resource not found: {request.path}")
        return error_pages.not_found()

    @app.errorhandler(HTTPException)
    def http_error(exc):
        if request.path.startswith("/api/") or request.path.startswith("/oauth2/"):
            return exc
        return error_pages.error_page(exc.code or 400, exc.name, exc.description or exc.name)
