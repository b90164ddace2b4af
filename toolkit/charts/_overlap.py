"""Audience overlap: unique vs shared bars, the two-creator Venn, the pairwise heatmap and
the reach planner's curve."""

from __future__ import annotations

import math
from typing import Any

import plotly.graph_objects as go
import polars as pl

from ._theme import (
    ACCENT,
    MUTED,
    Deck,
    check_shares,
    compact,
    cost_text,
    distinct_compact,
    finish,
    frame,
    has,
    no_data,
    pct_format,
    pct_ticks,
)

__all__ = ["overlap", "overlap_matrix", "overlap_venn", "reach_curve"]


def _creators(result_or_tables: Any) -> pl.DataFrame:
    df = frame(result_or_tables, "creators")
    if not has(df, "username", "followers", "unique_percentage"):
        return pl.DataFrame()
    check_shares(df["unique_percentage"].to_list(), "unique shares", whole=False)
    return (
        df.filter(pl.col("followers").is_not_null())
        .with_columns(
            unique=(pl.col("followers") * pl.col("unique_percentage").fill_null(0))
            .round()
            .cast(pl.Int64),
        )
        .with_columns(shared=pl.col("followers") - pl.col("unique"))
    )


def overlap(
    result_or_tables: Any,
    *,
    title: str | None = None,
    subtitle: str | None = None,
    show_cost: bool | None = None,
) -> go.Figure:
    """Per creator, the followers no other compared creator reaches vs those they share.

    Stacked horizontal bars, largest unique reach on top; the subtitle gives the
    deduplicated reach of the whole group, the summed followers and the reach efficiency
    (unique / total). Takes an overlap result, its ``Tables`` or its ``creators`` table.

    >>> fig = charts.overlap(client.creators.overlap("instagram", handles))
    """
    deck = Deck(title, subtitle, show_cost)
    name = "Audience overlap: unique vs shared followers"
    x_title, y_title = "Followers (people)", "Creator"
    df = _creators(result_or_tables)
    if df.height == 0:
        return no_data(name, x_title=x_title, y_title=y_title, deck=deck)
    df = df.sort("unique", descending=True)
    totals = frame(result_or_tables, "totals")
    total = int(df["followers"].sum())
    if has(totals, "total_unique_followers") and totals["total_unique_followers"][0] is not None:
        union = int(totals["total_unique_followers"][0])
        total = int(totals["total_followers"][0] or total)
    else:
        union = None
    names = df["username"].to_list()
    custom = list(
        zip(
            df["followers"].to_list(),
            df["unique_percentage"].to_list(),
            (1 - df["unique_percentage"].fill_null(0)).to_list(),
            strict=True,
        )
    )
    fig = go.Figure()
    for part, col, color, share_ix in (
        ("Unique", "unique", ACCENT, 1),
        ("Shared", "shared", MUTED, 2),
    ):
        fig.add_bar(
            name=f"{part} followers",
            y=names,
            x=df[col].to_list(),
            orientation="h",
            marker_color=color,
            customdata=custom,
            hovertemplate=(
                f"<b>%{{y}}</b><br>{part}: %{{x:,}} (%{{customdata[{share_ix}]:.1%}})"
                "<br>Followers: %{customdata[0]:,}<extra></extra>"
            ),
        )
    fig.update_layout(
        barmode="stack",
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0},
    )  # above the bars, under the subtitle: below, it shared a line with the x axis title
    fig.update_yaxes(categoryorder="array", categoryarray=names[::-1])
    fig.update_xaxes(tickformat="~s")
    height = max(360, 110 + 48 * len(names))
    fig.update_layout(height=height)
    if union is not None:
        sub = (
            f"Deduplicated reach {union:,} of {total:,} total followers "
            f"· reach efficiency {union / total:.1%}"
            if total
            else None
        )
    else:
        sub = f"{total:,} total followers"
    return finish(
        fig,
        name,
        x_title=x_title,
        y_title=y_title,
        subtitle=sub,
        deck=deck,
        cost=_result_cost(result_or_tables),
    )


