"""Polars frames as the Arrow tables dlt loads."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl
import pyarrow as pa

__all__ = ["arrow"]


def arrow(df: pl.DataFrame, keys: Sequence[str]) -> Any:
    """``df`` as Arrow for dlt: categoricals as plain strings (dlt has no enum type), ``keys``
    declared non-null as dlt declares merge and primary keys (a row without one is refused:
    it could not be merged, and would load again on every run)."""
    cats = [c for c, t in df.schema.items() if isinstance(t, pl.Categorical | pl.Enum)]
    if cats:
        df = df.with_columns(pl.col(cats).cast(pl.String))
    missing = df.filter(pl.any_horizontal(pl.col(list(keys)).is_null())).height if keys else 0
    if missing:
        raise ValueError(f"{missing} rows without {', '.join(keys)}: they cannot be merged")
    table = df.to_arrow()
    schema = pa.schema([f.with_nullable(False) if f.name in keys else f for f in table.schema])
    return table.cast(schema)
