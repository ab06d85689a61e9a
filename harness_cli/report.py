"""``harness report merge DIR... --out DIR``: join shard reports (scenarios.report_merge)."""
from __future__ import annotations

from scenarios.report_merge import register

NAME = "report"
__all__ = ["NAME", "register"]
