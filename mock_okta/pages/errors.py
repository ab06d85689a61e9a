"""Okta's HTML error pages.

* 403 App Not Assigned (docs/fidelity/okta-saml.md#okta-saml-not-assigned-saml, docs/fidelity/okta-oidc-api.md#okta-oidc-api-app-assignment; OKS-403):
  "Sorry, you can't access <app name> because you are not assigned this app in Okta. If you're
  wondering why this is happening, please contact your administrator."
* 404 for unknown apps and pages: Okta's page text is not in the reference (unconfirmed); this
  one says what was not found.
* 400 for a SAML request Okta refuses: Okta's texts are not in the reference (unconfirmed); the
  page names the check that failed (issue 3, "Bad input").

The message sits in ``.error-content`` (what gimme-aws-creds scrapes, docs/fidelity/okta-oidc-api.md#okta-oidc-api-cli-clients).
"""
from __future__ import annotations

from html import escape

from flask import current_app

from world_common.world_model import OktaApp

from .html import page

APP_NOT_ASSIGNED_TITLE = "App Not Assigned"
APP_NOT_ASSIGNED = ("Sorry, you can't access {app} because you are not assigned this app in Okta. "
                    "If you're wondering why this is happening, please contact your administrator.")
NOT_FOUND_TITLE = "Page Not Found"


def _org_name() -> str:
    return current_app.extensions["mock_okta"]["ORG"].host.split(".", 1)[0]


def error_page(status: int, title: str, message: str, *, detail: str | None = None):
    body = (
        '<div id="okta-container" class="error-page"><div class="content">'
        f'<div class="error-content"><h1 class="error-code">{status}</h1>'
        f'<h2 class="error-title">{escape(title)}</h2>'
        f'<p class="error-description">{escape(message)}</p>'
        + (f'<p class="error-detail">{escape(detail)}</p>' if detail else "")
        + '<a class="button" href="/app/UserHome">Go to Homepage</a></div></div></div>')
    html = page(f"{status} {title}", body, org_name=_org_name(), body_class="error-page")
    return current_app.response_class(html, status=status, mimetype="text/html")


def app_not_assigned(app: OktaApp):
    return error_page(403, APP_NOT_ASSIGNED_TITLE, APP_NOT_ASSIGNED.format(app=app.label))


def not_found(what: str = "The page you requested was not found."):
    return error_page(404, NOT_FOUND_TITLE, what)


def bad_request(message: str):
    return error_page(400, "Bad Request", message)
