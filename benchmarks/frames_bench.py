"""Benchmark: toolkit DataFrame conversion vs pandas/polars json_normalize vs json.loads.

Run: python benchmarks/frames_bench.py [--accounts 100000 --enrichments 10000]

One synthetic run, generated the way the sandbox generates responses
(``toolkit.sandbox.world.World`` and the sandbox's payload builders), serialized to JSON
files once; then each step runs in a fresh subprocess on the same files so its time and peak
memory are its own:

- ``parse``: ``json.loads`` of the file alone (the floor every converter pays first);
- ``toolkit``: ``toolkit.frames`` conversion of the parsed body (typed, tidy tables);
- ``pandas``: ``pandas.json_normalize`` of the same records (flat, untyped columns);
- ``polars``: ``polars.json_normalize`` of the same records.

Conversion steps are timed from the already-parsed body (the parse is reported apart).
Peak memory is the step's peak RSS above the RSS before it started (Rust and C allocations
included, which tracemalloc would miss). Results are printed as a table with ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

STEPS = ("parse", "toolkit", "pandas", "polars")


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


# ----------------------------------------------------------------------------- generation
def generate(accounts: int, enrichments: int, distinct: int, seed: int, out: Path) -> dict:
    """Write discovery.json (one page of ``accounts``) and batch.json (``enrichments`` rows)."""
    from toolkit.sandbox import profiles as ce
    from toolkit.sandbox.routes.discovery import account_row
    from toolkit.sandbox.world import World

    t0 = time.perf_counter()
    world = World(seed=seed, size=max(accounts, 1))
    now = world.epoch + timedelta(days=30)
    page = {
        "total": accounts,
        "limit": accounts,
        "credits_left": 1000.0,
        "credits_cost": round(accounts * 0.01, 2),
        "accounts": [account_row(world, c, now) for c in world.creators[:accounts]],
    }
    (out / "discovery.json").write_text(json.dumps(page))
    del page, world
    # Full enrichments cost the sandbox ~20 ms each (audience lookalike ranking), so
    # ``distinct`` real results from a 5,000-creator world are cycled to reach the count;
    # each row keeps its own input_value and json.loads still builds every object anew.
    eworld = World(seed=seed, size=5000)
    pool = [c for c in eworld.creators if c.platform in ("instagram", "youtube", "tiktok")]
    pool += [c for c in eworld.creators if c.platform not in ("instagram", "youtube", "tiktok")]
    results = []
    for c in pool[: max(1, min(distinct, enrichments))]:
        r = ce.enrich_result(eworld, c, "full", now=now, include_lookalikes=True)
        if r is not None:
            results.append((c, json.dumps(r)))
    with (out / "batch.json").open("w") as fh:
        fh.write("[")
        for i in range(enrichments):
            c, text = results[i % len(results)]
            if i:
                fh.write(",")
            fh.write(
                f'{{"input_value": {json.dumps(c.username)}, "status": "success", '
                f'"enrichment_data": {text}}}'
            )
        fh.write("]")
    return {
        "generate_s": time.perf_counter() - t0,
        "discovery_mb": (out / "discovery.json").stat().st_size / 2**20,
        "batch_mb": (out / "batch.json").stat().st_size / 2**20,
        "distinct_enrichments": len(results),
    }


# ----------------------------------------------------------------------------- one step
def _records(kind: str, body: Any) -> Any:
    return body["accounts"] if kind == "discovery" else body


def run_step(kind: str, step: str, path: Path) -> dict:
    """Run one step in this (fresh) process; return seconds, peak MB and output shape."""
    import warnings

    # warm up: the first conversion loads polars' Arrow interop (a one-time import cost)
    import warnings as _w

    import pandas as pd
    import polars as pl

    from toolkit import frames

    with _w.catch_warnings():
        _w.simplefilter("ignore")
        frames.discovery({"accounts": [{"profile": {"username": "x"}}]})
        frames.enrichment({"result": {"instagram": {"userid": "1", "hashtags": ["a"]}}})

    text = path.read_text()
    body = None if step == "parse" else json.loads(text)
    if step != "parse":
        del text
    base_rss = _rss_mb()
    base_peak = _peak_mb()
    t0 = time.perf_counter()
    if step == "parse":
        out = json.loads(text)
        shape = f"{len(_records(kind, out))} records"
    elif step == "toolkit":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if kind == "discovery":
                df = frames.discovery(body, {"platform": "instagram"})
                shape = f"{df.height}x{df.width}"
            else:
                t = frames.batch_results(body)
                shape = f"{len(t)} tables, {sum(d.height for d in t.values())} rows"
    elif step == "pandas":
        df = pd.json_normalize(_records(kind, body))
        shape = f"{df.shape[0]}x{df.shape[1]}"
    else:
        df = pl.json_normalize(_records(kind, body), infer_schema_length=None)
        shape = f"{df.height}x{df.width}"
    seconds = time.perf_counter() - t0
    peak = max(_peak_mb(), base_peak) - base_rss
    return {"seconds": seconds, "peak_mb": max(peak, 0.0), "shape": shape}


def _child(kind: str, step: str, path: Path) -> dict:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", kind, step, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        return {
            "seconds": float("nan"),
            "peak_mb": float("nan"),
            "shape": f"failed: {proc.stderr.strip().splitlines()[-1:]}",
        }
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--accounts", type=int, default=100_000)
    ap.add_argument("--enrichments", type=int, default=10_000)
    ap.add_argument(
        "--distinct",
        type=int,
        default=1_000,
        help="distinct sandbox enrichments cycled to reach --enrichments",
    )
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--steps", default=",".join(STEPS))
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        kind, step, path = args.child
        print(json.dumps(run_step(kind, step, Path(path))))
        return 0

    steps = [s for s in args.steps.split(",") if s in STEPS]
    with tempfile.TemporaryDirectory(prefix="frames_bench_") as tmp:
        out = Path(tmp)
        info = generate(args.accounts, args.enrichments, args.distinct, args.seed, out)
        print(
            f"generated in {info['generate_s']:.1f} s: discovery.json {info['discovery_mb']:.1f} MB "
            f"({args.accounts} accounts), batch.json {info['batch_mb']:.1f} MB "
            f"({args.enrichments} full enrichments, {info['distinct_enrichments']} distinct)"
        )
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPU(s)\n")
        for kind, file in (("discovery", "discovery.json"), ("enrichment", "batch.json")):
            results = {s: _child(kind, s, out / file) for s in steps}
            parse = results.get("parse", {}).get("seconds")
            tk = results.get("toolkit", {}).get("seconds")
            print(f"{kind}:")
            print(
                f"  {'step':<8} {'time s':>8} {'÷ parse':>8} {'÷ toolkit':>9} {'peak MB':>9}  output"
            )
            for s, r in results.items():
                sec = r["seconds"]
                vs_parse = f"{sec / parse:.2f}" if parse else "-"
                vs_tk = f"{sec / tk:.2f}" if tk else "-"
                print(
                    f"  {s:<8} {sec:>8.2f} {vs_parse:>8} {vs_tk:>9} {r['peak_mb']:>9.0f}  {r['shape']}"
                )
            print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
