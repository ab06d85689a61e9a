"""Does a role's trust policy let a SAML provider's user assume it? (docs/fidelity/aws-signin-sts.md#aws-signin-sts-trust-policy-console, docs/fidelity/aws-signin-sts.md#aws-signin-sts-saml-condition-keys, docs/fidelity/aws-signin-sts.md#aws-signin-sts-not-authorized).

IAM's evaluation for the actions one AssumeRoleWithSAML needs (``sts:AssumeRoleWithSAML``,
plus ``sts:TagSession`` when PrincipalTag attributes are sent and ``sts:SetSourceIdentity``
when SourceIdentity is): an explicit Deny wins, otherwise an Allow whose Principal names the
provider (``Federated``) and whose conditions all hold. Condition keys are case-insensitive.
Supported operators: String(Not)Equals(IgnoreCase), String(Not)Like, Null, each with
``...IfExists`` and the ``ForAnyValue:``/``ForAllValues:`` qualifiers; an operator outside this
set never matches (the harness's choice, so an unsupported policy fails closed, not open).
"""
from __future__ import annotations

import fnmatch
import json
import re
import urllib.parse


def load(document) -> dict:
    if isinstance(document, str):
        text = document.strip()
        if not text.startswith("{"):
            text = urllib.parse.unquote(text)
        return json.loads(text)
    return dict(document or {})


def allows(document, *, provider_arn: str, actions: list[str], context: dict[str, list[str]]) -> bool:
    """Every action in ``actions`` is allowed and none is denied."""
    policy = load(document)
    statements = policy.get("Statement", [])
    if isinstance(statements, dict):
        statements = [statements]
    context = {k.lower(): v for k, v in context.items()}
    for action in actions:
        allowed = False
        for statement in statements:
            if not _applies(statement, provider_arn, action, context):
                continue
            if statement.get("Effect") == "Deny":
                return False
            if statement.get("Effect") == "Allow":
                allowed = True
        if not allowed:
            return False
    return True


def _as_list(value) -> list:
    if value is None:
        return []
    return [value] if isinstance(value, (str, bool, int)) else list(value)


def _applies(statement: dict, provider_arn: str, action: str, context) -> bool:
    return (_principal_matches(statement, provider_arn) and _action_matches(statement, action)
            and _conditions_hold(statement.get("Condition") or {}, context))


def _principal_matches(statement: dict, provider_arn: str) -> bool:
    if "NotPrincipal" in statement:
        return False   # not meaningful in a trust policy for federation (fails closed)
    principal = statement.get("Principal")
    if principal == "*":
        return True
    if not isinstance(principal, dict):
        return False
    if "*" in _as_list(principal.get("AWS")):
        return True
    return provider_arn in _as_list(principal.get("Federated"))


def _action_matches(statement: dict, action: str) -> bool:
    if "NotAction" in statement:
        return not any(fnmatch.fnmatchcase(action.lower(), a.lower()) for a in _as_list(statement["NotAction"]))
    return any(fnmatch.fnmatchcase(action.lower(), a.lower()) for a in _as_list(statement.get("Action")))


def _like(pattern: str, value: str) -> bool:
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, value, re.S) is not None


_STRING_TESTS = {
    "stringequals": lambda p, v: p == v,
    "stringequalsignorecase": lambda p, v: p.lower() == v.lower(),
    "stringlike": _like,
}
_NEGATED = {"stringnotequals": "stringequals", "stringnotequalsignorecase": "stringequalsignorecase",
            "stringnotlike": "stringlike"}


def _conditions_hold(conditions: dict, context) -> bool:
    for operator, block in conditions.items():
        for key, expected in (block or {}).items():
            if not _condition_holds(operator, key.lower(), [str(e) for e in _as_list(expected)], context):
                return False
    return True


def _condition_holds(operator: str, key: str, expected: list[str], context) -> bool:
    op = operator.lower()
    qualifier = None
    if ":" in op:
        qualifier, op = op.split(":", 1)
    if_exists = op.endswith("ifexists")
    if if_exists:
        op = op[: -len("ifexists")]
    present = context.get(key)
    if op == "null":
        want_null = expected and expected[0].lower() == "true"
        return (present is None) == want_null
    if present is None:
        return if_exists or (op in _NEGATED)
    negated = op in _NEGATED
    test = _STRING_TESTS.get(_NEGATED.get(op, op))
    if test is None:
        return False
    def one(value):
        hit = any(test(e, value) for e in expected)
        return not hit if negated else hit
    if qualifier == "forallvalues":
        return all(one(v) for v in present)
    return any(one(v) for v in present)
