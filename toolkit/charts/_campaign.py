"""Campaigns (social listening): daily trends, the creators leaderboard, top content."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from ._theme import (
    ACCENT,
    MUTED,
    Deck,
    _is_pandas,
    finish,
    frame,
    frames,
    has,
    no_data,
    number,
    platform_color,
    span,
)

__all__ = ["campaign_trends", "leaderboard", "top_content"]

#: (column, panel title with its unit, hover format)
_METRICS = (
    ("posts", "Posts per day", ",d"),
    ("views", "Views per day", ",d"),
    ("engagement", "Engagement per day (likes + comments + shares)", ",d"),
    ("emv", "Earned media value per day (USD)", "$,.0f"),
)


def _trends(tables_or_frame: Any) -> pl.DataFrame:
    """The overview's daily ``trends``; a mapping platform -> overview gives a platform column."""
    if isinstance(tables_or_frame, Mapping) and "trends" not in tables_or_frame:
        parts = [
            frame(v, "trends").with_columns(platform=pl.lit(str(k)))
            for k, v in tables_or_frame.items()
        ]
        parts = [p for p in parts if p.height]
        return pl.concat(parts, how="diagonal_relaxed") if parts else pl.DataFrame()
    return frame(tables_or_frame, "trends")


def campaign_trends(
    tables_or_frame: Any,
    *,
    by_platform: bool = False,
    partial_last_day: bool | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    show_cost: bool | None = None,
) -> go.Figure:
    """Daily posts, views, engagement and EMV, one panel each, with a 7-day mean.

    The panels share the x axis, with 7d / 30d / all range buttons. ``by_platform=True``
    draws one line per platform; pass a mapping ``{platform: overview}`` (the overview
    called with ``platform=``) or a trends table with a ``platform`` column.

    The API's trends run from the campaign's start to today, so the last day of an answer
    (an overview ``Result`` or its tables) is today's numbers so far: it is shaded and
    labelled, and kept out of the 7-day means (a half day would drag every line down). A
    plain table (a warehouse query, a CSV) is taken as whole days. ``partial_last_day``
    says which it is when that guess is wrong (``False`` for a campaign that has ended).

    >>> charts.campaign_trends(client.listening.campaigns.overview(campaign_id))
    """
    deck = Deck(title, subtitle, show_cost)
    heading = "Campaign trends"
    df = _trends(tables_or_frame)
    if not has(df, "date"):
        return no_data(heading, x_title="Date (UTC)", y_title="Per day", deck=deck)
    df = df.sort("date")
    split = by_platform and "platform" in df.columns
    last_day: Any = df["date"].max()
    if partial_last_day is None:  # an API answer runs to today; a table of one's own need not
        partial_last_day = not (
            isinstance(tables_or_frame, pl.DataFrame) or _is_pandas(tables_or_frame)
        )
    partial = partial_last_day and df["date"].n_unique() > 1 and isinstance(last_day, date)
    fig = make_subplots(
        rows=len(_METRICS),
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.06,
        subplot_titles=[m[1] for m in _METRICS],
    )
    groups = (
        [(str(p), g.sort("date")) for (p,), g in df.group_by("platform", maintain_order=True)]
        if split
        else [("all", df)]
    )
    mean_name = "7-day mean" + (" (complete days)" if partial else "")
    for row, (col, _label, fmt) in enumerate(_METRICS, start=1):
        if col not in df.columns:
            continue
        for name, g in groups:
            color = platform_color(name) if split else ACCENT
            whole = g.filter(pl.col("date") < last_day) if partial else g
            rolling = whole[col].cast(pl.Float64).rolling_mean(window_size=7, min_samples=1)
            if not split:
                today = [partial and d == last_day for d in g["date"].to_list()]
                fig.add_bar(
                    x=g["date"].to_list(),
                    y=g[col].to_list(),
                    name="Daily",
                    marker={
                        "color": MUTED,
                        "pattern": {"shape": ["/" if t else "" for t in today]},
                        "opacity": [0.55 if t else 1.0 for t in today],
                    },
                    legendgroup="daily",
                    showlegend=row == 1,
                    customdata=["so far today" if t else "daily" for t in today],
                    hovertemplate=f"%{{x|%b %d}}: %{{y:{fmt}}}<extra>%{{customdata}}</extra>",
                    row=row,
                    col=1,
                )
            fig.add_scatter(
                x=whole["date"].to_list(),
                y=rolling.to_list(),
                mode="lines",
                name=mean_name if not split else f"{name}, 7-day mean",
                line={"color": color, "width": 2.5},
                legendgroup=name,
                showlegend=row == 1,
                hovertemplate=f"%{{x|%b %d}}: %{{y:{fmt}}}<extra>{name} 7-day mean</extra>",
                row=row,
                col=1,
            )
        # "~s" writes 0.5 as "500m" (milli); counts of posts are whole numbers
        small = col == "posts"
        fig.update_yaxes(
            tickformat="$~s" if col == "emv" else ",d" if small else "~s",
            dtick=1 if small and number(df[col].max()) <= 6 else None,
            rangemode="tozero",
            row=row,
            col=1,
        )
    if partial:
        start = datetime.combine(last_day, time(0)) - timedelta(hours=12)
        for row in range(1, len(_METRICS) + 1):
            fig.add_vrect(
                x0=start,
                x1=start + timedelta(days=1),
                fillcolor=MUTED,
                opacity=0.18,
                line_width=0,
                row=row,
                col=1,
            )
        fig.add_annotation(
            x=datetime.combine(last_day, time(0)),
            y=1.0,
            xref="x",
            yref="paper",
            text="today: so far",
            showarrow=False,
            yanchor="bottom",
            font={"size": 11, "color": "#6B7280"},
        )
    fig.update_xaxes(
        rangeselector={
            "buttons": [
                {"count": 7, "label": "7d", "step": "day", "stepmode": "backward"},
                {"count": 30, "label": "30d", "step": "day", "stepmode": "backward"},
                {"step": "all", "label": "all"},
            ],
            # below the last panel, beside the legend: above the panels they collided with
            # a subtitle that wraps in a narrow notebook
            "x": 1,
            "xanchor": "right",
            "y": -0.095,
            "yanchor": "top",
        },
        row=1,
        col=1,
    )
    fig.update_xaxes(title_text="Date (UTC)", row=len(_METRICS), col=1)
    for ann in fig.layout.annotations:
        if ann.text != "today: so far":
            ann.update(x=0, xanchor="left", font={"size": 13})
    fig.update_layout(
        height=940,
        legend={"orientation": "h", "y": -0.095, "yanchor": "top", "x": 0},
        margin={"b": 130},
        bargap=0.15,
    )
    days = df["date"].n_unique()
    first, last = span(df["date"])
    sub = f"{days} days from {first:%b %d, %Y} to {last:%b %d, %Y}; lines are 7-day means"
    if partial:
        sub += f", without {last:%b %d} (so far only, shaded)"
    return finish(fig, heading, subtitle=sub, deck=deck)


