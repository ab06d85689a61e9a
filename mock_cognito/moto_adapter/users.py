"""Federated and native users, their passwords and account links, written in process.

Part of :mod:`mock_cognito.moto_adapter`, the only door to moto."""
from __future__ import annotations

import hmac
import json

from . import direct
from .backends import user_pool
from .server import _lock, _world_account

# ---- federated users, written in process (the hot path) ----------------------------------------

def find_user(account_id: str, region: str, pool_id: str, username: str) -> dict | None:
    """{"username", "sub", "status", "attributes": {name: value}, "groups": [names by precedence]}."""
    pool = user_pool(account_id, region, pool_id)
    user = _user_named(pool, username) if pool else None
    return _view(user) if user is not None else None


def _view(user) -> dict:
    """find_user's view of moto's user object."""
    groups = sorted(user.groups, key=lambda g: (g.precedence is None, g.precedence or 0, g.group_name))
    return {"username": user.username, "sub": user.id, "status": user.status, "enabled": user.enabled,
            "attributes": dict(user.attribute_lookup), "groups": [g.group_name for g in groups],
            "group_roles": [g.role_arn for g in groups if g.role_arn]}


def _user_named(pool, username: str):
    """The user called ``username``; in a pool whose UsernameConfiguration has
    ``CaseSensitive: false``, whatever the case."""
    user = pool.users.get(username)
    if user is None and not (pool.extended_config.get("UsernameConfiguration") or {}).get("CaseSensitive", True):
        lowered = username.lower()
        user = next((u for name, u in pool.users.items() if name.lower() == lowered), None)
    return user


def save_federated_user(account_id: str, region: str, pool_id: str, username: str,
                        attributes: dict[str, str], group: str) -> dict:
    """Create (status ``EXTERNAL_PROVIDER``) or update the user, and put it in ``group``
    (created on first use, docs/fidelity/cognito-tokens.md#cognito-tokens-auto-created-group)."""
    from moto.cognitoidp.models import CognitoIdpGroup, CognitoIdpUser  # lazy: moto costs ~0.2 s to import

    pool = user_pool(account_id, region, pool_id)
    with _lock:
        user = pool.users.get(username)
        if user is None:
            user = CognitoIdpUser(pool_id, username, None, "EXTERNAL_PROVIDER", [])
            pool.users[username] = user
        user.update_attributes([{"Name": k, "Value": v} for k, v in attributes.items()])
        found = pool.groups.get(group)
        if found is None:
            found = CognitoIdpGroup(pool_id, group, "", None, None)
            pool.groups[group] = found
        found.users.add(user)
        user.groups.add(found)
        return _view(user)   # the user just written (find_user would look it up again by name)


# ---- native users' passwords (managed login) ------------------------------------------------

def password_matches(account_id: str, region: str, pool_id: str, username: str, password: str) -> dict | None:
    """The user (find_user's view) when ``username`` (or an email/phone username attribute) has
    this password, else None."""
    pool = user_pool(account_id, region, pool_id)
    user = pool._get_user(username) if pool else None
    if user is None:
        user = _user_named(pool, username) if pool else None
    if user is None or user.password is None or not hmac.compare_digest(user.password.encode(), password.encode()):
        return None
    return find_user(account_id, region, pool_id, user.username)


def set_permanent_password(region: str, pool_id: str, username: str, password: str) -> str | None:
    """AdminSetUserPassword (Permanent), as the API does it; moto's error message, or None."""
    from moto.core.exceptions import JsonRESTError  # lazy: moto costs ~0.2 s to import (package docstring)

    try:
        direct.CognitoIdp(_world_account["id"], region).admin_set_user_password(
            UserPoolId=pool_id, Username=username, Password=password, Permanent=True)
    except JsonRESTError as exc:  # Cognito's API errors in moto, with the message the API sends
        return exc.message or str(exc)
    return None


# ---- account links (mock_cognito.account_linking): kept on moto's pool, reset with it ------------

def links(account_id: str, region: str, pool_id: str) -> dict:
    """{(ProviderName, ProviderAttributeName, ProviderAttributeValue): destination username}."""
    pool = user_pool(account_id, region, pool_id)
    return dict(getattr(pool, "harness_links", {})) if pool else {}


def add_link(account_id: str, region: str, pool_id: str, key: tuple, username: str, identity: dict) -> None:
    """Link ``key`` to the user and add ``identity`` to the user's ``identities`` attribute."""
    pool = user_pool(account_id, region, pool_id)
    with _lock:
        pool.__dict__.setdefault("harness_links", {})[key] = username
        user = pool.users[username]
        current = [i for i in _identities(user) if (i.get("providerName"), i.get("userId")) != (key[0], key[2])]
        user.update_attributes([{"Name": "identities",
                                 "Value": json.dumps(current + [identity], separators=(",", ":"))}])


def remove_link(account_id: str, region: str, pool_id: str, key: tuple) -> None:
    """AdminDisableProviderForUser: the link goes (and the identity from the linked user), and a
    federated user ``{Provider}_{value}`` is disabled."""
    pool = user_pool(account_id, region, pool_id)
    with _lock:
        username = pool.__dict__.setdefault("harness_links", {}).pop(key, None)
        user = pool.users.get(username) if username else None
        if user is not None:
            kept = [i for i in _identities(user) if (i.get("providerName"), i.get("userId")) != (key[0], key[2])]
            user.update_attributes([{"Name": "identities", "Value": json.dumps(kept, separators=(",", ":"))}])
    federated = _user_named(pool, f"{key[0]}_{key[2]}")
    if federated is not None:
        federated.enabled = False


def _identities(user) -> list[dict]:
    try:
        return list(json.loads(user.attribute_lookup.get("identities") or "[]"))
    except ValueError:
        return []