def _result_cost(result: Any) -> str | None:
    """A call's cost as a subtitle says it (a cache hit: "0 credits: from the cache")."""
    if getattr(result, "cached", False):
        return "0 credits: answered from the cache"
    cost = getattr(result, "credits_cost", None)
    return None if cost is None else cost_text(cost, 1)


def _lens_area(r1: float, r2: float, d: float) -> float:
    if d >= r1 + r2:
        return 0.0
    if d <= abs(r1 - r2):
        return math.pi * min(r1, r2) ** 2
    a1 = r1 * r1 * math.acos((d * d + r1 * r1 - r2 * r2) / (2 * d * r1))
    a2 = r2 * r2 * math.acos((d * d + r2 * r2 - r1 * r1) / (2 * d * r2))
    tri = 0.5 * math.sqrt((-d + r1 + r2) * (d + r1 - r2) * (d - r1 + r2) * (d + r1 + r2))
    return a1 + a2 - tri


def _distance(r1: float, r2: float, area: float) -> float:
    """Centre distance at which two circles overlap by ``area`` (bisection; exact enough)."""
    lo, hi = abs(r1 - r2), r1 + r2
    for _ in range(80):
        mid = (lo + hi) / 2
        if _lens_area(r1, r2, mid) > area:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def overlap_venn(
    result_or_tables: Any,
    *,
    title: str | None = None,
    subtitle: str | None = None,
    show_cost: bool | None = None,
) -> go.Figure:
    """Two creators' audiences as two circles whose areas and overlap are to scale.

    Exactly two creators: for two, the API's numbers (each one's followers and unique
    share) fix all three regions. For three or more they do not: the API gives each
    creator's share shared with *any* other, not the pairwise or triple intersections a
    Venn needs, so any 3-way drawing would invent numbers. Use :func:`overlap` for groups,
    or :func:`overlap_matrix` for every pair. Raises ``ValueError`` otherwise.
    """
    deck = Deck(title, subtitle, show_cost)
    name = "Audience overlap of two creators"
    df = _creators(result_or_tables)
    if df.height == 0:
        return no_data(name, deck=deck)
    if df.height != 2:
        raise ValueError(
            f"overlap_venn draws exactly two creators, got {df.height}: with three or more "
            "the overlap answer does not say who shares whom, so a Venn would be invented; "
            "use charts.overlap() or charts.overlap_matrix() instead"
        )
    a, b = df.to_dicts()
    shared = (a["shared"] + b["shared"]) / 2  # the same people counted from either side
    scale = math.sqrt(max(a["followers"], b["followers"]) / math.pi)
    r1, r2 = (
        math.sqrt(a["followers"] / math.pi) / scale,
        math.sqrt(b["followers"] / math.pi) / scale,
    )
    d = _distance(r1, r2, shared / scale**2)
    x1, x2 = 0.0, d
    fig = go.Figure()
    for x, r, color in ((x1, r1, ACCENT), (x2, r2, "#F28E2B")):
        fig.add_shape(
            type="circle",
            x0=x - r,
            x1=x + r,
            y0=-r,
            y1=r,
            fillcolor=color,
            opacity=0.35,
            line={"color": color, "width": 2},
        )
    left, right = x1 - r1, x2 + r2
    # a label wider than its circle's own (unique) part goes outside the circle, beside it
    ymax = max(r1, r2)
    per_px = (2 * ymax + 0.4) / 360  # data units per pixel of the 520 px tall plot
    labels = []
    for who, x, r, side in ((a, x1, r1, -1), (b, x2, r2, 1)):
        width = max(len(str(who["username"])), 16) * 7.5 * per_px
        room = min(2 * r, d - side * (r1 - r2))  # the width of the circle's own part
        inside = x + side * r / 2 if d > 0.3 * r else x + side * r * 0.6
        if room >= 1.1 * width:
            labels.append((inside, who, "center", inside))
        else:
            labels.append((x + side * (r + 0.06 * ymax), who, "left" if side > 0 else "right", x))
    for x, who, anchor, _ in labels:
        fig.add_annotation(
            x=x,
            y=0,
            xanchor=anchor,
            align="left" if anchor == "left" else "right" if anchor == "right" else "center",
            text=f"<b>{who['username']}</b><br>{compact(who['unique'])} unique"
            f"<br><span style='font-size:11px'>{who['followers']:,} followers</span>",
            showarrow=False,
            font={"size": 13},
        )
    mid = (max(x1, x2 - r2) + min(x2, x1 + r1)) / 2
    fig.add_annotation(
        x=mid,
        y=-ymax - 0.12,
        text=f"<b>{compact(shared)} shared</b> ({shared:,.0f} people)",
        showarrow=False,
        font={"size": 13},
    )
    # invisible points so the hover shows exact numbers
    fig.add_scatter(
        x=[labels[0][3], mid, labels[1][3]],
        y=[0, 0, 0],
        mode="markers",
        marker={"opacity": 0},
        showlegend=False,
        text=[
            f"{a['username']} only: {a['unique']:,}",
            f"Both: {shared:,.0f}",
            f"{b['username']} only: {b['unique']:,}",
        ],
        hovertemplate="%{text}<extra></extra>",
    )
    outside = [16 * 7.5 * per_px if anchor != "center" else 0.0 for _, _, anchor, _ in labels]
    pad = 0.15 * ymax
    lo, hi = left - pad - outside[0], right + pad + outside[1]
    span = max(hi - lo, 2 * ymax + 2 * pad)
    fig.update_xaxes(visible=False, range=[lo, lo + span])
    fig.update_yaxes(visible=False, range=[-ymax - 0.3, ymax + 0.1], scaleanchor="x")
    union = a["followers"] + b["followers"] - shared
    sub = (
        f"Areas to scale · {a['username']} shares {a['shared'] / a['followers']:.1%} of its "
        f"audience, {b['username']} {b['shared'] / b['followers']:.1%} · "
        f"deduplicated reach {union:,.0f}"
    )
    fig.update_layout(showlegend=False, height=520)
    return finish(fig, name, subtitle=sub, deck=deck, cost=_result_cost(result_or_tables))


