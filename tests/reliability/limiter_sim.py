"""A discrete-event simulation of clients, a rate limiter and a server counting arrivals.

Time is simulated (no sleeping, no timing asserts): each worker asks the limiter, waits
what it says, sends; the request reaches the server after an "in" latency and its answer
comes back after an "out" latency. The server counts arrivals in a sliding window, as the
sandbox and DRF do, and answers 429 with ``Retry-After`` when it is full.
"""

from __future__ import annotations

import contextvars
import heapq
import math
import random
from bisect import bisect_left
from dataclasses import dataclass, field

from toolkit._ratelimit import RateLimiter


class SimClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@dataclass
class SimServer:
    """Counts arrivals in ``window`` seconds; over ``limit`` it answers 429."""

    limit: int
    window: float = 60.0
    accepted: list[float] = field(default_factory=list)
    refused: list[float] = field(default_factory=list)

    def arrive(self, t: float) -> float | None:
        """``None`` if accepted, else the Retry-After in seconds."""
        start = bisect_left(self.accepted, t - self.window + 1e-12)
        inside = self.accepted[start:]
        if len(inside) >= self.limit:
            self.refused.append(t)
            return float(max(1, math.ceil(inside[0] + self.window - t)))
        self.accepted.append(t)
        return None


def max_in_window(times: list[float], window: float) -> int:
    """The most arrivals the server ever counted at once: any half-open [t, t + window)."""
    times = sorted(times)
    best, j = 0, 0
    for i, t in enumerate(times):
        j = max(j, i)
        while j < len(times) and times[j] < t + window:
            j += 1
        best = max(best, j - i)
    return best


@dataclass
class Run:
    sent: list[float]
    server: SimServer
    limiter: RateLimiter
    end: float


def simulate(
    limiter_limit: int,
    server_limit: int,
    workers: int,
    per_worker: int,
    *,
    seed: int = 0,
    max_latency: float = 2.0,
    window: float = 60.0,
    max_retries: int = 5,
) -> Run:
    """Run ``workers`` workers, each sending ``per_worker`` requests, retrying 429s."""
    rng = random.Random(seed)
    clock = SimClock()
    rl = RateLimiter(limiter_limit, window=window, clock=clock, notice_after=math.inf)
    server = SimServer(server_limit, window)
    contexts = [contextvars.Context() for _ in range(workers)]  # a task each
    left = [per_worker] * workers
    tries = [0] * workers
    sent: list[float] = []
    events: list[tuple[float, int, str, int, float]] = []
    seq = 0

    def push(t: float, kind: str, w: int, hint: float = 0.0) -> None:
        nonlocal seq
        seq += 1
        heapq.heappush(events, (t, seq, kind, w, hint))

    for w in range(workers):
        push(0.0, "try", w)
    while events:
        t, _, kind, w, hint = heapq.heappop(events)
        clock.now = t
        if kind == "try":
            wait = contexts[w].run(rl.reserve)
            if wait > 0:
                push(t + wait, "try", w)
                continue
            sent.append(t)
            push(t + rng.uniform(0, max_latency), "arrive", w)
        elif kind == "arrive":  # events run in time order, so the server sees them so too
            retry_after = server.arrive(t)
            answer = t + rng.uniform(0, max_latency)
            if retry_after is None:
                push(answer, "ok", w)
            else:
                push(answer, "429", w, retry_after)
        elif kind == "ok":
            rl.release()
            left[w] -= 1
            tries[w] = 0
            if left[w]:
                push(t, "try", w)
        else:  # a 429: release, learn, sleep the hint, retry (or give up)
            rl.release()
            contexts[w].run(rl.learn, hint)
            tries[w] += 1
            if tries[w] > max_retries:
                left[w] -= 1
                tries[w] = 0
                if left[w]:
                    push(t, "try", w)
            else:
                push(t + hint, "try", w)
    return Run(sent=sent, server=server, limiter=rl, end=clock.now)
