"""Benchmark: the toolkit's rate limiter against the sliding window it replaced.

Run: python benchmarks/limiter_bench.py   (about 5 minutes: each scenario spans windows)

Both limiters drive the same ``AsyncClient`` with 50 concurrent tasks of free calls
against the sandbox served on loopback (``sb.serve()``), whose server counts requests per
account in a sliding 60-second window, as the API does. Two scenarios:

- ``same pace``: the server allows 600/min and the client is set to 600/min; 700 calls,
  so the run crosses a window roll-over;
- ``server allows less``: the server allows 120/min, the client believes 300/min; 150
  calls.

The baseline is the previous limiter: a slot freed 60 s after *sending*, no pacing, no
learning, a notice printed by every waiting task. Printed per run: 429 answers the server
gave, ``RateLimitError``s that reached the caller, requests sent in the first 10 s, the
most requests the server accepted in any 60 s, waiting notices on stderr, and wall time.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import sys
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import toolkit as ic
from toolkit import RateLimiter
from toolkit.sandbox import Sandbox, Settings


class BaselineLimiter:
    """The limiter before this change: free a slot a window after sending; burst then idle."""

    def __init__(self, limit: int, window: float = 60.0) -> None:
        self.limit, self.window = limit, window
        self._hits: deque[float] = deque()
        self._lock = threading.Lock()

    def reserve(self) -> float:
        with self._lock:
            now = time.monotonic()
            while self._hits and self._hits[0] <= now - self.window:
                self._hits.popleft()
            if len(self._hits) < self.limit:
                self._hits.append(now)
                return 0.0
            return max(self._hits[0] + self.window - now, 1e-3)

    async def acquire_async(self, sleep: Callable[[float], Awaitable[object]]) -> float:
        waited, announced = 0.0, False
        while (wait := self.reserve()) > 0:
            if not announced and wait >= 1.0:
                print(f"[toolkit] rate limit: waiting {wait:.1f} s", file=sys.stderr)
                announced = True
            await sleep(wait)
            waited += wait
        return waited

    def release(self) -> None:
        """The old limiter did not look at answers."""

    def learn(self, retry_after: float | None) -> None:
        """The old limiter did not learn."""


@dataclass
class Outcome:
    throttled: int
    surfaced: int
    other_errors: int
    first_10s: int
    max_window: int
    notices: int
    seconds: float


def _max_in_window(times: list[float], window: float = 60.0) -> int:
    times.sort()
    best, j = 0, 0
    for i, t in enumerate(times):
        while j < len(times) and times[j] < t + window:
            j += 1
        best = max(best, j - i)
    return best


def run(server_limit: int, client_limit: int, calls: int, tasks: int, limiter: Any) -> Outcome:
    sb = Sandbox(creators=200, settings=Settings(rate_limit_per_minute=server_limit))
    accepted: list[float] = []
    arrived: list[float] = []

    def listen(entry: Any) -> None:
        arrived.append(time.monotonic())
        if entry.status == 200:
            accepted.append(arrived[-1])

    sb.log.listeners.append(listen)
    errors: list[BaseException] = []
    stderr = io.StringIO()

    async def main(base_url: str) -> None:
        queue = list(range(calls))
        async with ic.AsyncClient(
            api_key=sb.api_key,
            base_url=base_url,
            rate_limiter=limiter,
            rate_limit_per_minute=client_limit,
        ) as client:

            async def worker() -> None:
                while queue:
                    queue.pop()
                    try:
                        await client.account.credits()
                    except ic.InfluencersClubError as exc:
                        errors.append(exc)

            await asyncio.gather(*(worker() for _ in range(tasks)))

    t0 = time.monotonic()
    with sb.serve() as base_url, contextlib.redirect_stderr(stderr):
        asyncio.run(main(base_url))
    seconds = time.monotonic() - t0
    throttled = sum(1 for e in sb.log if e.status == 429)
    surfaced = sum(isinstance(e, ic.RateLimitError) for e in errors)
    return Outcome(
        throttled=throttled,
        surfaced=surfaced,
        other_errors=len(errors) - surfaced,
        first_10s=sum(1 for t in arrived if t - t0 < 10.0),
        max_window=_max_in_window(accepted),
        notices=sum("rate limit" in line for line in stderr.getvalue().splitlines()),
        seconds=seconds,
    )


def _ratio(new: float, old: float) -> str:
    if old == 0:
        return "-" if new == 0 else "new only"
    return f"{new / old:.2f}x"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=50)
    args = parser.parse_args()
    scenarios = [("same pace", 600, 600, 700), ("server allows less", 120, 300, 150)]
    rows = []
    for name, server_limit, client_limit, calls in scenarios:
        old = run(server_limit, client_limit, calls, args.tasks, BaselineLimiter(client_limit))
        new = run(server_limit, client_limit, calls, args.tasks, RateLimiter(client_limit))
        rows.append((name, server_limit, calls, old, new))
    fields = [
        ("429 answers", "throttled"),
        ("RateLimitError raised", "surfaced"),
        ("other errors", "other_errors"),
        ("sent in first 10 s", "first_10s"),
        ("max accepted in 60 s", "max_window"),
        ("waiting notices", "notices"),
        ("wall time, s", "seconds"),
    ]
    print(f"limiter benchmark: {args.tasks} tasks, loopback sandbox")
    for name, server_limit, calls, old, new in rows:
        print(f"\n## {name}: server {server_limit}/min, {calls} calls")
        print(f"| {'measure':<24} | {'baseline':>9} | {'toolkit':>9} | {'ratio':>8} |")
        print(f"|{'-' * 26}|{'-' * 11}|{'-' * 11}|{'-' * 10}|")
        for label, attr in fields:
            a, b = getattr(old, attr), getattr(new, attr)
            fmt = "{:>9.1f}" if isinstance(a, float) else "{:>9d}"
            line = f"| {label:<24} | {fmt.format(a)} | {fmt.format(b)} | {_ratio(b, a):>8} |"
            print(line)
        limit_ok = new.max_window <= server_limit
        print(f"never over the server's limit in any window: {'yes' if limit_ok else 'NO'}")


if __name__ == "__main__":
    main()
