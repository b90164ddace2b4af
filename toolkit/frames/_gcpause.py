"""Pause the cyclic garbage collector while converting, safely when several threads convert.

Converters allocate millions of small dicts and lists that form no reference cycles; each
automatic collection would walk every live container (a parsed chunk, and whatever else
the notebook holds), which made batch conversion several times slower in the benchmark.

``gc.disable()`` is process-wide, so a plain disable/enable pair per call would let one
thread's conversion re-enable the collector while another thread's is still running. The
pause is therefore reference-counted under a lock: the first conversion to start records
whether the collector was on and switches it off, the last one to finish restores that
state. Nothing is collected during the pause, and the collector runs normally after it.
A ``gc.enable()``/``gc.disable()`` by other code during a pause is overridden at its end.
"""

from __future__ import annotations

import functools
import gc
import threading
from collections.abc import Callable
from typing import ParamSpec, TypeVar

__all__ = ["gc_paused", "paused_gc"]

_P = ParamSpec("_P")
_T = TypeVar("_T")
_lock = threading.Lock()
_depth = 0
_restore = False


class paused_gc:
    """Context manager: the cyclic GC is off inside, for every thread (re-entrant)."""

    def __enter__(self) -> None:
        global _depth, _restore
        with _lock:
            if _depth == 0:
                _restore = gc.isenabled()
                gc.disable()
            _depth += 1

    def __exit__(self, *exc: object) -> None:
        global _depth
        with _lock:
            _depth -= 1
            if _depth == 0 and _restore:
                gc.enable()


def gc_paused(fn: Callable[_P, _T]) -> Callable[_P, _T]:
    """Decorator: run ``fn`` inside :class:`paused_gc`."""

    @functools.wraps(fn)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _T:
        with paused_gc():
            return fn(*args, **kwargs)

    return wrapper
