"""The directory APIs that SDKs and tools list: Users, Groups, and the users and groups of an
app, with an ``SSWS`` API token (docs/fidelity/okta-mfa-idx.md#okta-mfa-idx-list-users,
#okta-mfa-idx-list-groups, #okta-mfa-idx-app-users, #okta-mfa-idx-list-pagination).

* ``GET /api/v1/users`` with ``q`` (startsWith on firstName, lastName, email), ``filter``,
  ``search``, ``limit``, ``after``; ``GET /api/v1/users/{id|login}/groups``.
* ``GET /api/v1/groups`` with ``q`` (startsWith on the name), ``filter``, ``search``,
  ``limit``, ``after``; ``GET /api/v1/groups/{id}``; ``GET /api/v1/groups/{id}/users``.
* ``GET /api/v1/apps/{id}/users``, ``GET /api/v1/apps/{id}/groups``.

Every list answers a page and a ``Link`` header (``rel="self"``, and ``rel="next"`` while more
follow). The JSON objects carry the fields of Okta's User, Group and AppUser models.
"""
from __future__ import annotations

import datetime as _dt

from flask import Blueprint, current_app, jsonify, request

from world_common import urls
from world_common.world_model import OktaApp

from . import query
from .errors import INVALID_TOKEN, NOT_FOUND, VALIDATION_FAILED, api_error

bp = Blueprint("okta_api_directory", __name__)
USER_TYPE_DEFAULT = "default"
# Users list: 200 per page unless q is given (then 10) (Okta Users API "List users" limit).
USERS_LIMIT, USERS_Q_LIMIT, GROUPS_LIMIT = 200, 10, 10000


def org():
    return current_app.extensions["mock_okta"]["ORG"]


