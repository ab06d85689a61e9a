"""``--shard K/N`` (run and demo)."""
from __future__ import annotations

import argparse

from harness import shard


def shard_arg(text: str) -> str:
    try:
        return str(shard.parse(text))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
