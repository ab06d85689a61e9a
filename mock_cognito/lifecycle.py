"""The user-pool triggers around a federated sign-in, with the events Cognito sends
(docs/fidelity/cognito-triggers.md#cognito-triggers-federation-sources): a first sign-in runs
``PreSignUp_ExternalProvider`` before the user exists and ``PostConfirmation_ConfirmSignUp``
after; later sign-ins run ``PreAuthentication_Authentication`` and
``PostAuthentication_Authentication``. Each raises :class:`mock_cognito.triggers.TriggerFailed`
with the text users see; a failing Pre sign-up leaves no user behind (it runs before the write).
"""
from __future__ import annotations

from . import triggers
from .triggers import UNRECOGNIZABLE, TriggerFailed, base_event

# _NO_EVENT: each function below returns at once when the pool has no handler for its trigger,
# as triggers.call would, without building the event first (~1-2 us each, two a sign-in).


def _attributes(user: dict) -> dict:
    out = dict(user["attributes"])
    out["cognito:user_status"] = user.get("status", "EXTERNAL_PROVIDER")
    return out


def before_sign_up(pool, username: str, mapped: dict, client_id, functions, services) -> None:
    """PreSignUp_ExternalProvider; ``autoVerifyEmail`` / ``autoVerifyPhone`` mark the mapped email
    / phone verified (federated users are confirmed whatever ``autoConfirmUser`` says)."""
    if not triggers.trigger_arn(pool, "PreSignUp"):
        return   # no handler: no event to build (see _NO_EVENT)
    event = base_event(pool, "PreSignUp_ExternalProvider", username, client_id)
    event["request"] = {"userAttributes": dict(mapped), "validationData": {}}
    event["response"] = {"autoConfirmUser": False, "autoVerifyEmail": False, "autoVerifyPhone": False}
    answer = triggers.call(pool, "PreSignUp", event, functions, services)
    if answer is None:
        return
    response = answer.get("response") or {}
    flags = {k: response.get(k) for k in ("autoConfirmUser", "autoVerifyEmail", "autoVerifyPhone")}
    if any(v is not None and not isinstance(v, bool) for v in flags.values()):
        raise TriggerFailed(UNRECOGNIZABLE)
    if flags["autoVerifyEmail"] and "email" in mapped:
        mapped["email_verified"] = "true"
    if flags["autoVerifyPhone"] and "phone_number" in mapped:
        mapped["phone_number_verified"] = "true"


def after_sign_up(pool, user: dict, client_id, functions, services) -> None:
    if not triggers.trigger_arn(pool, "PostConfirmation"):
        return
    event = base_event(pool, "PostConfirmation_ConfirmSignUp", user["username"], client_id)
    event["request"] = {"userAttributes": _attributes(user)}
    triggers.call(pool, "PostConfirmation", event, functions, services)


def before_authentication(pool, user: dict, client_id, functions, services) -> None:
    if not triggers.trigger_arn(pool, "PreAuthentication"):
        return
    event = base_event(pool, "PreAuthentication_Authentication", user["username"], client_id)
    event["request"] = {"userAttributes": _attributes(user), "validationData": {}}
    triggers.call(pool, "PreAuthentication", event, functions, services)


def after_authentication(pool, user: dict, client_id, functions, services) -> None:
    if not triggers.trigger_arn(pool, "PostAuthentication"):
        return
    event = base_event(pool, "PostAuthentication_Authentication", user["username"], client_id)
    event["request"] = {"userAttributes": _attributes(user), "newDeviceUsed": False}
    triggers.call(pool, "PostAuthentication", event, functions, services)


def returning_user(pool, user: dict, client_id, functions, services) -> dict:
    """A sign-in as an existing user (linked identity, or a native password): the authentication
    triggers around it."""
    before_authentication(pool, user, client_id, functions, services)
    after_authentication(pool, user, client_id, functions, services)
    return user
