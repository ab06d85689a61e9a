"""The HTML of AWS's SAML sign-in: the two role pickers, the invalid-response page, and the
console stand-in (docs/fidelity/aws-signin-sts.md#aws-signin-sts-role-chooser-legacy-html, "Role chooser (current Next.js
page)", "Invalid-response page"; docs/fidelity/okta-mfa-idx.md#okta-mfa-idx-aws-current-picker).

Both pickers carry exactly what real command-line clients read (docs/fidelity/okta-oidc-api.md#okta-oidc-api-cli-clients): the legacy
page's ``fieldset > div.saml-account > div > div.saml-account-name`` and
``div.saml-role > input[name=roleIndex]`` + ``label``; the current page's base64 JSON in
``<meta name="data">`` (``roles_accounts``...). The real current page is drawn by JavaScript;
the stand-in draws the same list as server HTML (no ``fieldset``, as the real page has none):
each role is a link whose ``id`` is its ARN, and clicking it posts ``roleIndex``.
"""
from __future__ import annotations

import base64
import json
import secrets
from html import escape

INVALID_RESPONSE = "Your request included an invalid SAML response. To logout, click here."  # docs/fidelity/aws-signin-sts.md#aws-signin-sts-invalid-response-page

_STYLE = ("<style>body{font-family:Arial,sans-serif;margin:2em}.saml-account-name{font-weight:bold}"
          ".saml-role{margin:.3em 1em}.error{color:#d13212}</style>")


def account_label(account_id: str, alias: str | None) -> str:
    """``<alias> (<acct>)`` or ``<acct>`` (docs/fidelity/aws-signin-sts.md#aws-signin-sts-aws-app, both pickers)."""
    return f"{alias} ({account_id})" if alias else account_id


def _hidden(saml_response: str, relay_state: str) -> str:
    return (f'<input type="hidden" name="RelayState" value="{escape(relay_state)}" />'
            f'<input type="hidden" name="SAMLResponse" value="{escape(saml_response)}" />'
            '<input type="hidden" name="name" value="" /><input type="hidden" name="portal" value="" />')


def legacy_picker(accounts: dict[str, list[str]], saml_response: str, relay_state: str) -> str:
    """``accounts``: account label -> role ARNs (docs/fidelity/aws-signin-sts.md#aws-signin-sts-role-chooser-legacy-html)."""
    blocks = []
    for index, (label, roles) in enumerate(accounts.items()):
        role_divs = "".join(
            '<div class="saml-role" onClick="checkRadio(this);">'
            f'<input type="radio" name="roleIndex" value="{escape(arn)}" class="saml-radio" id="{escape(arn)}" />'
            f'<label for="{escape(arn)}" class="saml-role-description">{escape(arn.rsplit("/", 1)[-1])}</label>'
            '<span style="clear: both;"></span></div>' for arn in roles)
        blocks.append(
            '<div  class="saml-account"> '
            f'<div onClick="expandCollapse({index});"><img id="image{index}" src="/static/image/down.png" valign="middle"></img>'
            f'<div class="saml-account-name">Account: {escape(label)}</div></div>'
            '<hr style="border: 1px solid #ddd;">'
            f'<div id="{index}" class="saml-account" >{role_divs}</div></div>')
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Amazon Web Services Sign-In</title>'
        f'{_STYLE}</head><body><div id="container"><h1 class="background">Amazon Web Services Login</h1>'
        '<form id="saml_form" name="saml_form" action="/saml" method="post">'
        f'{_hidden(saml_response, relay_state)}'
        '<p style="font-size: 16px; padding-left: 20px;">Select a role:</p>'
        f'<fieldset>{"".join(blocks)}</fieldset>'
        '<div class="buttoninput" id="input_signin_button">'
        '<button id="signin_button" class="css3button" type="submit">Sign In</button></div>'
        '</form></div></body></html>')


def dashed_account(account_id: str) -> str:
    """``012345678901`` -> ``0123-4567-8901``, as the current page shows account ids."""
    return "-".join(account_id[i:i + 4] for i in range(0, len(account_id), 4))


def _current_role_list(accounts: dict[str, list[str]]) -> str:
    """The page's ``ul`` of accounts, each role a link whose ``id`` is the role ARN (gimme-aws-creds
    tests/fixtures/aws_nextjs.html; docs/fidelity/okta-mfa-idx.md#okta-mfa-idx-aws-current-picker)."""
    items = []
    for label, roles in accounts.items():
        account_id = roles[0].split(":")[4]
        name = label[:-len(f" ({account_id})")] if label.endswith(f" ({account_id})") else label
        dashed = dashed_account(account_id)
        links = "".join(
            '<div class="saml-form_role_div"><a class="saml-form_role_text" '
            f'id="{escape(arn)}" data-testid="roleLink-arn:aws:iam::{escape(account_id)}:role" role="button" '
            f'aria-label="Account ID {dashed} Role Name {escape(arn.rsplit("/", 1)[-1])}" tabindex="0" '
            f'href="#">{escape(arn.rsplit("/", 1)[-1])}</a></div>' for arn in roles)
        items.append(
            '<li class="saml-form_custom_list_item"><div class="flex flex-row"><div class="flex-grow">'
            f'<div class="saml-form_account_name_div">{escape(name)} </div>'
            f'<div class="saml-form_account_id_div">{dashed}</div>'
            f'<div class="saml-form_account_role_div">{links}</div></div></div></li>')
    return f'<ul class="saml-form_custom_list">{"".join(items)}</ul>'


