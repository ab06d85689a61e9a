"""Use Group Mapping (docs/fidelity/aws-signin-sts.md#aws-signin-sts-group-filter-default, docs/fidelity/aws-signin-sts.md#aws-signin-sts-role-value-pattern, docs/fidelity/aws-signin-sts.md#aws-signin-sts-app-filter).

Okta writes named captures as ``(?{{name}}…)``; Python's ``re`` writes them ``(?P<name>…)``.
A group whose name the filter does not match contributes no role: that is what happens to a
role name with a period under the default ``[\\w\\-]+`` capture (docs/fidelity/errors.md#errors-role-names-containing-periods,
OKS-AWSINV: "role dropped").
"""
from __future__ import annotations

import re

_OKTA_NAMED_GROUP = re.compile(r"\(\?\{\{(\w+)\}\}")
_PATTERN_VARIABLE = re.compile(r"\$\{(\w+)\}")

# App Filter names the sources of the groups (docs/fidelity/aws-signin-sts.md#aws-signin-sts-app-filter): "okta" is Okta's own
# groups. The built-in Everyone group is an Okta group too (unconfirmed: the reference is silent).
GROUP_SOURCES = {"OKTA_GROUP": "okta", "BUILT_IN": "okta"}


class GroupFilterError(ValueError):
    """The Group Filter is not a usable regular expression."""


def compile_group_filter(okta_regex: str) -> re.Pattern:
    """Translate Okta's ``(?{{role}}…)`` syntax to Python and compile it."""
    python_regex = _OKTA_NAMED_GROUP.sub(r"(?P<\1>", okta_regex)
    try:
        pattern = re.compile(python_regex)
    except re.error as exc:
        raise GroupFilterError(f"Group Filter {okta_regex!r} is not a valid regular expression: {exc}") from None
    if "role" not in pattern.groupindex:
        raise GroupFilterError(f"Group Filter {okta_regex!r} has no (?{{{{role}}}}…) capture")
    return pattern


def app_filter_sources(app_filter: str | None) -> set[str]:
    """``okta, active_directory`` -> {"okta", "active_directory"}."""
    return {part.strip().lower() for part in (app_filter or "").split(",") if part.strip()}


def role_value(pattern: str, captures: dict[str, str]) -> str:
    """Fill ``${accountid}``/``${role}`` (any named capture) into the Role Value Pattern.
    A variable with no capture of that name is left as written (unconfirmed)."""
    return _PATTERN_VARIABLE.sub(lambda m: captures.get(m.group(1), m.group(0)), pattern)


def roles_from_groups(groups, *, group_filter: str, app_filter: str | None, role_value_pattern: str) -> list[str]:
    """Role attribute values for a user's ``groups`` (objects with ``name`` and ``type``), in
    the user's group order, without duplicates. The filter must match the whole group name
    (Java's ``Matcher.matches``; the documented filters are anchored or whole-name, so the
    difference from ``find`` is unconfirmed)."""
    pattern = compile_group_filter(group_filter)
    sources = app_filter_sources(app_filter)
    values: list[str] = []
    for group in groups:
        if GROUP_SOURCES.get(group.type, "okta") not in sources:
            continue
        match = pattern.fullmatch(group.name)
        if match is None:
            continue
        captures = {k: v for k, v in match.groupdict().items() if v is not None}
        value = role_value(role_value_pattern, captures)
        if value not in values:
            values.append(value)
    return values
