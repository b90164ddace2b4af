"""Progress bars for long jobs: ``tqdm.auto`` in a notebook, plain text elsewhere, or none.

``tqdm.auto`` draws an ipywidgets bar in Jupyter; without ipywidgets installed it would
warn and print a broken bar, so then the plain text bar is used from the start.
"""

from __future__ import annotations

import importlib.util
import time
from collections import deque
from typing import Any

__all__ = ["PACED_FORMAT", "NoBar", "RowRate", "progress_bar", "time_left"]

#: The bar of work the server paces (a batch): tqdm's own rate and time left are left out,
#: since they count wall time between redraws (on the sandbox a 30 s poll takes none);
#: the postfix says the time left at the observed rate instead (:class:`RowRate`).
PACED_FORMAT = "{l_bar}{bar}| {n_fmt}/{total_fmt} [{elapsed}{postfix}]"


class NoBar:
    """The bar used with ``progress=False``: same methods, draws nothing."""

    n = 0
    total: int | None = None

    def update(self, n: int = 1) -> None:
        self.n += n

    def set_postfix_str(self, s: str = "", refresh: bool = True) -> None:
        """Ignored."""

    def set_description_str(self, desc: str = "", refresh: bool = True) -> None:
        """Ignored."""

    def refresh(self) -> None:
        """Ignored."""

    def close(self) -> None:
        """Ignored."""


def progress_bar(
    total: int | None,
    desc: str,
    *,
    enabled: bool = True,
    unit: str = "it",
    bar_format: str | None = None,
) -> Any:
    """A tqdm bar (notebook widget when ipywidgets is importable), or :class:`NoBar`;
    ``bar_format`` as tqdm's (:data:`PACED_FORMAT` for work the server paces)."""
    if not enabled:
        bar = NoBar()
        bar.total = total
        return bar
    if importlib.util.find_spec("ipywidgets") is None:
        from tqdm.std import tqdm
    else:
        from tqdm.auto import tqdm
    return tqdm(total=total, desc=desc, unit=unit, dynamic_ncols=True, bar_format=bar_format)


def time_left(client: Any, remaining: int) -> str:
    """How long ``remaining`` requests take at the client's current rate limit, in a few
    words (``"~2 min left at 300/min"``); empty when the client has no limiter."""
    limiter = getattr(client, "_limiter", None)
    limit, window = getattr(limiter, "limit", None), getattr(limiter, "window", None)
    if not remaining or not isinstance(limit, int | float) or not isinstance(window, int | float):
        return ""
    if limit <= 0 or window <= 0:
        return ""
    per_min = limit * 60 / window
    return f"~{_span(remaining * window / limit)} left at {per_min:.0f}/min"


def _span(seconds: float) -> str:
    """A duration in a few words: ``"40 s"``, ``"12 min"``, ``"2.5 h"``."""
    if seconds < 90:
        return f"{seconds:.0f} s"
    return f"{seconds / 60:.0f} min" if seconds < 90 * 60 else f"{seconds / 3600:.1f} h"


class RowRate:
    """Rows the server processed per second between status polls, and the time the rest
    takes at that rate (the server paces a batch; the client cannot hurry it).

    Time is the client's clock: real time, plus what each wait between polls was meant to
    last beyond the real time it took (a client on the sandbox waits by moving the sandbox's
    clock, at once; there the batch runs on that clock). The rate spans the last ``window``
    intervals, so it follows the server when its pace changes. Until two polls have given
    one, :meth:`describe` says "estimating".
    """

    def __init__(self, window: int = 3) -> None:
        self._t0 = time.monotonic()
        self._skipped = 0.0
        self._seen: deque[tuple[float, int]] = deque(maxlen=window + 1)

    def now(self) -> float:
        """Seconds since this rate began, on the client's clock."""
        return time.monotonic() - self._t0 + self._skipped

    def waited(self, seconds: float, took: float) -> None:
        """The client waited ``seconds`` between polls, in ``took`` seconds of real time."""
        self._skipped += max(seconds - took, 0.0)

    def observe(self, done: int) -> None:
        """A poll found ``done`` rows processed, now."""
        at = self.now()
        if self._seen and at <= self._seen[-1][0]:
            self._seen.pop()  # the same moment seen again: keep the later count
        self._seen.append((at, done))

    @property
    def rate(self) -> float | None:
        """Rows per second over the observed window, or None before two polls."""
        if len(self._seen) < 2:
            return None
        (t0, n0), (t1, n1) = self._seen[0], self._seen[-1]
        return max(n1 - n0, 0) / (t1 - t0)

    def describe(self, remaining: int) -> str:
        """``"~3 min left at 5.0 rows/s"``, ``"estimating time left"`` before a rate, or
        what is known when no row was processed over the window; empty when done."""
        rate = self.rate
        if remaining <= 0:
            return ""
        if rate is None:
            return "estimating time left"
        if not rate:
            quiet = self._seen[-1][0] - self._seen[0][0]
            return f"time left unknown: no row processed in the last {_span(quiet)}"
        per = f"{_figure(rate)} rows/s" if rate >= 1 else f"{_figure(rate * 60)} rows/min"
        return f"~{_span(remaining / rate)} left at {per}"


def _figure(x: float) -> str:
    """A rate as a reader wants it: one decimal below 10 (``"4.7"``), whole above."""
    return f"{x:.1f}" if x < 10 else f"{x:.0f}"
