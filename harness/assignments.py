"""``NAME=VALUE`` options (``--var`` for Terraform, ``--parameter`` for CloudFormation): the one
place that reads them, for every command that builds a world from IaC."""
from __future__ import annotations

from .world.errors import WorldError


def parse_assignments(values: list[str] | None, option: str) -> dict[str, str]:
    """``["a=1", "b=x=y"]`` -> ``{"a": "1", "b": "x=y"}``; a value without ``=`` or without a
    name is bad input (exit 2), never silently dropped."""
    result = {}
    for value in values or []:
        name, sep, rest = value.partition("=")
        if not sep or not name.strip():
            raise WorldError(f"expected NAME=VALUE, got {value!r}", file="<command line>", field=option)
        result[name.strip()] = rest
    return result
