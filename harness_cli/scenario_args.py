"""Options shared by the commands that run scenarios (run, demo): ``--shard K/N``, ``--engine``."""
from __future__ import annotations

import argparse

from harness import shard


def shard_arg(text: str) -> str:
    try:
        return str(shard.parse(text))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_engine_argument(parser) -> None:
    parser.add_argument("--engine", choices=("browser", "http"), default=None,
                        help="who plays the user in every case: browser (the system Chromium) or http (an HTTP "
                             "user agent, no browser); default: each scenario file's engine, else browser")
