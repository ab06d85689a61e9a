"""Every check over a world, in order; notes of the IaC loader first."""
from __future__ import annotations

from .aws_app import check_aws_app
from .clients import check_clients, check_enabled
from .cognito_oidc import check_cognito_oidc
from .cognito_saml import check_cognito_saml
from .findings import Finding, Setting, where

CHECKS = (check_cognito_saml, check_cognito_oidc, check_clients, check_enabled, check_aws_app)


def diagnose(world) -> list[Finding]:
    out: list[Finding] = []
    for note in getattr(world, "iac_notes", []):
        out.append(Finding("iac-unresolved", "info", f"{note.name}: {note.message}",
                           [Setting(note.name, None, where(note.line))], "", "", "harness diagnose"))
    for check in CHECKS:
        check(world, out)
    order = {"error": 0, "warning": 1, "info": 2}
    unique = {(f.check, f.summary): f for f in reversed(out)}
    return sorted(reversed(list(unique.values())), key=lambda f: order[f.severity])
