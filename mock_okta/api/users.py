"""Okta's Users API "Update a user" (partial update): ``POST /api/v1/users/{id}`` with
``{"profile": {...}}`` (OK-USERS; okta-sdk-python docs/UserApi.md "update_user | POST
/api/v1/users/{id} | Update a user": "Updates a user's profile or credentials with partial update
semantics", i.e. properties not in the request keep their value). The Flask route is in
:mod:`mock_okta.api.apps` (beside ``GET /api/v1/users/{id}``); this module is the profile logic.

A login change re-keys the org's directory (``Org.users`` is keyed by the lower-cased login) and
the app assignments that name the user, so the user's sessions (which hold the user object) and
assignments keep working, as Okta's (keyed by user id) do.
"""
from __future__ import annotations

import re

# docs/fidelity/okta-oidc-api.md#okta-oidc-api-profile-validation: login unique, 5–100 chars; email RFC 5322, 5–100;
# firstName/lastName 1–50. The errorCauses wording below is unconfirmed.
_LENGTHS = {"login": (5, 100), "email": (5, 100), "firstName": (1, 50), "lastName": (1, 50)}
# A loose RFC 5322 addr-spec check (local@domain); Okta's exact validator is unconfirmed.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")


class ProfileInvalid(Exception):
    """The merged profile fails Okta's validation; ``causes`` are the per-field reasons."""

    def __init__(self, field: str, causes: list[str]) -> None:
        super().__init__(field)
        self.field, self.causes = field, causes


def merged_profile(user, changes: dict) -> dict:
    """Partial-update semantics: the request's properties over the current ones; a property
    sent as ``null`` is cleared (unconfirmed for base attributes Okta requires, which then fail
    validation below)."""
    profile = {"login": user.login, **user.profile}
    for name, value in changes.items():
        if value is None:
            profile.pop(name, None)
        else:
            profile[name] = value
    return profile


def validate(org, user, profile: dict) -> None:
    """Raise :class:`ProfileInvalid` for the first failing field (docs/fidelity/okta-oidc-api.md#okta-oidc-api-profile-validation)."""
    for name, (low, high) in _LENGTHS.items():
        if name not in profile and name == "login":
            raise ProfileInvalid(name, [f"{name}: The field cannot be left blank"])
        if name not in profile:
            continue
        value = profile[name]
        if not isinstance(value, str) or not low <= len(value) <= high:
            raise ProfileInvalid(name, [f"{name}: The field must be a string of {low} to {high} characters"])
    if "email" in profile and not _EMAIL.match(profile["email"]):
        raise ProfileInvalid("email", ["email: Does not match required pattern"])
    other = org.user_by_login(profile["login"])
    if other is not None and other is not user:
        raise ProfileInvalid("login", ["login: An object with this field already exists in the current organization"])


def apply(org, user, profile: dict) -> None:
    """Store ``profile`` on ``user``; a changed login re-keys the directory (assignments follow
    the user's id: Org.assignments)."""
    old, new = user.login, profile["login"]
    keeps_login = "login" in user.profile   # the world file's profiles may leave it out
    user.profile = {k: v for k, v in profile.items() if k != "login" or keeps_login}
    if new == old:
        return
    user.login = new
    if old.lower() != new.lower():
        org.users.pop(old.lower(), None)
        org.users[new.lower()] = user
