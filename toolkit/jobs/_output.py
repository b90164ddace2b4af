"""Results on disk: one Parquet dataset per table, one part file per job or run.

Layout (docs/jobs.md, "Output")::

    out/creator/part-<job>.parquet     one directory per table, the same declared columns
    out/posts/part-<job>.parquet       in every part, so DuckDB, Spark and Dask read each
    out/failures/part-<job>.parquet    directory as one table
    out/_raw/<job>.json                the answers as downloaded (readers skip ``_`` dirs)

Every table of the mode is written, empty ones included, so each directory exists with
its schema whatever the data. A part is written to a hidden temporary name and renamed,
so a reader never sees half a file.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["is_written", "write_raw", "write_tables"]


def write_tables(tables: Mapping[str, Any], out: Path, part: str) -> list[Path]:
    """Write each polars frame of ``tables`` as ``out/<name>/part-<part>.parquet``."""
    written = []
    for name, frame in tables.items():
        d = out / name
        d.mkdir(parents=True, exist_ok=True)
        tmp = d / f".part-{part}.parquet.tmp"
        frame.write_parquet(tmp)
        final = d / f"part-{part}.parquet"
        os.replace(tmp, final)
        written.append(final)
    return written


def write_raw(data: Any, out: Path, part: str) -> Path:
    """Keep the answers as they came (they were paid for) in ``out/_raw/<part>.json``."""
    raw = out / "_raw"
    raw.mkdir(parents=True, exist_ok=True)
    path = raw / f"{part}.json"
    tmp = raw / f".{part}.json.tmp"
    tmp.write_text(json.dumps(data, default=str), encoding="utf-8")
    os.replace(tmp, path)
    return path


def is_written(out: Path, part: str) -> bool:
    """Whether ``part``'s answers and tables are in ``out`` (every mode writes ``failures``)."""
    return (out / "_raw" / f"{part}.json").is_file() and (
        out / "failures" / f"part-{part}.parquet"
    ).is_file()
