"""Benchmark: toolkit DataFrame conversion vs the JSON parse floor and the normalizers.

Run: python benchmarks/frames_bench.py [--accounts 100000 --enrichments 10000] [--quick]

One synthetic run, generated the way the sandbox generates responses
(``toolkit.sandbox.world.World`` and the sandbox's payload builders), serialized to JSON
files once; then each step runs in a fresh subprocess on the same files so its time and peak
memory are its own:

- ``parse``: ``json.loads`` of the file alone (the floor every converter pays first);
- ``toolkit``: ``toolkit.frames`` conversion of the parsed body (typed, tidy tables);
- ``pandas``: ``pandas.json_normalize`` of the same records (flat, untyped columns);
- ``polars``: ``polars.json_normalize`` of the same records.

Discovery conversion steps are timed from the already-parsed body (the parse apart).

Batch results files (the synthetic one and one built from the real captures in
contract/samples) are timed end to end, from the file's bytes to the tables, against the
floor: the fastest of ``orjson.loads`` and ``json.loads`` of the same bytes with the GC
paused. Steps there:

- ``orjson`` / ``json``: the parse alone, GC paused (the floor is the faster of the two);
- ``toolkit(bytes)``: ``frames.batch_results(data)`` from the bytes already in memory;
- ``toolkit(path)``: ``frames.batch_results(path)``, reading the file itself;
- ``loads+toolkit``: ``json.loads`` then ``frames.batch_results(list)`` (the old way);
- ``parse+strings``: the orjson parse, every string in it copied into one polars String
  column, the parsed objects freed; the walk that gathers the strings is timed apart and
  left out. What any converter that reads the file into Python objects pays at the least,
  before sorting a single value into its table;
- ``polars.read_json`` / ``pyarrow.json``: the native JSON readers, which build columns
  without Python objects (pyarrow's reads lines, so the records are split and joined with
  newlines first); both infer one type per field and refuse a file whose records disagree.

Peak memory is the step's peak RSS (Rust and C allocations included, which tracemalloc would
miss) above the RSS before it started, after any bytes it starts from were read. Results
are printed as tables with ratios, then the goals: end to end within 2x of the floor and a
peak below 2x the file's size.
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

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository's contract/
from contract import sample_bytes

STEPS = ("parse", "toolkit", "pandas", "polars")
BATCH_STEPS = (
    "orjson",
    "json",
    "toolkit(bytes)",
    "toolkit(path)",
    "loads+toolkit",
    "parse+strings",
    "polars.read_json",
    "pyarrow.json",
)
REAL = (
    "enrich-full-instagram-1.json",
    "enrich-full-tiktok-1.json",
    "enrich-full-instagram-2.json",
    "enrich-analytics-instagram-1.json",
)


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_mb() -> float:
    """Peak RSS since the last :func:`_reset_peak` (VmHWM), else since the process started."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _reset_peak() -> None:
    """Reset the kernel's peak-RSS mark, so imports and warm-up do not count (Linux)."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        pass


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


def real_file(records: int, out: Path) -> Path:
    """A batch results file of ``records`` rows cycling the real captured enrichments."""
    results = []
    for name in REAL:
        body = json.loads(sample_bytes(name))
        results.append((body["result"], json.dumps(body["result"])))
    target = out / "real_batch.json"
    with target.open("w") as fh:
        fh.write("[")
        for i in range(records):
            _, text = results[i % len(results)]
            fh.write(("," if i else "") + f'{{"input_value": "h{i}", "status": "success", ')
            fh.write(f'"enrichment_data": {text}}}')
        fh.write("]")
    return target


def run_batch_step(step: str, path: Path) -> dict:
    """One end-to-end batch step in this (fresh) process: seconds, peak MB, output."""
    import gc
    import warnings

    import orjson

    from toolkit import frames

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frames.enrichment({"result": {"instagram": {"userid": "1", "hashtags": ["a"]}}})
    data = None if step == "toolkit(path)" else path.read_bytes()
    _reset_peak()
    base_rss, base_peak = _rss_mb(), _peak_mb()
    c0 = time.process_time()
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if step in ("orjson", "json"):
            gc.disable()
            out = orjson.loads(data) if step == "orjson" else json.loads(data)
            gc.enable()
            shape = f"{len(out)} records"
        elif step == "parse+strings":
            walk, shape = _parse_and_strings(data)
            t0 += walk  # the walk is not part of the least: a converter visits differently
            c0 += walk
        elif step in ("polars.read_json", "pyarrow.json"):
            shape = _native(step, data)
        else:
            if step == "loads+toolkit":
                t = frames.batch_results(json.loads(data))
            else:
                t = frames.batch_results(path if data is None else data)
            shape = f"{len(t)} tables, {sum(d.height for d in t.values())} rows"
            size = sum(d.estimated_size() for d in t.values()) / 2**20
            shape += f", {size:.0f} MB"
    seconds = time.perf_counter() - t0
    cpu = time.process_time() - c0
    peak = max(_peak_mb(), base_peak) - base_rss
    return {"seconds": seconds, "cpu": cpu, "peak_mb": max(peak, 0.0), "shape": shape}


def _parse_and_strings(data: bytes) -> tuple[float, str]:
    """orjson parse (GC paused), every string into one polars column, the objects freed;
    returns the seconds the walk gathering the strings took, and the output shape."""
    import gc

    import orjson
    import polars as pl

    gc.disable()
    try:
        tree = orjson.loads(data)
        walk = time.perf_counter()
        strings: list[str] = []
        stack = [tree]
        while stack:
            node = stack.pop()
            for v in node.values() if type(node) is dict else node:
                if type(v) is dict or type(v) is list:
                    stack.append(v)
                elif type(v) is str:
                    strings.append(v)
        walk = time.perf_counter() - walk
        column = pl.Series(strings, dtype=pl.String)
        del tree, strings
    finally:
        gc.enable()
    text = f"{column.len()} strings, {column.str.len_bytes().sum() / 2**20:.0f} MB"
    return walk, f"{text} (the walk gathering them, {walk:.2f} s, left out)"


def _native(step: str, data: bytes) -> str:
    """A native reader over the whole file: a table of records with nested struct columns."""
    import io

    if step == "polars.read_json":
        import polars as pl

        try:
            df = pl.read_json(io.BytesIO(data), infer_schema_length=None)
        except Exception as exc:  # the refusal is the result shown
            return f"refused: {type(exc).__name__}"
        return f"{df.height} records, {df.estimated_size() / 2**20:.0f} MB (nested, untyped)"
    import msgspec
    import pyarrow.json as pj

    lines = b"\n".join(bytes(r) for r in msgspec.json.decode(data, type=list[msgspec.Raw]))
    try:
        table = pj.read_json(io.BytesIO(lines), read_options=pj.ReadOptions(block_size=1 << 26))
    except Exception as exc:  # the refusal is the result shown
        return f"refused: {type(exc).__name__}"
    return f"{table.num_rows} records, {table.nbytes / 2**20:.0f} MB (nested, untyped)"


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
    _reset_peak()
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
    """Run one step in a fresh interpreter, so its time and peak memory are its own."""
    proc = subprocess.run(
        [sys.executable, __file__, "--child", kind, step, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        return {
            "seconds": float("nan"),
            "cpu": float("nan"),
            "peak_mb": float("nan"),
            "shape": f"failed: {proc.stderr.strip().splitlines()[-1:]}",
        }
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _table(title: str, steps: list[str], kind: str, path: Path) -> None:
    results = {s: _child(kind, s, path) for s in steps}
    parse = results.get("parse", {}).get("seconds")
    tk = results.get("toolkit", {}).get("seconds")
    print(f"{title}:")
    print(f"  {'step':<8} {'time s':>8} {'÷ parse':>8} {'÷ toolkit':>9} {'peak MB':>9}  output")
    for s, r in results.items():
        sec = r["seconds"]
        vs_parse = f"{sec / parse:.2f}" if parse else "-"
        vs_tk = f"{sec / tk:.2f}" if tk else "-"
        print(f"  {s:<8} {sec:>8.2f} {vs_parse:>8} {vs_tk:>9} {r['peak_mb']:>9.0f}  {r['shape']}")
    print()


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
    ap.add_argument("--real", type=int, default=1_000, help="records in the real-captures file")
    ap.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="run each batch step this many times (fresh processes), keep the fastest",
    )
    ap.add_argument(
        "--quick",
        action="store_true",
        help="a quick look: 20,000 accounts, 1,000 enrichments (200 distinct), 200 real records",
    )
    ap.add_argument(
        "--normalize-batch",
        action="store_true",
        help="also time pandas/polars json_normalize on the synthetic batch (slow, ~4 GB)",
    )
    args = ap.parse_args(argv)
    if args.child:
        kind, step, path = args.child
        run = (
            run_batch_step(step, Path(path))
            if kind == "batch"
            else run_step(kind, step, Path(path))
        )
        print(json.dumps(run))
        return 0
    if args.quick:
        args.accounts, args.enrichments, args.distinct, args.real = 20_000, 1_000, 200, 200

    steps = [s for s in args.steps.split(",") if s in STEPS]
    with tempfile.TemporaryDirectory(prefix="frames_bench_") as tmp:
        out = Path(tmp)
        info = generate(args.accounts, args.enrichments, args.distinct, args.seed, out)
        print(
            f"generated in {info['generate_s']:.1f} s: discovery.json {info['discovery_mb']:.1f} MB "
            f"({args.accounts} accounts), batch.json {info['batch_mb']:.1f} MB "
            f"({args.enrichments} full enrichments, {info['distinct_enrichments']} distinct)"
        )
        print(
            f"python {sys.version.split()[0]}, {os.cpu_count()} CPU(s), "
            f"load average {os.getloadavg()[0]:.1f}\n"
        )
        _table(
            "discovery (conversion from the parsed page)",
            steps,
            "discovery",
            out / "discovery.json",
        )
        if args.normalize_batch:
            _table(
                "synthetic batch, normalizers (from the parsed list)",
                steps,
                "enrichment",
                out / "batch.json",
            )
        real = real_file(args.real, out)
        files = [("synthetic batch", out / "batch.json"), ("real-captures batch", real)]
        goals = []
        for label, path in files:
            mb = path.stat().st_size / 2**20
            results = {
                s: min(
                    (_child("batch", s, path) for _ in range(args.repeat)),
                    key=lambda r: r["seconds"],
                )
                for s in BATCH_STEPS
            }
            floor_step = min(("orjson", "json"), key=lambda s: results[s]["seconds"])
            floor = results[floor_step]["seconds"]
            floor_cpu = min(results[s]["cpu"] for s in ("orjson", "json"))  # its own floor
            print(
                f"{label}: {path.name}, {mb:.0f} MB; floor = {floor_step} GC paused "
                f"(load average {os.getloadavg()[0]:.1f})"
            )
            print(
                f"  {'step':<15} {'time s':>8} {'÷ floor':>8} {'cpu s':>7} {'÷ floor':>8} "
                f"{'peak MB':>9} {'÷ file':>7}  output"
            )
            for s, r in results.items():
                print(
                    f"  {s:<15} {r['seconds']:>8.2f} {r['seconds'] / floor:>8.2f} "
                    f"{r['cpu']:>7.2f} {r['cpu'] / floor_cpu:>8.2f} "
                    f"{r['peak_mb']:>9.0f} {r['peak_mb'] / mb:>7.2f}  {r['shape']}"
                )
            print()
            tk = results["toolkit(bytes)"]
            mem = results["toolkit(path)"]["peak_mb"] / mb
            goals.append((label, tk["seconds"] / floor, tk["cpu"] / floor_cpu, mem))
        print("goals: end to end within 2x of the GC-paused parse, peak below 2x the file")
        for label, e2e, e2e_cpu, mem in goals:
            print(
                f"  {label:<20} time {e2e:.2f}x floor (cpu {e2e_cpu:.2f}x): "
                f"{'met' if e2e < 2 else 'NOT met'}; "
                f"peak {mem:.2f}x file: {'met' if mem < 2 else 'NOT met'}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
