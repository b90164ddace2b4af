"""Benchmark: enrich_many throughput against the rate limit, beside what users write instead.

Run: python benchmarks/jobs_bench.py [--limit 40 --window 2 --latency 0.2 --requests 200]

The sandbox is served on loopback in a child process with a set limit (``--limit`` requests
per ``--window`` seconds: the API's 300 per 60 s scaled down so a run takes seconds; the
ratio does not depend on the scale) and every answer delayed by ``--latency`` seconds (the
real API takes about a second per enrichment). The same ``--requests`` raw enrichments
(distinct creators) are then made four ways, each against a fresh account:

- ``enrich_many``: ``client.creators.enrich_many`` (10 at a time, journal on, no bar);
- ``sequential``: a ``for`` loop over ``client.creators.enrich_raw`` (latency-bound, so it
  is timed on the first 40 requests and extrapolated: its rate is constant);
- ``gather (toolkit)``: ``asyncio.gather`` of every ``AsyncClient`` call at once;
- ``gather (raw httpx)``: ``asyncio.gather`` of plain ``httpx`` POSTs, no limiter.

Then a cache hit against a round trip: the same ``--requests`` raw enrichments on a plain
loopback sandbox (no added latency, this process) twice with one client on a SQLite store:
the first pass goes to the server (and stores each answer), the second is answered by the
response cache. Median and p95 latency per call, and their ratio.

Ratio ("of rate") = the measured throughput / the allowed rate (``limit / window``): 1.0
is the limit; goal >= 0.9 for enrich_many with no 429 reaching the caller. The toolkit's
limiter spreads requests over the window (issue: "a smooth limiter") rather than sending
a window's worth at once and idling, so a short run gives up the head start a bursting
client gets in its first window: "vs burst" shows the time such a client needs (the first
``limit`` requests at once, then ``limit`` per window, plus one latency) / the measured
time; over a long job (thousands of creators at 300/min) the two ratios meet. "429 seen"
counts what the server answered (the toolkit retries them); "429 to caller" what the
caller got.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import subprocess
import sys
import time
from typing import Any

import httpx

SERVER = """
import json, sys
from toolkit.sandbox import Clock, Sandbox, Settings
limit, window, latency, accounts = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
sb = Sandbox(seed=7, creators=3000, clock=Clock.real(),
             settings=Settings(rate_limit_per_minute=limit))
sb._limiter.WINDOW = window   # the sandbox's 60-second window, scaled for the benchmark
sb.faults.add("slow", seconds=latency)   # every answer takes `latency` seconds
keys = [sb.api_key] + [sb.add_account(f"bench {i}", credits=1000).api_key for i in range(accounts)]
names = [c.username for c in sb.world.on("instagram")]
with sb.serve() as url:
    print(json.dumps({"url": url, "keys": keys, "names": names}), flush=True)
    sys.stdin.read()   # serve until the parent closes our stdin
    print(json.dumps({"status_429": sum(1 for e in sb.log if e.status == 429)}), flush=True)
"""


def ideal_time(n: int, limit: int, window: float, latency: float) -> float:
    """Seconds a perfect client needs for ``n`` requests under a sliding-window limit."""
    return (math.ceil(n / limit) - 1) * window + latency


def _client(url: str, key: str, a: argparse.Namespace, asynchronous: bool = False) -> Any:
    """A toolkit client whose limiter has the server's limit and (scaled) window."""
    from toolkit import AsyncClient, Client, RateLimiter

    cls = AsyncClient if asynchronous else Client
    limiter = RateLimiter(a.limit, window=a.window * (1 + a.margin), notice_after=1e9)
    return cls(api_key=key, base_url=url, rate_limiter=limiter)


def run_enrich_many(url: str, key: str, names: list[str], a: argparse.Namespace) -> dict:
    from toolkit.store import open_store

    store = open_store("memory:")
    with _client(url, key, a) as client:
        t0 = time.perf_counter()
        out = client.creators.enrich_many(
            names, "instagram", mode="raw", store=store, progress=False, concurrency=a.concurrency
        )
        elapsed = time.perf_counter() - t0
        retries = _retries(client)
    limited = out.failures.filter(out.failures["error"] == "RateLimitError").height
    return {
        "n": len(names),
        "ok": out.results.height,
        "seconds": elapsed,
        "to_caller": limited,
        "retries": retries,
    }


def _retries(client: Any) -> int:
    """Requests the client sent again (after a 429 or a 5xx), from its ledger."""
    return sum(int(e["attempts"]) - 1 for e in client.ledger.entries)


def run_sequential(url: str, key: str, names: list[str], a: argparse.Namespace) -> dict:
    sample = names[:40]
    with _client(url, key, a) as client:
        t0 = time.perf_counter()
        for name in sample:
            client.creators.enrich_raw(name, "instagram")
        elapsed = time.perf_counter() - t0
        retries = _retries(client)
    return {
        "n": len(names),
        "ok": len(names),
        "seconds": elapsed * len(names) / len(sample),
        "to_caller": 0,
        "retries": retries,
        "note": f"timed on {len(sample)}, extrapolated",
    }


def run_gather_toolkit(url: str, key: str, names: list[str], a: argparse.Namespace) -> dict:
    from toolkit import RateLimitError

    async def go() -> dict:
        async with _client(url, key, a, asynchronous=True) as aclient:
            t0 = time.perf_counter()
            got = await asyncio.gather(
                *(aclient.creators.enrich_raw(n, "instagram") for n in names),
                return_exceptions=True,
            )
            elapsed = time.perf_counter() - t0
            retries = _retries(aclient)
        limited = sum(isinstance(g, RateLimitError) for g in got)
        ok = sum(not isinstance(g, BaseException) for g in got)
        return {
            "n": len(names),
            "ok": ok,
            "seconds": elapsed,
            "to_caller": limited,
            "retries": retries,
        }

    return asyncio.run(go())


