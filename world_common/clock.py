"""One virtual clock for a whole world.

Every part reads time from here, so a test moves time forward (``world.clock.advance(600)``)
instead of sleeping, and expiry (codes, assertions, sessions, tokens) is tested in milliseconds.
"""
from __future__ import annotations

import datetime as _dt
import threading
import time as _time


class Clock:
    """Wall-clock time plus an offset that only moves forward when a test says so."""

    def __init__(self) -> None:
        self._offset = 0.0
        self._lock = threading.Lock()

    def time(self) -> float:
        """Seconds since the epoch, like :func:`time.time`."""
        return _time.time() + self._offset

    def now(self) -> _dt.datetime:
        """An aware UTC datetime."""
        return _dt.datetime.fromtimestamp(self.time(), tz=_dt.timezone.utc)

    def advance(self, seconds: float) -> None:
        """Move the world's time forward (or back, with a negative number) by ``seconds``."""
        with self._lock:
            self._offset += float(seconds)

    @property
    def offset(self) -> float:
        return self._offset


def saml_instant(moment: _dt.datetime) -> str:
    """SAML's xs:dateTime in UTC with milliseconds and a ``Z``, as Okta writes it."""
    moment = moment.astimezone(_dt.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
