"""Results on disk: one Parquet dataset per table, one part file per job or run.

Layout (docs/jobs.md, "Output")::

    out/creator/part-<job>.parquet     one directory per table, the same declared columns
    out/posts/part-<job>.parquet       in every part, so DuckDB, Spark and Dask read each
    out/failures/part-<job>.parquet    directory as one table
    out/_raw/<job>.json                the answers as downloaded (readers skip ``_`` dirs)

Every table of the mode is written, empty ones included, so each directory exists with
its schema whatever the data. A part is written to a hidden temporary name and renamed,
so a reader never sees half a file. Like the store, what is written is readable by its
owner only, whatever the umask: files 0600, the directories created for them 0700 (paid
answers hold e-mail addresses and contacts).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.jobs._inputs import EMAIL_MODES

if TYPE_CHECKING:  # pragma: no cover
    from toolkit.jobs._inputs import Prepared
    from toolkit.jobs._registry import Job

__all__ = [
    "invalid_part",
    "is_written",
    "private_dir",
    "private_file",
    "read_dataset",
    "write_invalid",
    "write_parquet",
    "write_raw",
    "write_tables",
]


def private_dir(d: Path) -> Path:
    """``d``, with each directory that had to be created for it made 0700 (one that
    already existed, the analyst's own folder, is left as it is)."""
    missing, p = [], d
    while not p.exists() and p != p.parent:
        missing.append(p)
        p = p.parent
    for new in reversed(missing):
        new.mkdir(mode=0o700, exist_ok=True)
        os.chmod(new, 0o700)  # mkdir's mode passes through the umask
    return d


def private_file(path: Path) -> Path:
    """Create (or empty) ``path`` as 0600 before anything is written to it: a writer that
    truncates an existing file keeps its mode, so no byte is ever readable by others."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)
    return path


def write_tables(tables: Mapping[str, Any], out: Path, part: str) -> list[Path]:
    """Write each polars frame of ``tables`` as ``out/<name>/part-<part>.parquet``."""
    written = []
    for name, frame in tables.items():
        d = private_dir(out / name)
        tmp = private_file(d / f".part-{part}.parquet.tmp")
        frame.write_parquet(tmp)
        final = d / f"part-{part}.parquet"
        os.replace(tmp, final)
        written.append(final)
    return written


def write_raw(data: Any, out: Path, part: str) -> Path:
    """Keep the answers as they came (they were paid for) in ``out/_raw/<part>.json``."""
    raw = private_dir(out / "_raw")
    path = raw / f"{part}.json"
    tmp = private_file(raw / f".{part}.json.tmp")
    tmp.write_text(json.dumps(data, default=str), encoding="utf-8")
    os.replace(tmp, path)
    return path


def is_written(out: Path, part: str) -> bool:
    """Whether ``part``'s answers and tables are in ``out`` (every mode writes ``failures``)."""
    return (out / "_raw" / f"{part}.json").is_file() and (
        out / "failures" / f"part-{part}.parquet"
    ).is_file()


def write_parquet(rows: Any, out: Path, job: Job) -> list[Path]:
    """Write one job's results as ``out/<table>/part-<job_id>.parquet`` (+ ``out/_raw/``)."""
    from toolkit import frames

    write_raw(rows, out, job.job_id)  # first: paid data is kept whatever happens next
    tables = frames.batch_results(rows, job.platform, mode=_frames_mode(job.mode))
    named = dict(tables.items()) if hasattr(tables, "items") else {"results": tables}
    if job.mode in EMAIL_MODES:
        # an email row's data is the email lookup's answer, not a profile: one email_match
        # table (as for client.creators.enrich_email), plus the failures
        named = {"email_match": _email_matches(rows), "failures": named["failures"]}
    return write_tables(named, out, job.job_id)


def write_invalid(prepared: Prepared, out: Path, jobs: list[Job]) -> None:
    """Inputs refused before upload, as ``failures`` rows (status ``invalid``)."""
    import polars as pl

    from toolkit import frames

    schema = frames.TABLES["batch.failures"].empty().schema
    rows = [
        {"row": i.index, "input_value": i.value, "status": "invalid", "reason": i.reason}
        for i in prepared.invalid
    ]
    write_tables({"failures": pl.DataFrame(rows, schema=schema)}, out, invalid_part(jobs))


def invalid_part(jobs: list[Job]) -> str:
    """The part name of a run's refused inputs (derived from its jobs: a re-run replaces it)."""
    import hashlib

    return "invalid-" + hashlib.sha256("".join(j.job_id for j in jobs).encode()).hexdigest()[:12]


def _email_matches(rows: Any) -> Any:
    import polars as pl

    from toolkit import frames

    parts = [
        frames.email_match({"result": r["enrichment_data"]}, {"email": r.get("input_value")})
        for r in rows or []
        if isinstance(r, dict) and r.get("enrichment_data") and r.get("status") == "success"
    ]
    return pl.concat(parts, how="diagonal_relaxed") if parts else frames.email_match({})


def _frames_mode(mode: str) -> str:
    return mode if mode in ("raw", "full") else "raw"


def read_dataset(out: Path) -> Any:
    """Every table of an output directory (all its parts) as one ``Tables``, for a workbook
    or a CSV folder of the whole run (``influencers-club enrich --format xlsx``)."""
    import polars as pl

    from toolkit.frames import Tables

    named = {}
    for d in sorted(p for p in out.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))):
        parts = sorted(d.glob("part-*.parquet"))
        if parts:
            frames = [pl.read_parquet(p) for p in parts]
            named[d.name] = pl.concat(frames, how="diagonal_relaxed")
    return Tables(named)
