"""A record of every HTTP exchange in a world: browser to mocks and mocks to each other.

Scenarios and reports read it (issue "Scenarios"); recording costs a dict per request.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field


@dataclass
class Exchange:
    started: float
    method: str
    url: str
    host: str
    request_headers: dict
    request_body: bytes
    status: int = 0
    response_headers: list = field(default_factory=list)
    response_body: bytes = b""
    duration_ms: float = 0.0
    via: str = "listener"

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        for key, value in self.response_headers:
            if key.lower() == lowered:
                return value
        return None


class Trace:
    """Thread-safe list of :class:`Exchange`, bounded so a long-running world cannot grow forever."""

    MAX_BODY = 256 * 1024

    def __init__(self, limit: int = 20000) -> None:
        self._lock = threading.Lock()
        self._events: list[Exchange] = []
        self.limit = limit

    def add(self, exchange: Exchange) -> None:
        with self._lock:
            self._events.append(exchange)
            if len(self._events) > self.limit:
                del self._events[: len(self._events) - self.limit]

    def events(self) -> list[Exchange]:
        with self._lock:
            return list(self._events)

    def since(self, index: int) -> list[Exchange]:
        with self._lock:
            return list(self._events[index:])

    def __len__(self) -> int:
        with self._lock:
            return len(self._events)

    def clear(self) -> None:
        with self._lock:
            self._events.clear()


def now() -> float:
    return time.time()
