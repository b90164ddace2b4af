"""The request log (``sb.log``): what was asked and what it cost; never a credential."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

__all__ = ["LogEntry", "RequestLog"]


@dataclass
class LogEntry:
    """One line of the request log. Holds no credential, query string or body."""

    time: datetime
    method: str
    path: str
    operation: str | None
    status: int | None  # None when the connection was dropped
    charged: float
    fault: str | None = None


class RequestLog:
    """What was asked and what was charged, oldest first (``sb.log``).

    Batch rows are billed later, as the job runs; they are in ``sb.charges``, not here.
    """

    def __init__(self, maxlen: int = 10000) -> None:
        self._entries: deque[LogEntry] = deque(maxlen=maxlen)
        self._lock = threading.Lock()
        self.listeners: list[Callable[[LogEntry], None]] = []

    def append(self, entry: LogEntry) -> None:
        with self._lock:
            self._entries.append(entry)
        for listener in self.listeners:
            listener(entry)

    def __iter__(self) -> Iterator[LogEntry]:
        with self._lock:
            return iter(list(self._entries))

    def __len__(self) -> int:
        return len(self._entries)

    def __getitem__(self, index: int) -> LogEntry:
        with self._lock:
            return list(self._entries)[index]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    @property
    def total_charged(self) -> float:
        return round(sum(e.charged for e in self), 4)

    def to_dicts(self) -> list[dict[str, Any]]:
        return [
            {
                "time": e.time.isoformat(),
                "method": e.method,
                "path": e.path,
                "operation": e.operation,
                "status": e.status,
                "charged": e.charged,
                "fault": e.fault,
            }
            for e in self
        ]