def _baseline(baseline: Any) -> dict[str, float]:
    """handle (lower case) -> usual engagement rate in %, from enrichment results/tables."""
    df = frames(baseline, "creator")
    if not has(df, "username", "engagement_percent"):
        return {}
    return {
        str(r["username"]).lower(): r["engagement_percent"]
        for r in df.select("username", "engagement_percent").to_dicts()
        if r["engagement_percent"] is not None
    }


def leaderboard(
    campaign_creators: Any,
    *,
    baseline: Any = None,
    title: str | None = None,
    subtitle: str | None = None,
    show_cost: bool | None = None,
) -> go.Figure:
    """Campaign creators ranked by engagement rate, with a 7-day engagement sparkline.

    ``baseline``: enrichment results or tables (one or a list) whose ``creator`` table
    gives each creator's usual ER; it is drawn beside the campaign ER so over- and
    under-performers stand out.

    >>> charts.leaderboard(client.listening.campaigns.creators(campaign_id), baseline=enriched)
    """
    deck = Deck(title, subtitle, show_cost)
    name = "Campaign creators: engagement rate"
    x_title = "Campaign engagement rate (%)"
    df = frame(campaign_creators, "creators")
    if not has(df, "handle", "er_percent"):
        return no_data(name, x_title=x_title, y_title="Creator", deck=deck)
    df = df.filter(pl.col("er_percent").is_not_null()).sort(
        ["er_percent", "handle"], descending=[True, False]
    )
    if df.height == 0:
        return no_data(name, x_title=x_title, y_title="Creator", deck=deck)
    base = _baseline(baseline)
    n = df.height
    several = df["platform"].n_unique() > 1 if "platform" in df.columns else False
    ys = list(range(n))[::-1]  # best on top
    rows = df.to_dicts()
    fig = make_subplots(
        rows=1,
        cols=2,
        shared_yaxes=True,
        column_widths=[0.68, 0.32],
        horizontal_spacing=0.04,
        subplot_titles=["", "Engagement, last 7 days"],
    )
    fig.add_bar(
        y=ys,
        x=[r["er_percent"] for r in rows],
        orientation="h",
        marker_color=[platform_color(r.get("platform")) for r in rows],
        name="Campaign ER",
        showlegend=not several,  # one swatch would show one platform's colour for all bars
        customdata=[
            [r.get("platform") or "", r.get("posts") or 0, r.get("engagement") or 0] for r in rows
        ],
        hovertemplate=(
            "Campaign ER %{x:.2f}%<br>%{customdata[0]} · %{customdata[1]} posts"
            " · %{customdata[2]:,} engagements<extra></extra>"
        ),
        row=1,
        col=1,
    )
    usual = [base.get(str(r["handle"]).lower()) for r in rows]
    if any(u is not None for u in usual):
        fig.add_scatter(
            y=ys,
            x=usual,
            mode="markers",
            marker={"symbol": "line-ns", "size": 26, "line": {"width": 3, "color": "#1F2937"}},
            name="Usual ER (enrichment)",
            customdata=[
                None if u is None else r["er_percent"] - u for r, u in zip(rows, usual, strict=True)
            ],
            hovertemplate="Usual ER %{x:.2f}%<br>Campaign vs usual %{customdata:+.2f} pts"
            "<extra></extra>",
            row=1,
            col=1,
        )
    if several:  # a legend swatch per platform colour instead
        for platform in dict.fromkeys(str(r.get("platform") or "") for r in rows):
            fig.add_scatter(
                x=[None],
                y=[None],
                mode="markers",
                marker={"symbol": "square", "size": 11, "color": platform_color(platform)},
                name=platform or "unknown platform",
                hoverinfo="skip",
                legendrank=1,  # listed before the usual-ER mark, drawn after it
                row=1,
                col=1,
            )
    # each value label sits right of its bar or of the usual-ER mark, whichever ends later,
    # so the mark never covers the number
    # a creator without posts has no campaign ER to compare: said at the axis, not at the mark
    quiet = [r.get("posts") is not None and not r.get("posts") for r in rows]
    fig.add_scatter(
        y=ys,
        x=[
            0.0 if q else max(r["er_percent"], u or 0.0)
            for r, u, q in zip(rows, usual, quiet, strict=True)
        ],
        mode="text",
        text=[
            "  no posts yet" if q else f"  {r['er_percent']:.2f}%"
            for r, q in zip(rows, quiet, strict=True)
        ],
        textposition="middle right",
        cliponaxis=False,
        showlegend=False,
        hoverinfo="skip",
        row=1,
        col=1,
    )
    for y, r in zip(ys, rows, strict=True):
        trend = [float(v or 0) for v in (r.get("trend_7d") or [])]
        if not trend:
            continue
        top = max(trend) or 1.0
        fig.add_scatter(
            x=list(range(-len(trend) + 1, 1)),
            y=[y - 0.35 + 0.7 * v / top for v in trend],
            mode="lines",
            line={"color": platform_color(r.get("platform")), "width": 2},
            fill=None,
            showlegend=False,
            customdata=trend,
            hovertemplate=f"{r['handle']}<br>%{{x}} d: %{{customdata:,.0f}} engagements"
            "<extra></extra>",
            row=1,
            col=2,
        )
    labels = [
        f"{r['handle']} <span style='color:#8A94A6'>({r.get('platform')})</span>" for r in rows
    ]
    fig.update_yaxes(tickvals=ys, ticktext=labels, showgrid=False, range=[-0.6, n - 0.4])
    # room right of the longest bar for its "7.08%" label, clear of the sparkline panel
    top = max([r["er_percent"] for r in rows] + [u for u in usual if u is not None])
    fig.update_xaxes(ticksuffix="%", range=[0, max(top, 0.01) * 1.18], row=1, col=1)
    fig.update_xaxes(
        showgrid=False, tickvals=[-6, -3, 0], ticktext=["6 d ago", "3 d ago", "today"], row=1, col=2
    )
    fig.update_layout(
        height=max(380, 130 + 52 * n),
        # from the left edge: the row of swatches stays clear of the sparkline panel's title
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0},
    )
    for ann in fig.layout.annotations:
        ann.update(font={"size": 13})
    compared = [
        (r, u) for r, u, q in zip(rows, usual, quiet, strict=True) if u is not None and not q
    ]
    over = [r["handle"] for r, u in compared if r["er_percent"] > u]
    waiting = sum(quiet)
    sub = (
        f"{len(over)} of {len(compared)} creators beat their usual ER"
        if base
        else f"{n} creators" + ("; bars coloured by platform" if several else "")
    )
    if waiting:
        sub += f"; {waiting} with no posts yet"
    fig.update_xaxes(title_text=x_title, row=1, col=1)
    return finish(fig, name, subtitle=sub, deck=deck)


