"""``harness diagnose``: static cross-checks of the Okta side against the AWS side of a world.

Each finding names its severity, both settings with their source (file:line of the world file
or the IaC), what a user would see at run time (harness/diagnose_rules.py: the mocks' own texts)
and the fix. One module per check family:

* :mod:`.cognito_saml` — Okta SAML app -> Cognito SAML IdP; :mod:`.mapping` — AttributeMapping;
* :mod:`.cognito_oidc` — Okta OIDC app -> Cognito OIDC IdP; :mod:`.clients` — app clients, ALB;
* :mod:`.aws_app` — Okta's AWS Account Federation app -> IAM;
* :mod:`.confirm` — ``--probe``: real sign-ins over HTTP (harness/probe.py) mark each finding
  ``confirmed``, ``not confirmed`` (with what was seen) or ``not probed`` (why);
* :mod:`.render` and :mod:`.command` — output and the command line.

    harness diagnose [--world FILE | --iac PATH ... [--var N=V] [--var-file F] [--parameter N=V]]
                     [--json] [--probe]

Exit codes: 0 no errors (warnings and notes allowed), 1 errors found, 2 bad input (unreadable,
undefined reference, unknown intrinsic, a world that does not load or start), 3 internal error.
"""
from __future__ import annotations

from .command import main
from .confirm import confirm, probe_world
from .findings import Finding, Probe, Setting, setting
from .render import render
from .run import CHECKS, diagnose

__all__ = ["diagnose", "main", "confirm", "probe_world", "render", "Finding", "Probe", "Setting", "setting",
           "CHECKS"]
