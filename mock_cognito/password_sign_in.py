"""The managed login's password form for native users (clients whose SupportedIdentityProviders
include ``COGNITO``): the checks and texts of a sign-in with a password
(docs/fidelity/cognito-triggers.md#cognito-triggers-password-texts), and the new password a
``FORCE_CHANGE_PASSWORD`` user must choose. HTTP glue is in :mod:`mock_cognito.hosted_ui`.
"""
from __future__ import annotations

from dataclasses import dataclass

from . import errors, moto_adapter


@dataclass
class Outcome:
    user: dict | None = None
    problem: str | None = None          # the text the page shows
    new_password_needed: bool = False


def check(pool, username: str, password: str) -> Outcome:
    """The password is checked first (a wrong one says nothing about the account), then the
    account's state."""
    user = moto_adapter.password_matches(pool.account_id, pool.region, pool.id, username.strip(), password)
    if user is None:
        return Outcome(problem=errors.INCORRECT_PASSWORD)
    if not user.get("enabled", True):
        return Outcome(problem=errors.USER_DISABLED)
    if user["status"] == "UNCONFIRMED":
        return Outcome(problem=errors.USER_NOT_CONFIRMED)
    if user["status"] in ("FORCE_CHANGE_PASSWORD", "RESET_REQUIRED"):
        return Outcome(user=user, new_password_needed=True)
    return Outcome(user=user)


def choose_new_password(pool, username: str, password: str, again: str) -> Outcome:
    if password != again:
        return Outcome(problem=errors.PASSWORDS_DIFFER)
    problem = moto_adapter.set_permanent_password(pool.region, pool.id, username, password)
    if problem:
        return Outcome(problem=problem)   # the pool's password policy, in moto's words
    return Outcome(user=moto_adapter.find_user(pool.account_id, pool.region, pool.id, username))
