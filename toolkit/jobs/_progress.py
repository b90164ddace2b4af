"""Progress bars for long jobs: ``tqdm.auto`` in a notebook, plain text elsewhere, or none.

``tqdm.auto`` draws an ipywidgets bar in Jupyter; without ipywidgets installed it would
warn and print a broken bar, so then the plain text bar is used from the start.
"""

from __future__ import annotations

import importlib.util
from typing import Any

__all__ = ["NoBar", "progress_bar", "time_left"]


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


def progress_bar(total: int | None, desc: str, *, enabled: bool = True, unit: str = "it") -> Any:
    """A tqdm bar (notebook widget when ipywidgets is importable), or :class:`NoBar`."""
    if not enabled:
        bar = NoBar()
        bar.total = total
        return bar
    if importlib.util.find_spec("ipywidgets") is None:
        from tqdm.std import tqdm
    else:
        from tqdm.auto import tqdm
    return tqdm(total=total, desc=desc, unit=unit, dynamic_ncols=True)


def time_left(client: Any, remaining: int) -> str:
    """How long ``remaining`` requests take at the client's current rate limit, in a few
    words (``"~2 min left at 300/min"``); empty when the client has no limiter."""
    limiter = getattr(client, "_limiter", None)
    limit, window = getattr(limiter, "limit", None), getattr(limiter, "window", None)
    if not remaining or not isinstance(limit, int | float) or not isinstance(window, int | float):
        return ""
    if limit <= 0 or window <= 0:
        return ""
    seconds = remaining * window / limit
    per_min = limit * 60 / window
    span = f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.0f} min"
    return f"~{span} left at {per_min:.0f}/min"
