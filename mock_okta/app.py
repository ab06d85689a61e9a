"""The Flask application factory for one Okta org."""
from __future__ import annotations

from flask import Flask, jsonify

from world_common import urls
from world_common.services import Services

from .org import Org


def create_app(okta, services: Services) -> Flask:
    """A Flask app serving the org ``okta`` (the world file's ``okta`` record)."""
    app = Flask("mock_okta")
    app.config["OKTA"] = okta
    app.config["SERVICES"] = services
    app.config["ORG"] = Org(okta)

    from .oidc import bp as oidc_bp

    app.register_blueprint(oidc_bp)

    @app.get("/.well-known/okta-organization")
    def okta_organization():
        # Shape of Okta's public, unauthenticated org endpoint. The reference tables are silent
        # on it (unconfirmed): fields as the endpoint answers for a Classic/Identity Engine org.
        return jsonify({
            "id": urls.okta_id("00o", okta.org_url),
            "pipeline": "idx",
            "_links": {"organization": {"href": okta.org_url}, "alternate": {"href": okta.org_url}},
            "settings": {"analyticsCollectionEnabled": False, "bugReportingEnabled": True, "omEnabled": False},
        })

    return app
