"""``harness diagnose`` on the command line: load, check, optionally probe, print, exit code.

Exit codes: 0 no error-level finding (warnings and notes allowed), 1 error-level findings,
2 bad input (unreadable file, undeclared reference, unknown intrinsic, a world that does not
load or start), 3 internal error (a bug of the harness: CI can tell it from 1).
"""
from __future__ import annotations

import argparse
import json
import os
import sys

from harness import iac
from harness.assignments import parse_assignments
from harness.world import WorldError, load

from .confirm import probe_world
from .render import render
from .run import diagnose

OK, ERRORS, BAD_INPUT, INTERNAL = 0, 1, 2, 3


def parser() -> argparse.ArgumentParser:
    out = argparse.ArgumentParser(prog="harness diagnose",
                                  description="cross-check the Okta side of a world against the AWS side")
    out.add_argument("--world", metavar="FILE", help="world file (with --iac: the small world file beside it)")
    out.add_argument("--iac", metavar="PATH", action="append", help="CloudFormation / Terraform / plan JSON")
    out.add_argument("--var", metavar="NAME=VALUE", action="append", default=[])
    out.add_argument("--var-file", metavar="FILE", action="append", default=[], help="Terraform .tfvars file")
    out.add_argument("--parameter", metavar="NAME=VALUE", action="append", default=[],
                     help="CloudFormation parameter (or an export name for Fn::ImportValue)")
    out.add_argument("--json", action="store_true", help="findings as JSON")
    out.add_argument("--probe", action="store_true",
                     help="start the world and sign the affected users in over HTTP to confirm each finding")
    return out


def load_world(args):
    if args.iac:
        return iac.load(args.iac, variables=parse_assignments(args.var, "--var"),
                        parameters=parse_assignments(args.parameter, "--parameter"),
                        world_file=args.world, report=lambda note: None, var_files=args.var_file)
    return load(args.world)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return run(args)
    except Exception as exc:  # the last line of defence: a message and exit 3, not a traceback
        if os.environ.get("HARNESS_DEBUG"):
            raise
        print(f"harness diagnose: internal error: {type(exc).__name__}: {exc} "
              "(set HARNESS_DEBUG=1 for the traceback)", file=sys.stderr)
        return INTERNAL


def run(args) -> int:
    try:
        world = load_world(args)
    except WorldError as exc:
        print(f"harness diagnose: {exc}", file=sys.stderr)
        return BAD_INPUT
    findings = diagnose(world)
    if args.probe:
        try:
            probe_world(world, findings)
        except WorldError as exc:
            print(f"harness diagnose --probe: the world did not start: {exc}", file=sys.stderr)
            return BAD_INPUT
        except RuntimeError as exc:   # another world running in this process (runtime.start_world)
            print(f"harness diagnose --probe: {exc}", file=sys.stderr)
            return BAD_INPUT
    if args.json:
        print(json.dumps([f.to_dict() for f in findings], indent=2, default=str))
    else:
        print(render(findings, colour=sys.stdout.isatty()))
    return ERRORS if any(f.severity == "error" for f in findings) else OK
