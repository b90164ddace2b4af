"""The server-side rate limit: a sliding 60 s window per account.

Window time runs on ``time.monotonic()`` **plus** however far a fixed sandbox clock was
advanced. Real time always drains the window (a client that honours ``Retry-After``
recovers even when the sandbox clock is pinned), and a test can empty the window at once
with ``sb.clock.advance(seconds=60)``.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque

from ._clock import Clock
from ._http import ApiError

__all__ = ["RateLimiter", "throttled"]


def throttled(wait: float, *, retry_after_header: bool = True) -> ApiError:
    """DRF's throttle answer: 429, ``Expected available in N seconds.``"""
    seconds = max(1, math.ceil(wait))
    headers = {"retry-after": str(seconds)} if retry_after_header else {}
    return ApiError(
        429,
        {"detail": f"Request was throttled. Expected available in {seconds} seconds."},
        headers,
    )


class RateLimiter:
    """Sliding 60-second window per account; counts a request when it arrives."""

    WINDOW = 60.0

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._clock0 = clock.now()
        self._mono0 = time.monotonic()
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _time(self) -> float:
        real = time.monotonic() - self._mono0
        # a fixed clock adds only what tests advanced; a real clock already follows real time
        advanced = (self._clock.now() - self._clock0).total_seconds()
        return real + advanced if self._clock.frozen else max(real, advanced)

    def hit(self, key: str, limit: int) -> float | None:
        """Record a request; ``None`` if allowed, else seconds until the window has room."""
        now = self._time()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - self.WINDOW:
                hits.popleft()
            if len(hits) >= limit:
                return max(hits[0] + self.WINDOW - now, 0.001)
            hits.append(now)
            return None