# The real page is a Next.js app; this stand-in's only script posts the chosen role's ARN as
# ``roleIndex`` (what the legacy page's form sends) when a role link is clicked.
_ROLE_SCRIPT = ("<script>document.addEventListener('click',function(e){var a=e.target.closest("
                "'a[data-testid^=\"roleLink-\"]');if(!a)return;e.preventDefault();"
                "var f=document.getElementById('saml_post');f.roleIndex.value=a.id;f.submit();});</script>")


def current_picker(accounts: dict[str, list[str]], saml_response: str, relay_state: str, region_code: str) -> str:
    """The current (Next.js) page: ``meta[name=data]`` with the keys in the order of the observed
    page, "AWS account access (N)", accounts as ``0123-4567-8901``, each role a link whose id is
    its ARN (docs/fidelity/okta-mfa-idx.md#okta-mfa-idx-aws-current-picker)."""
    data = {"invalid_accounts": {}, "RelayState": relay_state, "name": None, "roles_accounts": accounts,
            "foreign_accounts": {}, "region": region_code, "portal": None, "SAMLResponse": saml_response,
            "problems": "{}", "policy": None}
    content = base64.b64encode(json.dumps(data, separators=(",", ":")).encode()).decode()
    count = sum(len(roles) for roles in accounts.values())
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width">'
        f'<meta name="csrf_token" content="{secrets.token_hex(16)}">'
        f'<meta name="session_id" content="{secrets.token_hex(16)}">'
        f'<meta name="data" content="{content}">'
        f'<meta name="panorama" content="{escape(region_code)}">'
        f'<title>Amazon Web Services Sign-In</title>{_STYLE}</head><body><div id="root"><div id="__next">'
        '<div data-testid="console-layout"><main><div class="saml"><div class="saml-form_saml_form_div" id="saml_form">'
        '<div class="saml-form_error_div"></div>'
        '<div class="saml-form_role_div"><div class="saml-form_title_1">AWS account access</div>'
        f'<div class="saml-form_title_2" data-testid="roles-count">({count})</div></div>'
        '<div class="saml-form_text">Select the name of the role you wish to access below. '
        'Your assigned roles are organized by the account.</div>'
        f'{_current_role_list(accounts)}</div></div>'
        f'<form id="saml_post" method="post" action="/saml">{_hidden(saml_response, relay_state)}'
        '<input type="hidden" name="roleIndex" value="" /></form>'
        f'</main></div></div></div>{_ROLE_SCRIPT}</body></html>')


def invalid_response(detail: str | None = None) -> str:
    """The page AWS shows; ``detail`` is the harness's own note (the STS error behind it), in a
    separate element marked as such so the real text stays word for word."""
    note = (f'<p id="harness-detail" class="harness">okta-aws-harness: {escape(detail)}</p>' if detail else "")
    return ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>Amazon Web Services Sign-In</title>'
            f'{_STYLE}</head><body><div id="container"><div id="error" class="error">'
            '<h1>Error</h1><p id="error-message">Your request included an invalid SAML response. '
            'To logout, click <a href="https://signin.aws.amazon.com/oauth?Action=logout">here</a>.</p></div>'
            f'{note}</div></body></html>')


def console(*, assumed_role_arn: str, session_name: str, expiration: str, account_id: str, role_name: str,
            region: str, relay_state: str = "") -> str:
    """The console stand-in: what the user signed in as, and until when."""
    relay = (f'<dt>RelayState</dt><dd id="relay-state">{escape(relay_state)}</dd>' if relay_state else "")
    return ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>AWS Management Console</title>'
            f'{_STYLE}</head><body><header><span id="nav-usernameMenu">{escape(role_name)}/{escape(session_name)}'
            f' @ {escape(account_id)}</span></header><h1>Console Home</h1>'
            '<p class="harness">okta-aws-harness console stand-in: the federated session below was made by '
            'AssumeRoleWithSAML.</p><dl>'
            f'<dt>Assumed role ARN</dt><dd id="assumed-role-arn">{escape(assumed_role_arn)}</dd>'
            f'<dt>Session name</dt><dd id="session-name">{escape(session_name)}</dd>'
            f'<dt>Expires</dt><dd id="expiration">{escape(expiration)}</dd>'
            f'<dt>Account</dt><dd id="account-id">{escape(account_id)}</dd>'
            f'<dt>Region</dt><dd id="region">{escape(region)}</dd>{relay}</dl></body></html>')
