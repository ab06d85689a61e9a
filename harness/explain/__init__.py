"""``harness explain``: a captured sign-in (HAR, SAML-tracer export, SAML message, JWT, redirect
URL) explained offline against a configuration, with the mocks' own checks and texts.

    from harness.explain import explain
    result = explain("signin.har", world, at=None)   # {"capture", "steps", "verdict", ...}

Modules: :mod:`.captures` reads captures; :mod:`.messages` decodes what they carry;
:mod:`.world_side` applies the configuration; :mod:`.cognito`, :mod:`.aws`, :mod:`.okta`,
:mod:`.tokens` explain each side's messages with the mocks' functions; :mod:`.observed` matches
errors the capture shows; :mod:`.verdict` walks the capture; :mod:`.render` writes text, JSON
and the HTML report; :mod:`.command` is the CLI glue.
"""
from __future__ import annotations

import datetime as _dt

from . import captures, verdict
from .captures import CaptureError
from .world_side import ExplainInputError, WorldSide

__all__ = ["explain", "CaptureError", "ExplainInputError"]


def explain(capture, world, *, idp_metadata: bytes | None = None, at: _dt.datetime | None = None) -> dict:
    """``capture``: a path or a :class:`captures.Capture`; ``world``: a loaded world."""
    if not isinstance(capture, captures.Capture):
        capture = captures.read(capture)
    side = WorldSide(world, idp_metadata)
    steps = verdict.walk(capture, side, at)
    return {
        "capture": {"source": capture.source, "kind": capture.kind, "exchanges": len(capture.exchanges),
                    "started": capture.started.isoformat() if capture.started else None},
        "world": str(getattr(world, "source", "") or ""),
        "at": at.isoformat() if at else None,
        "steps": [s.to_dict() for s in steps],
        "verdict": verdict.verdict(steps),
    }


def exit_code(result: dict) -> int:
    """0: the sign-in would succeed; 1: it would fail; 2: nothing in the capture decides it."""
    return {"succeeds": 0, "fails": 1}.get(result["verdict"]["outcome"], 2)
