"""Client-side rate limiter: a sliding 60-second window that waits instead of failing.

REFERENCE.md §2: 300 requests per minute per account, counted across every endpoint; over
it the API answers 429. Waiting here first costs nothing, while a 429 costs a round trip
and a backoff. One limiter serves every call of a client, from any thread and any asyncio
task (the window is guarded by a ``threading.Lock`` held only to read and update the
deque, never while sleeping). Clients of one process using the same credential on the same
server share one limiter through :func:`shared_limiter`.

Written here rather than taken from a library: the well-kept ones are either async-only
(aiolimiter) or sync-only (pyrate-limiter's blocking mode), and this needs both over a
single window, with an injectable clock for tests — about sixty lines.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable

from toolkit._exceptions import ArgumentError

__all__ = ["RateLimiter", "shared_limiter"]

log = logging.getLogger("toolkit")


class RateLimiter:
    """At most ``limit`` acquisitions in any ``window`` seconds; callers wait their turn.

    ``clock`` (monotonic seconds) and ``sleep`` are injectable for tests.

    >>> rl = RateLimiter(2, window=60.0, clock=lambda: 0.0)
    >>> rl.reserve(), rl.reserve(), rl.reserve()
    (0.0, 0.0, 60.0)
    """

    def __init__(
        self,
        limit: int,
        window: float = 60.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        notice_after: float = 1.0,
    ) -> None:
        if limit < 1:
            raise ArgumentError("limit must be >= 1", argument="limit")
        self.limit = limit
        self.window = window
        self._clock = clock
        self._sleep = sleep
        self.notice_after = notice_after
        self._hits: deque[float] = deque()
        self._lock = threading.Lock()
        #: monotonic times at which acquisitions were granted (tests and diagnostics)
        self.granted: deque[float] = deque(maxlen=10000)
        self.total_waited = 0.0

    def __repr__(self) -> str:
        return f"RateLimiter(limit={self.limit}, window={self.window})"

    def reserve(self) -> float:
        """Take a slot now and return 0.0, or return the seconds until one frees up."""
        with self._lock:
            now = self._clock()
            while self._hits and self._hits[0] <= now - self.window:
                self._hits.popleft()
            if len(self._hits) < self.limit:
                self._hits.append(now)
                self.granted.append(now)
                return 0.0
            return max(self._hits[0] + self.window - now, 1e-3)

    def _announce(self, wait: float) -> None:
        if wait >= self.notice_after:
            msg = (
                f"rate limit: {self.limit} requests per {self.window:g} s reached; "
                f"waiting {wait:.1f} s"
            )
            log.info(msg)
            print(f"[toolkit] {msg}", file=sys.stderr)

    def acquire(self) -> float:
        """Block until a slot is free; returns how long it waited."""
        waited = 0.0
        announced = False
        while (wait := self.reserve()) > 0:
            if not announced:
                self._announce(wait)
                announced = True
            self._sleep(wait)
            waited += wait
        self.total_waited += waited
        return waited

    async def acquire_async(self, sleep: Callable[[float], Awaitable[object]]) -> float:
        """The async twin of :meth:`acquire`: waits with ``sleep`` (e.g. ``anyio.sleep``)."""
        waited = 0.0
        announced = False
        while (wait := self.reserve()) > 0:
            if not announced:
                self._announce(wait)
                announced = True
            await sleep(wait)
            waited += wait
        self.total_waited += waited
        return waited


_REGISTRY: dict[tuple[str, int], RateLimiter] = {}
_REGISTRY_LOCK = threading.Lock()


def shared_limiter(fingerprint: str, limit: int, notice_after: float = 1.0) -> RateLimiter:
    """The process-wide limiter for one credential on one server (created on first use).

    Keyed by a hash of base URL and credential (never the credential itself), and by the
    limit, so a client configured with a different limit gets its own window.
    """
    key = (fingerprint, limit)
    with _REGISTRY_LOCK:
        limiter = _REGISTRY.get(key)
        if limiter is None:
            limiter = _REGISTRY[key] = RateLimiter(limit, notice_after=notice_after)
        return limiter