#: What ``top_content`` ranks by: column -> (name in the title, axis title, value format)
_RANKS = {
    "er_percent": ("engagement rate", "Engagement rate (% of followers)", "{:.2f}%"),
    "engagement": ("engagement", "Engagement (likes + comments + shares)", "{:,.0f}"),
    "views": ("views", "Views", "{:,.0f}"),
    "likes": ("likes", "Likes", "{:,.0f}"),
    "comments": ("comments", "Comments", "{:,.0f}"),
    "shares": ("shares", "Shares", "{:,.0f}"),
    "emv": ("earned media value", "Earned media value (USD)", "${:,.0f}"),
}


def _every_post(source: Any, campaign_id: str | None) -> tuple[Any, bool]:
    """The content to rank and whether it is the campaign's whole content (read through a
    client); one page of several is refused, since a top list of it would miss posts."""
    listening = getattr(source, "listening", None)
    if listening is not None:
        if campaign_id is None:
            raise TypeError("top_content(client, campaign_id): give the campaign's id")
        rows = listening.campaigns.iter_content(campaign_id)
        if hasattr(rows, "__anext__"):
            raise TypeError(
                "an AsyncClient's pages are awaited: pass the table, "
                "charts.top_content(await client.listening.campaigns.iter_content(id).to_polars())"
            )
        return rows.to_polars(), True
    got: int | None = None
    count: Any = None
    data = getattr(source, "data", None)
    if isinstance(data, Mapping) and isinstance(data.get("results"), list):
        count, got = data.get("count"), len(data["results"])
        if not (data.get("next") or (isinstance(count, int) and count > got)):
            got = None
    page = getattr(source, "page", None)  # Tables made from one page of several
    if isinstance(page, tuple) and len(page) == 2:
        got, count = page
    if got is not None:
        raise ValueError(
            f"this is one page of the campaign's content ({got} of {count} posts): a top "
            "list of it would miss the rest. Pass every post: "
            "charts.top_content(client, campaign_id), or "
            "client.listening.campaigns.iter_content(campaign_id).to_polars()"
        )
    return source, False


