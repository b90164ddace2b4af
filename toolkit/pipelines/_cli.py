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
from dlt.pipeline.exceptions import PipelineStepFailed

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

        src = read_csv(args.handles)
        for note in src.notes:
            print(f"{args.handles}: {note}", file=sys.stderr)
        handles = list(src.values)
    if not (args.searches or handles or args.campaign):
        print(
            "error: nothing to load: give --searches FILE, --handles CSV or --campaign ID",
            file=sys.stderr,
        )
        return 2
    try:
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
    except PipelineStepFailed as exc:
        cause: BaseException = exc
        while cause.__cause__ is not None:
            cause = cause.__cause__
        print(
            f"error: the {exc.step} step failed: {type(cause).__name__}: {cause}\n"
            "nothing of this run was loaded but its ledger; every paid answer is kept in the "
            "journal and the cache, so running the command again pays nothing for them",
            file=sys.stderr,
        )
        return 1
    print(summary, file=sys.stderr)
    return 3 if summary.stop_reasons else 0
