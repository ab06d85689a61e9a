"""``harness status``: is the world started by ``harness up`` running and answering?"""
from __future__ import annotations

from harness import service

from .state import add_state_argument, state_file

NAME = "status"
HELP = "is the world started by `harness up` running and answering?"


def add_arguments(parser) -> None:
    add_state_argument(parser)


def run(args) -> int:
    code, text = service.status(state_file(args))
    print(f"harness: {text}")
    return code
