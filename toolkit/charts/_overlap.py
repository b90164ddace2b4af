"""Audience overlap: unique vs shared bars, the two-creator Venn, the pairwise heatmap and
the reach planner's curve."""

from __future__ import annotations

import math
from typing import Any

import plotly.graph_objects as go
import polars as pl

from ._theme import ACCENT, MUTED, compact, finish, frame, has, no_data

__all__ = ["overlap", "overlap_matrix", "overlap_venn", "reach_curve"]


def _creators(result_or_tables: Any) -> pl.DataFrame:
    df = frame(result_or_tables, "creators")
    if not has(df, "username", "followers", "unique_percentage"):
        return pl.DataFrame()
    return (
        df.filter(pl.col("followers").is_not_null())
        .with_columns(
            unique=(pl.col("followers") * pl.col("unique_percentage").fill_null(0))
            .round()
            .cast(pl.Int64),
        )
        .with_columns(shared=pl.col("followers") - pl.col("unique"))
    )


def overlap(result_or_tables: Any) -> go.Figure:
    """Per creator, the followers no other compared creator reaches vs those they share.

    Stacked horizontal bars, largest unique reach on top; the subtitle gives the
    deduplicated reach of the whole group, the summed followers and the reach efficiency
    (unique / total). Takes an overlap result, its ``Tables`` or its ``creators`` table.

    >>> fig = charts.overlap(client.creators.overlap("instagram", handles))
    """
    title = "Audience overlap: unique vs shared followers"
    x_title, y_title = "Followers (people)", "Creator"
    df = _creators(result_or_tables)
    if df.height == 0:
        return no_data(title, x_title=x_title, y_title=y_title)
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
    for name, col, color, share_ix in (
        ("Unique", "unique", ACCENT, 1),
        ("Shared", "shared", MUTED, 2),
    ):
        fig.add_bar(
            name=f"{name} followers",
            y=names,
            x=df[col].to_list(),
            orientation="h",
            marker_color=color,
            customdata=custom,
            hovertemplate=(
                f"<b>%{{y}}</b><br>{name}: %{{x:,}} (%{{customdata[{share_ix}]:.1%}})"
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
    return finish(fig, title, x_title=x_title, y_title=y_title, subtitle=sub)


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


def overlap_venn(result_or_tables: Any) -> go.Figure:
    """Two creators' audiences as two circles whose areas and overlap are to scale.

    Exactly two creators: for two, the API's numbers (each one's followers and unique
    share) fix all three regions. For three or more they do not: the API gives each
    creator's share shared with *any* other, not the pairwise or triple intersections a
    Venn needs, so any 3-way drawing would invent numbers. Use :func:`overlap` for groups,
    or :func:`overlap_matrix` for every pair. Raises ``ValueError`` otherwise.
    """
    title = "Audience overlap of two creators"
    df = _creators(result_or_tables)
    if df.height == 0:
        return no_data(title)
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
    labels = [
        (x1 - r1 / 2 if d > 0.3 * r1 else x1 - r1 * 0.6, a, "unique"),
        (x2 + r2 / 2 if d > 0.3 * r2 else x2 + r2 * 0.6, b, "unique"),
    ]
    for x, who, _ in labels:
        fig.add_annotation(
            x=x,
            y=0,
            text=f"<b>{who['username']}</b><br>{compact(who['unique'])} unique"
            f"<br><span style='font-size:11px'>{who['followers']:,} followers</span>",
            showarrow=False,
            font={"size": 13},
        )
    mid = (max(x1, x2 - r2) + min(x2, x1 + r1)) / 2
    fig.add_annotation(
        x=mid,
        y=-max(r1, r2) - 0.12,
        text=f"<b>{compact(shared)} shared</b> ({shared:,.0f} people)",
        showarrow=False,
        font={"size": 13},
    )
    # invisible points so the hover shows exact numbers
    fig.add_scatter(
        x=[labels[0][0], mid, labels[1][0]],
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
    pad = 0.15 * max(r1, r2)
    span = max(right - left, 2 * max(r1, r2)) + 2 * pad
    fig.update_xaxes(visible=False, range=[left - pad, left - pad + span])
    fig.update_yaxes(visible=False, range=[-max(r1, r2) - 0.3, max(r1, r2) + 0.1], scaleanchor="x")
    union = a["followers"] + b["followers"] - shared
    sub = (
        f"Areas to scale · {a['username']} shares {a['shared'] / a['followers']:.1%} of its "
        f"audience, {b['username']} {b['shared'] / b['followers']:.1%} · "
        f"deduplicated reach {union:,.0f}"
    )
    fig.update_layout(showlegend=False, height=520)
    return finish(fig, title, subtitle=sub)


def overlap_matrix(matrix: Any) -> go.Figure:
    """Heatmap: the share of the row creator's followers who also follow the column creator.

    Takes ``client.creators.overlap_matrix(...)`` (or its ``to_polars()`` table). Not
    symmetric: a small creator can share much of its audience with a big one and not the
    other way round.
    """
    title = "Pairwise audience overlap"
    x_title, y_title = "…who also follow this creator", "Share of this creator's followers…"
    df = frame(matrix)
    if not has(df, "creator", "other", "shared_share"):
        return no_data(title, x_title=x_title, y_title=y_title)
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
            tr.append("" if share is None else f"{share:.1%}")
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
            colorbar={"title": {"text": "Shared"}, "tickformat": ".0%"},
            hoverongaps=False,
            hovertemplate=(
                "%{z:.1%} of <b>%{y}</b>'s followers also follow <b>%{x}</b>"
                "<br>%{customdata:,} people<extra></extra>"
            ),
        )
    )
    fig.update_yaxes(autorange="reversed", showgrid=False)
    fig.update_xaxes(showgrid=False, tickangle=-30)
    side = max(460, 140 + 60 * len(order))
    fig.update_layout(height=side, width=max(760, side + 220))
    cost = getattr(matrix, "cost", None)
    sub = f"{len(order)} creators, one overlap call per pair" + (
        f" · {cost:g} credits" if cost is not None else ""
    )
    return finish(fig, title, x_title=x_title, y_title=y_title, subtitle=sub)


def reach_curve(plan: Any) -> go.Figure:
    """Unique reach after each pick of the reach planner, with what each pick added.

    Takes ``client.creators.plan_reach(...)`` (or its ``curve`` table).
    """
    title = "Reach planner: unique reach as creators are added"
    x_title, y_title = "Creators picked (in order)", "Unique reach (people)"
    df = frame(getattr(plan, "curve", plan))
    if not has(df, "step", "handle", "unique_reach"):
        return no_data(title, x_title=x_title, y_title=y_title)
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
        text=[compact(v) for v in df["unique_reach"].to_list()],
        textposition="top center",
        customdata=df["credits_spent"].to_list(),
        hovertemplate=(
            "<b>%{x}</b><br>Unique reach %{y:,}<br>Credits spent so far %{customdata:g}"
            "<extra></extra>"
        ),
    )
    fig.update_yaxes(tickformat="~s", rangemode="tozero")
    fig.update_layout(legend={"orientation": "h", "y": -0.2, "x": 0})
    spent = getattr(plan, "spent", None)
    est = getattr(plan, "estimate", None)
    sub = f"Final unique reach {int(df['unique_reach'][-1]):,}"
    if spent is not None:
        sub += f" · {spent:g} credits spent (estimate {est:g})"
    stopped = getattr(plan, "stopped", "")
    if stopped == "budget":
        sub += " · stopped: budget"
    return finish(fig, title, x_title=x_title, y_title=y_title, subtitle=sub)
