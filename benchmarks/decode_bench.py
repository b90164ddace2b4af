"""Benchmark: decoding the client's answers, the request core's loader against json.loads.

Run: python benchmarks/decode_bench.py

The bodies are the real captured answers in contract/samples/ plus one sandbox discovery
page of 1,000 accounts (``--accounts``). Each is decoded by ``json.loads`` (what the core
used) and by ``toolkit._core._loads`` (msgspec, the stdlib behind it); medians per body.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from toolkit import _core

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository's contract/
from contract import sample_bytes, sample_names


def _median_ms(fn: Callable[[bytes], Any], body: bytes, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn(body)
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def _discovery_page(accounts: int) -> bytes:
    from datetime import timedelta

    from toolkit.sandbox.routes.discovery import account_row
    from toolkit.sandbox.world import World

    world = World(seed=7, size=accounts)
    now = world.epoch + timedelta(days=30)
    rows = [account_row(world, c, now) for c in world.creators[:accounts]]
    return json.dumps({"total": accounts, "accounts": rows}).encode()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--accounts", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=50)
    args = ap.parse_args(argv)
    bodies = {name: sample_bytes(name) for name in sample_names()}
    bodies[f"sandbox discovery, {args.accounts} accounts"] = _discovery_page(args.accounts)
    print(f"{'answer':<42} {'KB':>6} {'json ms':>8} {'core ms':>8} {'ratio':>6}")
    total_json = total_core = 0.0
    for name, body in bodies.items():
        assert _core._loads(body) == json.loads(body), name
        tj = _median_ms(json.loads, body, args.runs)
        tc = _median_ms(_core._loads, body, args.runs)
        total_json, total_core = total_json + tj, total_core + tc
        print(f"{name:<42} {len(body) / 1024:>6.0f} {tj:>8.3f} {tc:>8.3f} {tc / tj:>6.2f}")
    print(
        f"{'all answers':<42} {'':>6} {total_json:>8.3f} {total_core:>8.3f} "
        f"{total_core / total_json:>6.2f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
