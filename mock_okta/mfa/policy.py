"""Sign-on policies: does this sign-in need a second factor? (docs/fidelity/okta-mfa-idx.md#okta-mfa-idx-signon-policy)

Org policies (okta_policy_signon + okta_policy_rule_signon): the first policy whose
``groups_included`` holds one of the user's groups applies; in it, the first rule that covers the
user decides (``access``, ``mfa_required``). App rules (okta_app_signon_policy_rule): the first
rule whose ``groups_included`` holds one of the user's groups decides (``factor_mode`` 2FA).
"""
from __future__ import annotations

from world_common.world_model import AppSignOnRule, OktaApp


def _covers(rule, user) -> bool:
    login = user.login.lower()
    if any(login == u.lower() for u in rule.users_excluded):
        return False
    return not rule.users_included or any(login == u.lower() for u in rule.users_included)


def org_rule(org, user):
    """The org sign-on rule that applies to ``user``, or ``None`` (Okta's default: password only)."""
    for policy in org.record.sign_on_policies or []:
        if not set(policy.groups_included) & set(user.groups):
            continue
        return next((r for r in policy.rules if _covers(r, user)), None)
    return None


def app_rule(app: OktaApp, user) -> AppSignOnRule | None:
    return next((r for r in app.sign_on_rules
                 if set(r.groups_included) & set(user.groups)), None)


def mfa_required(org, user) -> bool:
    rule = org_rule(org, user)
    return bool(rule is not None and rule.access == "ALLOW" and rule.mfa_required)


def app_needs_mfa(app: OktaApp, user) -> bool:
    rule = app_rule(app, user)
    return bool(rule is not None and rule.access == "ALLOW" and rule.factor_mode == "2FA")


def denied(org, user) -> bool:
    rule = org_rule(org, user)
    return rule is not None and rule.access == "DENY"
