"""``harness env``: the environment that points programs at the running world."""
from __future__ import annotations

import json
import sys

from harness import env_formats

from .state import add_state_argument, state_file

NAME = "env"
HELP = "print the environment that points programs at the running world"


def add_arguments(parser) -> None:
    parser.add_argument("--endpoints", metavar="FILE", help="endpoints file written by `harness up --json`")
    parser.add_argument("--format", choices=env_formats.FORMATS, default="sh",
                        help="sh (export lines, the default), dotenv, json, github ($GITHUB_ENV) or powershell")
    add_state_argument(parser)


def run(args) -> int:
    path = args.endpoints or state_file(args)
    try:
        with open(path, encoding="utf-8") as fh:
            endpoints = json.load(fh)
    except FileNotFoundError:
        print(f"harness: no running world found ({path}); start one with `harness up`", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"harness: {path} is not an endpoints file: {exc}", file=sys.stderr)
        return 2
    if not isinstance(endpoints, dict) or not isinstance(endpoints.get("env"), dict):
        print(f"harness: {path} is not an endpoints file: it has no \"env\" object", file=sys.stderr)
        return 2
    sys.stdout.write(env_formats.render(endpoints["env"], args.format))
    return 0
