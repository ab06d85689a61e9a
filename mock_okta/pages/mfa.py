"""The factor step of the hosted sign-in page: after the password, a user whom the sign-on
policy asks for MFA answers their factor in the browser
(docs/fidelity/okta-mfa-idx.md#okta-mfa-idx-sign-in-page).

The form keeps the Sign-In Widget's container (``div#okta-sign-in``) and its error box
(``.o-form-error-container``); the answer is ``input[name=answer]`` (``#okta-mfa-answer``) and
the button ``#okta-mfa-submit``. A wrong code shows E0000068's summary, "Invalid Passcode/Answer".
A push factor is answered by the world's setting when the user clicks "Send Push".
"""
from __future__ import annotations

import urllib.parse
from html import escape

from flask import current_app

from ..mfa import factors, primary
from .html import page

INVALID = "Invalid Passcode/Answer"
EXPIRED = "Your session has expired. Please try to sign in again."   # unconfirmed wording
PUSH_REJECTED = "You have chosen to reject this login."                # unconfirmed wording
PUSH_TIMEOUT = "Your push notification has expired."                   # unconfirmed wording
# Titles per factor (unconfirmed: the Classic widget's wording is not captured in our sources).
TITLES = {"token:software:totp": "Enter your {provider} passcode", "sms": "SMS Authentication",
          "email": "Email Authentication", "question": "Security Question", "push": "Okta Verify (Push)"}
PROVIDER_NAMES = {"GOOGLE": "Google Authenticator", "OKTA": "Okta Verify"}
amr = factors.amr


def _chosen(tx):
    """The factor to ask for: the one being challenged, else TOTP first, else the first enrolled."""
    enrolled = factors.active(tx.user)
    current = factors.by_id(tx.user, tx.factor_id) if tx.factor_id else None
    return current or next((f for f in enrolled if f.type == "token:software:totp"), enrolled[0])


def answer(tx, form):
    """Apply the posted answer to ``tx``: ("success" | "invalid" | "challenge", factor)."""
    factor = _chosen(tx)
    now = current_app.extensions["mock_okta"]["SERVICES"].clock.time()
    if factor.type == "push":
        result = primary.verify(tx, factor, None, now)
        if result == "challenge" and tx.factor_result == "WAITING":
            result = primary.verify(tx, factor, None, now)    # the phone answers at once
        return result, factor
    return primary.verify(tx, factor, (form.get("answer") or "").strip(), now), factor


def _error_box(error: str | None) -> str:
    if not error:
        return '<div class="o-form-error-container"></div>'
    return ('<div class="o-form-error-container o-form-has-errors" role="alert">'
            f'<div class="okta-form-infobox-error infobox infobox-error"><p>{escape(error)}</p></div></div>')


def challenge(tx, from_uri: str, error: str | None = None):
    factor = _chosen(tx)
    if factor.type in ("sms", "email") and tx.factor_id != factor.id:
        primary.verify(tx, factor, None, current_app.extensions["mock_okta"]["SERVICES"].clock.time())   # send the code
    if factor.type == "push" and tx.factor_result in ("REJECTED", "TIMEOUT"):
        error = PUSH_REJECTED if tx.factor_result == "REJECTED" else PUSH_TIMEOUT
    title = TITLES[factor.type].format(provider=PROVIDER_NAMES.get(factor.provider, factor.provider))
    prompt = (f'<p class="mfa-question">{escape(factor.question_text or factor.question or "")}</p>'
              if factor.type == "question" else "")
    field = ('' if factor.type == "push" else
             '<label for="okta-mfa-answer">' + ("Answer" if factor.type == "question" else "Enter Code") + '</label>'
             '<input type="text" id="okta-mfa-answer" name="answer" value="" autocomplete="one-time-code" '
             'aria-label="Answer"/>')
    button = "Send Push" if factor.type == "push" else "Verify"
    action = "/login/mfa?fromURI=" + urllib.parse.quote(from_uri, safe="")
    body = (
        '<div id="okta-login-container"><div id="okta-sign-in" class="auth-container main-container">'
        '<div class="auth-content"><div class="auth-content-inner">'
        f'<form method="POST" action="{escape(action)}" class="mfa-verify o-form" id="form-mfa" '
        f'data-se="factor-{escape(factor.type.replace(":", "-"))}" novalidate>'
        f'<div class="o-form-content"><h2 class="okta-form-title o-form-head">{escape(title)}</h2>{_error_box(error)}'
        f'<input type="hidden" name="stateToken" value="{escape(tx.token)}"/>'
        f'<div class="o-form-fieldset-container">{prompt}{field}</div></div>'
        '<div class="o-form-button-bar">'
        f'<input class="button button-primary" type="submit" value="{button}" id="okta-mfa-submit" data-type="save"/>'
        '</div></form></div></div></div></div>')
    org = current_app.extensions["mock_okta"]["ORG"]
    return current_app.response_class(page(title, body, org_name=org.host.split(".", 1)[0],
                                           body_class="auth okta-container"), mimetype="text/html")


def unsupported(tx, from_uri: str):
    """MFA_ENROLL and PASSWORD_EXPIRED: the page says what Okta would ask; the harness does not
    imitate enrolling a factor or changing a password in the browser."""
    text = {"MFA_ENROLL": "Set up multifactor authentication",
            "PASSWORD_EXPIRED": "Your password has expired"}.get(tx.status, tx.status)
    body = ('<div id="okta-login-container"><div id="okta-sign-in" class="auth-container main-container">'
            f'<h2 class="okta-form-title o-form-head">{escape(text)}</h2>{_error_box(text)}'
            '<p class="harness">okta-aws-harness: this step is not imitated in the browser.</p></div></div>')
    org = current_app.extensions["mock_okta"]["ORG"]
    return current_app.response_class(page(text, body, org_name=org.host.split(".", 1)[0],
                                           body_class="auth okta-container"), mimetype="text/html")
