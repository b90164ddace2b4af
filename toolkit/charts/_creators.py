"""Creators: followers vs engagement, one creator's posts, audience demographics, growth."""

from __future__ import annotations

import math
from typing import Any

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from toolkit.frames._audience import age_band

from ._theme import (
    _SEQUENCE,
    ACCENT,
    Deck,
    check_shares,
    compact,
    finish,
    frame,
    frames,
    has,
    no_data,
    number,
    one_creator,
    pct_decimals,
    pct_ticks,
    platform_color,
    span,
)

__all__ = ["demographics", "follower_growth", "followers_vs_er", "post_engagement"]

#: Creator colours of a comparison: the template's sequence (platform colours would repeat).
_COMPARE = _SEQUENCE

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


def log_ticks(lo: float, hi: float) -> dict[str, Any]:
    """Ticks at 1, 2 and 5 x 10^k from ``lo`` to ``hi`` for a log axis, written compactly
    (plotly's own put "90k" and "100k" on top of each other)."""
    values = []
    k = math.floor(math.log10(max(lo, 1)))
    while 10**k <= hi * 1.0001:
        values += [m * 10**k for m in (1, 2, 5) if lo / 1.3 <= m * 10**k <= hi * 1.3]
        k += 1
    return {"tickvals": values, "ticktext": [compact(v, 0) for v in values]}


def _placed_labels(
    df: pl.DataFrame, named: pl.DataFrame
) -> list[tuple[float, float, str, int, int]]:
    """(x, y, name, ax, ay) per labelled dot, each label moved off until it overlaps no other.

    Positions are worked out on a nominal 880 x 380 px plot (log x), close enough to keep
    neighbouring names apart at the sizes a notebook or a slide shows.
    """
    lo = math.log10(max(number(df["followers"].min(), 1.0), 1) / 1.3)
    hi = math.log10(max(number(df["followers"].max(), 1.0), 1) * 1.3)
    top = max(number(df["engagement_percent"].max(), 1.0), 1e-9) * 1.05
    placed: list[tuple[float, float, float, float]] = []
    out = []
    offsets = [(0, -22), (-45, -36), (45, -36), (0, -50), (-70, -64), (70, -64), (0, -78)]
    offsets += [(-90, -92), (90, -92), (0, 22), (-45, 36), (45, 36), (0, 50)]
    for r in named.to_dicts():
        px = (math.log10(r["followers"]) - lo) / (hi - lo or 1) * 880
        py = 380 - r["engagement_percent"] / top * 380
        w, h = 6.6 * len(str(r["username"])) + 8, 16
        for ax, ay in offsets:
            box = (px + ax - w / 2, py + ay - h / 2, px + ax + w / 2, py + ay + h / 2)
            if all(
                box[2] < b[0] or box[0] > b[2] or box[3] < b[1] or box[1] > b[3] for b in placed
            ):
                break
        placed.append(box)
        out.append(
            (float(r["followers"]), float(r["engagement_percent"]), str(r["username"]), ax, ay)
        )
    return out


