"""The pre token generation trigger: its event (V1_0 or V2_0) and what its response does to the
tokens (docs/fidelity/cognito-triggers.md#cognito-triggers-pre-token-v1,
#cognito-triggers-pre-token-v2).

V1_0: ``claimsOverrideDetails`` {``claimsToAddOrOverride`` (ID token), ``claimsToSuppress`` (ID
token), ``groupOverrideDetails``}. V2_0: ``claimsAndScopeOverrideDetails`` {``idTokenGeneration``,
``accessTokenGeneration`` (+ ``scopesToAdd``, ``scopesToSuppress``), ``groupOverrideDetails``}.
``groupOverrideDetails`` sets ``cognito:groups`` (both tokens), ``cognito:roles`` and
``cognito:preferred_role`` (ID token).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from . import UNRECOGNIZABLE, TriggerFailed, base_event, call, pre_token_version, trigger_arn

# Claims a trigger cannot add, override or suppress; the rest of the response still applies
# (docs/fidelity/cognito-triggers.md#cognito-triggers-protected-claims).
PROTECTED = {"acr", "amr", "at_hash", "aud", "auth_time", "azp", "c_hash", "cognito:username", "event_id", "exp",
             "iat", "identities", "iss", "jti", "nbf", "nonce", "origin_jti", "sub", "token_use"}
PROTECTED_ACCESS = PROTECTED | {"client_id", "scope", "username", "version"}


@dataclass
class Customization:
    """What a pre token generation response changes; ``source`` names the function for reports."""
    source: str = ""
    id_add: dict = field(default_factory=dict)
    id_suppress: list = field(default_factory=list)
    access_add: dict = field(default_factory=dict)
    access_suppress: list = field(default_factory=list)
    scopes_add: list = field(default_factory=list)
    scopes_suppress: list = field(default_factory=list)
    groups: list | None = None
    roles: list | None = None
    preferred_role: str | None = None


def event(pool, source: str, user: dict, client_id: str, scopes: list[str]) -> dict:
    version = pre_token_version(pool)
    out = base_event(pool, source, user["username"], client_id, "1" if version == "V1_0" else "2")
    attributes = dict(user["attributes"])
    attributes["cognito:user_status"] = user.get("status", "EXTERNAL_PROVIDER")
    roles = list(user.get("group_roles") or [])
    out["request"] = {"userAttributes": attributes,
                      "groupConfiguration": {"groupsToOverride": list(user.get("groups") or []),
                                             "iamRolesToOverride": roles,
                                             "preferredRole": roles[0] if roles else None}}
    if version == "V1_0":
        out["response"] = {"claimsOverrideDetails": None}
    else:
        out["request"]["scopes"] = list(scopes)
        out["response"] = {"claimsAndScopeOverrideDetails": None}
    return out


def run(pool, source: str, user: dict, client_id: str, scopes: list[str], functions, services) -> Customization | None:
    """Invoke the pool's pre token generation trigger, if any. Raises TriggerFailed."""
    if not trigger_arn(pool, "PreTokenGeneration"):
        return None   # what call() answers without a handler, without building the event (~3 us)
    answer = call(pool, "PreTokenGeneration", event(pool, source, user, client_id, scopes), functions, services)
    if answer is None:
        return None
    arn = (pool.lambda_config.get("PreTokenGenerationConfig") or {}).get("LambdaArn") or \
        pool.lambda_config.get("PreTokenGeneration")
    custom = Customization(source=arn.rsplit(":", 1)[-1])
    response = answer.get("response") or {}
    try:
        if pre_token_version(pool) == "V1_0":
            _read_v1(response.get("claimsOverrideDetails") or {}, custom)
        else:
            _read_v2(response.get("claimsAndScopeOverrideDetails") or {}, custom)
    except (TypeError, ValueError, AttributeError):
        raise TriggerFailed(UNRECOGNIZABLE) from None
    return custom


def _claims(value, strings_only: bool) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise TypeError("claimsToAddOrOverride")
    out = {}
    for name, claim in value.items():
        if strings_only:   # V1_0 claims are strings
            if isinstance(claim, (dict, list)):
                raise TypeError(name)
            claim = claim if isinstance(claim, str) else str(claim).lower() if isinstance(claim, bool) else str(claim)
        out[name] = claim
    return out


def _names(value) -> list:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TypeError("list of names")
    return list(value)


def _groups(details, custom: Customization) -> None:
    if not details:
        return
    if not isinstance(details, dict):
        raise TypeError("groupOverrideDetails")
    if details.get("groupsToOverride") is not None:
        custom.groups = _names(details["groupsToOverride"])
    if details.get("iamRolesToOverride") is not None:
        custom.roles = _names(details["iamRolesToOverride"])
    if details.get("preferredRole") is not None:
        custom.preferred_role = str(details["preferredRole"])


def _read_v1(details, custom: Customization) -> None:
    if not isinstance(details, dict):
        raise TypeError("claimsOverrideDetails")
    custom.id_add = _claims(details.get("claimsToAddOrOverride"), strings_only=True)
    custom.id_suppress = _names(details.get("claimsToSuppress"))
    _groups(details.get("groupOverrideDetails"), custom)


def _read_v2(details, custom: Customization) -> None:
    if not isinstance(details, dict):
        raise TypeError("claimsAndScopeOverrideDetails")
    id_part = details.get("idTokenGeneration") or {}
    access_part = details.get("accessTokenGeneration") or {}
    if not isinstance(id_part, dict) or not isinstance(access_part, dict):
        raise TypeError("token generation")
    custom.id_add = _claims(id_part.get("claimsToAddOrOverride"), strings_only=False)
    custom.id_suppress = _names(id_part.get("claimsToSuppress"))
    custom.access_add = _claims(access_part.get("claimsToAddOrOverride"), strings_only=False)
    custom.access_suppress = _names(access_part.get("claimsToSuppress"))
    custom.scopes_add = _names(access_part.get("scopesToAdd"))
    custom.scopes_suppress = _names(access_part.get("scopesToSuppress"))
    _groups(details.get("groupOverrideDetails"), custom)


def apply_id(claims: dict, custom: Customization | None) -> dict:
    if custom is None:
        return claims
    _apply_groups(claims, custom, id_token=True)
    return _override(claims, custom.id_suppress, custom.id_add, PROTECTED)


def apply_access(claims: dict, custom: Customization | None) -> dict:
    if custom is None:
        return claims
    _apply_groups(claims, custom, id_token=False)
    scopes = [s for s in claims.get("scope", "").split() if s not in custom.scopes_suppress]
    scopes += [s for s in custom.scopes_add if s not in scopes]
    claims["scope"] = " ".join(scopes)
    return _override(claims, custom.access_suppress, custom.access_add, PROTECTED_ACCESS)


def _override(claims: dict, suppress, add: dict, protected) -> dict:
    """The handler's claimsToSuppress, then claimsToAddOrOverride, except the claims it may not touch."""
    for name in suppress:
        if name not in protected:
            claims.pop(name, None)
    for name, value in add.items():
        if name not in protected:
            claims[name] = value
    return claims


def _apply_groups(claims: dict, custom: Customization, id_token: bool) -> None:
    if custom.groups is not None:
        if custom.groups:
            claims["cognito:groups"] = list(custom.groups)
        else:
            claims.pop("cognito:groups", None)
    if not id_token:
        return
    if custom.roles is not None:
        if custom.roles:
            claims["cognito:roles"] = list(custom.roles)
        else:
            claims.pop("cognito:roles", None)
    if custom.preferred_role is not None:
        claims["cognito:preferred_role"] = custom.preferred_role
