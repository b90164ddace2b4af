"""Creators: followers vs engagement, one creator's posts, audience demographics, growth."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from ._theme import (
    ACCENT,
    compact,
    finish,
    frame,
    frames,
    has,
    no_data,
    number,
    platform_color,
    span,
)

__all__ = ["demographics", "follower_growth", "followers_vs_er", "post_engagement"]

#: Average-views columns of each platform block, first match wins (docs/frames.md).
_VIEWS = {
    "instagram": "reels_avg_view_count",
    "youtube": "avg_views",
    "tiktok": "play_count_avg",
    "twitter": "avg_views",
    "twitch": "avg_views",
}


def _scatter_table(table: Any) -> pl.DataFrame:
    """username, platform, followers, engagement_percent [, avg_views] from any source."""
    df = frames(table, "creator")
    if df.height == 0:
        df = frames(table, "accounts")
    if not has(df, "followers", "engagement_percent"):
        return pl.DataFrame()
    if "avg_views" not in df.columns:
        views = []
        for platform, col in _VIEWS.items():
            block = frames(table, platform)
            if has(block, "username", col):
                views.append(
                    block.select(
                        "username", pl.col(col).cast(pl.Float64).alias("avg_views")
                    ).with_columns(pl.col("username").cast(pl.String))
                )
        if views:
            df = df.with_columns(pl.col("username").cast(pl.String)).join(
                pl.concat(views).unique("username"), on="username", how="left"
            )
    cols = ["username", "platform", "followers", "engagement_percent"]
    cols += ["avg_views"] if "avg_views" in df.columns else []
    return df.select([c for c in cols if c in df.columns]).filter(
        pl.col("followers").is_not_null()
        & (pl.col("followers") > 0)
        & pl.col("engagement_percent").is_not_null()
    )


def followers_vs_er(table: Any) -> go.Figure:
    """Followers (log) against engagement rate, one dot per creator, median lines as quadrants.

    Takes a discovery/similar page or table, an enrichment result, or a list of enrichments.
    Dot size is average views when the source has it; colour is the platform.

    >>> charts.followers_vs_er(client.discovery.search("instagram", limit=50))
    """
    title = "Followers vs engagement rate"
    x_title, y_title = "Followers (log scale)", "Engagement rate (%)"
    df = _scatter_table(table)
    if df.height == 0:
        return no_data(title, x_title=x_title, y_title=y_title)
    sized = "avg_views" in df.columns and df["avg_views"].drop_nulls().len() > 0
    vmax = number(df["avg_views"].max(), 1.0) if sized else 1.0
    fig = go.Figure()
    by = "platform" if "platform" in df.columns else None
    groups = [(str(p), g) for (p,), g in df.group_by(by, maintain_order=True)] if by else [("", df)]
    for name, g in groups:
        views = g["avg_views"].fill_null(0).to_list() if sized else [0] * g.height
        size = [10 + 30 * (v / vmax) ** 0.5 if sized and vmax else 11 for v in views]
        fig.add_scatter(
            x=g["followers"].to_list(),
            y=g["engagement_percent"].to_list(),
            mode="markers",
            name=name or "creators",
            marker={
                "size": size,
                "color": platform_color(name),
                "opacity": 0.75,
                "line": {"width": 1, "color": "white"},
            },
            text=g["username"].to_list() if "username" in g.columns else None,
            customdata=views,
            hovertemplate=(
                "<b>%{text}</b><br>Followers %{x:,}<br>ER %{y:.2f}%"
                + ("<br>Avg views %{customdata:,.0f}" if sized else "")
                + "<extra>%{fullData.name}</extra>"
            ),
        )
    mx, my = number(df["followers"].median()), number(df["engagement_percent"].median())
    fig.add_vline(x=mx, line={"dash": "dot", "color": "#8A94A6"})
    fig.add_hline(y=my, line={"dash": "dot", "color": "#8A94A6"})
    for x, y, text, xa, ya in (
        (1, 1, "bigger, more engaged", "right", "top"),
        (0, 1, "smaller, more engaged", "left", "top"),
    ):
        fig.add_annotation(
            xref="paper",
            yref="paper",
            x=x,
            y=y,
            text=text,
            showarrow=False,
            xanchor=xa,
            yanchor=ya,
            font={"size": 11, "color": "#8A94A6"},
        )
    fig.update_xaxes(type="log", tickformat="~s")
    fig.update_yaxes(ticksuffix="%", rangemode="tozero")
    sub = f"{df.height} creators · medians {compact(mx)} followers, {my:.2f}% ER (dotted)"
    if sized:
        sub += " · dot size = average views"
    return finish(fig, title, x_title=x_title, y_title=y_title, subtitle=sub)


def post_engagement(enrichment: Any) -> go.Figure:
    """One creator's recent posts over time: likes, comments and shares stacked per post.

    >>> charts.post_engagement(client.creators.enrich_handle("some_creator", "instagram"))
    """
    df = frame(enrichment, "posts")
    who = df["username"].drop_nulls()[0] if has(df, "username") else None
    title = f"Post engagement: {who}" if who else "Post engagement"
    x_title, y_title = "Posted (UTC)", "Engagements per post"
    if not has(df, "created_at"):
        return no_data(title, x_title=x_title, y_title=y_title)
    df = df.filter(pl.col("created_at").is_not_null()).sort("created_at")
    if df.height == 0:
        return no_data(title, x_title=x_title, y_title=y_title)
    captions = (
        [(c or "")[:70] for c in df["caption"].to_list()] if "caption" in df.columns else None
    )
    # A date axis draws each bar one millisecond wide unless told: give every post a visible
    # slot of the span it shares with the others (between 1 hour and 3 days), no wider than
    # most of the gaps between posts, so neighbours do not hide each other.
    first, last = span(df["created_at"])
    span_ms = (last - first).total_seconds() * 1000
    hour = 3_600_000
    gap = number(df["created_at"].diff().dt.total_milliseconds().quantile(0.2))
    slot = min(span_ms / (1.6 * df.height), 0.8 * gap) if gap else span_ms / (1.6 * df.height)
    width = max(min(slot, 72 * hour), hour)
    fig = go.Figure()
    for col, color in (("likes", ACCENT), ("comments", "#F28E2B"), ("shares", "#3BA272")):
        if col not in df.columns or df[col].drop_nulls().len() == 0:
            continue
        fig.add_bar(
            x=df["created_at"].to_list(),
            y=df[col].to_list(),
            name=col.capitalize(),
            marker_color=color,
            width=width,
            customdata=captions,
            hovertemplate=f"%{{x|%b %d, %H:%M}}<br>{col.capitalize()} %{{y:,}}"
            + ("<br>%{customdata}" if captions else "")
            + "<extra></extra>",
        )
    fig.update_layout(barmode="stack", legend={"orientation": "h", "y": -0.18, "x": 0})
    fig.update_yaxes(tickformat="~s")
    fig.update_xaxes(tickformat="%b %Y" if span_ms > 300 * 24 * hour else "%b %d")
    start = f"{first:%b %d}" if first.year == last.year else f"{first:%b %d, %Y}"
    sub = f"{df.height} posts from {start} to {last:%b %d, %Y}"
    return finish(fig, title, x_title=x_title, y_title=y_title, subtitle=sub)


def _age_label(code: object) -> str:
    """An age band as readers write it: the API's open-ended top band ``"65-"`` is ``"65+"``."""
    text = str(code)
    return text[:-1] + "+" if text.endswith("-") else text


