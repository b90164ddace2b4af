"""The client-side limiter waits instead of failing, across threads and async tasks."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import anyio
import pytest

from toolkit import Client, RateLimiter
from toolkit._ratelimit import shared_limiter

from .client_support import make_async_client, make_client


class FakeClock:
    """Monotonic time that only moves when someone sleeps (thread-safe)."""

    def __init__(self) -> None:
        self.now = 0.0
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.now += seconds

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)
        await anyio.sleep(0)


def _max_in_window(times: list[float], window: float) -> int:
    times = sorted(times)
    return max(sum(1 for u in times if t <= u < t + window) for t in times)


def test_waits_for_the_window_instead_of_failing() -> None:
    clock = FakeClock()
    rl = RateLimiter(3, window=60.0, clock=clock, sleep=clock.sleep)
    waits = []
    for _ in range(7):
        waits.append(rl.acquire())
        rl.release()
    assert waits == [0.0] + [pytest.approx(20.0)] * 6  # paced, not three then a minute idle
    assert _max_in_window(list(rl.granted), 60.0) == 3
    assert clock.now == pytest.approx(120.0)


def test_long_waits_are_announced(capsys, caplog) -> None:
    clock = FakeClock()
    rl = RateLimiter(1, window=60.0, clock=clock, sleep=clock.sleep)
    rl.acquire()
    with caplog.at_level("INFO", logger="toolkit"):
        rl.acquire()
    assert "waiting 60.0 s" in capsys.readouterr().err
    assert "rate limit" in caplog.text


def test_shared_by_threads_of_one_client(sb, recorder, sleeps) -> None:
    clock = FakeClock()
    rl = RateLimiter(5, window=60.0, clock=clock, sleep=clock.sleep)
    with make_client(sb, recorder, sleeps, rate_limiter=rl) as c, ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: c.account.credits(), range(12)))
    assert all(r.status_code == 200 for r in results)  # nobody failed
    assert len(rl.granted) == 12
    assert _max_in_window(list(rl.granted), 60.0) <= 5
    assert rl.total_waited > 0


@pytest.mark.anyio
async def test_shared_by_async_tasks(sb, recorder, sleeps) -> None:
    clock = FakeClock()
    rl = RateLimiter(4, window=60.0, clock=clock, sleep=clock.sleep)
    results = []
    async with make_async_client(sb, recorder, sleeps, rate_limiter=rl) as ac:
        ac._sleep = clock.asleep  # the limiter waits through the client's async sleep

        async def one() -> None:
            results.append(await ac.account.credits())

        async with anyio.create_task_group() as tg:
            for _ in range(10):
                tg.start_soon(one)
    assert len(results) == 10
    assert _max_in_window(list(rl.granted), 60.0) <= 4


def test_clients_with_one_credential_share_a_limiter() -> None:
    a = Client(api_key="sk_fake_0123456789abcdef", rate_limit_per_minute=300)
    b = Client(api_key="Bearer sk_fake_0123456789abcdef", rate_limit_per_minute=300)
    other = Client(api_key="sk_fake_fedcba9876543210", rate_limit_per_minute=300)
    assert a.rate_limiter is b.rate_limiter
    assert a.rate_limiter is not other.rate_limiter
    assert a.rate_limiter.limit == 300
    assert shared_limiter("x", 7).limit == 7
    for c in (a, b, other):
        c.close()
