"""``harness explain CAPTURE [--world FILE | --iac PATH ...] [--idp-metadata FILE] [--at TIME]
[--json] [--report DIR] [--redact]``: the CLI glue (one module per command: ``register`` adds
the sub-command, ``run`` runs it).

Exit codes: 0 the sign-in would succeed, 1 it would fail, 2 bad input (a capture, world, IaC or
metadata file that cannot be read, each named in a one-line error; a capture nothing decides).
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import sys

from .. import iac
from ..assignments import parse_assignments
from ..world import WorldError, load
from . import exit_code, explain, render
from .captures import CaptureError
from .world_side import ExplainInputError


def register(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "explain", help="explain a captured sign-in (HAR, SAML-tracer export, SAMLResponse, JWT, redirect URL)",
        description="Explain a captured sign-in offline against a configuration: every SAML message, "
                    "redirect, token and error in order, and the verdict with the settings to change.")
    parser.add_argument("capture", metavar="CAPTURE", help="HAR, SAML-tracer JSON, SAML message, JWT or URL file")
    parser.add_argument("--world", metavar="FILE", help="world file (default: the embedded default world)")
    parser.add_argument("--iac", metavar="PATH", action="append",
                        help="CloudFormation template, Terraform directory/file or plan JSON (repeatable)")
    parser.add_argument("--var", metavar="NAME=VALUE", action="append", help="Terraform variable override")
    parser.add_argument("--parameter", metavar="NAME=VALUE", action="append",
                        help="CloudFormation parameter override")
    parser.add_argument("--idp-metadata", metavar="FILE", help="the IdP metadata the configuration trusts")
    parser.add_argument("--at", metavar="TIME", help="check time conditions at this ISO 8601 time "
                                                     "(default: the capture's own time)")
    parser.add_argument("--json", action="store_true", help="print the explanation as JSON")
    parser.add_argument("--report", metavar="DIR", help="write the HTML report to DIR/explain.html")
    parser.add_argument("--redact", action="store_true",
                        help="remove assertion values, emails and tokens from the output and the report")
    parser.set_defaults(func=run)
    return parser


def _world(args):
    if args.iac:
        return iac.load(args.iac, variables=parse_assignments(args.var, "--var"),
                        parameters=parse_assignments(args.parameter, "--parameter"),
                        world_file=args.world)
    return load(args.world)


def _at(value: str | None) -> _dt.datetime | None:
    if not value:
        return None
    try:
        moment = _dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ExplainInputError(f"--at {value!r}: not an ISO 8601 time (e.g. 2026-11-30T14:00:00Z)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=_dt.timezone.utc)


def _metadata(path: str | None) -> bytes | None:
    if not path:
        return None
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError as exc:
        raise ExplainInputError(f"--idp-metadata {path}: {exc.strerror or exc}") from None


def run(args) -> int:
    try:
        at, metadata = _at(args.at), _metadata(args.idp_metadata)
        world = _world(args)
        result = explain(args.capture, world, idp_metadata=metadata, at=at)
    except (CaptureError, ExplainInputError) as exc:
        print(f"harness explain: error: {exc}", file=sys.stderr)
        return 2
    except WorldError as exc:
        print(f"harness explain: error: {exc}", file=sys.stderr)
        return 2
    if args.redact:
        result = render.redact(result)
    print(json.dumps(result, indent=2, default=str) if args.json else render.text(result))
    if args.report:
        os.makedirs(args.report, exist_ok=True)
        path = os.path.join(args.report, "explain.html")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(render.html(result))
        if not args.json:
            print(f"report: {path}")
    code = exit_code(result)
    if code == 2:
        print("harness explain: error: nothing in the capture decides the sign-in (no SAML response, token, "
              "or error)", file=sys.stderr)
    return code
