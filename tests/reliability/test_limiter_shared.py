"""Processes using one key share one window through the local store: together they never
send more than the limit in any window, and a pace one of them learned holds for all."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from toolkit import RateLimiter
from toolkit._ratelimit_shared import SharedWindow
from toolkit.store import open_store

from .limiter_sim import max_in_window


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def _pair(tmp_path: Path, limit: int, clock: Clock) -> list[RateLimiter]:
    """Two limiters on two connections to one SQLite file: two processes in all but pid."""
    path = tmp_path / "store.sqlite3"
    return [
        RateLimiter(
            limit,
            clock=clock,
            sleep=clock.sleep,
            notice_after=1e9,
            shared=SharedWindow(open_store(str(path)), "fp", owner=name),
        )
        for name in ("notebook-a", "notebook-b")
    ]


def test_two_processes_on_one_key_never_exceed_the_limit_together(tmp_path: Path) -> None:
    clock = Clock()
    limiters = _pair(tmp_path, 20, clock)
    for turn in range(60):
        rl = limiters[turn % 2]
        rl.acquire()
        rl.release()
    granted = [t for rl in limiters for t in rl.granted]
    assert len(granted) == 60
    assert max_in_window(granted, 60.0) <= 20
    other = Clock()
    unshared = [RateLimiter(20, clock=other, sleep=other.sleep, notice_after=1e9) for _ in "ab"]
    for turn in range(60):
        unshared[turn % 2].acquire()
        unshared[turn % 2].release()
    assert max_in_window([t for rl in unshared for t in rl.granted], 60.0) > 20  # the problem


def test_a_learned_pace_and_pause_hold_for_the_other_process(tmp_path: Path) -> None:
    clock = Clock()
    a, b = _pair(tmp_path, 300, clock)
    for _ in range(60):  # a fills the window with 60 requests, then the server says 429
        a._tat = -1e9  # (no pacing for this setup)
        assert a.reserve() == 0.0
        a.release()
    a.learn(20.0)
    assert a.limit < 60
    assert b.reserve() >= 19.0  # b waits out the pause a was told about
    assert b.limit == a.limit


def test_real_processes_share_the_window(tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import json, sys, time
        from toolkit import RateLimiter
        from toolkit._ratelimit_shared import SharedWindow
        from toolkit.store import open_store
        rl = RateLimiter(6, window=2.0, notice_after=1e9,
                         shared=SharedWindow(open_store({str(tmp_path / "s.sqlite3")!r}), "fp"))
        times = []
        for _ in range(9):
            rl.acquire()
            times.append(time.monotonic())
            rl.release()
        print(json.dumps(times))
        """
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    times = [t for p in procs for t in json.loads(p.communicate(timeout=120)[0])]
    assert len(times) == 18
    assert max_in_window(times, 2.0) <= 6
