"""Tables to files an analyst opens: an Excel workbook, a folder of CSVs or of Parquet files.

One writer for ``Tables.to_excel`` / ``to_csv`` / ``to_parquet``, ``Result.to_excel`` ...,
``EnrichMany.to_excel`` and the command line's ``--format``: one sheet (or file) per
non-empty table. Excel has no time zones and no lists, so a workbook holds times in UTC with
the zone removed and lists or nested values as JSON text, and says so in a ``notes`` sheet
(as does a CSV folder, in ``notes.txt``); Parquet keeps every type as it is.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import polars as pl

__all__ = [
    "EXCEL_EXTRA",
    "FORMULA_START",
    "guard_cell",
    "write_csvs",
    "write_excel",
    "write_parquets",
]

#: The extra that installs openpyxl (pyproject.toml).
EXCEL_EXTRA = "notebook"
_MAX_ROWS = 1_048_575  # Excel's rows per sheet, less the header
_MAX_CELL = 32_767  # Excel's characters per cell
_BAD_SHEET = re.compile(r"[\[\]:*?/\\]")
_EXACT_INT = 2**53  # integers above this lose digits as Excel numbers
#: First characters a spreadsheet reads as a formula (or a cell that runs one): text that
#: starts with one is written to CSV with a leading ``'``, so a creator's bio of
#: ``=HYPERLINK(...)`` or ``@SUM(...)`` opens as text, as in the workbook writer.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_RE = "^[=+\\-@\t\r]"


def guard_cell(value: Any) -> Any:
    """``value`` with a leading ``'`` if it is text a spreadsheet would run as a formula."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


def _guard_formulas(df: pl.DataFrame, notes: list[str], name: str) -> pl.DataFrame:
    """``df`` with :func:`guard_cell` applied to its text columns (said in ``notes``)."""
    guarded = [
        c for c, t in df.schema.items() if t == pl.String and df[c].str.contains(_FORMULA_RE).any()
    ]
    if not guarded:
        return df
    notes.append(
        f"{name}: {', '.join(guarded)}: text starting with = + - @ written with a leading ' "
        "(so a spreadsheet does not run it as a formula)"
    )
    return df.with_columns(
        pl.when(pl.col(c).str.contains(_FORMULA_RE))
        .then(pl.lit("'") + pl.col(c))
        .otherwise(pl.col(c))
        .alias(c)
        for c in guarded
    )


def _frames(tables: Mapping[str, Any]) -> dict[str, pl.DataFrame]:
    """The non-empty tables as polars frames (a pandas frame is converted), in order."""
    out: dict[str, pl.DataFrame] = {}
    for name, frame in tables.items():
        df = frame if isinstance(frame, pl.DataFrame) else pl.from_pandas(frame)
        if df.height:
            out[name] = df
    return out


def _flat(df: pl.DataFrame, notes: list[str], name: str, *, excel: bool) -> pl.DataFrame:
    """``df`` with types a spreadsheet holds: naive UTC times, nested values as JSON text."""
    changes: list[pl.Series] = []
    zoned, nested, texted = [], [], []
    for col, dtype in df.schema.items():
        s = df[col]
        if excel and isinstance(dtype, pl.Datetime) and dtype.time_zone is not None:
            changes.append(s.dt.convert_time_zone("UTC").dt.replace_time_zone(None))
            zoned.append(col)
        elif isinstance(dtype, pl.List | pl.Array | pl.Struct | pl.Object):
            texts = [
                None if v is None else json.dumps(v, default=str, ensure_ascii=False)
                for v in s.to_list()
            ]
            changes.append(pl.Series(col, texts, dtype=pl.String))
            nested.append(col)
        elif isinstance(dtype, pl.Categorical | pl.Enum):
            changes.append(s.cast(pl.String))
        elif excel and dtype.is_integer():
            top = s.cast(pl.Float64).abs().max()
            if isinstance(top, float) and top > _EXACT_INT:
                changes.append(s.cast(pl.String))
                texted.append(col)
    if zoned:
        notes.append(f"{name}: {', '.join(zoned)}: times in UTC, time zone removed")
    if nested:
        notes.append(f"{name}: {', '.join(nested)}: lists and nested values as JSON text")
    if texted:
        notes.append(f"{name}: {', '.join(texted)}: numbers over 2^53 as text (exact digits)")
    return df.with_columns(changes) if changes else df


