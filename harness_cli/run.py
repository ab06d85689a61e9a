"""``harness run``: run scenario files (default: the built-in library)."""
from __future__ import annotations

from scenarios import runner

from .scenario_args import add_engine_argument, shard_arg
from .world_args import add_world_arguments, parameters, variables

NAME = "run"
HELP = "run scenario files"


def add_arguments(parser) -> None:
    parser.add_argument("files", nargs="*", help="scenario files (default: the built-in library)")
    add_world_arguments(parser)
    parser.add_argument("--report", metavar="DIR", default="harness-report", help="report directory")
    parser.add_argument("-n", type=int, default=1, metavar="N", help="parallel workers")
    parser.add_argument("--headed", action="store_true", help="show the browser (needs a display)")
    parser.add_argument("--shard", type=shard_arg, metavar="K/N",
                        help="run only shard K of N (deterministic, disjoint; the N shards together run every case)")
    parser.add_argument("--shard-durations", metavar="PATH",
                        help="junit.xml or report directory of a previous run: balance the shards by its durations")
    add_engine_argument(parser)


def run(args) -> int:
    return runner.run(args.files, world=args.world, report_dir=args.report, workers=args.n, headed=args.headed,
                      iac=args.iac, variables=variables(args), parameters=parameters(args), shard=args.shard,
                      shard_durations=args.shard_durations, engine=args.engine)
