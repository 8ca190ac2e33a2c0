"""Per-client rate limit for public comments (sliding window, in memory).

Why in memory: the limit protects one process from floods; it is not a business fact
and has no place in the event log. Time comes from an injected monotonic clock.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

LIMIT_ENV = "HOTLINE_PUBLICATION_COMMENT_LIMIT"
DEFAULT_LIMIT = "5/600"


@dataclass(frozen=True)
class Limit:
    """At most `count` comments per client within `seconds`."""

    count: int
    seconds: float

    @classmethod
    def parse(cls, text: str) -> Limit:
        """`"5/600"` → 5 per 600 seconds."""
        count, _, seconds = text.partition("/")
        limit = cls(int(count), float(seconds))
        if limit.count < 1 or limit.seconds <= 0:
            raise ValueError(f"{LIMIT_ENV} must look like 5/600 (count/seconds), got {text!r}")
        return limit


class RateLimiter:
    def __init__(self, limit: Limit, clock: Callable[[], float] = time.monotonic) -> None:
        self._limit = limit
        self._clock = clock
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, client: str) -> float:
        """0 and the attempt is counted when allowed; else seconds until it would be."""
        now = self._clock()
        with self._lock:
            seen = self._seen.setdefault(client, deque())
            while seen and seen[0] <= now - self._limit.seconds:
                seen.popleft()
            if len(seen) >= self._limit.count:
                return seen[0] + self._limit.seconds - now
            seen.append(now)
            return 0.0
