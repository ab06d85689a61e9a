"""``harness diagnose``: cross-check the Okta side against the AWS side (it parses its own options)."""
from __future__ import annotations

from harness import diagnose

NAME = "diagnose"
HELP = "cross-check the Okta side against the AWS side (see `harness diagnose -h`)"
RAW_ARGV = True


def run(argv: list[str]) -> int:
    return diagnose.main(argv)
