"""``harness up``: start a world and keep it running (in the foreground, or ``--detach``ed)."""
from __future__ import annotations

import logging
import os
import signal
import sys
import threading

from harness import service
from harness.runtime import start_world

from .state import add_state_argument, state_file
from .world_args import add_world_arguments, load_world

NAME = "up"
HELP = "start a world and keep it running"


def add_arguments(parser) -> None:
    add_world_arguments(parser)
    parser.add_argument("--json", metavar="FILE", help="write the world's endpoints as JSON once it answers")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="log one line per request (server errors and failed calls are always logged)")
    parser.add_argument("--detach", action="store_true",
                        help="return once the world answers and leave it running in the background")
    add_state_argument(parser)


def _configure_logging(verbose: bool) -> None:
    """The world's log on stderr: server errors with their traceback and failed
    server-to-server calls with their cause always; with ``-v`` also one line per request."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    logger = logging.getLogger("okta_aws_harness")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO if verbose else logging.WARNING)


def _announce(world, endpoints) -> None:
    print(f"harness: world {world.name!r} is up on {endpoints['listener']}", flush=True)
    print(f"harness: proxy {endpoints['proxy']}; CA {endpoints['ca_file']}", flush=True)
    if world.okta is not None:
        print(f"harness: Okta org {world.okta.org_url}", flush=True)
    for pool in (world.aws.UserPools if world.aws else []):
        print(f"harness: user pool {pool.PoolName} {pool.Id} {pool.domain_url or ''}", flush=True)
    print("harness: `eval \"$(harness env)\"` in another shell points aws, boto3 and curl at it; "
          "Ctrl-C stops it", flush=True)


def _detach(args, path: str) -> int:
    child = [sys.executable, "-m", "harness_cli", *[a for a in args.argv if a != "--detach"]]
    if not args.state:
        child += ["--state", path]
    code = service.start_detached(child, path)
    if code == 0:
        state = service.read_state(path) or {}
        print(f"harness: world is up in the background (pid {state.get('pid')}) on {state.get('listener')}; "
              f"health {service.HEALTH_URL}; state {path}; `harness down` stops it", flush=True)
    return code


def run(args) -> int:
    path = state_file(args)
    if args.detach:
        return _detach(args, path)
    service.refuse_if_running(path)
    _configure_logging(args.verbose)
    world = load_world(args)
    running = start_world(world, extra_hosts={service.HEALTH_HOST: service.health_app(world.name)})
    try:
        if args.json:
            running.write_endpoints(args.json)
        endpoints = running.endpoints()
        service.write_state(path, service.state_record(endpoints))
        _announce(world, endpoints)
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        while not stop.wait(0.5):
            pass
    finally:
        running.stop()
        state = service.read_state(path)
        if state is not None and state.get("pid") == os.getpid():
            service.remove_state(path)
    return 0
