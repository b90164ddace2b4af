"""The inputs of a long job as a list, and cutting them into uploadable jobs.

A batch upload is one CSV column headed ``handle`` or ``email``, at most 10 MB, and at
most 10,000 rows per batch (docs/jobs.md, "Limits"). Users' files are messier: a header
called ``Instagram handle``, several columns, no header at all, Excel's UTF-16 or
Windows-1252, semicolons, a workbook. :func:`read_csv` (``toolkit.jobs._read``, the one
reader of every path) reads the one column that holds the values, and says clearly what it
could not read instead of uploading something the API refuses (or worse, bills for: a
header row uploaded as a creator is a paid lookup).
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path
from typing import Any

from toolkit import _facts
from toolkit.jobs._read import CsvInputError, CsvInputs, read_csv

__all__ = [
    "MAX_UPLOAD_BYTES",
    "MAX_UPLOAD_ROWS",
    "CsvInputError",
    "CsvInputs",
    "read_csv",
    "read_values",
    "split_jobs",
    "upload_bytes",
]

#: Largest file the batch endpoint accepts, and rows per batch (docs/jobs.md, "Limits").
MAX_UPLOAD_BYTES = _facts.MAX_UPLOAD_BYTES
MAX_UPLOAD_ROWS = _facts.MAX_UPLOAD_ROWS


def read_values(
    source: Any,
    *,
    column: str | None = None,
    kind: str = "handle",
    sheet: str | int | None = None,
    encoding: str = "utf-8",
) -> list[object]:
    """The inputs of ``source`` as a list: what ``batch.run`` and ``enrich_many`` accept.

    A list, tuple or pandas/polars column; a frame (``column=``, its only column, or the one
    named ``kind``); or a CSV or ``.xlsx`` file (a path, a string naming a file, or its
    bytes), read by :func:`read_csv` (``sheet=`` picks a workbook's sheet). A string that
    names no file is refused: one handle is a list of one.
    """
    if isinstance(source, str) and not _is_file(source):
        if source.lower().endswith((".csv", ".xlsx", ".tsv", ".txt")):
            raise FileNotFoundError(f"no such {_kind_of(source)} file: {source}")
        if os.path.exists(source):  # a directory or a device: the reader says which
            return list(read_csv(source, column=column, kind=kind, sheet=sheet).values)
        raise TypeError(
            f"pass a list of handles or emails, not one string (for one: [{source!r}]); "
            f"a string is read as a CSV file only when it names one, and no file {source!r} exists"
        )
    if isinstance(source, str | bytes | os.PathLike):
        got = read_csv(source, column=column, kind=kind, sheet=sheet, encoding=encoding)
        return list(got.values)
    columns = getattr(source, "columns", None)
    if columns is not None:  # a DataFrame: the named column, the only one, or the kind's
        names = list(columns)
        if not names:
            raise ValueError("the frame has no columns: no handles or emails to read")
        name = column or (names[0] if len(names) == 1 else kind)
        if name not in names:
            raise ValueError(
                f"which column? the frame has no {name!r} column (its columns: {names}); "
                f"pass one column, e.g. df[{names[0]!r}], or column="
            )
        source = source[name]
    to_list = getattr(source, "to_list", None) or getattr(source, "tolist", None)
    return list(to_list()) if callable(to_list) else list(source)


def _is_file(text: str) -> bool:
    """Whether ``text`` names an existing file; False for what no file system could name
    (a 300-character handle list pasted as one string raises "File name too long")."""
    try:
        return Path(text).is_file()
    except (OSError, ValueError):
        return False


def upload_bytes(values: list[str], column: str) -> bytes:
    """The CSV the batch endpoint wants: one column headed ``handle`` or ``email``."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([column])
    writer.writerows([v] for v in values)
    return buf.getvalue().encode("utf-8")


def split_jobs(
    values: list[str],
    *,
    max_rows: int = MAX_UPLOAD_ROWS,
    max_bytes: int = MAX_UPLOAD_BYTES,
    column: str = "handle",
) -> list[list[str]]:
    """Cut ``values`` into consecutive chunks each within the API's rows and file-size limits.

    >>> [len(c) for c in split_jobs([f"h{i}" for i in range(25)], max_rows=10)]
    [10, 10, 5]
    """
    if max_rows < 1:
        raise ValueError("max_rows must be >= 1")
    chunks: list[list[str]] = []
    current: list[str] = []
    size = len(column) + 1
    for value in values:
        row = len(value.encode("utf-8")) + 3  # a quoted cell and its newline, at worst
        if current and (len(current) >= max_rows or size + row > max_bytes):
            chunks.append(current)
            current, size = [], len(column) + 1
        current.append(value)
        size += row
    if current:
        chunks.append(current)
    return chunks


def _kind_of(name: str) -> str:
    return "Excel" if name.lower().endswith(".xlsx") else "CSV"
