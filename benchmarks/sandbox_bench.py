"""Benchmark: the sandbox's loopback server, filtered discovery and world start-up, each
against the baseline it replaces, in one run.

Run: python benchmarks/sandbox_bench.py [--creators 100000 --calls 300]

- ``loopback``: sequential calls over the loopback server (``sb.serve()``) against the same
  calls in-process (``sb.transport()``, the floor), and against the server as it was before
  (Nagle's algorithm on: each answer waited for a delayed ACK). Goal: within 5x of in-process.
- ``burst``: 200 concurrent calls, one connection each, no retries, against today's server
  (listen backlog 128) and the stdlib's default backlog of 5. Goal: no call refused or reset.
- ``discovery``: filtered searches on the ``--creators`` world through the compiled plan and
  per-platform indexes (``world/index.py``) against the full scan and sort they replace
  (``world/search.py``: ``match`` + ``sort_rows``), and end to end through the in-process
  transport. Goal: under 20 ms.
- ``world``: a fresh process's first discovery call (import, world, indexes, answer) with the
  world generated (the cache off, as before) and loaded from the disk cache. Goal: under 1 s.
- ``default``: the default world ``ic.connect()`` gives without a key, and a real brief on
  it (US fitness creators on Instagram, 50k-500k followers, ER > 2 %, English): how many it
  finds, and how long a fresh process waits for the world the first time ever (empty cache)
  and every time after. Goal: at least 20 creators; ready in under 1 s after the first time.

Times are medians; the machine's other load shows as spread, so ratios matter more than
absolute figures.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from typing import Any

import anyio
import httpx

from toolkit.sandbox import Sandbox, Settings
from toolkit.sandbox import _server as server_mod

CREDITS = "/public/v1/accounts/credits/"
DISCOVERY = "/public/v1/discovery/"
SEARCHES: list[tuple[str, dict[str, Any], dict[str, str]]] = [
    (
        "instagram",
        {
            "number_of_followers": {"min": 20_000, "max": 500_000},
            "engagement_percent": {"min": 2},
            "profile_language": ["en"],
        },
        {"sort_by": "relevancy", "sort_order": "desc"},
    ),
    (
        "tiktok",
        {"gender": "female", "number_of_followers": {"min": 50_000}},
        {"sort_by": "number_of_followers", "sort_order": "desc"},
    ),
    (
        "youtube",
        {"location": ["United States"], "is_verified": True, "average_views": {"min": 5000}},
        {"sort_by": "engagement_rate", "sort_order": "desc"},
    ),
    (
        "instagram",
        {"ai_search": "fitness coach workouts", "number_of_followers": {"min": 10_000}},
        {"sort_by": "relevancy", "sort_order": "desc"},
    ),
    (
        "instagram",
        {"type": "creator", "has_done_brand_deals": True, "last_post": 30},
        {"sort_by": "growth_rate", "sort_order": "desc"},
    ),
]


def _median_ms(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def _row(name: str, value: str, against: str, goal: str = "") -> None:
    print(f"  {name:<46} {value:>12}   {against:<28} {goal}")


# ----------------------------------------------------------------------------- loopback
class _NagleHandler(server_mod._Handler):
    disable_nagle_algorithm = False  # the server before the fix


class _SmallBacklogServer(server_mod.SandboxServer):
    request_queue_size = 5  # the stdlib's default, before the fix


def _per_call_ms(http: httpx.Client, calls: int) -> float:
    body = {"platform": "instagram", "paging": {"limit": 5, "page": 0}}

    def one() -> None:
        http.get(CREDITS).raise_for_status()
        http.post(DISCOVERY, json=body).raise_for_status()

    one()  # warm the world and the index
    return _median_ms(one, calls) / 2


def _served(sb: Sandbox, server: server_mod.SandboxServer) -> tuple[Any, str]:
    import threading

    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return thread, server.base_url


def loopback(calls: int) -> None:
    print("loopback server, sequential calls (ms per call)")
    sb = Sandbox(creators=5000, credits=1e9, settings=Settings(rate_limit_per_minute=10**9))
    headers = {"Authorization": f"Bearer {sb.api_key}"}
    with httpx.Client(transport=sb.transport(), base_url="http://sb", headers=headers) as http:
        inproc = _per_call_ms(http, calls)
    results = {}
    for name, handler, n in (
        ("today", server_mod._Handler, calls),
        ("Nagle on", _NagleHandler, 40),
    ):
        server = server_mod.SandboxServer(sb, "127.0.0.1", 0)
        server.RequestHandlerClass = handler
        thread, url = _served(sb, server)
        try:
            with httpx.Client(base_url=url, headers=headers) as http:
                results[name] = _per_call_ms(http, n)
        finally:
            server.shutdown()
            server.server_close()
            thread.join(5)
    _row("in-process transport (floor)", f"{inproc:.2f} ms", "")
    _row(
        "loopback server, today",
        f"{results['today']:.2f} ms",
        f"{results['today'] / inproc:.1f}x in-process",
        "goal <= 5x",
    )
    _row(
        "loopback server, Nagle on (before)",
        f"{results['Nagle on']:.2f} ms",
        f"{results['Nagle on'] / inproc:.1f}x in-process",
        f"today {results['Nagle on'] / results['today']:.0f}x faster",
    )


async def _burst(url: str, key: str, n: int) -> tuple[int, int]:
    ok = failed = 0
    limits = httpx.Limits(max_connections=n, max_keepalive_connections=0)
    transport = httpx.AsyncHTTPTransport(retries=0)
    async with httpx.AsyncClient(
        base_url=url,
        headers={"Authorization": f"Bearer {key}"},
        limits=limits,
        transport=transport,
        timeout=httpx.Timeout(30, connect=5),
    ) as http:

        async def one() -> None:
            nonlocal ok, failed
            try:
                (await http.get(CREDITS)).raise_for_status()
                ok += 1
            except httpx.HTTPError:
                failed += 1

        async with anyio.create_task_group() as tg:
            for _ in range(n):
                tg.start_soon(one)
    return ok, failed


def burst(n: int = 200) -> None:
    print(f"burst of {n} concurrent calls (one connection each, no retries)")
    for name, cls in (
        ("backlog 128 (today)", server_mod.SandboxServer),
        ("backlog 5", _SmallBacklogServer),
    ):
        sb = Sandbox(creators=200, settings=Settings(rate_limit_per_minute=10**6))
        server = cls(sb, "127.0.0.1", 0)
        thread, url = _served(sb, server)
        try:
            t = time.perf_counter()
            ok, failed = anyio.run(_burst, url, sb.api_key, n)
            took = time.perf_counter() - t
        finally:
            server.shutdown()
            server.server_close()
            thread.join(5)
        goal = "goal: 0 failed" if name.endswith("(today)") else ""
        _row(name, f"{failed} failed", f"{ok} ok in {took:.2f} s", goal)


# ----------------------------------------------------------------------------- discovery
def discovery(creators: int) -> None:
    from toolkit.sandbox.routes._discovery_request import clean_filters
    from toolkit.sandbox.world import World
    from toolkit.sandbox.world.index import Plan
    from toolkit.sandbox.world.search import match, sort_rows

    print(f"filtered discovery on {creators:,} creators (ms per search, page of 50)")
    world = World.load(seed=7, size=creators)
    now = world.epoch
    sb = Sandbox(seed=7, creators=creators, credits=1e9)
    sb._world = world
    headers = {"Authorization": f"Bearer {sb.api_key}"}
    http = httpx.Client(transport=sb.transport(), base_url="http://sb", headers=headers)
    worst = 0.0
    for platform, raw, sort in SEARCHES:
        filters = clean_filters(platform, raw)
        by, order = sort["sort_by"], sort["sort_order"]

        def planned(
            platform: str = platform, filters: dict = filters, by: str = by, order: str = order
        ) -> None:
            Plan(world, platform, now, filters, set()).page(by, order, 0, 50)

        def scanned(
            platform: str = platform, filters: dict = filters, by: str = by, order: str = order
        ) -> None:
            sort_rows(match(world, now, world.on(platform), filters, set()), by, order)[:50]

        first = _median_ms(planned, 1)  # builds the indexes this search needs
        fast = _median_ms(planned, 9)
        slow = _median_ms(scanned, 3)
        body = {
            "platform": platform,
            "filters": raw,
            "sort": sort,
            "paging": {"limit": 50, "page": 0},
        }
        e2e = _median_ms(lambda body=body: http.post(DISCOVERY, json=body).raise_for_status(), 9)
        worst = max(worst, e2e)
        label = f"{platform}: {', '.join(raw)} by {by}"
        _row(label[:46], f"{fast:.1f} ms", f"scan {slow:.0f} ms = {slow / fast:.0f}x")
        _row(
            "  end to end (HTTP in-process, 50 rows)",
            f"{e2e:.1f} ms",
            f"first (index build) {first:.0f} ms",
            "goal < 20 ms",
        )
    http.close()
    _row("slowest filtered search end to end", f"{worst:.1f} ms", "", "goal < 20 ms")


# ----------------------------------------------------------------------------- world
_FIRST_CALL = textwrap.dedent(
    """
    import time
    t = time.perf_counter()
    import httpx
    from toolkit.sandbox import Sandbox
    sb = Sandbox(seed=7, creators={creators})
    w, wc = time.perf_counter(), time.process_time()
    sb.world
    w, wc = time.perf_counter() - w, time.process_time() - wc
    body = {{"platform": "instagram", "paging": {{"limit": 25, "page": 0}},
             "filters": {{"number_of_followers": {{"min": 10000}}}}}}
    with httpx.Client(transport=sb.transport(), base_url="http://sb",
                      headers={{"Authorization": "Bearer " + sb.api_key}}) as http:
        http.post("/public/v1/discovery/", json=body).raise_for_status()
    print(w, time.perf_counter() - t, wc)
    """
)


def _first_call(creators: int, cache: str) -> tuple[float, float, float]:
    """(seconds until the world is ready, seconds for the whole first call incl. imports,
    CPU seconds of the process while the world got ready: the part other load cannot inflate
    as much)."""
    env = {**os.environ, "TOOLKIT_SANDBOX_CACHE": cache}
    code = _FIRST_CALL.format(creators=creators)
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    world, total, cpu = out.stdout.strip().splitlines()[-1].split()
    return float(world), float(total), float(cpu)


def world_start(creators: int) -> None:
    print(f"a session's first discovery call on {creators:,} creators (fresh process, s)")
    built = _first_call(creators, "off")
    with tempfile.TemporaryDirectory() as folder:
        _first_call(creators, folder)  # fills the cache, as a session's first ever run does
        runs = [_first_call(creators, folder) for _ in range(3)]
    cached = [statistics.median(r[i] for r in runs) for i in range(3)]
    _row("world ready, generated (cache off, as before)", f"{built[0]:.2f} s", "")
    _row(
        "world ready, from the disk cache",
        f"{cached[0]:.2f} s",
        f"{built[0] / cached[0]:.1f}x faster",
        "goal < 1 s",
    )
    _row(
        "  the same, CPU seconds",
        f"{cached[2]:.2f} s",
        f"generated: {built[2]:.2f} s",
        f"load average {os.getloadavg()[0]:.1f}",
    )
    _row(
        "whole first call (imports, world, index, answer)",
        f"{cached[1]:.2f} s",
        f"generated: {built[1]:.2f} s",
    )


# ----------------------------------------------------------------------------- default
_BRIEF = textwrap.dedent(
    """
    import time
    t = time.perf_counter()
    import toolkit as ic
    w, wc = time.perf_counter(), time.process_time()
    client = ic.connect(quiet=True, cache="off")
    client.sandbox.world
    w, wc = time.perf_counter() - w, time.process_time() - wc  # connect() to world ready
    s, sc = time.perf_counter(), time.process_time()
    brief = {{"location": ["United States"], "profile_language": ["en"], "ai_search": "fitness",
             "number_of_followers": {{"min": 50_000, "max": 500_000}},
             "engagement_percent": {{"min": 2}}}}
    page = client.discovery.search("instagram", filters=brief, limit=25)
    s, sc = time.perf_counter() - s, time.process_time() - sc
    print(client.sandbox.size, page.data["total"], w, s, time.perf_counter() - t, wc, sc)
    """
)


def default_world() -> None:
    print("the default world of ic.connect() and a real brief on it (fresh process)")
    env = {k: v for k, v in os.environ.items() if k != "INFLUENCERS_CLUB_API_KEY"}

    def run() -> list[str]:
        out = subprocess.run(
            [sys.executable, "-c", _BRIEF.format()],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        return out.stdout.strip().splitlines()[-1].split()

    with tempfile.TemporaryDirectory() as folder:
        env["TOOLKIT_SANDBOX_CACHE"] = folder
        size, total, *first = run()
        later = [run() for _ in range(3)]
    ready, search, whole, ready_cpu, search_cpu = (
        statistics.median(float(r[i]) for r in later) for i in (2, 3, 4, 5, 6)
    )
    _row("creators in the default world", f"{int(size):,}", "")
    _row("the brief finds", f"{int(total)} creators", "", "goal >= 20")
    _row("connect() to world ready, first time ever", f"{float(first[0]):.2f} s", "(built)")
    _row(
        "connect() to world ready, every time after",
        f"{ready:.2f} s",
        f"(disk cache) CPU {ready_cpu:.2f} s",
        "goal < 1 s",
    )
    _row(
        "the brief's search (indexes built on first use)",
        f"{search:.2f} s",
        f"CPU {search_cpu:.2f} s",
    )
    _row(
        "whole process (imports, world, search)",
        f"{whole:.2f} s",
        f"first ever {float(first[2]):.2f} s",
        f"load average {os.getloadavg()[0]:.1f}",
    )


SECTIONS = ("loopback", "burst", "discovery", "world", "default")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--creators", type=int, default=100_000)
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--only", choices=SECTIONS, action="append", help="run these sections")
    args = parser.parse_args(argv)
    run = set(args.only or SECTIONS)
    if "loopback" in run:
        loopback(args.calls)
    if "burst" in run:
        burst()
    if "discovery" in run:
        discovery(args.creators)
    if "world" in run:
        world_start(args.creators)
    if "default" in run:
        default_world()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
