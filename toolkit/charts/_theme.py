"""The one look of every toolkit chart, and the input handling every chart shares.

The ``influencers_club`` plotly template (registered on import) sets fonts, the colour
sequence, number formats (thousands separators, ``%``) and hover labels; per-platform colours
are :data:`PLATFORM_COLORS`. Charts take polars or pandas frames, a ``Tables``, anything
with ``.to_polars()`` (a call's result, an ``OverlapMatrix``, a ``ReachPlan``) or with
``.tables()`` (``enrich_many``'s ``EnrichMany``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
import polars as pl

from toolkit._format import abbreviate
from toolkit.frames import Tables

__all__ = [
    "ACCENT",
    "MUTED",
    "PLATFORM_COLORS",
    "TEMPLATE",
    "finish",
    "frame",
    "frames",
    "no_data",
    "number",
    "platform_color",
    "span",
]

TEMPLATE = "influencers_club"

#: One colour per platform, close to each brand's own but distinct side by side.
PLATFORM_COLORS: dict[str, str] = {
    "instagram": "#C13584",
    "tiktok": "#25A5B4",
    "youtube": "#E62117",
    "twitch": "#7B4AE2",
    "twitter": "#1D3F5E",
    "onlyfans": "#00AEEF",
}
ACCENT = "#2F5BEA"
MUTED = "#B8C2D6"
_SEQUENCE = ["#2F5BEA", "#F28E2B", "#3BA272", "#C13584", "#7B4AE2", "#E15759", "#76B7B2"]
_FONT = "Inter, 'Helvetica Neue', Arial, sans-serif"


def _register() -> None:
    axis = {
        "showgrid": True,
        "gridcolor": "#E6EAF2",
        "zeroline": False,
        "linecolor": "#9AA5B8",
        "ticks": "outside",
        "tickcolor": "#9AA5B8",
        "title": {"standoff": 10},
        "automargin": True,
        "separatethousands": True,
        "exponentformat": "SI",
    }
    template = go.layout.Template(
        layout={
            "font": {"family": _FONT, "size": 13, "color": "#1F2937"},
            "title": {
                "font": {"size": 19},
                "x": 0.01,
                "xanchor": "left",
                "y": 0.985,
                "yanchor": "top",
                "pad": {"t": 8},
                "yref": "container",
            },
            "colorway": _SEQUENCE,
            "paper_bgcolor": "white",
            "plot_bgcolor": "white",
            "separators": ".,",
            "xaxis": axis,
            "yaxis": axis,
            "legend": {
                "bgcolor": "rgba(255,255,255,0.8)",
                "font": {"size": 12},
                "traceorder": "normal",
            },
            "hoverlabel": {"font": {"family": _FONT, "size": 12}, "align": "left"},
            "margin": {"l": 70, "r": 30, "t": 100, "b": 60},
            "width": 1000,
            "height": 560,
            "colorscale": {"sequential": "Blues"},
        }
    )
    pio.templates[TEMPLATE] = template


_register()


def platform_color(platform: Any) -> str:
    """The platform's colour, or the accent colour for anything else."""
    return PLATFORM_COLORS.get(str(platform).lower(), ACCENT)


# ----------------------------------------------------------------------------- inputs
def _as_polars(obj: Any) -> Any:
    if obj is None or isinstance(obj, pl.DataFrame | Tables):
        return obj
    if hasattr(obj, "to_polars") and not _is_pandas(obj):
        return obj.to_polars()
    if callable(getattr(obj, "tables", None)):
        # ``enrich_many``'s answer (``EnrichMany``): its profiles as the same tidy tables
        return obj.tables()
    if _is_pandas(obj):
        return pl.from_pandas(obj)
    if isinstance(obj, Mapping):
        return {k: _as_polars(v) for k, v in obj.items()}
    return obj


def _is_pandas(obj: Any) -> bool:
    return type(obj).__module__.startswith("pandas") and hasattr(obj, "columns")


def frame(obj: Any, table: str | None = None) -> pl.DataFrame:
    """The polars table a chart draws: ``obj`` itself, or its table named ``table``.

    An empty or missing input gives an empty frame (the chart then says "no data").
    """
    data = _as_polars(obj)
    if data is None:
        return pl.DataFrame()
    if isinstance(data, Mapping):
        if table is not None and table in data:
            return frame(data[table])
        return pl.DataFrame()
    if isinstance(data, pl.DataFrame):
        return data
    raise TypeError(
        f"expected a polars or pandas DataFrame, Tables, a result or an EnrichMany,"
        f" got {type(obj).__name__}"
    )


def frames(obj: Any, table: str) -> pl.DataFrame:
    """Like :func:`frame`, but ``obj`` may be a list of results/tables: their rows stacked."""
    if isinstance(obj, Sequence) and not isinstance(obj, str | pl.DataFrame):
        parts = [frame(o, table) for o in obj]
        parts = [p for p in parts if p.height]
        return pl.concat(parts, how="diagonal_relaxed") if parts else pl.DataFrame()
    return frame(obj, table)


def has(df: pl.DataFrame, *columns: str) -> bool:
    """True when ``df`` has rows and every one of ``columns``."""
    return df.height > 0 and all(c in df.columns for c in columns)


# ----------------------------------------------------------------------------- output
def finish(
    fig: go.Figure,
    title: str,
    *,
    x_title: str | None = None,
    y_title: str | None = None,
    subtitle: str | None = None,
) -> go.Figure:
    """Apply the template, the title (with an optional grey subtitle) and axis titles."""
    text = f"<b>{title}</b>"
    if subtitle:
        text += f"<br><span style='font-size:13px;color:#5B6475'>{subtitle}</span>"
    fig.update_layout(template=TEMPLATE, title={"text": text})
    if x_title is not None:
        fig.update_layout(xaxis_title_text=x_title)
    if y_title is not None:
        fig.update_layout(yaxis_title_text=y_title)
    return fig


def no_data(title: str, *, x_title: str = "", y_title: str = "", why: str = "") -> go.Figure:
    """An empty figure that says so, with the same title and axes the full one would have."""
    fig = go.Figure()
    fig.add_annotation(
        text="No data" + (f"<br><span style='font-size:13px'>{why}</span>" if why else ""),
        xref="paper",
        yref="paper",
        x=0.5,
        y=0.5,
        showarrow=False,
        font={"size": 20, "color": "#8A94A6"},
    )
    fig.update_xaxes(showgrid=False, showticklabels=False, title_text=x_title)
    fig.update_yaxes(showgrid=False, showticklabels=False, title_text=y_title)
    return finish(fig, title)


def number(value: object, default: float = 0.0) -> float:
    """A column aggregate (``s.max()``, ``s.median()``) as a float, ``default`` when empty.

    polars types aggregates as any scalar it can hold; the charts only take them of numbers.
    """
    if isinstance(value, int | float | Decimal):
        return float(value)
    return default


def span(series: pl.Series) -> tuple[date, date]:
    """The first and last value of a date or datetime column (nulls left out)."""
    lo, hi = series.min(), series.max()
    if not isinstance(lo, date) or not isinstance(hi, date):
        raise TypeError(f"column {series.name!r} holds no dates")
    return lo, hi


def compact(n: float | None) -> str:
    """12345678 -> '12.3M', 4321 -> '4.3K', 512 -> '512' (annotations and titles; the
    widgets' tables abbreviate with the same ``toolkit._format.abbreviate``)."""
    return abbreviate(n, missing="n/a")
