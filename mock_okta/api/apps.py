"""Apps and users with an ``SSWS`` API token (docs/fidelity/okta-saml.md#okta-saml-metadata-url-admin-api, docs/fidelity/okta-oidc-api.md#okta-oidc-api-applinks; OKAPI-APPS), and ``/api/v1/users/me/appLinks`` with the ``sid`` cookie."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from world_common import urls
from world_common.world_model import OktaApp

from .. import sessions
from ..saml.metadata import metadata_for_app
from . import directory, users
from .errors import BAD_BODY, INVALID_SESSION, INVALID_TOKEN, NOT_FOUND, VALIDATION_FAILED, api_error

bp = Blueprint("okta_api_apps", __name__)
SIGN_ON_MODES = {"SAML_2_0": "SAML_2_0", "AWS": "SAML_2_0", "OPENID_CONNECT": "OPENID_CONNECT"}


_org = directory.org
_token_ok = directory.api_token_ok


def _app_json(app: OktaApp) -> dict:
    org_url = _org().org_url
    out = {
        "id": app.id, "name": app.name, "label": app.label, "status": app.status,
        # docs/fidelity/aws-signin-sts.md#aws-signin-sts-app-identity: the AWS app's signOnMode is SAML_2_0.
        "signOnMode": SIGN_ON_MODES[app.sign_on_mode],
        "_links": {"appLinks": [{"name": "login", "href": app.embed_link, "type": "text/html"}]},
    }
    if app.saml is not None:
        saml = app.saml
        out["settings"] = {"signOn": {
            "ssoAcsUrl": saml.sso_url, "recipient": saml.recipient, "destination": saml.destination,
            "audience": saml.audience, "defaultRelayState": saml.default_relay_state,
            # The setting as the Apps API reports it: one of the SAML 1.1 / 2.0 formats of Okta's
            # management API (okta-sdk-python's model rejects anything else), so the AWS app, whose
            # assertions say 2.0 "unspecified", reports the 1.1 "unspecified" setting (inferred).
            "subjectNameIdFormat": saml.subject_name_id_format,
            "responseSigned": saml.response_signed, "assertionSigned": saml.assertion_signed,
            "signatureAlgorithm": saml.signature_algorithm, "digestAlgorithm": saml.digest_algorithm,
            "honorForceAuthn": saml.honor_force_authn, "authnContextClassRef": saml.authn_context_class_ref,
            "idpIssuer": app.entity_id,
            "attributeStatements": [
                {"type": s.type, "name": s.name, "namespace": s.namespace, "values": list(s.values)}
                if s.type == "EXPRESSION" else
                {"type": "GROUP", "name": s.name, "namespace": s.namespace, "filterType": s.filter_type,
                 "filterValue": s.filter_value}
                for s in saml.attribute_statements],
        }}
        out["_links"]["metadata"] = {"href": f"{org_url}/api/v1/apps/{app.id}/sso/saml/metadata",
                                     "type": "application/xml"}
    if app.oidc is not None:
        oidc = app.oidc
        out["credentials"] = {"oauthClient": {"autoKeyRotation": True, "client_id": oidc.client_id,
                                              "token_endpoint_auth_method": oidc.token_endpoint_auth_method}}
        # settings.oauthClient as the Apps API shows an OIDC app (okta-sdk-python
        # OpenIdConnectApplicationSettingsClient: grant_types required)
        out["settings"] = {"app": {}, "oauthClient": {
            "redirect_uris": list(oidc.redirect_uris), "post_logout_redirect_uris": list(oidc.post_logout_redirect_uris),
            "response_types": ["code"], "grant_types": list(oidc.grant_types), "application_type": oidc.type,
            "consent_method": oidc.consent_method}}
    return out


@bp.get("/api/v1/apps")
def list_apps():
    """``q`` (startsWith on label and name), ``filter`` (e.g. ``status eq "ACTIVE"``),
    ``limit``/``after`` with a ``Link`` header (docs/fidelity/okta-mfa-idx.md#okta-mfa-idx-app-users)."""
    if not _token_ok():
        return api_error(INVALID_TOKEN)
    return directory.listed([_app_json(a) for a in _org().apps], ("label", "name"), 20)


@bp.get("/api/v1/apps/<app_id>")
def get_app(app_id: str):
    if not _token_ok():
        return api_error(INVALID_TOKEN)
    app = _org().app_by_id(app_id)
    if app is None:
        return api_error(NOT_FOUND, f"Resource not found: {app_id} (AppInstance)")
    return jsonify(_app_json(app))


@bp.get("/api/v1/apps/<app_id>/sso/saml/metadata")
def app_metadata(app_id: str):
    if not _token_ok():
        return api_error(INVALID_TOKEN)
    app = _org().app_by_id(app_id)
    if app is None or app.saml is None:
        return api_error(NOT_FOUND, f"Resource not found: {app_id} (AppInstance)")
    return current_app.response_class(metadata_for_app(_org().org_url, app), mimetype="application/xml")


def _app_links(user) -> list[dict]:
    """docs/fidelity/okta-oidc-api.md#okta-oidc-api-applinks (shape of AOP APPLICATIONS_RESPONSE)."""
    org = _org()
    out = []
    for order, app in enumerate(a for a in org.apps if a.status == "ACTIVE" and org.is_assigned(a, user)):
        out.append({
            "id": urls.okta_id("00u", f"link:{app.id}:{user.id}"), "label": app.label, "linkUrl": app.embed_link,
            "logoUrl": "https://ok12static.oktacdn.com/assets/img/logos/default.6770228fb0dab49a1695ef440a5279bb.png",
            "appName": app.name, "appInstanceId": app.id,
            "appAssignmentId": urls.okta_id("0ua", f"{app.id}:{user.id}"),
            "credentialsSetup": False, "hidden": False, "sortOrder": order,
        })
    return out


def _no_session_error():
    """Without a session: a presented but unknown token is 401 E0000011, as on every Okta API
    (docs/fidelity/okta-mfa-idx.md#okta-mfa-idx-bad-token); no credentials at all is 403 E0000005."""
    if request.headers.get("Authorization"):
        return api_error(INVALID_TOKEN)
    return api_error(INVALID_SESSION)


@bp.get("/api/v1/users/me/appLinks")
def my_app_links():
    session = sessions.current_session()
    if session is None:
        return _no_session_error()
    return jsonify(_app_links(session.user))


@bp.get("/api/v1/users/<key>/appLinks")
def user_app_links(key: str):
    user, error = directory.user_for_api(key)
    if error is not None:
        return error
    return jsonify(_app_links(user))


@bp.get("/api/v1/users/<key>")
def get_user(key: str):
    if key == "me":
        session = sessions.current_session()
        if session is None:
            return _no_session_error()
        user = session.user
    else:
        user, error = directory.user_for_api(key)
        if error is not None:
            return error
    return jsonify(_user_json(user))


_user_json = directory.user_json


@bp.post("/api/v1/users/<key>")
def update_user(key: str):
    """"Update a user", partial update (mock_okta.api.users; OK-USERS, okta-sdk-python
    UserApi.md ``POST /api/v1/users/{id}``): by id or login, like ``GET``, with an API token.
    ``me`` is not accepted here (whether Okta updates the token's or session's own user
    through ``/users/me`` is unconfirmed): it is looked up like any key, so E0000007."""
    user, error = directory.user_for_api(key)
    if error is not None:
        return error
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return api_error(BAD_BODY)
    changes = body.get("profile", {})
    if not isinstance(changes, dict):
        return api_error(VALIDATION_FAILED, "profile", causes=["profile: must be an object"])
    if "credentials" in body:   # password/recovery-question changes are not imitated
        return api_error(VALIDATION_FAILED, "credentials",
                         causes=["credentials: not imitated by the harness (only profile updates are)"])
    profile = users.merged_profile(user, changes)
    try:
        users.validate(_org(), user, profile)
    except users.ProfileInvalid as invalid:
        return api_error(VALIDATION_FAILED, invalid.field, causes=invalid.causes)
    users.apply(_org(), user, profile)
    return jsonify(_user_json(user))
