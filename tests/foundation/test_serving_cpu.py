"""The threads that serve a world's requests share one CPU; other threads and child processes
keep the process's whole set (world_common/serving_cpu.py)."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading

from harness.wsgi_server import WSGIServer
from world_common import serving_cpu


def _affinity_app(environ, start_response):
    cpus = ",".join(str(cpu) for cpu in sorted(os.sched_getaffinity(0)))
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [cpus.encode()]


def _ask(port: int) -> str:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    return data.partition(b"\r\n\r\n")[2].decode()


def test_every_serving_thread_runs_on_the_same_one_cpu_and_other_threads_stay_free():
    whole = os.sched_getaffinity(0)
    server = WSGIServer(_affinity_app).start()
    try:
        answers = [_ask(server.port) for _ in range(6)]
    finally:
        server.stop()
    if len(whole) >= 2:
        assert len(set(answers)) == 1 and "," not in answers[0], answers
        assert int(answers[0]) in whole
    else:
        assert set(answers) == {",".join(str(cpu) for cpu in sorted(whole))}
    assert os.sched_getaffinity(0) == whole   # the test's own thread was never moved


def test_a_child_started_from_a_serving_thread_gets_the_whole_set_back():
    whole = os.sched_getaffinity(os.getpid())
    seen: dict[str, set[int]] = {}

    def serving_thread():
        serving_cpu.serve_here()
        seen["thread"] = os.sched_getaffinity(0)
        child = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
        serving_cpu.release(child.pid)
        seen["child"] = os.sched_getaffinity(child.pid)
        child.communicate(b"")

    thread = threading.Thread(target=serving_thread)
    thread.start()
    thread.join(timeout=30)
    assert seen["child"] == whole
    assert len(seen["thread"]) == (1 if len(whole) >= 2 else len(whole))
