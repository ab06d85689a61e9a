"""A record of every HTTP exchange in a world: browser to mocks and mocks to each other.

Scenarios and reports read it (issue "Scenarios"); recording costs a dict per request.
"""
from __future__ import annotations

import collections
import itertools
import os
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
    error: str = ""  # why a call failed before any response (TLS, connect, timeout)

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        for key, value in self.response_headers:
            if key.lower() == lowered:
                return value
        return None


class Trace:
    """Thread-safe list of :class:`Exchange`, bounded so a long-running world cannot grow
    forever: at most ``limit`` exchanges and ``max_bytes`` of recorded bodies, URLs and headers (oldest dropped
    first). The byte cap is 32 MiB unless ``OKTA_AWS_HARNESS_TRACE_MB`` says otherwise."""

    MAX_BODY = 256 * 1024
    OVERHEAD = 4096  # what an exchange's objects cost beyond its bodies, URL and headers, roughly

    def __init__(self, limit: int = 20000, max_bytes: int | None = None) -> None:
        self._lock = threading.Lock()
        self._events: collections.deque[Exchange] = collections.deque()
        self._sizes: collections.deque[int] = collections.deque()   # each event's _size, kept for when it is dropped
        self._bytes = 0
        self._dropped = 0
        self.limit = limit
        self.max_bytes = max_bytes if max_bytes is not None else int(
            float(os.environ.get("OKTA_AWS_HARNESS_TRACE_MB") or 32) * 1024 * 1024)

    @staticmethod
    def _size(exchange: Exchange) -> int:
        headers = sum(len(k) + len(v) for k, v in exchange.request_headers.items())
        headers += sum(len(k) + len(v) for k, v in exchange.response_headers)
        return (len(exchange.request_body) + len(exchange.response_body) + len(exchange.url) + headers
                + len(exchange.error) + Trace.OVERHEAD)

    def add(self, exchange: Exchange) -> None:
        with self._lock:
            size = self._size(exchange)
            self._events.append(exchange)
            self._sizes.append(size)
            self._bytes += size
            while self._events and (len(self._events) > self.limit or self._bytes > self.max_bytes):
                self._events.popleft()
                self._bytes -= self._sizes.popleft()
                self._dropped += 1

    @property
    def recorded_bytes(self) -> int:
        with self._lock:
            return self._bytes

    def record(self, **fields) -> None:
        """Hook for the mocks, which do not import the harness: add the :class:`Exchange` made of
        ``fields`` (issue 14: a Lambda trigger's Invoke call, ``via="lambda"``)."""
        self.add(Exchange(**fields))

    def events(self) -> list[Exchange]:
        with self._lock:
            return list(self._events)

    def since(self, index: int) -> list[Exchange]:
        """The exchanges recorded after ``len(trace)`` was ``index`` (indices count every
        exchange ever added, so dropping old ones does not shift them)."""
        with self._lock:
            skip = max(0, index - self._dropped)
            return list(itertools.islice(self._events, skip, None))

    def __len__(self) -> int:
        """How many exchanges were ever recorded (a position for :meth:`since`)."""
        with self._lock:
            return self._dropped + len(self._events)

    def clear(self) -> None:
        with self._lock:
            self._dropped += len(self._events)
            self._events.clear()
            self._sizes.clear()
            self._bytes = 0


def now() -> float:
    return time.time()
