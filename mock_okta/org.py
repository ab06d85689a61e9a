"""The org's directory: users, groups, apps and who is assigned to what (docs/fidelity/okta-oidc-api.md#okta-oidc-api-api).

Built once per world from the world file's ``okta`` record; mutable at run time (tests may
change a user's status or password through it).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from world_common import urls
from world_common.world_model import Factor, OktaApp, OktaOrg


@dataclass
class User:
    id: str
    login: str
    password: str | None
    status: str
    profile: dict
    groups: list[str] = field(default_factory=list)   # group names, "Everyone" included
    factors: list[Factor] = field(default_factory=list)   # enrolled factors (world file records)
    failed_passwords: int = 0                          # since the last success (lockout)


@dataclass
class Group:
    id: str
    name: str
    description: str = ""
    type: str = "OKTA_GROUP"   # Everyone is BUILT_IN (docs/fidelity/okta-oidc-api.md#okta-oidc-api-group-types)


def assignment_entries(entries, key: str) -> list[tuple[object, list[str] | None]]:
    """An app's ``users`` (``key="user"``) or ``groups`` (``key="group"``) as written in a world
    file, each either a name or ``{key: name, "saml_roles": [...]}``: ``[(name, saml_roles or
    None)]``. The one reading of that shape (the org, the world loader's checks, diagnose)."""
    out = []
    for entry in entries:
        if isinstance(entry, dict):
            out.append((entry.get(key), entry.get("saml_roles")))
        else:
            out.append((entry, None))
    return out


class Org:
    def __init__(self, okta: OktaOrg) -> None:
        self.record = okta
        self.org_url: str = okta.org_url
        self.host: str = okta.org_url.split("//", 1)[1].split("/", 1)[0]
        self.groups: dict[str, Group] = {
            "Everyone": Group(urls.okta_id("00g", f"{okta.org_url}:Everyone"), "Everyone",
                              "All users in your organization", "BUILT_IN")}
        for g in okta.groups:
            self.groups[g.name] = Group(g.id, g.name, g.description)
        self.users: dict[str, User] = {}
        for u in okta.users:
            self.users[u.login.lower()] = User(u.id, u.login, u.password, u.status, dict(u.profile),
                                               ["Everyone", *u.groups], list(u.factors))
        self.apps: list[OktaApp] = list(okta.apps)
        self.engine: str = okta.engine
        policy = okta.password_policy
        self.max_lockout_attempts: int = policy.password_max_lockout_attempts if policy is not None else 10
        # Direct assignments by user id, so a login changed through the API keeps them
        # (and the world file's records are never rewritten at run time).
        self._direct: dict[str, dict[str, list[str]]] = {}
        for app in self.apps:
            direct = self._direct.setdefault(app.id, {})
            for login, roles in assignment_entries(app.users, "user"):
                user = self.user_by_login(login)
                if user is not None:
                    direct[user.id] = list(roles or [])

    # ---- lookups ----------------------------------------------------------------------------
    def user_by_login(self, login: str) -> User | None:
        """Okta logins are matched case-insensitively."""
        return self.users.get((login or "").lower())

    def user_by_id(self, user_id: str) -> User | None:
        return next((u for u in self.users.values() if u.id == user_id), None)

    def app_by_id(self, app_id: str) -> OktaApp | None:
        return next((a for a in self.apps if a.id == app_id), None)

    def app_by_exk(self, exk: str) -> OktaApp | None:
        return next((a for a in self.apps if a.exk == exk), None)

    def app_by_client_id(self, client_id: str) -> OktaApp | None:
        return next((a for a in self.apps if a.oidc is not None and a.oidc.client_id == client_id), None)

    def app_by_label(self, label: str) -> OktaApp | None:
        return next((a for a in self.apps if a.label == label), None)

    def groups_of(self, user: User) -> list[Group]:
        return [self.groups[n] for n in user.groups if n in self.groups]

    def assignments(self, app: OktaApp, user: User) -> list[dict]:
        """The user's assignments to ``app``: direct first, then one per assigned group the user
        is in. Each is ``{"kind": "user"|"group", "name": ..., "saml_roles": [...]}``."""
        out = []
        direct = self._direct.get(app.id, {})
        if user.id in direct:
            out.append({"kind": "user", "name": user.login, "saml_roles": list(direct[user.id])})
        for name, roles in assignment_entries(app.groups, "group"):
            if name in user.groups:
                out.append({"kind": "group", "name": name, "saml_roles": list(roles or [])})
        return out

    def is_assigned(self, app: OktaApp, user: User) -> bool:
        return bool(self.assignments(app, user))
