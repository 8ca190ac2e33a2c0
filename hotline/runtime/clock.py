"""An injectable clock, so rules never read the wall clock themselves.

Rules take "now" from a `Clock`; production passes a `SystemClock`, tests a
`ManualClock` they advance by hand, so weeks of working days pass in a second.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Where "now" comes from."""

    def now(self) -> datetime:
        """The current instant, timezone-aware."""
        ...


class SystemClock:
    """The wall clock, in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """A clock that only moves when told to; thread-safe, for tests and simulations."""

    def __init__(self, start: datetime) -> None:
        _require_aware(start)
        self._now = start
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, by: timedelta) -> datetime:
        """Move forward by `by` (never backward) and return the new now."""
        if by < timedelta(0):
            raise ValueError("a clock does not run backward")
        with self._lock:
            self._now += by
            return self._now

    def set(self, to: datetime) -> None:
        """Jump to `to`, which must not be earlier than now."""
        _require_aware(to)
        with self._lock:
            if to < self._now:
                raise ValueError("a clock does not run backward")
            self._now = to


def _require_aware(moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("clock times must be timezone-aware")
