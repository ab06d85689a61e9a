"""``harness diagnose`` on the command line: load, check, optionally probe, print, exit code."""
from __future__ import annotations

import argparse
import json
import sys

from harness.world import WorldError

from .confirm import probe_world
from .render import render
from .run import diagnose


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="harness diagnose",
                                     description="cross-check the Okta side of a world against the AWS side")
    parser.add_argument("--world", metavar="FILE", help="world file (with --iac: the small world file beside it)")
    parser.add_argument("--iac", metavar="PATH", action="append", help="CloudFormation / Terraform / plan JSON")
    parser.add_argument("--var", metavar="NAME=VALUE", action="append", default=[])
    parser.add_argument("--parameter", metavar="NAME=VALUE", action="append", default=[])
    parser.add_argument("--json", action="store_true", help="findings as JSON")
    parser.add_argument("--probe", action="store_true",
                        help="start the world and sign the affected users in over HTTP to confirm each finding")
    args = parser.parse_args(argv)
    try:
        if args.iac:
            from harness import iac

            world = iac.load(args.iac, variables=dict(v.split("=", 1) for v in args.var if "=" in v),
                             parameters=dict(v.split("=", 1) for v in args.parameter if "=" in v),
                             world_file=args.world, report=lambda note: None)
        else:
            from harness.world import load

            world = load(args.world)
    except WorldError as exc:
        print(f"harness diagnose: {exc}", file=sys.stderr)
        return exc.exit_code
    findings = diagnose(world)
    if args.probe:
        try:
            probe_world(world, findings)
        except WorldError as exc:
            print(f"harness diagnose --probe: the world did not start: {exc}", file=sys.stderr)
            return exc.exit_code
        except RuntimeError as exc:   # another world running in this process (runtime.start_world)
            print(f"harness diagnose --probe: {exc}", file=sys.stderr)
            return 2
    if args.json:
        print(json.dumps([f.to_dict() for f in findings], indent=2, default=str))
    else:
        print(render(findings, colour=sys.stdout.isatty()))
    return 1 if any(f.severity == "error" for f in findings) else 0
