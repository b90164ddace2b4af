"""The registry of declared tables: each table's name, what one row is, and its column dtypes.

Converters declare their tables once at import time (``declare``); docs, tests and the
pandas bridge read ``TABLES`` / ``SCHEMAS``. The registry survives ``importlib.reload``:
reloading this module keeps the tables already declared, and reloading a converter module
replaces its own declarations instead of failing as duplicates.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import FrameType, MappingProxyType
from typing import Any

import polars as pl

__all__ = ["SCHEMAS", "TABLES", "SchemaWarning", "TableSpec", "declare", "empty"]


class SchemaWarning(UserWarning):
    """A response value did not fit its declared column and became null (or a row was skipped)."""


@dataclass(frozen=True)
class TableSpec:
    """One declared table: a stable name, what a row is, its ordered column dtypes, and the
    units its declaration gave (``unit()`` adds those known by column name)."""

    name: str
    row: str
    columns: Mapping[str, pl.DataType]
    units: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def unit(self, column: str) -> str:
        """The column's unit and scale ("share, fraction 0-1", "percent 0-100", ...), or ""."""
        from ._units import default_unit

        return self.units.get(column) or default_unit(column, self.columns[column])

    def empty(self) -> pl.DataFrame:
        """The table with its declared columns and zero rows."""
        return pl.DataFrame(schema=dict(self.columns))


# Kept across a reload of this module (the converter modules are not re-run by it).
TABLES: dict[str, TableSpec] = globals().get("TABLES", {})
"""Every declared table, by name (``group.table``), in declaration order."""

_SCHEMAS: dict[str, Mapping[str, pl.DataType]] = globals().get("_SCHEMAS", {})
_OWNERS: dict[str, str] = globals().get("_OWNERS", {})
SCHEMAS: Mapping[str, Mapping[str, pl.DataType]] = MappingProxyType(_SCHEMAS)
"""Read-only ``name -> {column: polars dtype}`` for docs and tests."""


def declare(name: str, row: str, columns: Sequence[tuple[Any, ...]]) -> TableSpec:
    """Register a table schema once at import time; names must be unique across modules.

    Each column is ``(name, dtype)`` or ``(name, dtype, unit)``: a unit given here wins over
    the one its name implies (``toolkit/frames/_units.py``).

    The same module declaring a name again (``importlib.reload`` of a converter module)
    replaces its earlier declaration; another module claiming the name is an error.
    """
    owner = _caller_module()
    if name in TABLES and _OWNERS.get(name) != owner:
        raise ValueError(f"table {name!r} declared twice (by {_OWNERS.get(name)} and {owner})")
    cols, units = {}, {}
    for col, dtype, *unit in columns:
        if col in cols:
            raise ValueError(f"{name}: column {col!r} declared twice")
        cols[col] = dtype() if isinstance(dtype, type) else dtype
        if unit:
            units[col] = str(unit[0])
    spec = TableSpec(name, row, MappingProxyType(cols), MappingProxyType(units))
    TABLES[name] = spec
    _SCHEMAS[name] = spec.columns
    _OWNERS[name] = owner
    return spec


def _caller_module() -> str:
    """The module that called ``declare`` (directly or through its own local helper)."""
    frame: FrameType | None = sys._getframe(2)
    while frame is not None and frame.f_globals.get("__name__") == __name__:
        frame = frame.f_back  # pragma: no cover - declare is only called from outside
    return str(frame.f_globals.get("__name__", "?")) if frame is not None else "?"


def empty(name: str) -> pl.DataFrame:
    """Zero-row frame of a declared table."""
    return TABLES[name].empty()