def overlap_matrix(
    matrix: Any,
    *,
    title: str | None = None,
    subtitle: str | None = None,
    show_cost: bool | None = None,
) -> go.Figure:
    """Heatmap: the share of the row creator's followers who also follow the column creator.

    Takes ``client.creators.overlap_matrix(...)`` (or its ``to_polars()`` table). Not
    symmetric: a small creator can share much of its audience with a big one and not the
    other way round. The colour bar's ticks take the decimals the shares need.
    """
    deck = Deck(title, subtitle, show_cost)
    name = "Pairwise audience overlap"
    x_title, y_title = "…who also follow this creator", "Share of this creator's followers…"
    df = frame(matrix)
    if not has(df, "creator", "other", "shared_share"):
        return no_data(name, x_title=x_title, y_title=y_title, deck=deck)
    shares = df["shared_share"].to_list()
    check_shares(shares, "pairwise shares", whole=False)
    fmt = pct_format(shares)
    order = (
        df.group_by("creator")
        .agg(pl.col("creator_followers").first())
        .sort(["creator_followers", "creator"], descending=[True, False])["creator"]
        .to_list()
    )
    lookup = {(r["creator"], r["other"]): r for r in df.to_dicts()}
    z, text, custom = [], [], []
    for row in order:
        zr, tr, cr = [], [], []
        for col in order:
            cell = lookup.get((row, col))
            share = cell["shared_share"] if cell else None
            zr.append(share)
            tr.append(_share_label(share, fmt))
            cr.append(cell["shared_followers"] if cell else None)
        z.append(zr)
        text.append(tr)
        custom.append(cr)
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=order,
            y=order,
            text=text,
            texttemplate="%{text}",
            customdata=custom,
            colorscale="Blues",
            zmin=0,
            colorbar={"title": {"text": "Shared"}, **pct_ticks(shares)},
            hoverongaps=False,
            hovertemplate=(
                f"%{{z:{fmt}}} of <b>%{{y}}</b>'s followers also follow <b>%{{x}}</b>"
                "<br>%{customdata:,} people<extra></extra>"
            ),
        )
    )
    fig.update_yaxes(autorange="reversed", showgrid=False)
    fig.update_xaxes(showgrid=False, tickangle=-30)
    fig.update_layout(height=max(480, 160 + 60 * len(order)))
    cost = getattr(matrix, "cost", None)
    calls = getattr(matrix, "calls", None)
    sub = f"{len(order)} creators, one overlap call per pair"
    return finish(
        fig,
        name,
        x_title=x_title,
        y_title=y_title,
        subtitle=sub,
        deck=deck,
        cost=cost_text(cost, calls or None, getattr(matrix, "cached", 0)),
    )


