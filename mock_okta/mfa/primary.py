"""Primary authentication (username + password) and what the sign-on policy asks next; one rule
for ``/api/v1/authn`` and the hosted sign-in page (docs/fidelity/okta-mfa-idx.md#okta-mfa-idx-authn-states,
#okta-mfa-idx-lockout).

    outcome = primary(org, transactions, "carol@example.com", "Carol-Passw0rd")
    outcome.kind   # "success" | "failed" | "locked" | "transaction"
"""
from __future__ import annotations

from dataclasses import dataclass

from . import factors, policy


@dataclass
class Outcome:
    kind: str
    user: object = None
    transaction: object = None


def primary(org, transactions, username: str, password: str) -> Outcome:
    user = org.user_by_login(username)
    if user is None or user.password is None:
        return Outcome("failed")
    if user.status == "LOCKED_OUT":
        return Outcome("locked", user)
    if user.password != password:
        user.failed_passwords += 1
        limit = org.max_lockout_attempts
        if limit and user.failed_passwords >= limit and user.status == "ACTIVE":
            user.status = "LOCKED_OUT"
            return Outcome("locked", user)
        return Outcome("failed")
    if user.status == "PASSWORD_EXPIRED":
        return Outcome("transaction", user, transactions.start(user, "PASSWORD_EXPIRED"))
    if user.status != "ACTIVE" or policy.denied(org, user):
        return Outcome("failed")
    user.failed_passwords = 0
    if policy.mfa_required(org, user):
        status = "MFA_REQUIRED" if factors.active(user) else "MFA_ENROLL"
        return Outcome("transaction", user, transactions.start(user, status))
    return Outcome("success", user)


def verify(tx, factor, answer, now: float) -> str:
    """One ``verify`` call on ``tx`` for ``factor``: returns ``"success"``, ``"invalid"`` (a wrong
    passcode/answer: E0000068), ``"challenge"`` (push waiting or rejected, a code just sent)."""
    if factor.type == "push":
        if tx.factor_id != factor.id or tx.status != "MFA_CHALLENGE":
            tx.status, tx.factor_id, tx.factor_result, tx.polls = "MFA_CHALLENGE", factor.id, "WAITING", 0
            return "challenge"
        tx.polls += 1
        if factor.push == "approve":
            return "success"
        tx.factor_result = "REJECTED" if factor.push == "deny" else ("TIMEOUT" if tx.polls >= 2 else "WAITING")
        return "challenge"
    if factor.type in ("sms", "email") and not answer:
        tx.status, tx.factor_id, tx.factor_result = "MFA_CHALLENGE", factor.id, None
        tx.sent_code = factors.send_code(factor, tx.user)
        return "challenge"
    if factors.check(factor, answer, now, tx.sent_code if tx.factor_id == factor.id else None):
        return "success"
    return "invalid"
