"""The sandbox's clock: everything that moves (campaign metrics, batch progress, token
expiry) reads time from here, so tests and notebooks can pin it and get repeatable output."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

#: The instant a fixed clock starts at unless told otherwise. Chosen once so that the
#: synthetic world (posts, campaigns) has a stable "today".
DEFAULT_EPOCH = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


class Clock:
    """A clock that is either real (follows wall time) or fixed (moves only when told).

    >>> c = Clock.fixed()
    >>> c.now().isoformat()
    '2026-11-01T12:00:00+00:00'
    >>> c.advance(hours=2).now().hour
    14
    """

    def __init__(self, start: datetime | None = None, *, frozen: bool = True) -> None:
        self._lock = threading.Lock()
        self._start = start or DEFAULT_EPOCH
        if self._start.tzinfo is None:
            raise ValueError("the sandbox clock needs a timezone-aware datetime")
        self._frozen = frozen
        self._offset = timedelta(0)
        self._mono0 = time.monotonic()

    @classmethod
    def fixed(cls, start: datetime | None = None) -> Clock:
        """A clock that stands still at ``start`` until :meth:`advance` moves it."""
        return cls(start, frozen=True)

    @classmethod
    def real(cls) -> Clock:
        """A clock that follows the wall clock."""
        return cls(datetime.now(UTC), frozen=False)

    @property
    def frozen(self) -> bool:
        """True when the clock only moves when told (tests, notebooks)."""
        return self._frozen

    def now(self) -> datetime:
        """The current sandbox time (UTC)."""
        with self._lock:
            base = self._start + self._offset
            if not self._frozen:
                base += timedelta(seconds=time.monotonic() - self._mono0)
            return base

    def advance(self, **delta: float) -> Clock:
        """Move the clock forward by ``timedelta(**delta)``; returns self for chaining."""
        step = timedelta(**delta)
        if step < timedelta(0):
            raise ValueError("the sandbox clock only moves forward")
        with self._lock:
            self._offset += step
        return self

    def set(self, when: datetime) -> Clock:
        """Jump to ``when`` (must not be earlier than now)."""
        step = when - self.now()
        return self.advance(seconds=step.total_seconds())
