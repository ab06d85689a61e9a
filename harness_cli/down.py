"""``harness down``: stop the world started by ``harness up --detach``."""
from __future__ import annotations

from harness import service

from .state import add_state_argument, state_file

NAME = "down"
HELP = "stop the world started by `harness up --detach`"


def add_arguments(parser) -> None:
    add_state_argument(parser)


def run(args) -> int:
    print(f"harness: {service.stop(state_file(args))}")
    return 0
