"""What a world hands each mock's app factory: shared clock, HTTP, the AWS endpoint, the trace.

Passed in rather than imported, so the two mocks never import each other or the harness.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from .clock import Clock


@dataclass
class Services:
    clock: Clock
    http: Any                 # a requests.Session routed through the local internet
    aws_endpoint_url: str     # moto's endpoint (plain HTTP on loopback)
    moto_app: Callable | None = None   # moto's WSGI app, for requests a mock passes through
    trace: Any = None
    # () -> environment for other programs to reach the world (proxy, CA bundle, credentials):
    # Lambda handlers' SDK calls (mock_cognito.triggers)
    program_env: Callable[[], dict] | None = None