def top_content(
    source: Any,
    campaign_id: str | None = None,
    n: int = 10,
    *,
    by: str = "er_percent",
    title: str | None = None,
    subtitle: str | None = None,
    show_cost: bool | None = None,
) -> go.Figure:
    """The campaign's ``n`` posts ranked ``by`` a metric, one bar each, over every post.

    ``source``: a client (with ``campaign_id``: every page is read, free), or a content
    table (``client.listening.campaigns.iter_content(id).to_polars()`` for every post; the
    subtitle then counts "the posts given"); one page of several
    (``campaigns.content(id)`` or its ``to_polars()``) is refused, since its top would miss
    posts. ``by``: ``"er_percent"`` (default), ``"engagement"``, ``"views"``, ``"likes"``,
    ``"comments"``, ``"shares"`` or ``"emv"``; ties go by post id.

    >>> charts.top_content(client, campaign_id, n=10, by="engagement")
    """
    if by not in _RANKS:
        raise ValueError(f"by={by!r}: rank by one of {', '.join(_RANKS)}")
    deck = Deck(title, subtitle, show_cost)
    what, x_title, fmt = _RANKS[by]
    name = f"Top campaign posts by {what}"
    source, whole = _every_post(source, campaign_id)
    df = frame(source, "content")
    if not has(df, by):
        return no_data(name, x_title=x_title, y_title="Post", deck=deck)
    total = df.height
    order = ["id"] if "id" in df.columns else []
    ranked = df.filter(pl.col(by).is_not_null())
    df = ranked.sort([by, *order], descending=[True] + [False] * len(order)).head(n)
    if df.height == 0:
        return no_data(name, x_title=x_title, y_title="Post", deck=deck)
    if ranked.height > n:
        name = f"Top {n} campaign posts by {what}"
    else:  # every post with a value is shown: "Top 10" would promise more than there are
        name = f"Campaign posts ranked by {what}"
    rows = df.to_dicts()
    labels = []
    for i, r in enumerate(rows, start=1):
        when = r.get("published_at")
        day = f"{when:%b %d}" if when is not None else ""
        labels.append(f"{i}. {r.get('creator_handle')} · {r.get('content_type') or 'post'} · {day}")
    captions = [(r.get("caption") or "")[:80] for r in rows]
    platforms = list(dict.fromkeys(str(r.get("platform") or "") for r in rows))
    several = len(platforms) > 1
    fig = go.Figure()
    # one trace per platform, so the legend names the colours; one platform needs no legend
    for platform in platforms:
        ix = [i for i, r in enumerate(rows) if str(r.get("platform") or "") == platform]
        fig.add_bar(
            y=[labels[i] for i in ix],
            x=[rows[i][by] for i in ix],
            orientation="h",
            name=platform or "unknown platform",
            showlegend=several,
            marker_color=platform_color(platform),
            text=[fmt.format(rows[i][by]) for i in ix],
            textposition="outside",
            cliponaxis=False,
            customdata=[
                [
                    captions[i],
                    rows[i].get("er_percent") or 0.0,
                    rows[i].get("views") or 0,
                    rows[i].get("engagement") or 0,
                    rows[i].get("emv") or 0.0,
                ]
                for i in ix
            ],
            hovertemplate=(
                "<b>%{y}</b><br>%{customdata[0]}<br>ER %{customdata[1]:.2f}% · views "
                "%{customdata[2]:,}<br>engagement %{customdata[3]:,} · EMV "
                "$%{customdata[4]:,.0f}<extra></extra>"
            ),
        )
    fig.update_yaxes(categoryorder="array", categoryarray=labels[::-1], showgrid=False)
    fig.update_xaxes(
        ticksuffix="%" if by == "er_percent" else "",
        tickprefix="$" if by == "emv" else "",
        rangemode="tozero",
    )
    # "stack": one bar per post, at full width (grouping would leave a slot per platform)
    fig.update_layout(
        height=max(380, 120 + 44 * len(rows)),
        barmode="stack",
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0, "title": None},
    )
    kinds = "bars coloured by platform" if several else f"{platforms[0]} posts".strip()
    of = f"all {total:,} posts" if whole else f"the {total:,} posts given"
    sub = f"The top {len(rows)} of {of}" if len(rows) < total else of[0].upper() + of[1:]
    sub = f"{sub} · {kinds}"
    return finish(fig, name, x_title=x_title, y_title="Post", subtitle=sub, deck=deck)
