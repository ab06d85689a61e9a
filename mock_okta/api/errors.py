"""Okta API errors (docs/fidelity/okta-oidc-api.md#okta-oidc-api-e-code-catalogue, OK-ERR): JSON
``{"errorCode","errorSummary","errorLink","errorId":"oae…","errorCauses":[]}``."""
from __future__ import annotations

import secrets
import string

from flask import jsonify

AUTHENTICATION_FAILED = ("E0000004", 401, "Authentication failed")
INVALID_SESSION = ("E0000005", 403, "Invalid session")
NOT_FOUND = ("E0000007", 404, "Not found: {0}")
INVALID_TOKEN = ("E0000011", 401, "Invalid token provided")
# docs/fidelity/okta-mfa-idx.md#okta-mfa-idx-verify (Okta Authentication API reference)
INVALID_PASSCODE = ("E0000068", 403, "Invalid Passcode/Answer")
WRONG_STATE = ("E0000079", 403, "This operation is not allowed in the current authentication state.")
# Not in the reference's catalogue excerpt: Okta's public error-code list
# (https://developer.okta.com/docs/reference/error-codes/) has E0000001 "API validation
# exception", 400; the summary wording "Api validation failed: {0}" is unconfirmed.
VALIDATION_FAILED = ("E0000001", 400, "Api validation failed: {0}")
# Not in the reference's catalogue excerpt (unconfirmed): Okta's E0000003 for unreadable bodies.
BAD_BODY = ("E0000003", 400, "The request body was not well-formed.")


def error_id() -> str:
    return "oae" + "".join(secrets.choice(string.ascii_letters + string.digits + "-_") for _ in range(22))


def api_error(error, *args, causes=()):
    """``causes``: the ``errorCauses`` summaries (E0000001's per-field reasons)."""
    code, status, summary = error
    response = jsonify({"errorCode": code, "errorSummary": summary.format(*args), "errorLink": code,
                        "errorId": error_id(), "errorCauses": [{"errorSummary": c} for c in causes]})
    response.status_code = status
    return response