def iso(epoch: float) -> str:
    moment = _dt.datetime.fromtimestamp(epoch, _dt.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def api_token_ok() -> bool:
    """An ``Authorization: SSWS <token>`` header naming one of the world's API tokens. The space
    may be missing: Okta's own Python SDK (okta 3.4.6, ``Configuration.auth_settings``) sends
    ``SSWS<token>`` and works against Okta, so Okta accepts it (inferred;
    docs/fidelity/okta-mfa-idx.md#okta-mfa-idx-bad-token)."""
    header = request.headers.get("Authorization", "")
    tokens = {t.token for t in (org().record.api_tokens or [])}
    return header.startswith("SSWS") and header[4:].strip() in tokens


def created_at() -> str:
    """Directory objects exist since the world started (their real history is not modelled)."""
    return iso(current_app.extensions["mock_okta"]["OKTA_CREATED"])


def user_json(user) -> dict:
    base = org().org_url
    when = created_at()
    active = user.status == "ACTIVE"
    return {
        "id": user.id, "status": user.status, "created": when, "activated": when if active else None,
        "statusChanged": when, "lastLogin": None, "lastUpdated": when, "passwordChanged": when,
        "type": {"id": urls.okta_id("oty", f"{base}:{USER_TYPE_DEFAULT}")},
        "profile": {"login": user.login, **user.profile},
        "credentials": {"password": {}, "provider": {"type": "OKTA", "name": "OKTA"}},
        "_links": {"self": {"href": f"{base}/api/v1/users/{user.id}"}},
    }


def group_json(group) -> dict:
    base = org().org_url
    when = created_at()
    return {
        "id": group.id, "created": when, "lastUpdated": when, "lastMembershipUpdated": when,
        "objectClass": ["okta:user_group"], "type": group.type,
        "profile": {"name": group.name, "description": group.description},
        "_links": {"users": {"href": f"{base}/api/v1/groups/{group.id}/users"},
                   "apps": {"href": f"{base}/api/v1/groups/{group.id}/apps"}},
    }


def listed(records: list[dict], q_fields: tuple[str, ...], default_limit: int, q_limit: int | None = None):
    """Apply ``q``, ``filter`` and ``search`` to JSON ``records``, then page them."""
    args = request.args
    try:
        if args.get("q"):
            needle = args["q"].lower()
            records = [r for r in records
                       if any(str(query.lookup(r, f) or "").lower().startswith(needle) for f in q_fields)]
            default_limit = q_limit or default_limit
        for name in ("filter", "search"):
            if args.get(name):
                predicate = query.parse(args[name])
                records = [r for r in records if predicate(r)]
        chunk, link = query.page(records, request.base_url, args, default_limit=default_limit,
                                 max_limit=max(default_limit, 200))
    except query.QueryError as exc:
        return api_error(VALIDATION_FAILED, str(exc), causes=[str(exc)])
    response = jsonify(chunk)
    response.headers["Link"] = link
    return response


def _guard():
    return None if api_token_ok() else api_error(INVALID_TOKEN)


def find_user(key: str):
    return org().user_by_id(key) or org().user_by_login(key)


def user_for_api(key: str):
    """(the user ``key`` names by id or login, None) for a call with a valid API token, else
    (None, Okta's error: E0000011 invalid token, or E0000007 not found)."""
    if not api_token_ok():
        return None, api_error(INVALID_TOKEN)
    user = find_user(key)
    if user is None:
        return None, api_error(NOT_FOUND, f"Resource not found: {key} (User)")
    return user, None


@bp.get("/api/v1/users")
def list_users():
    if (denied := _guard()) is not None:
        return denied
    # "List users" leaves DEPROVISIONED users out unless a filter or search asks for them.
    users = [u for u in org().users.values()
             if u.status != "DEPROVISIONED" or request.args.get("filter") or request.args.get("search")]
    return listed([user_json(u) for u in users], ("profile.firstName", "profile.lastName", "profile.email"),
                  USERS_LIMIT, USERS_Q_LIMIT)


@bp.get("/api/v1/users/<key>/groups")
def user_groups(key: str):
    user, error = user_for_api(key)
    if error is not None:
        return error
    return jsonify([group_json(g) for g in org().groups_of(user)])


@bp.get("/api/v1/groups")
def list_groups():
    if (denied := _guard()) is not None:
        return denied
    return listed([group_json(g) for g in org().groups.values()], ("profile.name",), GROUPS_LIMIT)


def _group(group_id: str):
    return next((g for g in org().groups.values() if g.id == group_id), None)


@bp.get("/api/v1/groups/<group_id>")
def get_group(group_id: str):
    if (denied := _guard()) is not None:
        return denied
    group = _group(group_id)
    if group is None:
        return api_error(NOT_FOUND, f"Resource not found: {group_id} (UserGroup)")
    return jsonify(group_json(group))


@bp.get("/api/v1/groups/<group_id>/users")
def group_users(group_id: str):
    if (denied := _guard()) is not None:
        return denied
    group = _group(group_id)
    if group is None:
        return api_error(NOT_FOUND, f"Resource not found: {group_id} (UserGroup)")
    members = [user_json(u) for u in org().users.values() if group.name in u.groups]
    return listed(members, (), 1000)


def _app_or_404(app_id: str):
    app = org().app_by_id(app_id)
    return app, (None if app is not None else api_error(NOT_FOUND, f"Resource not found: {app_id} (AppInstance)"))


def app_user_json(app: OktaApp, user, assignments: list[dict]) -> dict:
    base = org().org_url
    when = created_at()
    direct = any(a["kind"] == "user" for a in assignments)
    roles = sorted({r for a in assignments for r in a["saml_roles"]})
    profile = {"samlRoles": roles} if roles else {}
    return {
        "id": user.id, "externalId": None, "created": when, "lastUpdated": when,
        "scope": "USER" if direct else "GROUP", "status": "ACTIVE" if user.status == "ACTIVE" else "INACTIVE",
        "statusChanged": when, "passwordChanged": None, "syncState": "DISABLED",
        "credentials": {"userName": user.login}, "profile": profile,
        "_links": {"app": {"href": f"{base}/api/v1/apps/{app.id}"}, "user": {"href": f"{base}/api/v1/users/{user.id}"}},
    }


@bp.get("/api/v1/apps/<app_id>/users")
def app_users(app_id: str):
    if (denied := _guard()) is not None:
        return denied
    app, missing = _app_or_404(app_id)
    if missing is not None:
        return missing
    records = []
    for user in org().users.values():
        assignments = org().assignments(app, user)
        if assignments:
            records.append(app_user_json(app, user, assignments))
    return listed(records, ("credentials.userName",), 50)


@bp.get("/api/v1/apps/<app_id>/groups")
def app_groups(app_id: str):
    if (denied := _guard()) is not None:
        return denied
    app, missing = _app_or_404(app_id)
    if missing is not None:
        return missing
    base, when = org().org_url, created_at()
    records = []
    for priority, entry in enumerate(app.groups):
        name = entry.get("group") if isinstance(entry, dict) else entry
        group = org().groups.get(name)
        if group is None:
            continue
        roles = list(entry.get("saml_roles", [])) if isinstance(entry, dict) else []
        records.append({"id": group.id, "lastUpdated": when, "priority": priority,
                        "profile": {"samlRoles": roles} if roles else {},
                        "_links": {"app": {"href": f"{base}/api/v1/apps/{app.id}"},
                                   "group": {"href": f"{base}/api/v1/groups/{group.id}"}}})
    return listed(records, (), 20)
