"""The one look of every toolkit chart, and the input handling every chart shares.

The ``influencers_club`` plotly template (registered on import) sets fonts, the colour
sequence, number formats (thousands separators, ``%``) and hover labels; per-platform colours
are :data:`PLATFORM_COLORS`. Charts take polars or pandas frames, a ``Tables``, anything
with ``.to_polars()`` (a call's result, an ``OverlapMatrix``, a ``ReachPlan``) or with
``.tables()`` (``enrich_many``'s ``EnrichMany``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
import polars as pl

from toolkit._format import abbreviate
from toolkit._format import number as format_number
from toolkit.frames import Tables

__all__ = [
    "ACCENT",
    "MUTED",
    "PLATFORM_COLORS",
    "TEMPLATE",
    "Deck",
    "check_shares",
    "compact",
    "cost_text",
    "credits_text",
    "distinct_compact",
    "finish",
    "frame",
    "frames",
    "no_data",
    "number",
    "one_creator",
    "pct_decimals",
    "pct_format",
    "pct_ticks",
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
                "font": {"size": 19, "weight": "bold"},
                "subtitle": {"font": {"size": 13, "color": "#5B6475"}},
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
            "height": 560,  # no width: a figure fills its container (write_image sets one)
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


def one_creator(df: pl.DataFrame, creator: str | None, chart: str) -> pl.DataFrame:
    """The rows of one creator: ``creator`` (by username, any case, ``@`` allowed), or all
    when they are one creator's. Several without a pick raise, naming how to pick one."""
    if not has(df, "username"):
        return df
    names = list(dict.fromkeys(str(u) for u in df["username"].drop_nulls().to_list()))
    if creator is not None:
        want = creator.lower().lstrip("@")
        match = [n for n in names if n.lower() == want]
        if not match:
            raise ValueError(f"{chart}: no {creator!r} here; it holds {', '.join(names)}")
        return df.filter(pl.col("username").cast(pl.String) == match[0])
    if len(names) > 1:
        listed = ", ".join(names[:12]) + (", …" if len(names) > 12 else "")
        raise ValueError(
            f"{chart} draws one creator; this holds {len(names)} ({listed}):"
            f" pick one with creator={names[0]!r}"
        )
    return df


# ----------------------------------------------------------------------------- output
@dataclass(frozen=True)
class Deck:
    """What a caller asked of a chart's heading: ``title=``, ``subtitle=``, ``show_cost=``.

    ``None`` keeps the chart's own; ``subtitle=""`` leaves the subtitle out; ``show_cost``
    ``None`` shows the cost only on charts about money.
    """

    title: str | None = None
    subtitle: str | None = None
    show_cost: bool | None = None


def finish(
    fig: go.Figure,
    title: str,
    *,
    x_title: str | None = None,
    y_title: str | None = None,
    subtitle: str | None = None,
    deck: Deck | None = None,
    cost: str | None = None,
    money: bool = False,
) -> go.Figure:
    """Apply the template, the title and subtitle (the caller's ``deck`` first) and axis titles.

    The subtitle is plotly's own (``layout.title.subtitle``), so ``update_layout(title_text=)``
    keeps it. ``cost`` (see :func:`cost_text`) joins the subtitle when ``deck.show_cost`` says
    so, or by default on a chart about ``money``.
    """
    deck = deck or Deck()
    sub = subtitle if deck.subtitle is None else deck.subtitle
    show = money if deck.show_cost is None else deck.show_cost
    if show and cost:
        sub = f"{sub} · {cost}" if sub else cost
    fig.update_layout(
        template=TEMPLATE,
        title={"text": deck.title or title, "subtitle": {"text": sub or ""}},
    )
    if x_title is not None:
        fig.update_layout(xaxis_title_text=x_title)
    if y_title is not None:
        fig.update_layout(yaxis_title_text=y_title)
    return fig


def credits_text(credits: float) -> str:
    """An amount of credits as a chart says it: thousands separators, at most 4 decimals,
    never scientific notation (12,345.6 stays "12,345.6")."""
    return format_number(round(float(credits), 4))