def _sheet_names(names: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    used = {"notes"}
    for name in names:
        base = _BAD_SHEET.sub("_", name)[:31] or "table"
        sheet, n = base, 1
        while sheet.lower() in used:
            n += 1
            sheet = f"{base[: 31 - len(str(n)) - 1]}~{n}"
        used.add(sheet.lower())
        out[name] = sheet
    return out


def write_excel(tables: Mapping[str, Any], path: str | os.PathLike[str]) -> Path:
    """Write one sheet per non-empty table, and a ``notes`` sheet, to the workbook ``path``."""
    try:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    except ImportError:
        raise ImportError(
            "writing an Excel workbook needs openpyxl: pip install "
            f"'influencers-club-toolkit[{EXCEL_EXTRA}]' (or write CSV or Parquet: to_csv, "
            "to_parquet)"
        ) from None
    frames = _frames(tables)
    too_long = [n for n, df in frames.items() if df.height > _MAX_ROWS]
    if too_long:
        raise ValueError(
            f"{', '.join(too_long)} has more rows than an Excel sheet holds ({_MAX_ROWS:,}); "
            "write it with to_parquet or to_csv"
        )
    notes: list[str] = []
    book = Workbook(write_only=True)
    sheets = _sheet_names(list(frames))
    cut: set[str] = set()
    dropped: set[str] = set()
    for name, df in frames.items():
        ws = book.create_sheet(sheets[name])
        flat = _flat(df, notes, name, excel=True)
        ws.append(flat.columns)
        for row in flat.iter_rows():
            cells: list[Any] = []
            for value in row:
                if isinstance(value, str):
                    clean = ILLEGAL_CHARACTERS_RE.sub("", value)
                    if len(clean) != len(value):
                        dropped.add(name)
                    if len(clean) > _MAX_CELL:
                        clean = clean[: _MAX_CELL - 1] + "…"
                        cut.add(name)
                    cell = WriteOnlyCell(ws, value=clean)
                    cell.data_type = "s"  # text stays text: "=..." is never a formula
                    cells.append(cell)
                else:
                    cells.append(value)
            ws.append(cells)
    if dropped:
        notes.append(f"{', '.join(sorted(dropped))}: control characters Excel cannot hold dropped")
    if cut:
        notes.append(f"{', '.join(sorted(cut))}: texts over {_MAX_CELL:,} characters cut")
    about = book.create_sheet("notes")
    about.append(["sheet", "table", "rows", "columns"])
    for name, df in frames.items():
        about.append([sheets[name], name, df.height, df.width])
    about.append([])
    skipped = [n for n in tables if n not in frames]
    if skipped:
        about.append([f"empty tables, not written: {', '.join(skipped)}"])
    for note in notes or ["every value as it was (no time zones, no nested values)"]:
        about.append([note])
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    book.save(tmp)
    os.replace(tmp, target)
    return target


def write_csvs(tables: Mapping[str, Any], folder: str | os.PathLike[str]) -> list[Path]:
    """Write ``folder/<table>.csv`` per non-empty table (UTF-8, nested values as JSON text;
    times keep their zone in ISO 8601; text a spreadsheet would run as a formula gets a
    leading ``'``) and ``notes.txt`` when a value was changed."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    notes: list[str] = []
    written = []
    for name, df in _frames(tables).items():
        flat = _guard_formulas(_flat(df, notes, name, excel=False), notes, name)
        path = out / f"{name}.csv"
        tmp = out / f".{name}.csv.tmp"
        flat.write_csv(tmp)
        os.replace(tmp, path)
        written.append(path)
    if notes:
        (out / "notes.txt").write_text("\n".join(notes) + "\n", encoding="utf-8")
    return written


def write_parquets(tables: Mapping[str, Any], folder: str | os.PathLike[str]) -> list[Path]:
    """Write ``folder/<table>.parquet`` per non-empty table, every type as it is."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, df in _frames(tables).items():
        path = out / f"{name}.parquet"
        tmp = out / f".{name}.parquet.tmp"
        df.write_parquet(tmp)
        os.replace(tmp, path)
        written.append(path)
    return written
