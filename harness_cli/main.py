"""``harness``: start a world, print how to reach it, run scenarios, diagnose a configuration.

    harness up [--world FILE | --iac PATH ...] [--json FILE] [--detach] [--state FILE]
                                                                start a world and keep it running
    harness status / harness down [--state FILE]                is it answering / stop it
    harness env [--format sh|dotenv|json|github|powershell]     the environment for the running world
    harness validate [--world FILE | --iac PATH ...]            load and check a world, nothing more
    harness run [FILES...] [--world FILE] [--report DIR] [-n N] [--headed] [--shard K/N]
                [--engine browser|http]
    harness report merge DIR... --out DIR                       join shard reports
    harness demo [--report DIR] [--shard K/N] [--engine E]      the built-in scenarios on the default world
    harness diagnose [...]                                      cross-check the Okta side against AWS's
    harness explain CAPTURE [--world FILE | --iac PATH ...]     explain a captured sign-in offline

Exit codes: 0 success, 1 failures found, 2 bad input (a world, scenario or IaC file), 3 internal
error; never a traceback for bad input.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys
from types import ModuleType

from harness.world import WorldError

# One line per command: the module harness_cli.<name> (see harness_cli/__init__.py).
COMMANDS = [
    "up",
    "status",
    "down",
    "env",
    "validate",
    "run",
    "demo",
    "report",
    "diagnose",
    "explain",
]


def _command(name: str) -> ModuleType:
    # Deliberately lazy: `harness up` must not pay for importing pytest and Playwright, which
    # `run` and `demo` need; only the chosen command's module is imported.
    return importlib.import_module(f"harness_cli.{name}")


def build_parser(names: list[str] = COMMANDS) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="harness", description="A local, offline Okta <-> AWS federation world.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in names:
        command = _command(name)
        if getattr(command, "RAW_ARGV", False):
            sub.add_parser(command.NAME, help=command.HELP, add_help=False)
        elif hasattr(command, "register"):   # the command adds its own sub-parser (set_defaults(func=...))
            command.register(sub)
        else:
            command_parser = sub.add_parser(command.NAME, help=command.HELP)
            command.add_arguments(command_parser)
            command_parser.set_defaults(func=command.run)
    return parser


def _runner(argv: list[str]):
    chosen = [argv[0]] if argv and argv[0] in COMMANDS else COMMANDS
    if len(chosen) == 1 and getattr(_command(chosen[0]), "RAW_ARGV", False):
        command = _command(chosen[0])
        return lambda: command.run(argv[1:])
    args = build_parser(chosen).parse_args(argv)
    args.argv = argv   # `up --detach` starts itself again with the same arguments
    return lambda: args.func(args)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        return int(_runner(argv)() or 0)
    except WorldError as exc:
        print(f"harness: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the last line of defence: a message, not a traceback
        if os.environ.get("HARNESS_DEBUG"):
            raise
        print(f"harness: internal error: {type(exc).__name__}: {exc} (set HARNESS_DEBUG=1 for the traceback)",
              file=sys.stderr)
        return 3   # apart from 1 (failures/errors found), so CI can tell them apart


if __name__ == "__main__":
    sys.exit(main())
