"""Okta's group filter, one rule for the SAML group attribute statements and the OIDC groups
claim (docs/fidelity/okta-saml.md#okta-saml-group-attribute-statements): Starts with, Equals,
Contains, Matches regex (a whole-name match, so ``.*`` is every group; Java's
``String.matches``)."""
from __future__ import annotations

import re


def group_matches(filter_type: str | None, filter_value: str | None, group: str) -> bool:
    """Whether ``group`` passes the filter; no filter type means ``REGEX``; an invalid regex
    matches nothing."""
    value = filter_value or ""
    filter_type = filter_type or "REGEX"
    if filter_type == "STARTS_WITH":
        return group.startswith(value)
    if filter_type == "EQUALS":
        return group == value
    if filter_type == "CONTAINS":
        return value in group
    if filter_type == "REGEX":
        try:
            return re.fullmatch(value, group) is not None
        except re.error:
            return False
    return False