def demographics(enrichment: Any, *, source: str = "followers", top: int = 10) -> go.Figure:
    """Audience of a full enrichment: age x gender pyramid, top countries, top interests.

    ``source``: followers, likers or commenters (whichever the enrichment has).
    """
    title = "Audience demographics"
    pyramid = frame(enrichment, "audience_genders_per_age")
    countries = frame(enrichment, "audience_countries")
    interests = frame(enrichment, "audience_interests")

    def pick(df: pl.DataFrame) -> pl.DataFrame:
        return df.filter(pl.col("source").cast(pl.String) == source) if has(df, "source") else df

    pyramid, countries, interests = pick(pyramid), pick(countries), pick(interests)
    if not (pyramid.height or countries.height or interests.height):
        return no_data(title, why=f"no {source} audience in this enrichment")
    fig = make_subplots(
        rows=1,
        cols=3,
        horizontal_spacing=0.12,
        subplot_titles=[
            "Age and gender (share of audience)",
            f"Top {top} countries",
            f"Top {top} interests",
        ],
    )
    if has(pyramid, "code", "male", "female"):
        ages = [_age_label(code) for code in pyramid["code"].to_list()]
        male = [-(v or 0) for v in pyramid["male"].to_list()]
        female = [v or 0 for v in pyramid["female"].to_list()]
        fig.add_bar(
            y=ages,
            x=male,
            orientation="h",
            name="Male",
            marker_color=ACCENT,
            customdata=[-v for v in male],
            hovertemplate="Male %{y}: %{customdata:.1%}<extra></extra>",
            row=1,
            col=1,
        )
        fig.add_bar(
            y=ages,
            x=female,
            orientation="h",
            name="Female",
            marker_color="#F28E2B",
            hovertemplate="Female %{y}: %{x:.1%}<extra></extra>",
            row=1,
            col=1,
        )
        lim = max([*female, *(-v for v in male), 0.01]) * 1.1
        step = next(s for s in (0.02, 0.05, 0.1, 0.2, 0.25) if lim / s <= 3)
        ticks = [step * i for i in range(-3, 4) if abs(step * i) <= lim]
        fig.update_xaxes(
            range=[-lim, lim],
            tickvals=ticks,
            ticktext=[f"{abs(t):.0%}" for t in ticks],
            row=1,
            col=1,
            title_text="Share of audience (%)",
        )
        fig.update_yaxes(title_text="Age band (years)", row=1, col=1)
    for col, df, label in ((2, countries, "name"), (3, interests, "name")):
        if not has(df, label, "weight"):
            continue
        d = df.sort("weight", descending=True).head(top)
        names = [n if len(n) <= 22 else n[:21] + "…" for n in d[label].to_list()]
        fig.add_bar(
            y=names[::-1],
            x=d["weight"].to_list()[::-1],
            orientation="h",
            marker_color=ACCENT if col == 2 else "#3BA272",
            showlegend=False,
            hovertemplate="%{y}: %{x:.1%}<extra></extra>",
            row=1,
            col=col,
        )
        fig.update_xaxes(tickformat=".0%", title_text="Share of audience (%)", row=1, col=col)
    fig.update_layout(
        barmode="relative", height=560, width=1250, legend={"orientation": "h", "y": -0.18, "x": 0}
    )
    for ann in fig.layout.annotations:
        ann.update(font={"size": 13})
    who = next(
        (df["username"][0] for df in (pyramid, countries, interests) if has(df, "username")), None
    )
    sub = f"{who} · {source}" if who else source
    return finish(fig, title, subtitle=sub)


