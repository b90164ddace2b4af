"""``Tables`` (several named frames from one response) and the polars → pandas bridge."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import polars as pl

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Tables", "to_pandas"]


class Tables(Mapping[str, pl.DataFrame]):
    """An immutable mapping of table name → ``pl.DataFrame`` with attribute access.

    Returned where one response holds several tidy tables (full enrichment, overlap,
    listening overview...). Table names are stable and listed in docs/frames.md; an empty
    part of the response still appears, as a typed zero-row frame.

    Example:
        >>> t = Tables({"creator": pl.DataFrame({"username": ["nasa"]})})
        >>> t.creator.shape
        (1, 1)
    """

    __slots__ = ("_frames",)

    def __init__(self, frames: Mapping[str, pl.DataFrame]) -> None:
        object.__setattr__(self, "_frames", MappingProxyType(dict(frames)))

    def __getitem__(self, name: str) -> pl.DataFrame:
        return self._frames[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._frames)

    def __len__(self) -> int:
        return len(self._frames)

    def __getattr__(self, name: str) -> pl.DataFrame:
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

    def to_pandas(self) -> dict[str, pd.DataFrame]:
        """Every table as a pandas frame (nullable dtypes, tz-aware datetimes)."""
        return {name: to_pandas(df) for name, df in self._frames.items()}

    def __repr__(self) -> str:
        parts = ", ".join(f"{n}: {df.height}×{df.width}" for n, df in self._frames.items())
        return f"Tables({parts})"

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td><code>{n}</code></td><td>{df.height}</td><td>{df.width}</td></tr>"
            for n, df in self._frames.items()
        )
        return (
            "<table><thead><tr><th>table</th><th>rows</th><th>columns</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
        )


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


def to_pandas(data: pl.DataFrame | Tables) -> pd.DataFrame | dict[str, pd.DataFrame]:
    """polars → pandas through Arrow, the only way pandas frames are made here.

    Integers and booleans become pandas nullable dtypes (``Int64``, ``boolean``), floats
    ``Float64``, text ``string``, datetimes stay tz-aware UTC, Categorical columns become
    pandas categoricals, list columns ``ArrowDtype`` lists. A ``Tables`` gives a dict.
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
    arrow = data.to_arrow(compat_level=pl.CompatLevel.oldest())
    return arrow.to_pandas(types_mapper=_types_mapper())