def cost_text(credits: float | None, calls: int | None = None, cached: int = 0) -> str | None:
    """What a chart's data cost, saying what it counts: "14 credits: 14 paid calls + 1 from the cache"."""
    if credits is None:
        return None
    text = f"{credits_text(credits)} credit{'' if credits == 1 else 's'}"
    if calls is None:
        return text + " spent"
    paid = calls - cached
    parts = [f"{paid:,} paid call{'' if paid == 1 else 's'}"]
    if cached:
        parts.append(f"{cached:,} from the cache")
    return f"{text}: {' + '.join(parts)}"


def check_shares(
    values: Sequence[float | None], what: str, *, whole: bool = True, tol: float = 0.02
) -> None:
    """Refuse shares a chart would draw wrongly: each must lie in 0-1 and, when they split one
    ``whole`` audience, sum to at most 1 (``tol`` for rounding). ``what`` names them."""
    got = [float(v) for v in values if v is not None]
    bad = [v for v in got if v < -tol or v > 1 + tol]
    if bad:
        raise ValueError(
            f"{what}: share {bad[0]:g} is outside 0-1 (shares are fractions, not percent);"
            " several creators summed, or a table on another scale?"
        )
    if whole and sum(got) > 1 + tol:
        raise ValueError(
            f"{what}: shares of one audience add up to {sum(got):.0%}, more than 100%;"
            " the rows hold several creators or sources: pick one first"
        )


def nice_ticks(hi: float, *, lo: float = 0.0, n: int = 5) -> list[float]:
    """About ``n`` round tick values from ``lo`` to ``hi`` (steps of 1, 2 or 5 x 10^k)."""
    if hi <= lo:
        return [lo]
    raw = (hi - lo) / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 5, 10) if m * mag >= raw)
    first = math.ceil(lo / step - 1e-9)
    return [round(i * step, 12) for i in range(first, math.floor(hi / step + 1e-9) + 1)]


def pct_decimals(step: float) -> int:
    """Decimals a percent label needs so ticks ``step`` apart (as fractions) read differently."""
    if step <= 0:
        return 0
    return max(0, min(3, -math.floor(math.log10(step * 100) + 1e-9)))


def pct_ticks(values: Sequence[float | None], *, lo: float = 0.0, n: int = 5) -> dict[str, Any]:
    """Axis or colour-bar settings for shares (fractions) drawn as %: tick values and texts
    with the decimals the data needs (0.5%-1.2% reads 0.2%, 0.4%, ... not 0%, 0%, 1%)."""
    got = [float(v) for v in values if v is not None]
    hi = max([*got, 0.0])
    if hi <= lo:
        return {"tickformat": ".0%"}
    ticks = nice_ticks(hi, lo=lo, n=n)
    step = ticks[1] - ticks[0] if len(ticks) > 1 else hi
    d = pct_decimals(step)
    return {"tickvals": ticks, "ticktext": [f"{abs(t):.{d}%}" for t in ticks]}


def pct_format(values: Sequence[float | None]) -> str:
    """A d3 ``%`` format with the decimals the data's spread needs (for hovers and labels)."""
    got = [float(v) for v in values if v is not None]
    hi = max([*got, 0.0])
    return f".{max(1, pct_decimals(hi / 5)) if hi else 1}%"


def no_data(
    title: str, *, x_title: str = "", y_title: str = "", why: str = "", deck: Deck | None = None
) -> go.Figure:
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
    return finish(fig, title, deck=deck)


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


def compact(n: float | None, digits: int = 1) -> str:
    """12345678 -> '12.3M', 4321 -> '4.3K', 512 -> '512' (annotations and titles; the
    widgets' tables abbreviate with the same ``toolkit._format.abbreviate``)."""
    return abbreviate(n, missing="n/a", digits=digits)


def distinct_compact(values: Sequence[float | None]) -> list[str]:
    """:func:`compact` labels with the fewest decimals (1-3) that tell different values apart."""
    labels = [compact(v) for v in values]
    for digits in (1, 2, 3):
        labels = [compact(v, digits) for v in values]
        differ = {v: lab for v, lab in zip(values, labels, strict=True)}
        if len(set(differ.values())) == len(differ):
            break
    return labels