def follower_growth(enrichment: Any) -> go.Figure:
    """Follower growth over the last 3, 6, 9 and 12 months, per platform the enrichment has.

    Reads the platform blocks' ``growth_*_months_ago`` (percent change since then).
    """
    title = "Follower growth"
    x_title, y_title = "Period", "Follower change (%)"
    periods = [(3, "3 months"), (6, "6 months"), (9, "9 months"), (12, "12 months")]
    fig = go.Figure()
    who = None
    for platform in ("instagram", "tiktok", "youtube", "twitter"):
        block = frame(enrichment, platform)
        cols = [f"growth_{m}_months_ago" for m, _ in periods]
        if not has(block, *cols):
            continue
        row = block.row(0, named=True)
        values = [row[c] for c in cols]
        if all(v is None for v in values):
            continue
        who = who or row.get("username")
        fig.add_bar(
            x=[label for _, label in periods],
            y=values,
            name=platform,
            marker_color=platform_color(platform),
            text=[None if v is None else f"{v:+.1f}%" for v in values],
            textposition="outside",
            cliponaxis=False,
            hovertemplate=f"{platform}<br>Since %{{x}} ago: %{{y:+.2f}}%<extra></extra>",
        )
    if not fig.data:
        return no_data(title, x_title=x_title, y_title=y_title, why="the enrichment has no growth")
    fig.update_yaxes(ticksuffix="%", zeroline=True, zerolinecolor="#9AA5B8")
    fig.update_layout(barmode="group", legend={"orientation": "h", "y": -0.18, "x": 0})
    return finish(
        fig,
        title,
        x_title=x_title + " (change since … ago)",
        y_title=y_title,
        subtitle=f"{who}" if who else None,
    )
