"""Join creators across endpoints: discovery rows to enrichment rows, on platform + username.

The API names one creator differently per endpoint: discovery's ``user_id`` is ``uc_...``,
enrichment's is the platform's numeric id, and a batch row carries neither. The handle is
the key every answer shares, so the join normalises it (case, a leading ``@``, blanks) and
matches on it together with the platform when both sides have one.
"""

from __future__ import annotations

from typing import Any, Literal

import polars as pl

from toolkit._exceptions import ArgumentError
from toolkit.frames._tables import Tables, to_pandas

__all__ = ["join_creators"]

_KEY = "__creator_key"
_PLATFORM = "__creator_platform"


def _as_polars(data: Any, side: str) -> tuple[pl.DataFrame, bool]:
    """``(frame, was_pandas)`` from a frame, a ``Tables`` (its creator table) or a result."""
    if callable(getattr(data, "tables", None)):
        data = data.tables()  # enrich_many's answer: its profiles as tables
    elif hasattr(data, "to_polars") and not isinstance(data, pl.DataFrame | Tables):
        data = data.to_polars()  # a Result / Page
    if isinstance(data, Tables):
        if "creator" not in data:
            raise ArgumentError(f"{side}: these tables have no creator table ({', '.join(data)})")
        data = data["creator"]
    if isinstance(data, pl.DataFrame):
        return data, False
    if type(data).__module__.startswith("pandas"):
        if not _default_index(data):
            data = data.reset_index()  # an index (often the handle) becomes a column again
        return pl.from_pandas(data), True
    raise ArgumentError(
        f"{side} must be a DataFrame, Tables or a result, got {type(data).__name__}"
    )


def _default_index(df: Any) -> bool:
    """A pandas frame's index is the plain 0..n-1 one (nothing to keep from it)."""
    import pandas as pd

    index = df.index
    return isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1


def _keyed(df: pl.DataFrame, side: str, handle: str) -> pl.DataFrame:
    if handle not in df.columns:
        raise ArgumentError(
            f"{side} has no {handle!r} column to join on (columns: {', '.join(df.columns)})"
        )
    key = pl.col(handle).cast(pl.String).str.strip_chars().str.strip_chars_start("@")
    out = df.with_columns(key.str.to_lowercase().alias(_KEY))
    if "platform" in df.columns:
        out = out.with_columns(
            pl.col("platform").cast(pl.String).str.to_lowercase().alias(_PLATFORM)
        )
    return out


def join_creators(
    left: Any,
    right: Any,
    *,
    how: Literal["left", "inner", "full"] = "left",
    on: str = "username",
    right_on: str | None = None,
    suffix: str = "_right",
) -> Any:
    """``left``'s rows with the columns of the same creators in ``right``.

    Typically ``left`` is a discovery page (or ``search_all``) and ``right`` the enrichment
    of those creators (an ``enrich_many`` answer, an enrichment result or its ``Tables``:
    the creator table is used). Handles match whatever their case or ``@``; the platform is
    matched too when both sides have a ``platform`` column. A creator enriched twice in
    ``right`` counts once (its last row). Columns both sides have get ``suffix`` on the
    right's copy. The result is polars, or pandas when ``left`` is pandas.

    >>> import polars as pl
    >>> found = pl.DataFrame({"platform": ["instagram"], "username": ["Nia"], "followers": [10]})
    >>> rich = pl.DataFrame({"platform": ["instagram"], "username": ["@nia"], "email": ["n@x.io"]})
    >>> join_creators(found, rich).columns
    ['platform', 'username', 'followers', 'email']
    """
    if how not in ("left", "inner", "full"):
        raise ArgumentError(f"how must be 'left', 'inner' or 'full', got {how!r}")
    lf, pandas_out = _as_polars(left, "left")
    rf, _ = _as_polars(right, "right")
    lk, rk = _keyed(lf, "left", on), _keyed(rf, "right", right_on or on)
    keys = [_KEY] + ([_PLATFORM] if _PLATFORM in lk.columns and _PLATFORM in rk.columns else [])
    if _PLATFORM not in keys and _PLATFORM in rk.columns:
        spread = (
            rk.group_by(_KEY).agg(pl.col(_PLATFORM).n_unique().alias("n")).filter(pl.col("n") > 1)
        )
        if spread.height:
            raise ArgumentError(
                f"left has no platform column and right holds {spread[_KEY][0]!r} (and "
                f"{spread.height - 1} more) on several platforms: add a 'platform' column to "
                "left, or filter right to one platform, so each row finds its own creator"
            )
    shared = {right_on or on: on} | ({"platform": "platform"} if _PLATFORM in keys else {})
    rk = rk.rename({c: f"__right_{c}" for c in shared})  # a full join fills the left's from them
    rk = rk.drop([c for c in (_PLATFORM,) if c in rk.columns and c not in keys])
    rk = rk.filter(pl.col(_KEY).is_not_null()).unique(subset=keys, keep="last", maintain_order=True)
    joined = lk.join(rk, on=keys, how=how, suffix=suffix, coalesce=True, nulls_equal=False)
    for theirs, ours in shared.items():
        if how == "full":
            kept = pl.coalesce(pl.col(ours), pl.col(f"__right_{theirs}").cast(lf.schema[ours]))
            joined = joined.with_columns(kept.alias(ours))
        joined = joined.drop(f"__right_{theirs}")
    joined = joined.drop([c for c in (_KEY, _PLATFORM) if c in joined.columns])
    return to_pandas(joined) if pandas_out else joined
