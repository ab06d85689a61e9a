"""The managed-login pages: the sign-in page with one button per IdP and the email box for
IdpIdentifiers (docs/fidelity/cognito-tokens.md#cognito-tokens-login, docs/fidelity/cognito-federation.md#cognito-federation-idpidentifiers), and the error page.

Selectors (stable; the scenario driver uses them): each IdP is a ``button`` whose text is the
ProviderName with ``data-provider="<ProviderName>"``; the email box is ``input#idp-identifier-email``
(``name="email"``) with ``button#idp-identifier-submit``; an error page shows the text in
``<p id="error-message">``. For clients that enable ``COGNITO``, the password form has the classic
managed login's ids: ``input#signInFormUsername``, ``input#signInFormPassword``,
``input[name=signInSubmitButton]``; the change-password form ``input#new_password``,
``input#confirm_password``, ``button#change-password-submit``.
"""
from __future__ import annotations

from html import escape
from urllib.parse import urlencode

_STYLE = ("body{font-family:Arial,sans-serif;background:#f5f5f5}main{max-width:360px;margin:60px auto;"
          "background:#fff;padding:24px;border-radius:6px}button{display:block;width:100%;margin:8px 0;"
          "padding:10px}input{width:100%;padding:8px;box-sizing:border-box}")


def _page(title: str, body: str) -> str:
    return (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{escape(title)}</title>"
            f"<style>{_STYLE}</style></head><body><main>{body}</main></body></html>")


def _hidden(params: dict) -> str:
    return "".join(f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">' for k, v in params.items())


def login(params: dict, providers: list[str], email_box: bool, notice: str | None = None,
          password_form: bool = False) -> str:
    parts = ["<h1>Sign in</h1>"]
    if notice:
        parts.append(f'<p id="error-message" class="error">{escape(notice)}</p>')
    if password_form:
        parts.append(f'<form method="post" action="/login?{escape(urlencode(params))}" name="cognitoSignInForm" '
                     'id="password-form"><label for="signInFormUsername">Username</label>'
                     '<input id="signInFormUsername" name="username" type="text" autocomplete="username">'
                     '<label for="signInFormPassword">Password</label>'
                     '<input id="signInFormPassword" name="password" type="password" autocomplete="current-password">'
                     '<input type="submit" name="signInSubmitButton" value="Sign in"></form>')
    if email_box:
        parts.append('<form method="get" action="/login" id="idp-identifier-form">'
                     "<p>Sign in with your corporate ID</p>" + _hidden(params)
                     + '<input type="email" id="idp-identifier-email" name="email" placeholder="name@host.com" '
                       'autocomplete="email">'
                     '<button type="submit" id="idp-identifier-submit">Sign in</button></form>')
    for name in providers:
        parts.append('<form method="get" action="/oauth2/authorize">' + _hidden({**params, "identity_provider": name})
                     + f'<button type="submit" data-provider="{escape(name)}">{escape(name)}</button></form>')
    return _page("Signin", "".join(parts))


def change_password(params: dict, challenge: str, notice: str | None = None) -> str:
    parts = ["<h1>Change Password</h1>"]
    if notice:
        parts.append(f'<p id="error-message" class="error">{escape(notice)}</p>')
    parts.append(f'<form method="post" action="/forceChangePassword?{escape(urlencode(params))}" id="change-password-form">'
                 + _hidden({"challenge": challenge})
                 + '<label for="new_password">New Password</label>'
                 '<input id="new_password" name="password" type="password" autocomplete="new-password">'
                 '<label for="confirm_password">Enter New Password Again</label>'
                 '<input id="confirm_password" name="password_confirm" type="password" autocomplete="new-password">'
                 '<button type="submit" id="change-password-submit">Send</button></form>')
    return _page("Change Password", "".join(parts))


def error(text: str) -> str:
    return _page("Error", f'<h1>Error</h1><p id="error-message">{escape(text)}</p>')
