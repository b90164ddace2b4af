"""Client-side rate limiter: smooth pacing under a sliding window, learning the server's pace.

300 requests per minute per account, counted across every endpoint; over
it the API answers 429. Waiting here costs nothing, a 429 costs a round trip and a
``Retry-After`` wait. Three rules:

* **Never more than the server counts.** A slot is taken when a request is sent and freed
  one window after its *answer arrived* (:meth:`RateLimiter.release`): the server counted
  the request somewhere between the two, so its sliding window can never hold more of our
  requests than we hold slots. (Freeing a window after *sending*, as before, let each
  window roll-over overlap by the requests still in flight: about 48 429s per minute.)
* **Smooth.** Requests are spaced ``window / limit`` apart (a GCRA pacer with a small
  burst), not sent all at once and then idle for the rest of the window.
* **Learn.** A 429 (:meth:`RateLimiter.learn`) means the server allows less than we
  thought: the limit drops to what was in the window when it said so, minus a margin,
  and everyone waits out ``Retry-After`` together. After ten quiet windows it creeps
  back up towards the configured ceiling.

One limiter serves every client of a credential in a process (:func:`shared_limiter`),
from any thread and any asyncio task (a ``threading.Lock`` guards the state and is never
held while sleeping). Waiting is announced once per wait, however many tasks wait.

Written here rather than taken from a library: the well-kept ones are async-only
(aiolimiter) or sync-only (pyrate-limiter's blocking mode) and none frees slots on the
answer's arrival or learns from 429s.
"""

from __future__ import annotations

import logging
import math
import sys
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager, nullcontext
from contextvars import ContextVar
from typing import Any

from toolkit._exceptions import ArgumentError
from toolkit._ratelimit_shared import SharedWindow

__all__ = ["RateLimiter", "shared_limiter"]

log = logging.getLogger("toolkit")

#: Windows without a 429 after which a learned limit is raised again (by one margin).
_RECOVER_AFTER_WINDOWS = 10
#: A 429 lowers the limit only when at least this share of the ceiling was in the window:
#: with fewer of our requests there, someone else (another process on the key) filled it,
#: and waiting out ``Retry-After`` is the whole answer.
_EVIDENCE_SHARE = 1 / 10
#: Seconds to wait before asking again while another process holds the shared window's turn.
_TURN_WAIT = 0.01

#: The pause the current thread or task already sleeps itself (it got the 429 and waits
#: out its ``Retry-After`` in the retry loop), so it is not made to wait twice.
_excused: ContextVar[tuple[int, float]] = ContextVar(
    "toolkit_ratelimit_excused", default=(0, -math.inf)
)


