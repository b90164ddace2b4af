"""The one coercion engine every converter goes through: flat rows → a typed frame.

Why our own engine instead of ``pl.from_dicts(schema=...)`` or pandera: a schema-only
build drops undeclared fields and raises (or silently nulls) on a wrong type, while this
project must keep unknown fields (the API adds fields over time, STYLE.md §8), turn
numbers sent as strings into numbers and
warn, not crash, on a value of the wrong type. The engine is column-wise: one pass per
column over plain Python lists, then one ``pl.DataFrame`` per table, never a frame per row.

Unknown fields policy (documented in docs/frames.md): the declared columns come first, in
declared order and with declared dtypes; every undeclared field follows, in first-seen order,
as its own column with an inferred dtype (Boolean, Int64, Float64, String, or List(String) for
lists of strings). Other nested objects and lists among the extras are kept as JSON text in a
String column. Secret-looking fields
(``SECRET_FIELDS``) are never kept.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from itertools import chain, repeat
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from typing import Any

import polars as pl
import pyarrow as pa
from polars.datatypes import DataTypeClass

from toolkit._facts import SECRET_FIELDS

from ._registry import SchemaWarning, TableSpec

# SECRET_FIELDS (credential field names) are dropped from every table, declared or extra,
# so they never land in a DataFrame shown in a saved notebook.
__all__ = ["SECRET_FIELDS", "build"]

_NONE = type(None)
_STR = pl.String()
_CAT = pl.Categorical()
_MAX_I64 = 2**63 - 1


# --------------------------------------------------------------------------- coercion
class _Bad:
    """Marker returned by a coercer for a value of the wrong type."""


_BAD = _Bad()


def _to_int(v: Any) -> Any:
    t = type(v)
    if t is int:
        return v if -_MAX_I64 <= v <= _MAX_I64 else _BAD
    if t is float:
        # The API writes some counts as floats ("1508.0"): integral → int.
        return int(v) if v.is_integer() and abs(v) <= _MAX_I64 else _BAD
    if t is str:
        s = v.strip().replace(",", "")
        try:
            return _to_int(int(s))
        except ValueError:
            try:
                return _to_int(float(s))
            except ValueError:
                return _BAD
    return _BAD  # bool, dict, list: wrong type


def _to_float(v: Any) -> Any:
    t = type(v)
    if t is float:
        return v
    if t is int:
        return float(v)
    if t is str:
        try:
            return float(v.strip().replace(",", ""))
        except ValueError:
            return _BAD
    return _BAD


def _to_str(v: Any) -> Any:
    t = type(v)
    if t is str:
        return v
    if t is int or t is float:
        # Ids arrive as numbers in some places and strings in others; the text is lossless.
        return str(v)
    return _BAD


_TRUE = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False}


def _to_bool(v: Any) -> Any:
    t = type(v)
    if t is bool:
        return v
    if t is str:
        # Batch form fields travel as "true"/"false" strings.
        return _TRUE.get(v.strip().lower(), _BAD)
    if t is int and v in (0, 1):
        return bool(v)
    return _BAD


_TWITTER_FMT = "%a %b %d %H:%M:%S %z %Y"  # X post_data: "Wed Apr 29 07:58:12 +0000 2026"


def _to_datetime(v: Any) -> Any:
    t = type(v)
    if t is str:
        s = v.strip()
        try:
            d = datetime.fromisoformat(s)  # IG "YYYY-MM-DDTHH:MM:SS", YT "...Z", "+00:00"
        except ValueError:
            try:
                d = datetime.strptime(s, _TWITTER_FMT)
            except ValueError:
                return _BAD
        return d.replace(tzinfo=UTC) if d.tzinfo is None else d.astimezone(UTC)
    if t is int or t is float:
        # Unix seconds (posts taken_at, OAuth client_id_issued_at); milliseconds if huge.
        x = float(v)
        if abs(x) > 1e14:
            x /= 1e6
        elif abs(x) > 1e11:
            x /= 1e3
        try:
            return datetime.fromtimestamp(x, UTC)
        except (OverflowError, OSError, ValueError):
            return _BAD
    if t is datetime:
        return v.replace(tzinfo=UTC) if v.tzinfo is None else v.astimezone(UTC)
    if t is date:
        return datetime(v.year, v.month, v.day, tzinfo=UTC)
    return _BAD


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NAIVE_EPOCH = datetime(1970, 1, 1)
_US = timedelta(microseconds=1)


def _to_micros(v: Any) -> Any:
    """:func:`_to_datetime` as integer microseconds since the epoch (UTC): a column of them
    becomes a Datetime column by a cast, where polars reads aware datetimes one at a time
    (about 5x slower on the benchmark's post timestamps)."""
    d: Any
    if type(v) is str:
        s = v.strip()
        try:
            d = datetime.fromisoformat(s)
        except ValueError:
            try:
                d = datetime.strptime(s, _TWITTER_FMT)
            except ValueError:
                return _BAD
    elif type(v) is datetime:
        d = v
    else:
        d = _to_datetime(v)
        if d is _BAD:
            return d
    # naive means UTC, as in _to_datetime; exact integer arithmetic, no float timestamp
    return (d - (_NAIVE_EPOCH if d.utcoffset() is None else _EPOCH)) // _US


def _to_date(v: Any) -> Any:
    t = type(v)
    if t is str:
        try:
            return date.fromisoformat(v.strip()[:10])
        except ValueError:
            return _BAD
    if t is date:
        return v
    if t is datetime:
        return v.astimezone(UTC).date() if v.tzinfo else v.date()
    return _BAD


_ARROW_INNER: dict[type, pa.DataType] = {
    pl.Int64: pa.int64(),
    pl.Float64: pa.float64(),
    pl.String: pa.large_string(),
    pl.Boolean: pa.bool_(),
}

_SCALAR: dict[type, tuple[frozenset[type], Callable[[Any], Any]]] = {
    pl.Int64: (frozenset({int, _NONE}), _to_int),
    pl.Float64: (frozenset({float, int, _NONE}), _to_float),
    pl.String: (frozenset({str, _NONE}), _to_str),
    pl.Categorical: (frozenset({str, _NONE}), _to_str),
    pl.Boolean: (frozenset({bool, _NONE}), _to_bool),
    pl.Datetime: (frozenset({_NONE}), _to_datetime),
    pl.Date: (frozenset({date, _NONE}), _to_date),
}


def _coercer(
    dtype: pl.DataType | DataTypeClass,
) -> tuple[frozenset[type], Callable[[Any], Any]]:
    return _SCALAR[dtype.base_type()]


def _preview(v: Any) -> str:
    text = repr(v)
    return text if len(text) <= 40 else text[:37] + "..."


class _Issues:
    """Counts wrong-typed values per column so one build emits one warning per column."""

    def __init__(self, table: str) -> None:
        self.table = table
        self.found: dict[str, tuple[int, Any, str]] = {}

    def add(self, column: str, value: Any, expected: str) -> None:
        n, example, _ = self.found.get(column, (0, value, expected))
        self.found[column] = (n + 1, example, expected)

    def emit(self) -> None:
        for column, (n, example, expected) in self.found.items():
            warnings.warn(
                f"{self.table}.{column}: {n} value(s) not of type {expected} set to null "
                f"(e.g. {type(example).__name__} {_preview(example)})",
                SchemaWarning,
                stacklevel=4,
            )


_SURROGATE = re.compile("[\ud800-\udfff]")


def _scrubbed(value: Any) -> Any:
    """``value`` with lone UTF-16 surrogates (``"\\ud800"`` in the JSON, valid there,
    impossible in UTF-8) replaced by U+FFFD, so text holding one still converts."""
    if type(value) is str:
        return _SURROGATE.sub("\ufffd", value)
    if type(value) is list:
        return [_scrubbed(v) for v in value]
    if type(value) is dict:
        return {_scrubbed(k): _scrubbed(v) for k, v in value.items()}
    return value


def _series(name: str, values: list[Any], dtype: Any = None) -> pl.Series:
    """``pl.Series(..., strict=True)``; a lone surrogate in the text is replaced, not fatal
    (converters never raise on a malformed body)."""
    try:
        return pl.Series(name, values, dtype=dtype, strict=True)
    except UnicodeEncodeError:
        return pl.Series(name, _scrubbed(values), dtype=dtype, strict=True)


def _list_series(name: str, values: list[Any], dtype: pl.List) -> pl.Series:
    """List column through pyarrow: polars builds nested lists from Python per element,
    pyarrow converts the whole column in C++ (4-200x faster on benchmark data)."""
    arrow_type = _ARROW_INNER.get(dtype.inner.base_type())
    if arrow_type is None:
        return _series(name, values, dtype)
    try:
        arrow = pa.array(values, type=pa.large_list(arrow_type))
    except UnicodeEncodeError:
        arrow = pa.array(_scrubbed(values), type=pa.large_list(arrow_type))
    series = pl.Series(name, arrow)
    return series if series.dtype == dtype else series.cast(dtype)


def _coerce_list(name: str, values: list[Any], dtype: pl.List, issues: _Issues) -> pl.Series:
    inner = dtype.inner
    allowed, fn = _coercer(inner)
    types = set(map(type, values))
    if types <= {list, _NONE}:
        elem_types = set(map(type, chain.from_iterable(v for v in values if v)))
        if elem_types <= allowed and inner.base_type() is not pl.Datetime:
            try:
                return _list_series(name, values, dtype)
            except (TypeError, OverflowError, ValueError, pl.exceptions.PolarsError):
                pass
    out: list[list[Any] | None] = []
    for v in values:
        if v is None:
            out.append(None)
            continue
        if type(v) is not list:
            issues.add(name, v, str(dtype))
            out.append(None)
            continue
        row: list[Any] = []
        for e in v:
            if e is None:
                row.append(None)
                continue
            c = fn(e)
            if c is _BAD:
                # e.g. the capture tool's "… 2 more item(s) truncated" in a numeric list
                issues.add(name, e, str(dtype))
                row.append(None)
            else:
                row.append(c)
        out.append(row)
    return _list_series(name, out, dtype)


def _coerce(name: str, values: list[Any], dtype: pl.DataType, issues: _Issues) -> pl.Series:
    """Typed Series from raw values: fast path when every value already fits."""
    if isinstance(dtype, pl.List):
        return _coerce_list(name, values, dtype, issues)
    if dtype.base_type() is pl.Datetime:
        return _coerce_datetime(name, values, dtype, issues)
    allowed, fn = _coercer(dtype)
    if set(map(type, values)) <= allowed:
        try:
            return _series(name, values, dtype)
        except (TypeError, OverflowError, pl.exceptions.PolarsError):
            pass
    return _series(name, _each(name, values, fn, dtype, issues), dtype)


def _each(
    name: str, values: list[Any], fn: Callable[[Any], Any], dtype: Any, issues: _Issues
) -> list[Any]:
    """``fn`` of every value; a value it refuses becomes None and is counted in ``issues``."""
    out: list[Any] = []
    append = out.append
    for v in values:
        if v is None:
            append(None)
            continue
        c = fn(v)
        if c is _BAD:
            issues.add(name, v, str(dtype))
            append(None)
        else:
            append(c)
    return out


def _coerce_datetime(name: str, values: list[Any], dtype: Any, issues: _Issues) -> pl.Series:
    """A Datetime column through integer microseconds (see :func:`_to_micros`)."""
    # years 1-9999 in microseconds fit an Int64 many times over
    micros = pl.Series(name, _each(name, values, _to_micros, dtype, issues), pl.Int64, strict=True)
    return micros.cast(pl.Datetime("us", "UTC")).cast(dtype)


# no circular check (markers None): parsed JSON has no cycles, and no state is shared
# between threads; a cyclic object recurses until RecursionError, then json.dumps says why
_C_ENCODE = (
    c_make_encoder(None, str, encode_basestring, None, ": ", ", ", False, False, True)
    if c_make_encoder is not None
    else None
)


def _json_text(v: Any) -> Any:
    """``json.dumps(v, ensure_ascii=False, default=str)``, through one encoder made once
    (a dumps call builds its encoder anew: most of its cost on the small objects here)."""
    if v is None or type(v) is str:
        return v
    if _C_ENCODE is not None:
        try:
            return "".join(_C_ENCODE(v, 0))
        except RecursionError:
            pass
    return json.dumps(v, ensure_ascii=False, default=str)


_KIND_DTYPES: dict[str, pl.DataType] = {
    "bool": pl.Boolean(),
    "int": pl.Int64(),
    "float": pl.Float64(),
    "str": pl.String(),
    "list": pl.List(pl.String()),
    "json": pl.String(),
}


def _kind(types: set[type], str_lists: bool) -> str:
    """How an undeclared field's values become a column, from the value types seen."""
    if types == {bool}:
        return "bool"
    if types == {int}:
        return "int"
    if types and types <= {int, float}:
        return "float"
    if types <= {str}:
        return "str"
    if types == {list} and str_lists:
        return "list"
    return "json"


def _infer(name: str, values: list[Any], seen: dict[str, tuple[set[Any], bool, bool]]) -> pl.Series:
    """An undeclared field's column: a simple dtype if the values agree, else JSON text.

    ``seen[name]`` accumulates (value types, all lists hold strings, fell back to JSON) over
    the chunks of one table, so :func:`finish` can give every chunk the same dtype.
    """
    types = set(map(type, values)) - {_NONE}
    str_lists = list in types and all(
        type(e) is str for e in chain.from_iterable(v for v in values if type(v) is list)
    )
    kind = _kind(types, str_lists)
    fallback = False
    name = name.replace("\x00", "\ufffd")  # Arrow field names cannot hold NUL
    series = None
    if kind in ("bool", "int", "float"):
        try:
            series = pl.Series(name, values, dtype=_KIND_DTYPES[kind], strict=True)
        except (TypeError, OverflowError, pl.exceptions.PolarsError):
            fallback, kind = True, "json"  # e.g. an int beyond Int64
    if series is None:
        if kind == "str":
            series = _series(name, values, pl.String)
        elif kind == "list":
            series = _list_series(name, values, pl.List(pl.String()))
        else:
            series = _series(name, [_json_text(v) for v in values], pl.String)
    old = seen.get(name)
    if old is None:
        seen[name] = (types, str_lists or list not in types, fallback)
    else:
        seen[name] = (
            old[0] | types,
            old[1] and (str_lists or list not in types),
            old[2] or fallback,
        )
    return series


def _column(rows: list[dict[str, Any]], key: str) -> list[Any]:
    """One field of every row; ``map(dict.get, ...)`` runs in C, a comprehension does not."""
    return list(map(dict.get, rows, repeat(key, len(rows))))


class Part:
    """One chunk of a table's rows built into a typed frame, with what ``finish`` needs to
    join the chunks: wrong-typed values counted per column and the extras' value types."""

    def __init__(self, spec: TableSpec) -> None:
        self.spec = spec
        self.issues = _Issues(spec.name)
        self.extras: dict[str, tuple[set[Any], bool, bool]] = {}
        self.frames: list[pl.DataFrame] = []
        self.skipped = 0
        self.skipped_example: Any = None

    def add(self, rows: list[Any], *, drop: Iterable[str] = (), extras: bool = True) -> None:
        """Build one chunk of rows (flat dicts, keys = column names) and keep its frame."""
        if set(map(type, rows)) - {dict}:
            skipped = [r for r in rows if type(r) is not dict]
            rows = [r for r in rows if type(r) is dict]
            if not self.skipped:
                self.skipped_example = skipped[0]
            self.skipped += len(skipped)
        issues = self.issues
        series = [
            _coerce(col, _column(rows, col), dtype, issues)
            for col, dtype in self.spec.columns.items()
        ]
        if extras and rows:
            known = set(self.spec.columns) | set(drop) | SECRET_FIELDS
            # every key in first-seen order, gathered in C; the undeclared ones keep that order
            seen = [k for k in dict.fromkeys(chain.from_iterable(rows)) if k not in known]
            series.extend(_infer(k, _column(rows, k), self.extras) for k in seen)
        if series and rows:
            self.frames.append(pl.DataFrame(series))

    def finish(self) -> pl.DataFrame:
        """The whole table: chunks joined, extras given one dtype, one warning per column."""
        if self.skipped:
            warnings.warn(
                f"{self.spec.name}: skipped {self.skipped} item(s) that are not objects "
                f"(e.g. {_preview(self.skipped_example)})",
                SchemaWarning,
                stacklevel=3,
            )
        self.issues.emit()
        frames, self.frames = self.frames, []
        if not frames:
            return self.spec.empty()
        if len(frames) == 1:
            return frames[0]
        target = {}
        for name, (types, str_lists, fallback) in self.extras.items():
            kind = "json" if fallback else _kind(types, str_lists)
            target[name] = (kind, _KIND_DTYPES[kind])
        aligned = []
        for df in frames:
            # columns picked eagerly: with_columns/select go through the query engine per
            # chunk, and df.schema builds a new mapping per call (both showed in profiles)
            schema = df.schema
            cols = [df.get_column(name) for name in self.spec.columns]
            for name, (kind, dtype) in target.items():
                have = schema.get(name)
                if have is None:
                    cols.append(pl.repeat(None, df.height, dtype=dtype, eager=True).alias(name))
                elif have != dtype or kind == "json":
                    cols.append(_convert_extra(df.get_column(name), kind, dtype))
                else:
                    cols.append(df.get_column(name))
            aligned.append(pl.DataFrame(cols))
        # no rechunk: copying the chunks into one buffer would hold the table twice (the
        # peak memory goal); polars works on chunked columns, `df.rechunk()` compacts them
        return pl.concat(aligned, how="vertical", rechunk=False)


def _convert_extra(series: pl.Series, kind: str, dtype: pl.DataType) -> pl.Series:
    """A chunk's extra column in the dtype the whole table settled on."""
    if kind != "json":
        return series.cast(dtype)
    if series.dtype == pl.String:
        return series
    return _series(series.name, [_json_text(v) for v in series.to_list()], pl.String)


def build(
    spec: TableSpec,
    rows: Iterable[Any],
    *,
    drop: Iterable[str] = (),
    extras: bool = True,
) -> pl.DataFrame:
    """Typed frame of ``spec`` from flat row dicts (keys = column names).

    Declared columns come first with declared dtypes (missing → null, wrong type → null and
    one SchemaWarning per column); undeclared keys follow as extra columns unless listed in
    ``drop`` or secret. Non-dict rows (e.g. a capture tool's truncation marker string) are
    skipped with a SchemaWarning.
    """
    part = Part(spec)
    part.add(rows if isinstance(rows, list) else list(rows), drop=drop, extras=extras)
    return part.finish()
