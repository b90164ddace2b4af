"""The limiter never lets the server count more than its limit, spreads requests over the
window, learns a lower server pace from 429s, and announces a wait once."""

from __future__ import annotations

import contextvars

import anyio
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import toolkit as ic
from toolkit import RateLimiter

from .limiter_sim import max_in_window, simulate
from .support import client_on


@settings(max_examples=60, deadline=None)
@given(
    limit=st.integers(1, 40),
    workers=st.integers(1, 12),
    per_worker=st.integers(1, 15),
    max_latency=st.floats(0.0, 20.0),
    seed=st.integers(0, 10_000),
)
def test_the_server_never_counts_more_than_the_limit(
    limit: int, workers: int, per_worker: int, max_latency: float, seed: int
) -> None:
    run = simulate(limit, limit, workers, per_worker, seed=seed, max_latency=max_latency)
    assert max_in_window(run.server.accepted + run.server.refused, 60.0) <= limit
    assert run.server.refused == []  # so no 429 at a window roll-over either
    assert len(run.server.accepted) == workers * per_worker


def test_requests_are_spread_over_the_window_not_burst_then_idle() -> None:
    run = simulate(600, 600, workers=50, per_worker=12, seed=1, max_latency=0.05)
    first_ten_seconds = sum(1 for t in run.sent if t < 10.0)
    assert first_ten_seconds <= 60 + 10 * 10  # the burst, then 10 per second
    assert max(run.sent) > 50.0  # still sending late in the minute, at the same pace
    assert run.server.refused == []


def test_a_server_that_allows_less_is_learned_and_then_respected() -> None:
    run = simulate(300, 100, workers=50, per_worker=8, seed=3, max_latency=0.2)
    assert len(run.server.accepted) == 400  # every request got through in the end
    assert run.limiter.limit < 100  # learned, with a margin below the server's pace
    first = min(run.server.refused)
    late = [t for t in run.server.refused if t > first + 120.0]
    assert late == []  # after the first episode, no 429 any more
    assert len(run.server.refused) <= 50  # one burst's worth, then none


def test_waiting_is_announced_once_per_wait_not_per_task(capsys: pytest.CaptureFixture) -> None:
    now = [0.0]

    async def asleep(seconds: float) -> None:
        now[0] += seconds
        await anyio.sleep(0)

    rl = RateLimiter(300, clock=lambda: now[0])

    async def main() -> None:
        async def task() -> None:
            await rl.acquire_async(asleep)
            rl.release()

        async with anyio.create_task_group() as tg:
            for _ in range(40):
                tg.start_soon(task)

    contextvars.Context().run(rl.learn, 30.0)  # another task got the 429 and sleeps it
    anyio.run(main)
    lines = [ln for ln in capsys.readouterr().err.splitlines() if "rate limit" in ln]
    assert len(lines) == 1 and "waiting 30.0 s" in lines[0]
    assert rl.notices == 1


def test_clients_of_one_credential_share_what_was_learned() -> None:
    key = "sk_fake_sharedlimiter0123456789"
    a = ic.Client(api_key=key)
    b = ic.AsyncClient(api_key=key, rate_limit_per_minute=120)
    assert a.rate_limiter is b.rate_limiter
    assert a.rate_limiter.limit == 120  # the lower configured ceiling holds for both
    a.close()


def test_a_retry_after_past_the_cap_ends_with_when_to_try_again(sb) -> None:  # type: ignore[no-untyped-def]
    sb.faults.add("rate_limit", retry_after=600, times=1)
    with client_on(sb, max_retry_after=60) as client, pytest.raises(ic.RateLimitError) as info:
        client.account.credits()
    assert info.value.retry_after == 600
    assert "try again after" in str(info.value)
    assert len(sb.log) == 1  # not retried early
