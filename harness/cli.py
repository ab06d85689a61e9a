"""``harness``: start a world, print how to reach it, run scenarios, diagnose a configuration.

    harness up [--world FILE | --iac PATH ...] [--json FILE]   start a world and keep it running
    harness env [--endpoints FILE]                              shell exports for the running world
    harness validate [--world FILE | --iac PATH ...]            load and check a world, nothing more
    harness run [FILES...] [--world FILE] [--report DIR] [-n N] [--headed]
    harness demo [--report DIR]                                 the built-in scenarios on the default world
    harness diagnose [...]                                      cross-check the Okta side against AWS's

Exit codes: 0 success, 1 failures found, 2 bad input (a world, scenario or IaC file), never a
traceback for bad input.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading

from .world import WorldError


def _state_file() -> str:
    from world_common.keys import cache_dir

    return str(cache_dir() / f"running-{os.getuid() if hasattr(os, 'getuid') else 0}.json")


def _load_world(args):
    """The world named by --world / --iac (the embedded default world when neither is given)."""
    iac = getattr(args, "iac", None) or []
    if iac:
        from . import iac as iac_loader

        variables = dict(v.split("=", 1) for v in (getattr(args, "var", None) or []) if "=" in v)
        parameters = dict(v.split("=", 1) for v in (getattr(args, "parameter", None) or []) if "=" in v)
        return iac_loader.load(iac, variables=variables, parameters=parameters, world_file=args.world)
    from .world import load

    return load(args.world)


def _add_world_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--world", metavar="FILE", help="world file (default: the embedded default world)")
    parser.add_argument("--iac", metavar="PATH", action="append",
                        help="CloudFormation template, Terraform directory/file or plan JSON (repeatable)")
    parser.add_argument("--var", metavar="NAME=VALUE", action="append", help="Terraform variable override")
    parser.add_argument("--parameter", metavar="NAME=VALUE", action="append",
                        help="CloudFormation parameter override")


def cmd_up(args) -> int:
    from .runtime import start_world

    world = _load_world(args)
    running = start_world(world)
    try:
        if args.json:
            running.write_endpoints(args.json)
        running.write_endpoints(_state_file())
        endpoints = running.endpoints()
        print(f"harness: world {world.name!r} is up on {endpoints['listener']}", flush=True)
        print(f"harness: proxy {endpoints['proxy']}; CA {endpoints['ca_file']}", flush=True)
        if world.okta is not None:
            print(f"harness: Okta org {world.okta.org_url}", flush=True)
        for pool in (world.aws.UserPools if world.aws else []):
            print(f"harness: user pool {pool.PoolName} {pool.Id} {pool.domain_url or ''}", flush=True)
        print("harness: `eval \"$(harness env)\"` in another shell points aws, boto3 and curl at it; "
              "Ctrl-C stops it", flush=True)
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        while not stop.wait(0.5):
            pass
    finally:
        running.stop()
        try:
            os.unlink(_state_file())
        except OSError:
            pass
    return 0


def cmd_env(args) -> int:
    path = args.endpoints or _state_file()
    try:
        with open(path, encoding="utf-8") as fh:
            endpoints = json.load(fh)
    except FileNotFoundError:
        print(f"harness: no running world found ({path}); start one with `harness up`", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"harness: {path} is not an endpoints file: {exc}", file=sys.stderr)
        return 2
    for key, value in endpoints.get("env", {}).items():
        print(f"export {key}={_shell_quote(value)}")
    return 0


def _shell_quote(value: str) -> str:
    import shlex

    return shlex.quote(str(value))


def cmd_validate(args) -> int:
    world = _load_world(args)
    counts = []
    if world.okta is not None:
        counts.append(f"{len(world.okta.users)} Okta users, {len(world.okta.apps)} Okta apps")
    if world.aws is not None:
        counts.append(f"{len(world.aws.UserPools)} user pools, {len(world.aws.Roles)} IAM roles")
    print(f"harness: {world.source}: valid ({'; '.join(counts) or 'empty'})")
    return 0


def cmd_run(args) -> int:
    from scenarios import runner

    variables = dict(v.split("=", 1) for v in (args.var or []) if "=" in v)
    parameters = dict(v.split("=", 1) for v in (args.parameter or []) if "=" in v)
    return runner.run(args.files, world=args.world, report_dir=args.report, workers=args.n, headed=args.headed,
                      iac=args.iac, variables=variables, parameters=parameters)


def cmd_demo(args) -> int:
    from scenarios import runner

    return runner.demo(args.report)


def cmd_diagnose(argv: list[str]) -> int:
    from . import diagnose

    return diagnose.main(argv)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="harness", description="A local, offline Okta <-> AWS federation world.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    up = sub.add_parser("up", help="start a world and keep it running")
    _add_world_args(up)
    up.add_argument("--json", metavar="FILE", help="write the world's endpoints as JSON once it answers")
    up.set_defaults(func=cmd_up)

    env = sub.add_parser("env", help="print shell exports that point programs at the running world")
    env.add_argument("--endpoints", metavar="FILE", help="endpoints file written by `harness up --json`")
    env.set_defaults(func=cmd_env)

    validate = sub.add_parser("validate", help="load and check a world file")
    _add_world_args(validate)
    validate.set_defaults(func=cmd_validate)

    run = sub.add_parser("run", help="run scenario files")
    run.add_argument("files", nargs="*", help="scenario files (default: the built-in library)")
    _add_world_args(run)
    run.add_argument("--report", metavar="DIR", default="harness-report", help="report directory")
    run.add_argument("-n", type=int, default=1, metavar="N", help="parallel workers")
    run.add_argument("--headed", action="store_true", help="show the browser (needs a display)")
    run.set_defaults(func=cmd_run)

    demo = sub.add_parser("demo", help="run the built-in scenarios on the default world and write the report")
    demo.add_argument("--report", metavar="DIR", default="harness-report", help="report directory")
    demo.set_defaults(func=cmd_demo)

    sub.add_parser("diagnose", help="cross-check the Okta side against the AWS side (see `harness diagnose -h`)",
                   add_help=False)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "diagnose":
        runner = lambda: cmd_diagnose(argv[1:])  # noqa: E731  (diagnose parses its own options)
    else:
        args = build_parser().parse_args(argv)
        runner = lambda: args.func(args)  # noqa: E731
    try:
        return int(runner() or 0)
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
        return 1


if __name__ == "__main__":
    sys.exit(main())
