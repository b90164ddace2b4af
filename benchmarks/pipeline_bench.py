"""Benchmark: the dlt pipeline's send rate against the rate limit, and what loading adds.

Run: python benchmarks/pipeline_bench.py [--handles 1000 --limit 300 --window 10 --latency 0.2]

The sandbox is served on loopback in a child process with ``--limit`` requests per
``--window`` seconds (the API's 300 per 60 s with the window scaled down, as
``jobs_bench.py`` does, so a run takes about a minute; the ratio does not depend on the
scale) and every answer delayed by ``--latency`` seconds. ``toolkit.pipelines`` then loads
``--handles`` distinct creators (``--mode``, default profile) into a DuckDB file:

- "of rate" = requests sent during extraction / extraction time / the allowed rate
  (goal >= 0.9);
- "load share" = (normalize + load time) / extraction time, the wall time the warehouse
  adds to the API calls (goal <= 0.20).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")

SERVER = """
import json, sys
from toolkit.sandbox import Clock, Sandbox, Settings
limit, window, latency = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
sb = Sandbox(seed=7, creators=4000, credits=100_000, clock=Clock.real(),
             settings=Settings(rate_limit_per_minute=limit))
sb._limiter.WINDOW = window   # the sandbox's 60-second window, scaled for the benchmark
sb.faults.add("slow", seconds=latency)
names = [c.username for c in sb.world.on("instagram")]
with sb.serve() as url:
    print(json.dumps({"url": url, "key": sb.api_key, "names": names}), flush=True)
    sys.stdin.read()
    print(json.dumps({"status_429": sum(1 for e in sb.log if e.status == 429),
                      "requests": len(sb.log)}), flush=True)
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--handles", type=int, default=1000)
    ap.add_argument("--limit", type=int, default=300)
    ap.add_argument("--window", type=float, default=10.0)
    ap.add_argument("--latency", type=float, default=0.2)
    ap.add_argument("--mode", default="profile", choices=("raw", "profile", "full"))
    a = ap.parse_args()

    import dlt

    from toolkit import Client, RateLimiter
    from toolkit.pipelines import source

    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(a.limit), str(a.window), str(a.latency)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None and server.stdin is not None
    info = json.loads(server.stdout.readline())
    names = info["names"][: a.handles]
    if len(names) < a.handles:
        server.stdin.close()
        sys.exit(f"the sandbox has {len(names)} instagram creators; ask for fewer --handles")
    with tempfile.TemporaryDirectory() as tmp:
        limiter = RateLimiter(a.limit, window=a.window, notice_after=1e9)
        client = Client(
            api_key=info["key"],
            base_url=info["url"],
            rate_limiter=limiter,
            store=str(Path(tmp) / "store.sqlite3"),
        )
        pipeline = dlt.pipeline(
            "bench",
            str(Path(tmp) / "dlt"),
            destination=dlt.destinations.duckdb(str(Path(tmp) / "warehouse.duckdb")),
            dataset_name="bench",
        )
        src = source(client, handles=names, mode=a.mode)
        t0 = time.perf_counter()
        pipeline.extract(src.with_resources("enrichment"))
        t1 = time.perf_counter()
        pipeline.normalize()
        pipeline.load()
        t2 = time.perf_counter()
        sent = len(client.ledger)
        client.close()
    server.stdin.close()
    tail = json.loads(server.stdout.readline())
    server.wait(timeout=30)

    extract, load = t1 - t0, t2 - t1
    allowed = a.limit / a.window
    of_rate = sent / extract / allowed
    print(
        f"pipeline over {a.handles:,} handles ({a.mode}), limit {a.limit} per {a.window:g} s, "
        f"latency {a.latency:g} s"
    )
    print(f"{'step':<12} {'seconds':>8}  note")
    print(f"{'extract':<12} {extract:8.1f}  {sent:,} requests; of rate {of_rate:.2f} (goal >= 0.9)")
    print(
        f"{'load':<12} {load:8.1f}  normalize + load into DuckDB: {load / extract:.2f} "
        "of the extraction (goal <= 0.20)"
    )
    print(f"429 answered by the server: {tail['status_429']}")


if __name__ == "__main__":
    main()
