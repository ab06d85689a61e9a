"""``harness demo``: the built-in scenarios on the default world, with the report."""
from __future__ import annotations

from scenarios import runner

from .scenario_args import add_engine_argument, shard_arg

NAME = "demo"
HELP = "run the built-in scenarios on the default world and write the report"


def add_arguments(parser) -> None:
    parser.add_argument("--report", metavar="DIR", default="harness-report", help="report directory")
    parser.add_argument("--shard", type=shard_arg, metavar="K/N", help="run only shard K of N of the library")
    add_engine_argument(parser)


def run(args) -> int:
    return runner.demo(args.report, shard=args.shard, engine=args.engine)