def run_gather_raw(url: str, key: str, names: list[str], a: argparse.Namespace) -> dict:
    async def go() -> dict:
        limits = httpx.Limits(max_connections=None, max_keepalive_connections=None)
        headers = {"Authorization": f"Bearer {key}"}
        async with httpx.AsyncClient(
            base_url=url, headers=headers, limits=limits, timeout=60
        ) as http:
            t0 = time.perf_counter()
            got = await asyncio.gather(
                *(
                    http.post(
                        "/public/v1/creators/enrich/handle/raw/",
                        json={"handle": n, "platform": "instagram"},
                    )
                    for n in names
                )
            )
            elapsed = time.perf_counter() - t0
        limited = sum(r.status_code == 429 for r in got)
        return {
            "n": len(names),
            "ok": sum(r.status_code == 200 for r in got),
            "seconds": elapsed,
            "to_caller": limited,
            "retries": 0,
        }

    return asyncio.run(go())


def cache_latency(n: int) -> tuple[list[float], list[float]]:
    """Per-call seconds of ``n`` round trips, then of the same ``n`` calls from the cache."""
    import tempfile

    from toolkit import Client
    from toolkit.sandbox import Sandbox
    from toolkit.store import open_store

    sb = Sandbox(seed=7, creators=max(4 * n, 400))
    names = [c.username for c in sb.world.on("instagram")][:n]
    with tempfile.TemporaryDirectory() as tmp, sb.serve() as url:
        store = open_store(f"{tmp}/store.sqlite3")
        passes: list[list[float]] = []
        # no pacing here: this measures the round trip, not the limiter (at the API's
        # 300/min a sequential loop would wait 0.2 s per call after the first burst)
        with Client(
            api_key=sb.api_key, base_url=url, store=store, rate_limit_per_minute=10**6
        ) as client:
            for _ in range(2):
                times = []
                for name in names:
                    t0 = time.perf_counter()
                    client.creators.enrich_raw(name, "instagram")
                    times.append(time.perf_counter() - t0)
                passes.append(times)
            assert client.cache.stats().hits == n, client.cache.stats()
        store.close()
    return passes[0], passes[1]


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


WAYS = {
    "enrich_many": run_enrich_many,
    "sequential": run_sequential,
    "gather (toolkit)": run_gather_toolkit,
    "gather (raw httpx)": run_gather_raw,
}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--limit", type=int, default=40, help="requests allowed per window")
    p.add_argument("--window", type=float, default=2.0, help="window in seconds")
    p.add_argument("--latency", type=float, default=0.2, help="seconds per answer")
    p.add_argument("--requests", type=int, default=200)
    p.add_argument("--concurrency", type=int, default=10, help="enrich_many's concurrency")
    p.add_argument(
        "--margin",
        type=float,
        default=0.0,
        help="widen the client's window by this fraction (0: the limiter as shipped)",
    )
    a = p.parse_args(argv)
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(a.limit), str(a.window), str(a.latency), str(len(WAYS))],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None and server.stdin is not None
    info = json.loads(server.stdout.readline())
    rows = []
    try:
        for i, (name, way) in enumerate(WAYS.items()):
            # distinct creators per way, on a fresh account whose window is empty
            names = info["names"][i * a.requests : (i + 1) * a.requests]
            time.sleep(a.window)  # let the previous way's window drain
            rows.append((name, way(info["url"], info["keys"][i + 1], names, a)))
    finally:
        server.stdin.close()
        seen = json.loads(server.stdout.readline() or "{}").get("status_429")
        server.wait(timeout=30)
    rate = a.limit / a.window
    print(
        f"\nenrich_many throughput: limit {a.limit} per {a.window:g} s ({rate:g}/s), "
        f"{a.latency * 1000:g} ms per answer, {a.requests} requests per way\n"
    )
    print(
        f"{'way':<20}{'ok':>6}{'seconds':>10}{'req/s':>8}{'of rate':>9}{'vs burst':>10}"
        f"{'retried':>9}{'429 to caller':>15}"
    )
    for name, r in rows:
        complete = r["ok"] == r["n"]
        ideal = ideal_time(r["ok"] or 1, a.limit, a.window, a.latency)
        of_rate = r["ok"] / r["seconds"] / rate if complete else float("nan")
        vs_burst = ideal / r["seconds"] if complete else float("nan")
        print(
            f"{name:<20}{r['ok']:>6}{r['seconds']:>10.2f}{r['ok'] / r['seconds']:>8.1f}"
            f"{of_rate:>9.2f}{vs_burst:>10.2f}{r['retries']:>9}{r['to_caller']:>15}"
            f"  {r.get('note', '')}"
        )
    print(f"\n429 answers the server sent in all (the toolkit retries them): {seen}")
    print(
        "of rate: throughput / the allowed rate (goal >= 0.9 for enrich_many); vs burst: the "
        "time a client bursting its first window needs / the measured time (nan: not every "
        "request succeeded)"
    )
    trip, hit = cache_latency(a.requests)
    print(f"\ncache hit vs loopback round trip ({a.requests} raw enrichments, SQLite store)\n")
    print(f"{'':<22}{'median ms':>10}{'p95 ms':>9}")
    for label, xs in (("sandbox round trip", trip), ("cache hit", hit)):
        print(f"{label:<22}{_pct(xs, 0.5) * 1000:>10.2f}{_pct(xs, 0.95) * 1000:>9.2f}")
    print(f"\ncache hit / round trip (median): {_pct(hit, 0.5) / _pct(trip, 0.5):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
