"""``Tables`` (several named frames from one response) and the polars → pandas bridge."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from html import escape
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeGuard, TypeVar

import polars as pl

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Tables", "to_pandas"]


class _Frame(Protocol):
    """What a table is to ``Tables``: rows and named columns (polars or pandas)."""

    @property
    def columns(self) -> Any: ...

    def __len__(self) -> int: ...


F = TypeVar("F", bound=_Frame)  # pl.DataFrame or pd.DataFrame


class Tables(Mapping[str, F], Generic[F]):
    """An immutable mapping of table name → DataFrame with attribute access.

    Returned where one response holds several tidy tables (full enrichment, overlap,
    listening overview...). Table names are stable and listed in docs/frames.md; an empty
    part of the response still appears, as a typed zero-row frame. The same type holds
    the polars frames and, from :meth:`to_pandas`, the pandas ones: attribute access,
    ``names``, repr and the Jupyter display work alike on both.

    Example:
        >>> t = Tables({"creator": pl.DataFrame({"username": ["nasa"]})})
        >>> t.creator.shape
        (1, 1)
    """

    __slots__ = ("_frames", "page")
    _frames: Mapping[str, F]
    #: ``(rows on this page, rows in all or None)`` when the tables hold one page of a paged
    #: answer that has more, else ``None``: a ranking or total of them would miss the rest.
    page: tuple[int, int | None] | None

    def __init__(
        self, frames: Mapping[str, F], *, page: tuple[int, int | None] | None = None
    ) -> None:
        object.__setattr__(self, "_frames", MappingProxyType(dict(frames)))
        object.__setattr__(self, "page", page)

    def __getitem__(self, name: str) -> F:
        return self._frames[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._frames)

    def __len__(self) -> int:
        return len(self._frames)

    def __getattr__(self, name: str) -> F:
        if name.startswith("__"):
            raise AttributeError(name)  # copy/pickle probe dunders; never a table name
        try:
            return self._frames[name]
        except KeyError:
            raise AttributeError(f"no table {name!r}; tables: {', '.join(self._frames)}") from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Tables is immutable")

    def __dir__(self) -> list[str]:
        return [*super().__dir__(), *self._frames]

    @property
    def names(self) -> tuple[str, ...]:
        """Table names in their stable order."""
        return tuple(self._frames)

    def to_pandas(self) -> Tables[pd.DataFrame]:
        """Every table as a pandas frame (nullable dtypes, tz-aware datetimes), as ``Tables``."""
        frames = {name: _one_to_pandas(df) for name, df in self._frames.items()}
        return Tables(frames, page=self.page)

    def to_polars(self) -> Tables[pl.DataFrame]:
        """Every table as a polars frame (itself when it already holds polars frames)."""
        if _holds_polars(self):
            return self
        frames = {name: _one_to_polars(df) for name, df in self._frames.items()}
        return Tables(frames, page=self.page)

    def to_excel(self, path: str | os.PathLike[str]) -> Path:
        """Write one sheet per non-empty table to the ``.xlsx`` file ``path`` (and a
        ``notes`` sheet: times in UTC without the zone, nested values as JSON text).

        Needs openpyxl (the ``notebook`` extra). Returns the path written.
        """
        from toolkit.frames._export import write_excel

        return write_excel(self, path)

    def to_csv(self, folder: str | os.PathLike[str]) -> list[Path]:
        """Write ``folder/<table>.csv`` per non-empty table (nested values as JSON text)."""
        from toolkit.frames._export import write_csvs

        return write_csvs(self, folder)

    def to_parquet(self, folder: str | os.PathLike[str]) -> list[Path]:
        """Write ``folder/<table>.parquet`` per non-empty table, every type kept."""
        from toolkit.frames._export import write_parquets

        return write_parquets(self, folder)

    def _shapes(self) -> list[tuple[str, int, list[str]]]:
        return [(n, len(df), list(df.columns)) for n, df in self._frames.items()]

    def __repr__(self) -> str:
        parts = ", ".join(f"{n}: {h}×{len(cols)}" for n, h, cols in self._shapes())
        return f"Tables({parts})"

    def _repr_html_(self) -> str:
        """One line per table in Jupyter: name, rows, columns, the first column names."""
        rows = []
        for n, h, cols in self._shapes():
            shown = ", ".join(cols[:8]) + (f", … (+{len(cols) - 8})" if len(cols) > 8 else "")
            rows.append(
                f"<tr><td><code>{escape(n)}</code></td><td>{h:,}</td><td>{len(cols)}</td>"
                f"<td>{escape(shown)}</td></tr>"
            )
        return (
            "<table><thead><tr><th>table</th><th>rows</th><th>columns</th><th>first columns</th>"
            f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            f"<p><small>{len(rows)} tables: <code>t.&lt;name&gt;</code> or "
            '<code>t["name"]</code></small></p>'
        )


def _holds_polars(tables: Tables[Any]) -> TypeGuard[Tables[pl.DataFrame]]:
    return all(isinstance(df, pl.DataFrame) for df in tables.values())


def _one_to_polars(data: object) -> pl.DataFrame:
    import pandas as pd

    if isinstance(data, pl.DataFrame):
        return data
    if isinstance(data, pd.DataFrame):
        return pl.from_pandas(data)
    raise TypeError(f"expected a polars or pandas DataFrame, got {type(data).__name__}")


def _types_mapper() -> Any:
    import pandas as pd
    import pyarrow as pa

    def mapper(t: pa.DataType) -> Any:
        if pa.types.is_integer(t):
            return pd.Int64Dtype()
        if pa.types.is_boolean(t):
            return pd.BooleanDtype()
        if pa.types.is_floating(t):
            return pd.Float64Dtype()
        if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t):
            return pd.StringDtype()
        if pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_date(t):
            return pd.ArrowDtype(t)
        return None  # timestamps → datetime64[us, UTC]; dictionary → pandas Categorical

    return mapper


def to_pandas(data: pl.DataFrame | Tables[Any]) -> pd.DataFrame | Tables[pd.DataFrame]:
    """polars → pandas through Arrow, the only way pandas frames are made here.

    Integers and booleans become pandas nullable dtypes (``Int64``, ``boolean``), floats
    ``Float64``, text ``string``, datetimes stay tz-aware UTC, Categorical columns become
    pandas categoricals, list columns ``ArrowDtype`` lists. A ``Tables`` gives a ``Tables``
    of pandas frames (same names, same attribute access and display).
    """
    try:
        import pandas  # noqa: F401
        import pyarrow  # noqa: F401
    except ImportError as exc:  # pragma: no cover - both are core dependencies today
        raise ImportError(
            "to_pandas needs pandas and pyarrow: pip install 'influencers-club-toolkit'"
        ) from exc
    if isinstance(data, Tables):
        return data.to_pandas()
    if not isinstance(data, pl.DataFrame):
        raise TypeError(f"expected a polars DataFrame or Tables, got {type(data).__name__}")
    return _one_to_pandas(data)


def _one_to_pandas(data: object) -> pd.DataFrame:
    import pandas as pd

    if isinstance(data, pd.DataFrame):
        return data  # already pandas
    if not isinstance(data, pl.DataFrame):
        raise TypeError(f"expected a polars or pandas DataFrame, got {type(data).__name__}")
    arrow = data.to_arrow(compat_level=pl.CompatLevel.oldest())
    frame: pd.DataFrame = arrow.to_pandas(types_mapper=_types_mapper())
    return frame