class RateLimiter:
    """At most ``limit`` requests held in any ``window`` seconds, spaced ``window/limit``.

    ``acquire`` before sending, ``release`` when the answer (or the failure) arrived.
    ``margin`` is the share kept below a pace learned from a 429; ``burst`` how many
    requests may leave back to back before pacing starts (default a tenth of the limit).
    ``clock`` (monotonic seconds) and ``sleep`` are injectable for tests.

    >>> rl = RateLimiter(2, window=60.0, clock=lambda: 0.0)
    >>> rl.reserve(), rl.reserve()
    (0.0, 30.0)
    """

    def __init__(
        self,
        limit: int,
        window: float = 60.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        notice_after: float = 1.0,
        margin: float = 0.1,
        burst: int | None = None,
        max_hold: float = 300.0,
        max_pause: float = 60.0,
        shared: SharedWindow | None = None,
    ) -> None:
        if limit < 1:
            raise ArgumentError("limit must be >= 1", argument="limit")
        if not 0.0 <= margin < 1.0:
            raise ArgumentError("margin is a share between 0 and 1", argument="margin")
        self.ceiling = limit
        self.limit = limit
        self.window = window
        self.margin = margin
        self._burst = burst
        self.max_hold = max_hold
        self.max_pause = max_pause
        self._clock = clock
        self._sleep = sleep
        self.notice_after = notice_after
        self._lock = threading.Lock()
        # (send time, slot number) of requests not yet answered
        self._in_flight: deque[tuple[float, int]] = deque()
        self._slots = 0
        #: the window other processes on this credential share through the store, if any
        self.shared = shared
        self._expiries: deque[float] = deque()  # answered: when their slot frees, ascending
        self._tat = -math.inf  # GCRA "theoretical arrival time" of the next request
        self._paused_until = -math.inf  # a 429's Retry-After: nobody sends before this
        self._last_429 = -math.inf
        self._quiet_until = -math.inf  # a notice covers waits that end before this
        #: monotonic times at which acquisitions were granted (tests and diagnostics)
        self.granted: deque[float] = deque(maxlen=10000)
        self.total_waited = 0.0
        self.notices = 0
        self.throttled = 0

    def __repr__(self) -> str:
        learned = f", learned from {self.ceiling}" if self.limit < self.ceiling else ""
        return f"RateLimiter(limit={self.limit}, window={self.window:g}{learned})"

    @property
    def interval(self) -> float:
        """Seconds between requests at the current pace."""
        return self.window / self.limit

    @property
    def burst(self) -> int:
        return self._burst if self._burst is not None else max(1, self.limit // 10)

    @property
    def held(self) -> int:
        """Slots taken now: requests in flight plus answers less than a window old."""
        with self._lock:
            self._expire(self._clock())
            return len(self._in_flight) + len(self._expiries)

    # ----------------------------------------------------------------- state
    def _expire(self, now: float) -> None:
        while self._expiries and self._expiries[0] <= now:
            self._expiries.popleft()
        # a request whose release never came (a bug or a killed thread) frees eventually
        while self._in_flight and self._in_flight[0][0] < now - self.max_hold:
            self._in_flight.popleft()
        if (
            self.limit < self.ceiling
            and now - self._last_429 >= _RECOVER_AFTER_WINDOWS * self.window
        ):
            self.limit = min(self.ceiling, self.limit + max(1, int(self.limit * self.margin)))
            self._last_429 = now  # one step per quiet stretch

    def reserve(self) -> float:
        """Take a slot now and return 0.0, or return the seconds to wait before asking again."""
        with self._lock, self._turn() as turn:
            if not turn:
                return _TURN_WAIT  # another process is counting and taking a slot
            now = self._clock()  # read in the turn: turns and grant times share one order
            self._expire(now)
            others, owners = self._read_shared(now)
            interval = self.interval * (owners + 1)  # each process paces at its share
            limiter, until = _excused.get()
            excused = limiter == id(self) and until >= self._paused_until
            paused = -math.inf if excused else self._paused_until
            start = max(paused, self._tat - (self.burst - 1) * interval)
            if start > now:
                return start - now
            if len(self._in_flight) + len(self._expiries) + others >= self.limit:
                if self._expiries:
                    return max(self._expiries[0] - now, 1e-3)
                return max(interval, 1e-3)  # all in flight: an answer frees one
            self._slots += 1
            self._in_flight.append((now, self._slots))
            if self.shared is not None:
                self.shared.hold(self._slots, now + self.max_hold + self.window)
            self._tat = max(self._tat, now) + interval
            self.granted.append(now)
            return 0.0

    def _turn(self) -> AbstractContextManager[bool]:
        """The shared window's turn (see :class:`SharedWindow`); always granted unshared."""
        return nullcontext(True) if self.shared is None else self.shared.turn()

    def _read_shared(self, now: float) -> tuple[int, int]:
        """Other processes' live slots and count; adopt a pace or pause one published."""
        if self.shared is None:
            return 0, 0
        limit, paused_until = self.shared.learned()
        if limit is not None and limit < self.limit:
            self.limit = max(1, limit)
            self._last_429 = now
        if paused_until is not None and paused_until > self._paused_until:
            self._paused_until = paused_until
        return self.shared.others(now)

    def release(self) -> None:
        """An answer (or a failure) arrived for a request: its slot frees one window later."""
        with self._lock:
            now = self._clock()
            if self._in_flight:
                _, slot = self._in_flight.popleft()
                self._expiries.append(now + self.window)
                if self.shared is not None:
                    self.shared.hold(slot, now + self.window)

    def learn(self, retry_after: float | None) -> None:
        """The server answered 429: adopt its pace (minus the margin) and pause everyone.

        The limit drops to the slots held when the server said "full" (one of them was
        the refused request), less ``margin``; several 429s of one burst cut it once. The
        caller sleeps ``retry_after`` itself (the retry loop does); others wait here.
        """
        with self._lock:
            now = self._clock()
            self.throttled += 1
            self._expire(now)
            pause = retry_after if retry_after is not None else self.interval
            others, _ = self._read_shared(now)
            held = len(self._in_flight) + len(self._expiries) + others  # as the server counts
            if now >= self._paused_until and held - 1 >= max(2, self.ceiling * _EVIDENCE_SHARE):
                learned = max(1, math.floor(max(held - 1, 1) * (1 - self.margin)))
                if learned < self.limit:
                    self.limit = learned
                    log.info(
                        "rate limit: the server allows less; pacing at %d per %g s",
                        learned,
                        self.window,
                    )
            # a pause past what a retry would wait is no use to others: they get their own
            # 429 and its error says when to come back
            self._paused_until = max(self._paused_until, now + min(pause, self.max_pause))
            self._last_429 = now
            _excused.set((id(self), self._paused_until))
            if self.shared is not None:
                self.shared.publish(self.limit, self._paused_until)

    # ----------------------------------------------------------------- waiting
    def _announce(self, wait: float) -> bool:
        """Say that calls wait, once per wait: tasks queuing behind it stay quiet (and a
        long queue of short paced waits is announced at most every quarter window)."""
        with self._lock:
            now = self._clock()
            if now < self._quiet_until:
                return True
            self._quiet_until = now + max(wait, self.window / 4)
            self.notices += 1
        msg = f"rate limit: {self.limit} requests per {self.window:g} s; waiting {wait:.1f} s"
        log.info(msg)
        print(f"[toolkit] {msg}", file=sys.stderr)
        return True

    def acquire(self) -> float:
        """Block until a slot is free; returns how long it waited. Pair with :meth:`release`."""
        waited, announced = 0.0, False
        while (wait := self.reserve()) > 0:
            if not announced and waited + wait >= self.notice_after:
                announced = self._announce(waited + wait)
            self._sleep(wait)
            waited += wait
        self.total_waited += waited
        return waited

    async def acquire_async(self, sleep: Callable[[float], Awaitable[object]]) -> float:
        """The async twin of :meth:`acquire`: waits with ``sleep`` (e.g. ``anyio.sleep``)."""
        waited, announced = 0.0, False
        while (wait := self.reserve()) > 0:
            if not announced and waited + wait >= self.notice_after:
                announced = self._announce(waited + wait)
            await sleep(wait)
            waited += wait
        self.total_waited += waited
        return waited


_REGISTRY: dict[str, RateLimiter] = {}
_REGISTRY_LOCK = threading.Lock()


def shared_limiter(
    fingerprint: str, limit: int, notice_after: float = 1.0, *, store: Any = None
) -> RateLimiter:
    """The process-wide limiter for one credential on one server (created on first use).

    Keyed by a hash of base URL and credential (never the credential itself): every client
    of that credential shares one window and what it learned, as the server counts them
    together. A client asking for a lower limit lowers the shared ceiling. With a
    ``store`` (``toolkit.store``), processes on this machine share the window too.
    """
    with _REGISTRY_LOCK:
        limiter = _REGISTRY.get(fingerprint)
        if limiter is None:
            shared = SharedWindow(store, fingerprint) if store is not None else None
            limiter = _REGISTRY[fingerprint] = RateLimiter(
                limit, notice_after=notice_after, shared=shared
            )
        elif limit < limiter.ceiling:
            limiter.ceiling = limit
            limiter.limit = min(limiter.limit, limit)
        return limiter
