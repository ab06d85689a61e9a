"""The Application username of a user in an app: the SAML NameID, the AWS app's RoleSessionName,
and what ``harness diagnose`` predicts (docs/fidelity/okta-saml.md#okta-saml-nameid-value,
docs/fidelity/okta-saml.md#okta-saml-application-username-options)."""
from __future__ import annotations

from world_common.world_model import OktaApp

from . import expressions

DEFAULT_TEMPLATE = "${source.login}"   # "Okta username"


def profile_of(user) -> dict:
    """The user's profile as Okta's expressions see it (``login`` always present)."""
    profile = dict(user.profile)
    profile.setdefault("login", user.login)
    return profile


def application_username(app: OktaApp, user) -> str:
    """The app's username template evaluated for ``user``; the Okta username by default."""
    template = (app.saml.user_name_template if app.saml else None) or DEFAULT_TEMPLATE
    value = expressions.evaluate(template, profile_of(user))
    return value if value is not None else user.login
