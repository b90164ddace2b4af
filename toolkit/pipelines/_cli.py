"""``influencers-club pipeline run``: the dlt source from a shell (docs/pipelines.md).

The parser lives in ``toolkit.cli`` (so ``--help`` works without dlt); this module runs
the command once dlt is known to be installed.
"""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import dlt

from ._run import run

__all__ = ["destination", "run_command"]


def destination(kind: str, to: str | None, dataset: str) -> Any:
    """The dlt destination for ``--destination`` and ``--to`` (a path or a database URL)."""
    if kind == "duckdb":
        path = Path(to or "warehouse.duckdb")
        if path.stem == dataset:  # DuckDB names the file's catalog after its stem
            raise ValueError(
                f"--to {path} and --dataset {dataset}: DuckDB cannot tell a file and a "
                "dataset of the same name apart; rename one (e.g. --to warehouse.duckdb)"
            )
        return dlt.destinations.duckdb(str(path))
    if kind == "postgres":
        if to is None:
            return dlt.destinations.postgres()  # dlt reads DESTINATION__POSTGRES__CREDENTIALS
        return dlt.destinations.postgres(credentials=to)
    if kind == "filesystem":
        url = to or "warehouse"
        if "://" not in url:
            url = Path(url).resolve().as_uri()
        return dlt.destinations.filesystem(bucket_url=url)
    raise ValueError(f"--destination {kind}: one of duckdb, postgres, filesystem")


def run_command(args: argparse.Namespace, client: Any) -> int:
    """Run the pipeline for the parsed ``args`` with ``client``; prints the summary."""
    handles: list[str] = []
    if args.handles:
        from toolkit.jobs import read_csv

        handles = list(read_csv(args.handles).values)
    if not (args.searches or handles or args.campaign):
        print(
            "error: nothing to load: give --searches FILE, --handles CSV or --campaign ID",
            file=sys.stderr,
        )
        return 2
    summary = run(
        client,
        destination=destination(args.destination, args.to, args.dataset),
        dataset=args.dataset,
        pipeline_name=args.pipeline_name,
        pipelines_dir=args.pipelines_dir,
        searches=args.searches or (),
        handles=handles,
        platform=args.platform,
        mode=args.mode,
        campaigns=args.campaign or (),
        refresh_after=timedelta(days=args.refresh_after),
        budget=args.budget,
        progress=not args.no_progress,
    )
    print(summary, file=sys.stderr)
    return 3 if summary.stop_reasons else 0
