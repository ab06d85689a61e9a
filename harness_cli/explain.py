"""``harness explain CAPTURE``: a captured sign-in explained offline (harness.explain.command)."""
from __future__ import annotations

from harness.explain.command import register

NAME = "explain"
__all__ = ["NAME", "register"]
