"""Spend: cumulative credits over time from a client's ledger, by operation."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import polars as pl

from ._theme import Deck, credits_text, finish, frame, has, no_data, span

__all__ = ["spend"]


#: The "saved by the cache" line: a grey no operation line has (they take the colour sequence).
SAVED_COLOR = "#6B7280"
#: Listening accruals: muted, since they are placed when observed, not when they accrued.
ACCRUAL_COLOR = "#8A94A6"


def spend(
    ledger: Any,
    *,
    title: str | None = None,
    subtitle: str | None = None,
    show_cost: bool | None = None,
) -> go.Figure:
    """Cumulative credits spent over time, one line per operation, plus cache hits.

    Takes ``client.ledger`` (or its table). Entries the response cache answered
    (``cached`` true / ``credits_saved`` above 0, cost 0) are drawn as a dashed
    "saved by the cache" line; ledgers from before the cache simply have none. The subtitle
    is the cost, saying what it counts (``show_cost=False`` leaves it out).

    >>> charts.spend(client.ledger)
    """
    deck = Deck(title, subtitle, show_cost)
    name = "Credits spent"
    x_title, y_title = "Time (UTC)", "Cumulative credits"
    df = frame(ledger)
    if not has(df, "time", "operation", "credits_cost"):
        return no_data(name, x_title=x_title, y_title=y_title, deck=deck)
    accrual = (pl.col("kind") == "accrual") if "kind" in df.columns else pl.lit(False)
    # a call's number counts calls only; an accrual (a recurring cost the client saw, with no
    # request of its own) sits half a step after the call that observed it
    df = (
        df.sort("time")
        .with_columns(cost=pl.col("credits_cost").fill_null(0.0), accrual=accrual.fill_null(False))
        .with_columns(call=(~pl.col("accrual")).cast(pl.Int64).cum_sum())
        .with_columns(
            call=pl.when(pl.col("accrual")).then(pl.col("call") + 0.5).otherwise(pl.col("call"))
        )
    )
    # a session of a few seconds reads better by call number than by milliseconds
    first, last = span(df["time"])
    by_call = (last - first).total_seconds() < 60
    xcol = "call" if by_call else "time"
    if by_call:
        x_title = "Call number (in order)"
    saved = (
        df["credits_saved"].fill_null(0.0)
        if "credits_saved" in df.columns
        else pl.Series([0.0] * df.height)
    )
    df = df.with_columns(saved=saved)
    calls, accruals = df.filter(~pl.col("accrual")), df.filter(pl.col("accrual"))
    fig = go.Figure()
    # the total goes first, wide and pale, so a per-operation line that equals it (one
    # operation, or one that dominates) is drawn on top of it, not hidden under it
    total = df.with_columns(cum=pl.col("cost").cum_sum())
    fig.add_scatter(
        x=total[xcol].to_list(),
        y=total["cum"].to_list(),
        mode="lines",
        line={"shape": "hv", "width": 9, "color": "rgba(31,41,55,0.22)"},
        name="all operations",
        hovertemplate="All<br>%{x}<br>%{y:,.2f} credits so far<extra></extra>",
    )
    paid = calls.filter(pl.col("cost") > 0)
    order = paid.group_by("operation").agg(pl.col("cost").sum()).sort("cost", descending=True)
    for op in order["operation"].to_list():
        g = calls.filter(pl.col("operation") == op).with_columns(cum=pl.col("cost").cum_sum())
        g = g.filter((pl.col("cost") > 0) | (pl.col("saved") > 0)) if g.height > 1 else g
        fig.add_scatter(
            x=g[xcol].to_list(),
            y=g["cum"].to_list(),
            mode="lines+markers",
            line={"shape": "hv", "width": 2.5},
            marker={"size": 6},
            name=op.replace("_", " "),
            hovertemplate=f"{op}<br>%{{x}}<br>%{{y:,.2f}} credits so far<extra></extra>",
        )
    if accruals.height:
        a = accruals.with_columns(cum=pl.col("cost").cum_sum())
        fig.add_scatter(
            x=a[xcol].to_list(),
            y=a["cum"].to_list(),
            mode="lines+markers",
            line={"shape": "hv", "width": 2, "dash": "dot", "color": ACCRUAL_COLOR},
            marker={
                "size": 8,
                "symbol": "diamond-open",
                "color": ACCRUAL_COLOR,
                "line": {"width": 2},
            },
            name="listening accruals<br>(placed when observed)",
            customdata=a["operation"].to_list(),
            hovertemplate="%{customdata}: observed at %{x}<br>%{y:,.2f} credits accrued so far"
            "<extra></extra>",
        )
    saved_total = float(df["saved"].sum())
    if saved_total > 0:
        s = df.with_columns(cum=pl.col("saved").cum_sum())
        fig.add_scatter(
            x=s[xcol].to_list(),
            y=s["cum"].to_list(),
            mode="lines",
            line={"shape": "hv", "width": 2.5, "dash": "dash", "color": SAVED_COLOR},
            name="saved by the cache",
            hovertemplate="Cache hits<br>%{x}<br>%{y:,.2f} credits saved<extra></extra>",
        )
    fig.update_yaxes(rangemode="tozero", tickformat=",.2~f")
    if by_call:  # whole call numbers: no "call 1.5" tick between two calls
        fig.update_xaxes(tickformat=",d", dtick=1 if calls.height <= 12 else None)
    fig.update_layout(legend={"orientation": "v", "x": 1.02, "y": 1, "xanchor": "left"})
    hit = calls["cached"].fill_null(False) if "cached" in calls.columns else calls["saved"] > 0
    hits = int(hit.sum())
    n_paid = int((calls["cost"] > 0).sum())
    free = calls.height - n_paid - hits
    parts = [f"{n_paid:,} paid"] + ([f"{free:,} free"] if free else [])
    parts += [f"{hits:,} cached"] if hits else []
    n = calls.height
    cost = f"{credits_text(float(df['cost'].sum()))} credits: {n:,} call{'' if n == 1 else 's'}"
    cost += f" ({', '.join(parts)})"
    if accruals.height:
        m = accruals.height
        cost += f" + {m:,} accrual{'' if m == 1 else 's'}"
    if saved_total > 0:
        cost += f"; the cache saved {credits_text(saved_total)}"
    unsure = (
        float(df["uncertain_cost"].fill_null(0.0).sum()) if "uncertain_cost" in df.columns else 0
    )
    if unsure > 0:  # lost answers' worst case, paid answers that named no cost
        cost += f"; up to {credits_text(unsure)} more not reported by the API"
    return finish(fig, name, x_title=x_title, y_title=y_title, deck=deck, cost=cost, money=True)
