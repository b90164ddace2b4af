"""Processes using one key share one window through the local store: together they never
send more than the limit in any window, and a pace one of them learned holds for all."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from toolkit import RateLimiter
from toolkit._ratelimit_shared import SharedWindow
from toolkit.sandbox import Sandbox, Settings
from toolkit.store import Store, open_store

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


class Interleaved:
    """A store that lets another process run once, right after this one read the others'
    slots and before it records its own: the moment two processes can both see room."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.meanwhile: Callable[[], object] | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)

    def items(self, namespace: str, prefix: str = "") -> Iterator[tuple[str, bytes]]:
        found = list(self.store.items(namespace, prefix))
        if "/slot/" in prefix and self.meanwhile is not None:
            meanwhile, self.meanwhile = self.meanwhile, None
            meanwhile()
        return iter(found)


def test_a_process_cannot_take_the_last_slot_while_another_is_taking_it(tmp_path: Path) -> None:
    clock = Clock()
    path = str(tmp_path / "store.sqlite3")
    racing = Interleaved(open_store(path))
    a, b = (
        RateLimiter(1, clock=clock, sleep=clock.sleep, notice_after=1e9, shared=window)
        for window in (
            SharedWindow(racing, "fp", owner="notebook-a"),
            SharedWindow(open_store(path), "fp", owner="notebook-b"),
        )
    )
    b_waits: list[float] = []
    racing.meanwhile = lambda: b_waits.append(b.reserve())
    assert a.reserve() == 0.0  # a saw room; b asked in between
    assert b_waits[0] > 0.0 and not b.granted  # b was told to ask again, and took nothing
    assert b.reserve() > 0.0  # a's slot now counts for b: one slot, held by a
    a.release()
    clock.sleep(60.0)
    assert b.reserve() == 0.0  # a's slot freed a window after its answer


class FailsOnce:
    """A store whose next delete fails, as SQLite's "database is locked" may."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.failures = 1

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)

    def delete(self, namespace: str, key: str) -> None:
        if self.failures:
            self.failures -= 1
            raise OSError("database is locked")
        self.store.delete(namespace, key)


def test_a_turn_that_cannot_be_given_back_fails_nothing_and_holds_no_one(tmp_path: Path) -> None:
    """The store failing as the turn is given back neither fails the call that got its
    slot nor leaves the other process waiting out the turn's lifetime."""
    clock = Clock()
    path = str(tmp_path / "store.sqlite3")
    a, b = (
        RateLimiter(5, clock=clock, sleep=clock.sleep, notice_after=1e9, shared=window)
        for window in (
            SharedWindow(FailsOnce(open_store(path)), "fp", owner="notebook-a"),
            SharedWindow(open_store(path), "fp", owner="notebook-b"),
        )
    )
    assert a.reserve() == 0.0  # granted, though giving the turn back failed once
    assert a.held == 1
    assert b.reserve() == 0.0  # the turn is free at once, not after TURN_TTL


def test_real_processes_share_the_window(tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import json, sys, time
        from toolkit import RateLimiter
        from toolkit._ratelimit_shared import SharedWindow
        from toolkit.store import Store, open_store
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


PROCESS = """
import sys
import toolkit as ic
key, url, store = sys.argv[1:4]
with ic.Client(api_key=key, base_url=url, store=store, cache=False, rate_limit_per_minute=6,
               max_retries=30) as client:
    client.rate_limiter.window = 3.0  # the served sandbox's window, scaled like the server's
    for _ in range(6):
        client.account.credits()
print("ok")
"""


@pytest.mark.loopback
def test_four_client_processes_on_one_key_count_their_429s(tmp_path: Path) -> None:
    """What the README says: the clients' windows are per process (they are not handed the
    store's shared window), so four processes together pass a low limit and meet 429s,
    which each waits out (``Retry-After``) until every call is answered."""
    sb = Sandbox(seed=3, creators=50, settings=Settings(rate_limit_per_minute=6))
    sb._limiter.WINDOW = 3.0  # the API's 60 s window, scaled so the test takes seconds
    store = str(tmp_path / "store.sqlite3")
    with sb.serve() as url:
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", PROCESS, sb.api_key, url, store],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(4)
        ]
        outs = [p.communicate(timeout=300) for p in procs]
    assert [o.strip() for o, _ in outs] == ["ok"] * 4, [e[-500:] for _, e in outs]
    answered = [e for e in sb.log if e.operation == "account_credits" and e.status == 200]
    throttled = [e for e in sb.log if e.status == 429]
    print(f"4 processes, 24 calls at 6 per 3 s: {len(throttled)} 429s")
    assert len(answered) == 24
    assert throttled  # each process paces for the whole limit: together they pass it
