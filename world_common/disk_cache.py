"""The harness's on-disk cache (keys, the local CA, server certificates): safe when several
processes (pytest-xdist workers, two ``harness up``) create the same entry at the same moment.

Every entry is created under an exclusive file lock and written atomically (a temporary file,
then ``os.replace``), so a reader sees either no file or a whole one, and two creators never
produce two different values.
"""
from __future__ import annotations

import contextlib
import fcntl
import os
import pathlib
import tempfile
import threading
from typing import Iterator

_thread_locks: dict[str, threading.Lock] = {}
_thread_locks_guard = threading.Lock()


def cache_dir() -> pathlib.Path:
    """``$OKTA_AWS_HARNESS_CACHE``, else ``$XDG_CACHE_HOME/okta-aws-harness`` (``~/.cache``)."""
    base = os.environ.get("OKTA_AWS_HARNESS_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "okta-aws-harness"
    )
    path = pathlib.Path(base)
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextlib.contextmanager
def locked(path: pathlib.Path) -> Iterator[None]:
    """Hold an exclusive lock named after ``path`` against other threads and other processes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = str(path) + ".lock"
    with _thread_locks_guard:
        thread_lock = _thread_locks.setdefault(lock_path, threading.Lock())
    with thread_lock, open(lock_path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_atomic(path: pathlib.Path, data: bytes, mode: int = 0o600) -> None:
    """Write ``data`` so that no reader ever sees a partial file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
