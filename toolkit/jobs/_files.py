"""Reading a user's CSV of handles or emails, and cutting inputs into uploadable jobs.

A batch upload is one CSV column headed ``handle`` or ``email``, at most 10 MB, and at
most 10,000 rows per batch (docs/jobs.md, "Limits"). Users' files are messier: a header
called ``Instagram handle``, several columns, no header at all, Excel's UTF-16 or
Windows-1252. :func:`read_csv` reads the one column that holds the values, and says
clearly what it could not read instead of uploading something the API refuses (or worse,
bills for: a header row uploaded as a creator is a paid lookup).
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit import _facts

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
#: Header words that name the column of values (matched case-insensitively, as substrings).
_HEADER_WORDS = ("handle", "email", "e-mail", "username", "user", "url", "profile", "channel")


class CsvInputError(ValueError):
    """A CSV that cannot be read as a list of handles or emails; the message says how to fix it."""


@dataclass
class CsvInputs:
    """The values of one column of a CSV, and what was noticed while reading it."""

    values: list[str]
    column: str | None  # None: the file had no header row
    path: str
    notes: list[str] = field(default_factory=list)


def read_csv(
    source: str | os.PathLike[str] | bytes,
    *,
    column: str | None = None,
    header: bool | None = None,
    encoding: str = "utf-8",
) -> CsvInputs:
    """Read the handles or emails of a CSV file (a path or its bytes).

    ``column``: the header of the column to read; needed only when several columns could
    be it. ``header``: ``None`` guesses (a first row that names a handle/email/url/user
    column is a header), ``False`` reads every line as a value. Blank cells are skipped.

    Raises :class:`CsvInputError` for an empty file, text that is not ``encoding``
    (UTF-8 by default; Excel's "CSV UTF-8" export is), or an ambiguous column.
    """
    if isinstance(source, bytes):
        raw, name = source, "<bytes>"
    else:
        raw, name = Path(source).read_bytes(), os.fspath(source)
    text = _decode(raw, encoding, name)
    rows = [r for r in csv.reader(io.StringIO(text)) if any(c.strip() for c in r)]
    if not rows:
        raise CsvInputError(f"{name} is empty: no handles or emails to read")
    first = [c.strip() for c in rows[0]]
    notes: list[str] = []
    if header is None:
        header = column is not None or any(_names_values(c) for c in first)
    if not header:
        if max(len(r) for r in rows) > 1 and column is None:
            raise CsvInputError(
                f"{name}: none of the {len(first)} columns of its first row {first} is named "
                "like handles or emails (handle, email, username, profile_url ...). If that row "
                "is a header, pass column= with the one holding the values (CLI: --column); if "
                "the file has no header row, add one (e.g. 'handle') or keep one column"
            )
        notes.append("no header row: every line was read as a value")
        values = [r[0].strip() for r in rows if r and r[0].strip()]
        return CsvInputs(values, None, name, notes)
    index = _pick_column(first, column, name)
    values = [r[index].strip() for r in rows[1:] if len(r) > index and r[index].strip()]
    if len(first) > 1:
        notes.append(f"read column {first[index]!r} of {len(first)}")
    return CsvInputs(values, first[index], name, notes)


def read_values(source: Any, *, column: str | None = None, kind: str = "handle") -> list[object]:
    """The inputs of ``source`` as a list: what ``batch.run`` and ``enrich_many`` accept.

    A list, tuple or pandas/polars column; a frame (``column=``, its only column, or the one
    named ``kind``); or a CSV file (a path, a string naming a file, or its bytes), read by
    :func:`read_csv`. A string that names no file is refused: one handle is a list of one.
    """
    if isinstance(source, str) and not _is_file(source):
        if source.lower().endswith(".csv"):
            raise FileNotFoundError(f"no such CSV file: {source}")
        raise TypeError(
            f"pass a list of handles or emails, not one string (for one: [{source!r}]); "
            f"a string is read as a CSV file only when it names one, and no file {source!r} exists"
        )
    if isinstance(source, str | bytes | os.PathLike):
        return list(read_csv(source, column=column).values)
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


def _decode(raw: bytes, encoding: str, name: str) -> str:
    try:
        return raw.decode(
            "utf-8-sig" if encoding.lower().replace("_", "-") == "utf-8" else encoding
        )
    except UnicodeDecodeError as exc:
        hint = ""
        if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
            hint = " It looks like UTF-16 (Excel's 'Unicode text'): pass encoding='utf-16'."
        raise CsvInputError(
            f"{name} is not {encoding} text (byte 0x{raw[exc.start]:02x} at offset "
            f"{exc.start}). Save it as 'CSV UTF-8', or pass encoding= "
            f"(e.g. 'cp1252' for older Excel files).{hint}"
        ) from None


def _names_values(cell: str) -> bool:
    low = cell.strip().lower()
    return bool(low) and "@" not in low and any(w in low for w in _HEADER_WORDS)


def _pick_column(first: list[str], column: str | None, name: str) -> int:
    if column is not None:
        lowered = [c.lower() for c in first]
        if column.lower() not in lowered:
            raise CsvInputError(f"{name} has no column {column!r}; its columns: {first}")
        return lowered.index(column.lower())
    if len(first) == 1:
        return 0
    exact = [i for i, c in enumerate(first) if c.lower() in ("handle", "email")]
    candidates = exact or [i for i, c in enumerate(first) if _names_values(c)]
    if len(candidates) != 1:
        raise CsvInputError(
            f"{name} has {len(first)} columns {first}; say which holds the values with "
            "column= (CLI: --column)"
        )
    return candidates[0]


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
