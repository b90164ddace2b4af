"""Benchmark: how long ``import toolkit`` takes against importing pandas, polars and plotly.

Run: python benchmarks/import_bench.py            (15 rounds, about 15 s)
     python benchmarks/import_bench.py --runs 40  (steadier on a busy machine)

The goal: ``import toolkit`` under 0.25x the time of ``import pandas, polars,
plotly.graph_objects`` (what a notebook that uses the toolkit would import anyway). Every
sample is a fresh interpreter, so nothing is already in ``sys.modules``; the rounds
interleave the cases, so a busy moment slows all of them alike. One warm-up round first
(discarded) writes the bytecode caches, as a user's second import finds them. Two times per
sample: ``import``, the import statement alone (``time.perf_counter`` around it, in the
child), and ``process``, the child's wall time from start to exit, interpreter start-up
included (the ``python`` row: nothing imported). The ratio is of medians of ``import``.
``toolkit + connect`` touches ``ic.connect`` after the import: httpx and the client load
then, so that row is where the time the first import no longer pays went.
Exits 1 when the goal is missed.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

GOAL = 0.25

#: name shown -> the statements timed in the child (the ``import`` column times all of them)
CASES = {
    "python": "pass",
    "toolkit": "import toolkit",
    "toolkit + connect": "import toolkit\ntoolkit.connect",
    "pandas, polars, plotly": "import pandas, polars, plotly.graph_objects",
}

_CHILD = """\
import sys, time
before = len(sys.modules)
t0 = time.perf_counter()
{code}
t1 = time.perf_counter()
print(t1 - t0, len(sys.modules) - before)
"""


def sample(code: str) -> tuple[float, float, int]:
    """One fresh interpreter: the statements' time, the process's wall time, modules added."""
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", _CHILD.format(code=code)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    wall = time.perf_counter() - started
    seconds, modules = out.split()
    return float(seconds), wall, int(modules)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="rounds of every case (15)")
    args = parser.parse_args()

    for code in CASES.values():  # warm-up: bytecode caches written, disk caches filled
        sample(code)
    times: dict[str, list[float]] = {name: [] for name in CASES}
    walls: dict[str, list[float]] = {name: [] for name in CASES}
    modules: dict[str, int] = {}
    for _ in range(args.runs):
        for name, code in CASES.items():
            seconds, wall, modules[name] = sample(code)
            times[name].append(seconds)
            walls[name].append(wall)

    print(f"Fresh-interpreter imports, {args.runs} rounds (Python {sys.version.split()[0]})")
    print(
        f"{'case':<24}{'import min':>12}{'median':>10}{'process min':>13}{'median':>10}"
        f"{'modules':>9}"
    )
    for name in CASES:
        print(
            f"{name:<24}{min(times[name]) * 1e3:>10.1f}ms{statistics.median(times[name]) * 1e3:>8.1f}ms"
            f"{min(walls[name]) * 1e3:>11.1f}ms{statistics.median(walls[name]) * 1e3:>8.1f}ms"
            f"{modules[name]:>9}"
        )
    baseline = statistics.median(times["pandas, polars, plotly"])
    print()
    for name in ("toolkit", "toolkit + connect"):
        ratio = statistics.median(times[name]) / baseline
        print(f"{name} / (pandas, polars, plotly): {ratio:.3f}x of the import time")
    ratio = statistics.median(times["toolkit"]) / baseline
    process_ratio = statistics.median(walls["toolkit"]) / statistics.median(
        walls["pandas, polars, plotly"]
    )
    met = ratio < GOAL
    print(
        f"goal: import toolkit under {GOAL}x: {'met' if met else 'MISSED'} "
        f"({ratio:.3f}x; {process_ratio:.3f}x counting interpreter start-up)"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
