"""The running world's state file (``--state``), shared by up, status, down and env."""
from __future__ import annotations

from harness import service


def add_state_argument(parser) -> None:
    parser.add_argument("--state", metavar="FILE",
                        help=f"the running world's state file (default: ${service.STATE_ENV}, else one per user "
                             "in the harness cache directory)")


def state_file(args=None) -> str:
    return getattr(args, "state", None) or service.default_state_file()
