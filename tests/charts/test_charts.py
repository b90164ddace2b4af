"""Each chart's data equals the numbers of the tables it came from; empty input says so;
every figure renders to PNG with kaleido."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

import plotly.graph_objects as go
import polars as pl
import pytest

from toolkit import charts
from toolkit.charts._theme import platform_color
from toolkit.frames import to_pandas


def _sub(fig: go.Figure) -> str:
    """The figure's subtitle (plotly's own, under the title)."""
    return str(fig.layout.title.subtitle.text or "")


def _no_data(fig: go.Figure) -> bool:
    return any("No data" in (a.text or "") for a in fig.layout.annotations)


def test_template_registered_and_used(world: dict[str, Any]) -> None:
    import plotly.io as pio

    assert charts.TEMPLATE in pio.templates
    fig = charts.overlap(world["overlap3"])
    assert fig.layout.template.layout.separators == ".,"
    assert fig.layout.template.layout.xaxis.separatethousands is True


def test_overlap_bars_match_the_table_sorted_by_unique(world: dict[str, Any]) -> None:
    tables = world["overlap3"].to_polars()
    fig = charts.overlap(tables)
    unique, shared = fig.data
    c = tables.creators
    expect = {r["username"]: round(r["followers"] * r["unique_percentage"]) for r in c.to_dicts()}
    assert dict(zip(unique.y, unique.x, strict=True)) == expect
    for u, s, name in zip(unique.x, shared.x, unique.y, strict=True):
        assert u + s == c.filter(pl.col("username") == name)["followers"][0]
    assert list(unique.x) == sorted(unique.x, reverse=True)
    assert list(fig.layout.yaxis.categoryarray) == list(unique.y)[::-1]  # biggest on top
    union = tables.totals["total_unique_followers"][0]
    assert f"{union:,}" in _sub(fig) and "efficiency" in _sub(fig)
    assert fig.layout.xaxis.title.text == "Followers (people)"
    # pandas input gives the same figure data
    assert charts.overlap(to_pandas(tables)).data[0].x == unique.x


def test_overlap_legend_sits_above_the_bars(world: dict[str, Any]) -> None:
    fig = charts.overlap(world["overlap3"])
    # below the plot it shared a line with the x axis title
    assert fig.layout.legend.y >= 1 and fig.layout.legend.yanchor == "bottom"


def test_venn_two_only(world: dict[str, Any]) -> None:
    fig = charts.overlap_venn(world["overlap2"])
    assert len(fig.layout.shapes) == 2
    c = world["overlap2"].to_polars().creators
    r = [(s.x1 - s.x0) / 2 for s in fig.layout.shapes]
    f = c["followers"].to_list()
    assert r[0] ** 2 / r[1] ** 2 == pytest.approx(f[0] / f[1], rel=1e-6)  # areas to scale
    with pytest.raises(ValueError, match="exactly two"):
        charts.overlap_venn(world["overlap3"])


def test_matrix_heatmap_cells_equal_pair_shares(world: dict[str, Any]) -> None:
    m = world["matrix"]
    hm = charts.overlap_matrix(m).data[0]
    df = m.to_polars()
    for i, row in enumerate(hm.y):
        for j, col in enumerate(hm.x):
            if row == col:
                assert hm.z[i][j] is None
            else:
                want = df.filter((pl.col("creator") == row) & (pl.col("other") == col))
                assert hm.z[i][j] == want["shared_share"][0]


def test_reach_curve_plots_the_plan(world: dict[str, Any]) -> None:
    plan = world["plan"]
    fig = charts.reach_curve(plan)
    line = fig.data[1]
    assert list(line.y) == plan.curve["unique_reach"].to_list()
    assert [x.split(". ", 1)[1] for x in line.x] == plan.chosen
    assert fig.layout.yaxis.title.text == "Unique reach (people)"


def test_campaign_trends_panels_and_rolling_mean(world: dict[str, Any]) -> None:
    trends = world["overview"].to_polars().trends.sort("date")
    fig = charts.campaign_trends(world["overview"])
    bars = [t for t in fig.data if t.type == "bar"]
    assert [list(b.y) for b in bars] == [
        trends[c].to_list() for c in ("posts", "views", "engagement", "emv")
    ]
    posts_avg = fig.data[1]
    assert posts_avg.y[6] == pytest.approx(sum(trends["posts"][:7]) / 7)
    labels = [b.label for b in fig.layout.xaxis.rangeselector.buttons]
    assert labels == ["7d", "30d", "all"]
    split = charts.campaign_trends(world["by_platform"], by_platform=True)
    assert {t.name for t in split.data} == {"instagram, 7-day mean", "tiktok, 7-day mean"}


def test_campaign_trends_mark_the_partial_last_day(world: dict[str, Any]) -> None:
    """The last day is today so far: shaded, named, and kept out of the 7-day means."""
    trends = world["overview"].to_polars().trends.sort("date")
    fig = charts.campaign_trends(world["overview"])
    posts_bar, posts_avg = fig.data[0], fig.data[1]
    last = trends["date"][-1]
    assert posts_avg.name == "7-day mean (complete days)"
    assert len(posts_avg.x) == trends.height - 1 and last not in list(posts_avg.x)
    whole = trends["posts"][:-1].to_list()
    assert posts_avg.y[-1] == pytest.approx(sum(whole[-7:]) / 7)
    assert list(posts_bar.customdata)[-1] == "so far today"
    assert posts_bar.marker.pattern.shape[-1] == "/"
    assert any(a.text == "today: so far" for a in fig.layout.annotations)
    assert len(fig.layout.shapes) == 4  # the last day shaded in each panel
    assert f"without {last:%b %d}" in fig.layout.title.subtitle.text
    ended = charts.campaign_trends(world["overview"], partial_last_day=False)
    assert len(ended.data[1].x) == trends.height and not ended.layout.shapes
    # a plain table (a warehouse query) is whole days unless told otherwise
    own = charts.campaign_trends(trends)
    assert len(own.data[1].x) == trends.height and not own.layout.shapes


def test_leaderboard_sorted_by_er_with_baseline(world: dict[str, Any]) -> None:
    creators = world["creators"].to_polars().creators
    fig = charts.leaderboard(world["creators"], baseline=world["baseline"])
    bars, usual = fig.data[0], fig.data[1]
    assert list(bars.x) == sorted(creators["er_percent"].to_list(), reverse=True)
    base = world["full"].to_polars().creator
    handle = base["username"][0]
    ix = [t.split(" ")[0] for t in fig.layout.yaxis.ticktext].index(handle)
    ypos = fig.layout.yaxis.tickvals[ix]
    assert usual.x[list(usual.y).index(ypos)] == base["engagement_percent"][0]


def _bars_top_down(fig: go.Figure) -> list[tuple[str, float]]:
    """(label, value) of every bar across traces, in the order the y axis shows them."""
    pairs = {y: x for t in fig.data for y, x in zip(t.y, t.x, strict=True)}
    return [(y, pairs[y]) for y in fig.layout.yaxis.categoryarray[::-1]]


def test_leaderboard_says_no_posts_yet_and_leaves_them_out_of_the_count(
    world: dict[str, Any],
) -> None:
    creators = world["creators"].to_polars().creators
    usual = world["full"].to_polars().creator.select("username", "engagement_percent").rows()
    (name, er), other = usual[0], creators.filter(pl.col("handle") != usual[0][0])["handle"][0]
    quiet = creators.with_columns(
        posts=pl.when(pl.col("handle").is_in([name, other])).then(0).otherwise(pl.col("posts")),
        er_percent=pl.when(pl.col("handle").is_in([name, other]))
        .then(0.0)
        .otherwise(pl.col("er_percent")),
    )
    baseline = pl.DataFrame(
        {
            "username": [name, *creators["handle"]],
            "engagement_percent": [er] + [0.01] * len(creators),
        }
    ).unique("username", keep="first")
    fig = charts.leaderboard(quiet, baseline=baseline)
    labels = next(t for t in fig.data if getattr(t, "mode", None) == "text")
    at = {y: (x, text.strip()) for y, x, text in zip(labels.y, labels.x, labels.text, strict=True)}
    handles = [t.split(" ")[0] for t in fig.layout.yaxis.ticktext]
    for who in (name, other):
        assert at[fig.layout.yaxis.tickvals[handles.index(who)]] == (0.0, "no posts yet")
    posters = quiet.filter(pl.col("posts") > 0)
    beat = posters.filter(pl.col("er_percent") > 0.01).height
    waiting = quiet.height - posters.height
    assert waiting >= 2
    assert (
        f"{beat} of {posters.height} creators beat their usual ER; {waiting} with no posts yet"
        in (_sub(fig))
    )


def test_leaderboard_leaves_room_for_the_top_value_label(world: dict[str, Any]) -> None:
    fig = charts.leaderboard(world["creators"], baseline=world["baseline"])
    top = max([*fig.data[0].x, *(u for u in fig.data[1].x if u is not None)])
    lo, hi = fig.layout.xaxis.range
    # the label outside the longest bar needs about a sixth of the panel, or it runs into
    # the sparkline panel beside it
    assert lo == 0 and hi >= 1.15 * top


def test_leaderboard_takes_an_enrich_many_baseline(world: dict[str, Any]) -> None:
    many = world["client"].creators.enrich_many(
        world["ig"][:3], "instagram", mode="full", progress=False
    )
    usual = many.tables().creator.select("username", "engagement_percent").rows()
    fig = charts.leaderboard(world["creators"], baseline=many)
    marks = fig.data[1]
    by_y = dict(zip(marks.y, marks.x, strict=True))
    handles = [t.split(" ")[0] for t in fig.layout.yaxis.ticktext]
    for username, er in usual:
        assert by_y[fig.layout.yaxis.tickvals[handles.index(username)]] == er


def test_top_content_top_n_by_er(world: dict[str, Any]) -> None:
    content = world["content"].to_polars().content
    fig = charts.top_content(world["content"], n=5)
    shown = _bars_top_down(fig)
    assert [x for _, x in shown] == sorted(content["er_percent"].to_list(), reverse=True)[:5]
    assert not any("cnt_" in y for y, _ in shown)  # labels, not raw ids


def test_top_content_colours_and_names_each_platform(world: dict[str, Any]) -> None:
    content = world["content"].to_polars().content
    assert content["platform"].n_unique() == 2
    fig = charts.top_content(content, n=len(content))
    assert {t.name for t in fig.data} == {"instagram", "tiktok"}
    assert all(t.showlegend for t in fig.data)
    for t in fig.data:
        assert t.marker.color == charts.PLATFORM_COLORS[t.name]
        n = content.filter(pl.col("platform") == t.name).height
        assert len(t.x) == n
    assert fig.layout.barmode == "stack"  # a bar per post at full width, no empty slots
    assert "coloured by platform" in _sub(fig)
    one = charts.top_content(content.filter(pl.col("platform") == "instagram"))
    assert len(one.data) == 1 and not one.data[0].showlegend
    assert "colour" not in _sub(one)  # one colour: nothing to explain


def test_creator_charts_data(world: dict[str, Any]) -> None:
    page = world["page"].to_polars()
    fig = charts.followers_vs_er(page)
    assert (
        sum(len(t.x) for t in fig.data)
        == page.filter(pl.col("engagement_percent").is_not_null()).height
    )
    assert fig.layout.xaxis.type == "log"
    full = world["full"].to_polars()
    posts = charts.post_engagement(full)
    assert sum(posts.data[0].y) == full.posts["likes"].sum()
    first, last = full.posts["created_at"].min(), full.posts["created_at"].max()
    # the subtitle names the start's year when the posts span more than one
    start = f"{first:%b %d}" + (f", {first:%Y}" if first.year != last.year else "")
    assert f"from {start} to {last:%b %d, %Y}" in _sub(posts)
    gaps = full.posts["created_at"].sort().diff().dt.total_milliseconds().drop_nulls()
    width = posts.data[0].width
    assert width >= 3_600_000 and width <= max(0.8 * gaps.quantile(0.2), 3_600_000)
    demo = charts.demographics(full)
    male = next(t for t in demo.data if t.name == "Male")
    fol = full.audience_genders_per_age.filter(pl.col("source") == "followers")
    assert [-v for v in male.x] == fol["male"].to_list()
    # the API's open-ended top band "65-" reads "65+", in the table as in the chart
    assert "65+" in fol["code"].to_list() and "65-" not in fol["code"].to_list()
    assert list(male.y) == fol["code"].to_list()
    assert "65+" in full.audience_ages["code"].to_list()
    growth = charts.follower_growth(full)
    assert list(growth.data[0].y) == [
        full.instagram[f"growth_{m}_months_ago"][0] for m in (3, 6, 9, 12)
    ]


def _ledger(cached: bool) -> pl.DataFrame:
    t0 = datetime(2026, 11, 1, tzinfo=UTC)
    rows = [
        {"time": t0, "operation": "audience_overlap", "credits_cost": 1.0},
        {"time": t0 + timedelta(minutes=2), "operation": "enrich_handle_full", "credits_cost": 1.0},
        {"time": t0 + timedelta(minutes=3), "operation": "audience_overlap", "credits_cost": 1.0},
    ]
    if cached:
        rows.append(
            {
                "time": t0 + timedelta(minutes=4),
                "operation": "audience_overlap",
                "credits_cost": 0.0,
                "cached": True,
                "credits_saved": 1.0,
            }
        )
    return pl.DataFrame(rows)


def test_spend_cumulative_by_operation_and_cache_hits(world: dict[str, Any]) -> None:
    fig = charts.spend(_ledger(cached=False))
    by = {t.name: list(t.y) for t in fig.data}
    assert by["audience overlap"] == [1.0, 2.0]
    assert by["all operations"] == [1.0, 2.0, 3.0]
    assert "saved by the cache" not in by
    hit = {t.name: list(t.y) for t in charts.spend(_ledger(cached=True)).data}
    assert hit["saved by the cache"][-1] == 1.0
    # the total is drawn first, wide and translucent, so a per-operation line equal to it
    # (one operation) shows on top instead of hiding beneath it
    one = charts.spend(_ledger(cached=False).filter(pl.col("operation") == "audience_overlap"))
    total, op = one.data[0], one.data[1]
    assert (total.name, op.name) == ("all operations", "audience overlap")
    assert list(total.y) == list(op.y)
    assert total.line.width > 2 * op.line.width and total.line.color.startswith("rgba(")
    quick = _ledger(cached=False).with_columns(
        time=pl.col("time").dt.truncate("1h") + pl.duration(seconds=pl.int_range(pl.len()))
    )
    by_call = charts.spend(quick)  # seconds apart: by call number, whole numbers only
    assert by_call.layout.xaxis.title.text.startswith("Call number")
    assert by_call.layout.xaxis.dtick == 1 and by_call.layout.xaxis.tickformat == ",d"
    live = charts.spend(world["client"].ledger)
    total = next(t for t in live.data if t.name == "all operations")
    assert total.y[-1] == pytest.approx(world["client"].ledger.total_spent)


def test_spend_counts_accruals_apart_from_calls_and_writes_money_plainly() -> None:
    t0 = datetime(2026, 11, 1, tzinfo=UTC)
    rows = [
        {"operation": "account_credits", "credits_cost": 0.0, "kind": "call"},
        {"operation": "listening_campaign_accrual", "credits_cost": 0.12, "kind": "accrual"},
        {"operation": "enrich_handle_full", "credits_cost": 12_345.6, "kind": "call"},
        {"operation": "listening_campaign_accrual", "credits_cost": 0.06, "kind": "accrual"},
        {"operation": "enrich_handle_full", "credits_cost": 0.0, "kind": "call", "cached": True},
    ]
    ledger = pl.DataFrame([{"time": t0 + timedelta(seconds=i), **r} for i, r in enumerate(rows)])
    fig = charts.spend(ledger)
    sub = _sub(fig)
    assert "12,345.78 credits: 3 calls (1 paid, 1 free, 1 cached) + 2 accruals" in sub
    assert "e+" not in sub
    by = {t.name.split("<br>")[0]: t for t in fig.data}
    assert "listening campaign accrual" not in by  # not an operation line among the calls
    acc = by["listening accruals"]
    assert list(acc.y) == pytest.approx([0.12, 0.18])
    assert list(acc.x) == [1.5, 2.5]  # between calls, on no call number of its own
    assert list(by["all operations"].x) == [1, 1.5, 2, 2.5, 3]
    assert "placed when observed" in acc.name


EMPTY = [
    (charts.overlap, {"creators": pl.DataFrame()}),
    (charts.overlap_venn, pl.DataFrame()),
    (charts.overlap_matrix, pl.DataFrame()),
    (charts.reach_curve, pl.DataFrame()),
    (charts.campaign_trends, pl.DataFrame()),
    (charts.leaderboard, pl.DataFrame()),
    (charts.top_content, pl.DataFrame()),
    (charts.followers_vs_er, pl.DataFrame()),
    (charts.post_engagement, pl.DataFrame()),
    (charts.demographics, pl.DataFrame()),
    (charts.follower_growth, pl.DataFrame()),
    (charts.spend, pl.DataFrame()),
]


@pytest.mark.parametrize(("chart", "empty"), EMPTY, ids=[c.__name__ for c, _ in EMPTY])
def test_empty_input_says_no_data(chart: Any, empty: Any) -> None:
    fig = chart(empty)
    assert _no_data(fig) and fig.layout.title.text


def test_every_figure_renders_to_png(world: dict[str, Any], kaleido_server: Any) -> None:
    figs = [
        charts.overlap(world["overlap3"]),
        charts.overlap_venn(world["overlap2"]),
        charts.overlap_matrix(world["matrix"]),
        charts.reach_curve(world["plan"]),
        charts.campaign_trends(world["overview"]),
        charts.leaderboard(world["creators"], baseline=world["baseline"]),
        charts.top_content(world["content"]),
        charts.followers_vs_er(world["page"]),
        charts.post_engagement(world["full"]),
        charts.demographics(world["full"]),
        charts.follower_growth(world["full"]),
        charts.spend(world["client"].ledger),
        charts.spend(pl.DataFrame()),
    ]
    for fig in figs:
        png = kaleido_server.calc_fig_sync(fig, opts={"format": "png"})
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000


def test_importing_charts_leaves_plotlys_renderer_alone() -> None:
    # outside a kernel, or when PLOTLY_RENDERER chose one, the import changes nothing
    # (in a kernel: test_html_export.py)
    code = (
        "import plotly.io as pio; before = pio.renderers.default;"
        "import toolkit.charts; print(before == pio.renderers.default, pio.renderers.default)"
    )
    env = {**os.environ, "PLOTLY_RENDERER": "plotly_mimetype+notebook"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["True", "plotly_mimetype+notebook"]


def test_leaderboard_legend_names_each_platform_colour(world: dict[str, Any]) -> None:
    fig = charts.leaderboard(world["creators"], baseline=world["baseline"])
    platforms = set(world["creators"].to_polars().creators["platform"].to_list())
    assert len(platforms) > 1
    assert fig.data[0].showlegend is False  # one swatch would show one colour for all bars
    swatches = {t.name: t.marker.color for t in fig.data if t.x == (None,)}
    assert swatches == {p: platform_color(p) for p in platforms}