def followers_vs_er(
    table: Any,
    *,
    label_top: int = 5,
    title: str | None = None,
    subtitle: str | None = None,
    show_cost: bool | None = None,
) -> go.Figure:
    """Followers (log) against engagement rate, one dot per creator, median lines as quadrants.

    Takes a discovery/similar page or table, an enrichment result, or a list of enrichments.
    Dot size is average views when the source has it; colour is the platform. The
    ``label_top`` creators with the most followers are named beside their dot (0: none), so
    a picture of the chart says who they are.

    >>> charts.followers_vs_er(client.discovery.search("instagram", limit=50), label_top=8)
    """
    deck = Deck(title, subtitle, show_cost)
    name = "Followers vs engagement rate"
    x_title, y_title = "Followers (log scale)", "Engagement rate (%)"
    df = _scatter_table(table)
    if df.height == 0:
        return no_data(name, x_title=x_title, y_title=y_title, deck=deck)
    sized = "avg_views" in df.columns and df["avg_views"].drop_nulls().len() > 0
    vmax = number(df["avg_views"].max(), 1.0) if sized else 1.0
    fig = go.Figure()
    by = "platform" if "platform" in df.columns else None
    groups = [(str(p), g) for (p,), g in df.group_by(by, maintain_order=True)] if by else [("", df)]
    for group, g in groups:
        views = g["avg_views"].fill_null(0).to_list() if sized else [0] * g.height
        size = [10 + 30 * (v / vmax) ** 0.5 if sized and vmax else 11 for v in views]
        fig.add_scatter(
            x=g["followers"].to_list(),
            y=g["engagement_percent"].to_list(),
            mode="markers",
            name=group or "creators",
            marker={
                "size": size,
                "color": platform_color(group),
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
    if label_top > 0 and "username" in df.columns:
        named = df.sort("followers", descending=True).head(label_top)
        for lx, ly, who, ax, ay in _placed_labels(df, named):
            fig.add_annotation(
                x=math.log10(lx),
                y=ly,
                text=who,
                ax=ax,
                ay=ay,
                showarrow=True,
                arrowwidth=1,
                arrowcolor="#8A94A6",
                arrowhead=0,
                standoff=5,
                font={"size": 11, "color": "#1F2937"},
                bgcolor="rgba(255,255,255,0.75)",
            )
    lo, hi = number(df["followers"].min(), 1.0), number(df["followers"].max(), 1.0)
    fig.update_xaxes(type="log", **log_ticks(lo, hi))
    fig.update_yaxes(ticksuffix="%", rangemode="tozero")
    sub = f"{df.height} creators · medians {compact(mx)} followers, {my:.2f}% ER (dotted)"
    if sized:
        sub += " · dot size = average views"
    if label_top > 0:
        sub += f" · the {min(label_top, df.height)} biggest named"
    return finish(fig, name, x_title=x_title, y_title=y_title, subtitle=sub, deck=deck)


def post_engagement(
    enrichment: Any,
    *,
    creator: str | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    show_cost: bool | None = None,
) -> go.Figure:
    """One creator's recent posts over time: likes, comments and shares stacked per post.

    Several creators' posts (``enrich_many``'s answer) raise ``ValueError`` unless
    ``creator=`` picks one.

    >>> charts.post_engagement(client.creators.enrich_handle("some_creator", "instagram"))
    """
    deck = Deck(title, subtitle, show_cost)
    df = one_creator(frame(enrichment, "posts"), creator, "post_engagement")
    who = df["username"].drop_nulls()[0] if has(df, "username") else None
    name = f"Post engagement: {who}" if who else "Post engagement"
    x_title, y_title = "Posted (UTC)", "Engagements per post"
    if not has(df, "created_at"):
        return no_data(name, x_title=x_title, y_title=y_title, deck=deck)
    df = df.filter(pl.col("created_at").is_not_null()).sort("created_at")
    if df.height == 0:
        return no_data(name, x_title=x_title, y_title=y_title, deck=deck)
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
    return finish(fig, name, x_title=x_title, y_title=y_title, subtitle=sub, deck=deck)


def _age_label(code: object) -> str:
    """An age band as the tables write it (a table built elsewhere may still say ``"65-"``)."""
    return str(age_band(code))


#: A comparison draws 2 to this many creators side by side; more would not read.
MAX_COMPARED = 6


def _who(tables: list[pl.DataFrame]) -> list[str]:
    """The creators the audience tables hold, in the order they first appear."""
    names: dict[str, None] = {}
    for df in tables:
        if has(df, "username"):
            names.update(dict.fromkeys(str(u) for u in df["username"].drop_nulls().to_list()))
    return list(names)


def _pick_creators(found: list[str], creator: str | list[str] | None) -> list[str]:
    """The creators to draw: ``creator`` (checked against ``found``) or all of them (1-6)."""
    if creator is not None:
        wanted = [creator] if isinstance(creator, str) else list(creator)
        lower = {f.lower(): f for f in found}
        missing = [w for w in wanted if w.lower().lstrip("@") not in lower]
        if missing:
            raise ValueError(
                f"demographics: no audience for {', '.join(map(repr, missing))}; "
                f"the enrichment holds {', '.join(found) or 'no named creator'}"
            )
        found = [lower[w.lower().lstrip("@")] for w in wanted]
    if len(found) > MAX_COMPARED:
        raise ValueError(
            f"demographics draws one creator, or compares 2-{MAX_COMPARED} side by side; "
            f"this enrichment holds {len(found)}: pick one with creator={found[0]!r}, or up to "
            f"{MAX_COMPARED} with creator=[...] (one of {', '.join(found[:12])}"
            f"{', …' if len(found) > 12 else ''})"
        )
    return found


def demographics(
    enrichment: Any,
    *,
    source: str = "followers",
    top: int = 10,
    creator: str | list[str] | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    show_cost: bool | None = None,
) -> go.Figure:
    """Audience of a full enrichment: age x gender pyramid, top countries, top interests.

    Several creators (``enrich_many``'s answer, a list of enrichments) are compared side by
    side, 2 to 6 of them, the same bands in one colour per creator; never summed. More than
    six raises ``ValueError``: pick with ``creator="handle"`` or ``creator=[...]``. Shares
    that cannot be one audience's (above 100 % together) raise too. ``source``: followers,
    likers or commenters (whichever the enrichment has).
    """
    deck = Deck(title, subtitle, show_cost)
    name = "Audience demographics"
    tables = [
        frames(enrichment, "audience_genders_per_age"),
        frames(enrichment, "audience_countries"),
        frames(enrichment, "audience_interests"),
    ]
    tables = [
        df.filter(pl.col("source").cast(pl.String) == source) if has(df, "source") else df
        for df in tables
    ]
    who = _pick_creators(_who(tables), creator)
    if who and creator is not None:
        keep = pl.col("username").cast(pl.String).is_in(who)
        tables = [df.filter(keep) if has(df, "username") else df for df in tables]
    pyramid, countries, interests = tables
    if not (pyramid.height or countries.height or interests.height):
        return no_data(name, why=f"no {source} audience in this enrichment", deck=deck)
    groups = who or [""]

    def of(df: pl.DataFrame, creator: str) -> pl.DataFrame:
        if creator and has(df, "username"):
            return df.filter(pl.col("username").cast(pl.String) == creator)
        return df

    for c in groups:
        label = f"{c or 'this enrichment'} ({source})"
        p = of(pyramid, c)
        if has(p, "male", "female"):
            check_shares([*p["male"].to_list(), *p["female"].to_list()], f"ages of {label}")
        if has(of(countries, c), "weight"):
            check_shares(of(countries, c)["weight"].to_list(), f"countries of {label}")
        if has(of(interests, c), "weight"):  # one follower has several interests: no sum
            check_shares(of(interests, c)["weight"].to_list(), f"interests of {label}", whole=False)
    compare = len(groups) > 1
    fig = make_subplots(
        rows=2,
        cols=2,
        specs=[[{}, {}], [{"colspan": 2}, None]],
        horizontal_spacing=0.2,
        vertical_spacing=0.17,
        subplot_titles=[
            "Age (share of audience)" if compare else "Age and gender (share of audience)",
            f"Top {top} countries",
            f"Top {top} interests",
        ],
    )
    if compare:
        _compare_bands(fig, groups, pyramid, countries, interests, top)
        height = max(860, 300 + 2 * top * (10 + 8 * len(groups)))
        sub = f"{len(groups)} creators side by side · {source}"
    else:
        _one_creator(fig, pyramid, countries, interests, top)
        height = 860
        sub = f"{groups[0]} · {source}" if groups[0] else source
    fig.update_layout(
        barmode="group" if compare else "relative",
        height=height,
        # above the panels' titles, under the subtitle
        legend={
            "orientation": "h",
            "yref": "container",
            "y": 1 - 84 / height,
            "yanchor": "top",
            "x": 0,
        },
        margin={"t": 150},
    )
    for ann in fig.layout.annotations:
        ann.update(font={"size": 13})
    return finish(fig, name, subtitle=sub, deck=deck)


def _share_bars(fig: go.Figure, values: list[float], row: int, col: int) -> None:
    """Percent ticks with the decimals the shares need on the subplot's x axis."""
    text = "Share of audience (%)" if row == 2 else "Share (%)"  # the top row is half as wide
    fig.update_xaxes(**pct_ticks(values), title_text=text, row=row, col=col)


def _one_creator(
    fig: go.Figure,
    pyramid: pl.DataFrame,
    countries: pl.DataFrame,
    interests: pl.DataFrame,
    top: int,
) -> None:
    """One creator: a male/female pyramid by age band, then countries and interests."""
    if has(pyramid, "code", "male", "female"):
        ages = [_age_label(code) for code in pyramid["code"].to_list()]
        male = [-(v or 0) for v in pyramid["male"].to_list()]
        female = [v or 0 for v in pyramid["female"].to_list()]
        for label, xs, color in (("Male", male, ACCENT), ("Female", female, "#F28E2B")):
            fig.add_bar(
                y=ages,
                x=xs,
                orientation="h",
                name=label,
                marker_color=color,
                customdata=[abs(v) for v in xs],
                hovertemplate=f"{label} %{{y}}: %{{customdata:.1%}}<extra></extra>",
                row=1,
                col=1,
            )
        lim = max([*female, *(-v for v in male), 0.01]) * 1.1
        ticks = pct_ticks([lim], n=4)
        vals = ticks.get("tickvals", [])
        both = sorted({*vals, *(-v for v in vals)})
        d = pct_decimals(vals[1] - vals[0]) if len(vals) > 1 else 0
        fig.update_xaxes(
            range=[-lim, lim],
            tickvals=both,
            ticktext=[f"{abs(t):.{d}%}" for t in both],
            row=1,
            col=1,
            title_text="Male ◀ share (%) ▶ female",
        )
        fig.update_yaxes(title_text="Age band (years)", row=1, col=1)
    for (row, col), df, color in (((1, 2), countries, ACCENT), ((2, 1), interests, "#3BA272")):
        if not has(df, "name", "weight"):
            continue
        head = df.sort("weight", descending=True).head(top)
        fig.add_bar(
            y=head["name"].to_list()[::-1],
            x=head["weight"].to_list()[::-1],
            orientation="h",
            marker_color=color,
            showlegend=False,
            hovertemplate="%{y}: %{x:.1%}<extra></extra>",
            row=row,
            col=col,
        )
        _share_bars(fig, head["weight"].to_list(), row, col)


def _compare_bands(
    fig: go.Figure,
    who: list[str],
    pyramid: pl.DataFrame,
    countries: pl.DataFrame,
    interests: pl.DataFrame,
    top: int,
) -> None:
    """2-6 creators: the same age bands, countries and interests side by side, a colour each."""
    ages = (
        pyramid.with_columns(
            weight=pl.col("male").fill_null(0) + pl.col("female").fill_null(0),
            name=pl.col("code").map_elements(_age_label, return_dtype=pl.String),
        )
        if has(pyramid, "code", "male", "female")
        else pl.DataFrame()
    )
    panels = []
    for (row, col), df, head in (
        ((1, 1), ages, None),
        ((1, 2), countries, top),
        ((2, 1), interests, top),
    ):
        if not has(df, "username", "name", "weight"):
            continue
        df = df.with_columns(pl.col("username").cast(pl.String), pl.col("name").cast(pl.String))
        if head is None:
            order = list(dict.fromkeys(df["name"].to_list()))
        else:  # the bands most of the compared audiences share, by mean share
            order = (
                df.group_by("name")
                .agg(pl.col("weight").sum())
                .sort(["weight", "name"], descending=[True, False])
                .head(head)["name"]
                .to_list()
            )
        panels.append(((row, col), df, order))
    # plotly stacks a group's bars from the bottom up: add the creators last first, so each
    # group reads top-down in the legend's order
    for i, creator in reversed(list(enumerate(who))):
        color = _COMPARE[i % len(_COMPARE)]
        for (row, col), df, order in panels:
            mine = dict(df.filter(pl.col("username") == creator).select("name", "weight").rows())
            ys = order if (row, col) == (1, 1) else order[::-1]  # ages read oldest on top
            fig.add_bar(
                y=ys,
                x=[mine.get(n) for n in ys],
                orientation="h",
                name=creator,
                legendgroup=creator,
                legendrank=i + 1,
                showlegend=(row, col) == panels[0][0],
                marker_color=color,
                hovertemplate=f"{creator}<br>%{{y}}: %{{x:.1%}}<extra></extra>",
                row=row,
                col=col,
            )
    for (row, col), df, _ in panels:
        _share_bars(fig, df["weight"].to_list(), row, col)
        if (row, col) == (1, 1):
            fig.update_yaxes(title_text="Age band (years)", row=row, col=col)


def follower_growth(
    enrichment: Any,
    *,
    creator: str | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    show_cost: bool | None = None,
) -> go.Figure:
    """Follower growth over the last 3, 6, 9 and 12 months, per platform the enrichment has.

    Reads the platform blocks' ``growth_*_months_ago`` (percent change since then). Several
    creators (``enrich_many``'s answer) raise ``ValueError`` unless ``creator=`` picks one.
    """
    deck = Deck(title, subtitle, show_cost)
    name = "Follower growth"
    x_title, y_title = "Period", "Follower change (%)"
    periods = [(3, "3 months"), (6, "6 months"), (9, "9 months"), (12, "12 months")]
    fig = go.Figure()
    who = None
    for platform in ("instagram", "tiktok", "youtube", "twitter"):
        block = frame(enrichment, platform)
        cols = [f"growth_{m}_months_ago" for m, _ in periods]
        if not has(block, *cols):
            continue
        if creator is not None and has(block, "username"):  # a creator may lack this platform
            want = creator.lower().lstrip("@")
            block = block.filter(pl.col("username").cast(pl.String).str.to_lowercase() == want)
        block = one_creator(block, None, "follower_growth")
        if block.height == 0:
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
        return no_data(
            name, x_title=x_title, y_title=y_title, why="the enrichment has no growth", deck=deck
        )
    fig.update_yaxes(ticksuffix="%", zeroline=True, zerolinecolor="#9AA5B8")
    fig.update_layout(barmode="group", legend={"orientation": "h", "y": -0.18, "x": 0})
    return finish(
        fig,
        name,
        x_title=x_title + " (change since … ago)",
        y_title=y_title,
        subtitle=f"{who}" if who else None,
        deck=deck,
    )
