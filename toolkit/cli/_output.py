"""What every ``influencers-club`` command hands back: its exit code, its lines on stderr (in
command-line terms) and the rows its run wrote."""

from __future__ import annotations

import sys
from pathlib import Path

from toolkit._cliterms import cli_terms

__all__ = ["EXIT", "rows_written", "say"]

#: Exit codes by meaning (the table in the docstring of :mod:`toolkit.cli`).
EXIT = {
    "ok": 0,
    "error": 1,
    "usage": 2,
    "credits": 3,
    "unknown": 4,
    "timeout": 5,
    "interrupted": 130,
}


def say(message: str) -> None:
    """Print to stderr in command-line terms (see :func:`cli_terms`)."""
    print(cli_terms(message), file=sys.stderr, flush=True)


def rows_written(out: Path, parts: set[str]) -> dict[str, int]:
    """Rows of this run's part files, per table (read from the Parquet footers)."""
    import pyarrow.parquet as pq

    rows: dict[str, int] = {}
    for path in out.glob("*/part-*.parquet"):
        if path.stem in parts and not path.parent.name.startswith("_"):
            count = pq.ParquetFile(path).metadata.num_rows
            rows[path.parent.name] = rows.get(path.parent.name, 0) + count
    return rows
