"""Authentication transactions: what a ``stateToken`` stands for, and the JSON of each status of
Okta's Authentication API (docs/fidelity/okta-mfa-idx.md#okta-mfa-idx-authn-states).

A transaction starts when the password is right but more is needed (``MFA_REQUIRED``,
``MFA_ENROLL``, ``PASSWORD_EXPIRED``); verifying a factor moves it to ``MFA_CHALLENGE`` (push
waiting, a code sent) or ends it with ``SUCCESS`` and a one-time ``sessionToken``.
"""
from __future__ import annotations

import datetime as _dt
import secrets
import string
import threading
from dataclasses import dataclass, field

from . import factors

STATE_TOKEN_LIFETIME = 300      # the sample transactions expire 5 minutes after they start (inferred)
_ALPHABET = string.ascii_letters + string.digits + "-_"


def iso(epoch: float) -> str:
    moment = _dt.datetime.fromtimestamp(epoch, _dt.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


@dataclass
class Transaction:
    token: str
    user: object
    status: str
    expires: float
    factor_id: str | None = None          # the factor being challenged
    factor_result: str | None = None      # WAITING, REJECTED, TIMEOUT
    sent_code: str | None = None
    polls: int = 0
    extra: dict = field(default_factory=dict)


class Transactions:
    def __init__(self, clock) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._live: dict[str, Transaction] = {}

    def start(self, user, status: str) -> Transaction:
        # stateTokens in Okta's samples: "00" + 40 URL-safe characters
        tx = Transaction("00" + "".join(secrets.choice(_ALPHABET) for _ in range(40)), user, status,
                         self.clock.time() + STATE_TOKEN_LIFETIME)
        with self._lock:
            self._live[tx.token] = tx
        return tx

    def get(self, token) -> Transaction | None:
        if not isinstance(token, str):
            return None
        with self._lock:
            tx = self._live.get(token)
        if tx is None or tx.expires <= self.clock.time():
            return None
        return tx

    def end(self, tx: Transaction) -> None:
        with self._lock:
            self._live.pop(tx.token, None)


def _user_json(user, now: float) -> dict:
    profile = user.profile
    return {"id": user.id, "passwordChanged": iso(now - 86400),
            "profile": {"login": user.login, "firstName": profile.get("firstName"),
                        "lastName": profile.get("lastName"), "locale": profile.get("locale", "en"),
                        "timeZone": profile.get("timezone", "America/Los_Angeles")}}


def _cancel(org_url: str) -> dict:
    return {"href": f"{org_url}/api/v1/authn/cancel", "hints": {"allow": ["POST"]}}


def state_json(tx: Transaction, org_url: str, now: float) -> dict:
    """The body for ``tx``'s current status (MFA_REQUIRED, MFA_CHALLENGE, MFA_ENROLL, PASSWORD_EXPIRED)."""
    user = tx.user
    body = {"stateToken": tx.token, "expiresAt": iso(tx.expires), "status": tx.status,
            "_embedded": {"user": _user_json(user, now)}, "_links": {"cancel": _cancel(org_url)}}
    if tx.status == "MFA_REQUIRED":
        body["_embedded"]["factors"] = [factors.factor_json(org_url, f, user) for f in factors.active(user)]
        body["_embedded"]["policy"] = {"allowRememberDevice": False, "rememberDeviceLifetimeInMinutes": 0,
                                       "rememberDeviceByDefault": False, "factorsPolicyInfo": {}}
    elif tx.status == "MFA_CHALLENGE":
        factor = factors.by_id(user, tx.factor_id)
        body["_embedded"]["factor"] = factors.factor_json(org_url, factor, user)
        verify = factors.verify_href(org_url, factor)
        body["_links"]["next"] = {"name": "poll" if factor.type == "push" else "verify", "href": verify,
                                  "hints": {"allow": ["POST"]}}
        body["_links"]["prev"] = {"href": f"{org_url}/api/v1/authn/previous", "hints": {"allow": ["POST"]}}
        if factor.type in ("push", "sms", "email"):
            body["_links"]["resend"] = [{"name": factor.type, "href": f"{verify}/resend", "hints": {"allow": ["POST"]}}]
        if tx.factor_result:
            body["factorResult"] = tx.factor_result
    elif tx.status == "MFA_ENROLL":
        body["_embedded"]["factors"] = [
            {"factorType": "token:software:totp", "provider": provider, "vendorName": provider,
             "_links": {"enroll": {"href": f"{org_url}/api/v1/authn/factors", "hints": {"allow": ["POST"]}}},
             "status": "NOT_SETUP", "enrollment": "REQUIRED"} for provider in ("OKTA", "GOOGLE")]
    elif tx.status == "PASSWORD_EXPIRED":
        body["_embedded"]["policy"] = {"complexity": {"minLength": 8, "minLowerCase": 1, "minUpperCase": 1,
                                                      "minNumber": 1, "minSymbol": 0}}
        body["_links"]["next"] = {"name": "changePassword", "href": f"{org_url}/api/v1/authn/credentials/change_password",
                                  "hints": {"allow": ["POST"]}}
    return body


def success_json(user, session_token: str, expires: float, now: float) -> dict:
    return {"expiresAt": iso(expires), "status": "SUCCESS", "sessionToken": session_token,
            "_embedded": {"user": _user_json(user, now)}}


def locked_out_json(org_url: str) -> dict:
    return {"status": "LOCKED_OUT",
            "_links": {"next": {"name": "unlock", "href": f"{org_url}/api/v1/authn/recovery/unlock",
                                "hints": {"allow": ["POST"]}}}}
