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
import json
import logging
import os
import signal
import sys
import threading

from . import env_formats, service, shard
from .explain import command as explain_command
from .world import WorldError


def _state_file(args=None) -> str:
    return getattr(args, "state", None) or service.default_state_file()


def _load_world(args):
    """The world named by --world / --iac (the embedded default world when neither is given)."""
    iac = getattr(args, "iac", None) or []
    if iac:
        from . import iac as iac_loader

        variables = dict(v.split("=", 1) for v in (getattr(args, "var", None) or []) if "=" in v)
        parameters = dict(v.split("=", 1) for v in (getattr(args, "parameter", None) or []) if "=" in v)
        return iac_loader.load(iac, variables=variables, parameters=parameters, world_file=args.world,
                               var_files=getattr(args, "var_file", None) or [])
    from .world import load

    return load(args.world)


def _add_world_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--world", metavar="FILE", help="world file (default: the embedded default world)")
    parser.add_argument("--iac", metavar="PATH", action="append",
                        help="CloudFormation template, Terraform directory/file or plan JSON (repeatable)")
    parser.add_argument("--var", metavar="NAME=VALUE", action="append", help="Terraform variable override")
    parser.add_argument("--var-file", metavar="FILE", action="append", help="Terraform variables file (.tfvars)")
    parser.add_argument("--parameter", metavar="NAME=VALUE", action="append",
                        help="CloudFormation parameter override")


def _add_engine_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--engine", choices=("browser", "http"), default=None,
                        help="who plays the user in every case: browser (the system Chromium) or http (an HTTP "
                             "user agent, no browser); default: each scenario file's engine, else browser")


def _configure_logging(verbose: bool) -> None:
    """The world's log on stderr: server errors with their traceback and failed
    server-to-server calls with their cause always; with ``-v`` also one line per request."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    logger = logging.getLogger("okta_aws_harness")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO if verbose else logging.WARNING)


def cmd_up(args) -> int:
    from .runtime import start_world

    state_file = _state_file(args)
    if args.detach:
        child = [sys.executable, "-m", "harness.cli", *[a for a in args.argv if a != "--detach"]]
        if not args.state:
            child += ["--state", state_file]
        code = service.start_detached(child, state_file)
        if code == 0:
            state = service.read_state(state_file) or {}
            print(f"harness: world is up in the background (pid {state.get('pid')}) on {state.get('listener')}; "
                  f"health {service.HEALTH_URL}; state {state_file}; `harness down` stops it", flush=True)
        return code
    service.refuse_if_running(state_file)
    _configure_logging(args.verbose)
    world = _load_world(args)
    running = start_world(world, extra_hosts={service.HEALTH_HOST: service.health_app(world.name)})
    try:
        if args.json:
            running.write_endpoints(args.json)
        endpoints = running.endpoints()
        service.write_state(state_file, service.state_record(endpoints))
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
        state = service.read_state(state_file)
        if state is not None and state.get("pid") == os.getpid():
            service.remove_state(state_file)
    return 0


def cmd_env(args) -> int:
    path = args.endpoints or _state_file(args)
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


def cmd_status(args) -> int:
    code, text = service.status(_state_file(args))
    print(f"harness: {text}")
    return code


def cmd_down(args) -> int:
    print(f"harness: {service.stop(_state_file(args))}")
    return 0


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
                      iac=args.iac, variables=variables, parameters=parameters, shard=args.shard,
                      shard_durations=args.shard_durations, engine=args.engine)


def _shard_arg(text: str) -> str:
    try:
        return str(shard.parse(text))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _add_state_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--state", metavar="FILE",
                        help=f"the running world's state file (default: ${service.STATE_ENV}, else one per user "
                             "in the harness cache directory)")


def cmd_demo(args) -> int:
    from scenarios import runner

    return runner.demo(args.report, shard=args.shard, engine=args.engine)


def cmd_diagnose(argv: list[str]) -> int:
    from . import diagnose

    return diagnose.main(argv)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="harness", description="A local, offline Okta <-> AWS federation world.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    up = sub.add_parser("up", help="start a world and keep it running")
    _add_world_args(up)
    up.add_argument("--json", metavar="FILE", help="write the world's endpoints as JSON once it answers")
    up.add_argument("-v", "--verbose", action="store_true",
                    help="log one line per request (server errors and failed calls are always logged)")
    up.add_argument("--detach", action="store_true",
                    help="return once the world answers and leave it running in the background")
    _add_state_arg(up)
    up.set_defaults(func=cmd_up)

    status = sub.add_parser("status", help="is the world started by `harness up` running and answering?")
    _add_state_arg(status)
    status.set_defaults(func=cmd_status)

    down = sub.add_parser("down", help="stop the world started by `harness up --detach`")
    _add_state_arg(down)
    down.set_defaults(func=cmd_down)

    env = sub.add_parser("env", help="print the environment that points programs at the running world")
    env.add_argument("--endpoints", metavar="FILE", help="endpoints file written by `harness up --json`")
    env.add_argument("--format", choices=env_formats.FORMATS, default="sh",
                     help="sh (export lines, the default), dotenv, json, github ($GITHUB_ENV) or powershell")
    _add_state_arg(env)
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
    run.add_argument("--shard", type=_shard_arg, metavar="K/N",
                     help="run only shard K of N (deterministic, disjoint; the N shards together run every case)")
    run.add_argument("--shard-durations", metavar="PATH",
                     help="junit.xml or report directory of a previous run: balance the shards by its durations")
    _add_engine_arg(run)
    run.set_defaults(func=cmd_run)

    demo = sub.add_parser("demo", help="run the built-in scenarios on the default world and write the report")
    demo.add_argument("--report", metavar="DIR", default="harness-report", help="report directory")
    demo.add_argument("--shard", type=_shard_arg, metavar="K/N", help="run only shard K of N of the library")
    _add_engine_arg(demo)
    demo.set_defaults(func=cmd_demo)

    from scenarios import report_merge

    report_merge.register(sub)
    explain_command.register(sub)

    sub.add_parser("diagnose", help="cross-check the Okta side against the AWS side (see `harness diagnose -h`)",
                   add_help=False)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "diagnose":
        runner = lambda: cmd_diagnose(argv[1:])  # noqa: E731  (diagnose parses its own options)
    else:
        args = build_parser().parse_args(argv)
        args.argv = argv
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
        return 3   # apart from 1 (failures/errors found), so CI can tell them apart


if __name__ == "__main__":
    sys.exit(main())