def _share_label(share: float | None, fmt: str) -> str:
    """A cell's share as text; above 0 but below what ``fmt`` shows reads "<0.1%", not "0.0%"."""
    if share is None:
        return ""
    text = f"{share:{fmt}}"
    least = 10 ** -(int(fmt[1:-1]) + 2)
    return f"<{least:{fmt}}" if 0 < share < least / 2 else text


def reach_curve(
    plan: Any,
    *,
    title: str | None = None,
    subtitle: str | None = None,
    show_cost: bool | None = None,
) -> go.Figure:
    """Unique reach after each pick of the reach planner, with what each pick added.

    Takes ``client.creators.plan_reach(...)`` (or its ``curve`` table).
    """
    deck = Deck(title, subtitle, show_cost)
    name = "Reach planner: unique reach as creators are added"
    x_title, y_title = "Creators picked (in order)", "Unique reach (people)"
    df = frame(getattr(plan, "curve", plan))
    if not has(df, "step", "handle", "unique_reach"):
        return no_data(name, x_title=x_title, y_title=y_title, deck=deck)
    labels = [f"{s}. {h}" for s, h in zip(df["step"], df["handle"], strict=True)]
    fig = go.Figure()
    fig.add_bar(
        name="Gain of the pick",
        x=labels,
        y=df["gain"].to_list(),
        marker_color=MUTED,
        hovertemplate="<b>%{x}</b><br>Added %{y:,} people<extra></extra>",
    )
    fig.add_scatter(
        name="Unique reach",
        x=labels,
        y=df["unique_reach"].to_list(),
        mode="lines+markers+text",
        line={"color": ACCENT, "width": 3},
        marker={"size": 9},
        text=distinct_compact(df["unique_reach"].to_list()),
        textposition="top center",
        customdata=df["credits_spent"].to_list(),
        hovertemplate=(
            "<b>%{x}</b><br>Unique reach %{y:,}<br>Credits spent so far %{customdata:g}"
            "<extra></extra>"
        ),
    )
    # headroom above the top point for its label (it touched the plot's top edge)
    top = max(float(v or 0) for v in df["unique_reach"].to_list())
    fig.update_yaxes(tickformat="~s", range=[0, max(top, 1) * 1.15])
    fig.update_layout(legend={"orientation": "h", "y": -0.2, "x": 0})
    spent = getattr(plan, "spent", None)
    est = getattr(plan, "estimate", None)
    sub = f"Final unique reach {int(df['unique_reach'][-1]):,}"
    stopped = getattr(plan, "stopped", "")
    if stopped == "budget":
        sub += " · stopped at the budget"
    cost = cost_text(spent, getattr(plan, "calls", None) or None, getattr(plan, "cached", 0))
    if cost and est is not None:
        cost += f" (estimate {est:g})"
    return finish(fig, name, x_title=x_title, y_title=y_title, subtitle=sub, deck=deck, cost=cost)
