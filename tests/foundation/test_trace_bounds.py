"""harness.trace.Trace keeps at most ``limit`` exchanges and ``max_bytes``: the oldest are
dropped first, the byte count is always that of the exchanges it holds, and positions
(``len``/``since``) count every exchange ever added."""
from __future__ import annotations

from harness.trace import Exchange, Trace


def _exchange(index: int, body: int) -> Exchange:
    return Exchange(started=float(index), method="POST", url=f"https://h.example/{index}", host="h.example",
                    request_headers={"Content-Type": "text/plain"}, request_body=b"x" * body,
                    response_headers=[("Content-Length", "0")])


def test_the_oldest_are_dropped_and_the_bytes_match_what_is_kept():
    trace = Trace(limit=1000, max_bytes=3 * (Trace.OVERHEAD + 2000))
    for index in range(10):
        trace.add(_exchange(index, 1000 + 100 * index))
        kept = trace.events()
        assert trace.recorded_bytes == sum(Trace._size(e) for e in kept) <= trace.max_bytes
    assert [e.started for e in trace.events()] == [7.0, 8.0, 9.0]
    assert len(trace) == 10
    assert [e.started for e in trace.since(9)] == [9.0]


def test_the_count_limit_and_clear():
    trace = Trace(limit=3, max_bytes=10 ** 9)
    for index in range(5):
        trace.add(_exchange(index, 10))
    assert [e.started for e in trace.events()] == [2.0, 3.0, 4.0]
    trace.clear()
    assert trace.recorded_bytes == 0 and trace.events() == [] and len(trace) == 5
    trace.add(_exchange(5, 10))
    assert trace.recorded_bytes == Trace._size(trace.events()[0])
