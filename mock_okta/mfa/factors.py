"""A user's enrolled factors as Okta's Authentication API shows them, and checking an answer
(docs/fidelity/okta-mfa-idx.md#okta-mfa-idx-factors, #okta-mfa-idx-verify)."""
from __future__ import annotations

import logging
import secrets

from world_common import totp
from world_common.world_model import Factor

from ..org import User

log = logging.getLogger("mock_okta.mfa")
VENDOR = {"OKTA": "OKTA", "GOOGLE": "GOOGLE"}


def _masked_email(email: str) -> str:
    local, _, domain = (email or "").partition("@")
    return f"{local[:1]}...{local[-1:]}@{domain}" if domain else email


def profile(factor: Factor, user: User) -> dict:
    kind = factor.type
    if kind == "token:software:totp":
        return {"credentialId": user.login}
    if kind == "push":
        return {"credentialId": user.login, "deviceType": "SmartPhone_IPhone", "keys": [], "name": "iPhone",
                "platform": "IOS", "version": "17.1"}
    if kind == "sms":
        return {"phoneNumber": factor.phone_number}
    if kind == "email":
        return {"email": _masked_email(factor.email or user.profile.get("email", user.login))}
    return {"question": factor.question, "questionText": factor.question_text or factor.question}


def verify_href(org_url: str, factor: Factor) -> str:
    return f"{org_url}/api/v1/authn/factors/{factor.id}/verify"


def factor_json(org_url: str, factor: Factor, user: User) -> dict:
    """An entry of ``_embedded.factors`` (MFA_REQUIRED) or ``_embedded.factor`` (MFA_CHALLENGE)."""
    return {"id": factor.id, "factorType": factor.type, "provider": factor.provider,
            "vendorName": VENDOR[factor.provider], "profile": profile(factor, user),
            "_links": {"verify": {"href": verify_href(org_url, factor), "hints": {"allow": ["POST"]}}}}


# The amr values Okta puts in tokens for each factor (docs/fidelity/okta-oidc-api.md#okta-oidc-api-id-token-base-claims:
# mfa, otp, kba, sms, swk; docs/fidelity/okta-mfa-idx.md#okta-mfa-idx-sign-in-page)
AMR = {"token:software:totp": ["pwd", "mfa", "otp"], "sms": ["pwd", "mfa", "sms"], "email": ["pwd", "mfa", "email"],
       "question": ["pwd", "mfa", "kba"], "push": ["pwd", "mfa", "swk"]}


def amr(factor: Factor) -> list[str]:
    return list(AMR.get(factor.type, ["pwd", "mfa"]))


def active(user: User) -> list[Factor]:
    return [f for f in user.factors if f.status == "ACTIVE"]


def by_id(user: User, factor_id: str) -> Factor | None:
    return next((f for f in active(user) if f.id == factor_id), None)


def send_code(factor: Factor, user: User) -> str:
    """sms / email: the world's fixed code, or a random one written to the log."""
    code = factor.code or "".join(secrets.choice("0123456789") for _ in range(6))
    log.info("mock_okta: %s code for %s: %s", factor.type, user.login, code)
    return code


def check(factor: Factor, answer: str | None, now: float, sent_code: str | None) -> bool:
    """Whether ``answer`` (passCode or answer) verifies ``factor`` at time ``now``."""
    if not isinstance(answer, str) or not answer:
        return False
    if factor.type == "token:software:totp":
        return totp.matches(factor.secret, answer, now)
    if factor.type in ("sms", "email"):
        return sent_code is not None and secrets.compare_digest(answer.strip(), sent_code)
    if factor.type == "question":
        return answer.strip().lower() == (factor.answer or "").strip().lower()
    return False
