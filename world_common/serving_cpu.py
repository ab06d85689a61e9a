"""One CPU for the threads that serve a world's requests (Linux; elsewhere nothing is done).

A world answers each connection in a thread of its own, and a process runs Python in one
thread at a time (the GIL). Left to itself, the kernel wakes each thread on whichever CPU is
idle, so with two or more clients at once the interpreter's state moves from one core's cache
to the other's on nearly every request. Measured on the 2-core CI machine
(``benchmarks/throughput.py``, world CPU per SAML sign-in, 1/2/4 client processes):
3.38/3.90/4.65 ms with the threads free, 3.40/3.44/3.73 ms with them on one CPU, at the same or
a higher rate of sign-ins. Keeping them together gives up nothing Python could use: the only
work that runs beside the GIL is C code (TLS, hashing, XML parsing) a few microseconds at a
time.

So each serving thread asks to run on the process's serving CPU: the CPU the first serving
thread found itself on (the kernel's own choice, so two processes that start worlds at once
usually get different ones), for as long as that CPU is in the process's allowed set. Other
threads (a test's, a browser driver's) stay free. A child process started from a serving
thread (a Lambda trigger's runtime) would inherit the one CPU: :func:`release` gives it back
the process's whole set.
"""
from __future__ import annotations

import ctypes
import os
import threading

_lock = threading.Lock()
_chosen: list[int] = []


def _load_sched_getcpu():
    if not hasattr(os, "sched_setaffinity"):
        return None
    try:
        return ctypes.CDLL(None).sched_getcpu   # glibc and musl
    except (OSError, AttributeError):
        return None


_sched_getcpu = _load_sched_getcpu()


def serve_here() -> None:
    """Run the calling thread on the process's serving CPU (chosen by the first caller)."""
    if _sched_getcpu is None:
        return
    try:
        allowed = os.sched_getaffinity(0)
        if len(allowed) < 2:
            return
        with _lock:
            if not _chosen or _chosen[0] not in os.sched_getaffinity(os.getpid()):
                cpu = _sched_getcpu()
                _chosen[:] = [cpu if cpu in allowed else min(allowed)]
            cpu = _chosen[0]
        os.sched_setaffinity(0, {cpu})
    except OSError:   # a CPU set changed under us (cgroups): the thread stays where it is
        pass


def release(pid: int) -> None:
    """Give the child process ``pid`` the whole CPU set of this process (its main thread's)."""
    if _sched_getcpu is None:
        return
    try:
        os.sched_setaffinity(pid, os.sched_getaffinity(os.getpid()))
    except OSError:   # it has already exited
        pass
