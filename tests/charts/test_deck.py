"""Charts that say nothing false and read well in a deck: several creators compared, never
summed; shares that cannot be one audience's refused; title, subtitle and cost on request;
percent ticks with the decimals the data needs; names on the scatter; no fixed width."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import polars as pl
import pytest

from toolkit import Client, charts
from toolkit._config import SANDBOX_BASE_URL


@pytest.fixture(scope="module")
def many(world: dict[str, Any]) -> Any:
    return world["client"].creators.enrich_many(
        world["ig"][:3], "instagram", mode="full", progress=False
    )


def _shares(fig: go.Figure) -> list[float]:
    return [abs(v) for t in fig.data if t.type == "bar" for v in t.x if v is not None]


def test_demographics_of_three_creators_compares_them_never_sums(many: Any) -> None:
    tables = many.tables()
    fig = charts.demographics(many)
    assert max(_shares(fig)) <= 1.0  # summed, the United States read 330%
    who = tables.creator["username"].to_list()
    assert {t.name for t in fig.data} == set(who)
    assert "3 creators" in fig.layout.title.subtitle.text
    countries = tables.audience_countries.filter(pl.col("source") == "followers")
    for t in fig.data:
        if t.xaxis != "x2":  # the countries panel
            continue
        mine = countries.filter(pl.col("username") == t.name)
        weight = dict(zip(mine["name"], mine["weight"], strict=True))
        assert [weight.get(n) for n in t.y] == list(t.x)  # its own shares, side by side
    ages = tables.audience_genders_per_age.filter(pl.col("source") == "followers")
    first = next(t for t in fig.data if t.xaxis == "x" and t.name == who[0])
    mine = ages.filter(pl.col("username") == who[0])
    both = {c: m + f for c, m, f in mine.select("code", "male", "female").rows()}
    assert dict(zip(first.y, first.x, strict=True)) == pytest.approx(both)


def test_demographics_picks_one_creator_or_refuses_too_many(
    many: Any, world: dict[str, Any]
) -> None:
    one = charts.demographics(many, creator=world["ig"][1])
    assert {t.name for t in one.data} >= {"Male", "Female"}
    assert one.layout.title.subtitle.text.startswith(world["ig"][1])
    countries = many.tables().audience_countries
    seven = pl.concat([countries.with_columns(username=pl.lit(f"creator{i}")) for i in range(7)])
    with pytest.raises(ValueError, match=r"creator='creator0'"):
        charts.demographics({"audience_countries": seven})
    pair = charts.demographics(
        [
            world["full"],
            world["client"].creators.enrich_handle(world["ig"][1], "instagram", mode="full"),
        ]
    )
    assert {t.name for t in pair.data} == {world["ig"][0], world["ig"][1]}  # a list compares too
    with pytest.raises(ValueError, match="no audience for 'nobody'"):
        charts.demographics(many, creator="nobody")


def test_a_chart_refuses_shares_that_cannot_be_one_audience(many: Any) -> None:
    countries = many.tables().audience_countries.filter(pl.col("source") == "followers")
    summed = countries.drop("username")  # three audiences, nothing to tell them apart
    with pytest.raises(ValueError, match="more than 100%"):
        charts.demographics({"audience_countries": summed})
    percent = countries.filter(pl.col("username") == countries["username"][0]).with_columns(
        weight=pl.col("weight") * 100
    )
    with pytest.raises(ValueError, match="outside 0-1"):
        charts.demographics({"audience_countries": percent})


def test_one_creator_charts_name_how_to_pick_one(many: Any, world: dict[str, Any]) -> None:
    first = many.tables().creator["username"][0]
    for chart in (charts.post_engagement, charts.follower_growth):
        with pytest.raises(ValueError, match=f"creator='{first}'"):
            chart(many)
    growth = charts.follower_growth(many, creator=first.upper())
    assert growth.layout.title.subtitle.text == first


def test_title_subtitle_and_cost_on_request(world: dict[str, Any]) -> None:
    fig = charts.overlap(world["overlap3"], title="Who shares whom", subtitle="Q3 shortlist")
    assert (fig.layout.title.text, fig.layout.title.subtitle.text) == (
        "Who shares whom",
        "Q3 shortlist",
    )
    fig.update_layout(title_text="Renamed")  # the subtitle stays: it is plotly's own
    assert fig.layout.title.subtitle.text == "Q3 shortlist"
    bare = charts.reach_curve(world["plan"], subtitle="")
    assert not bare.layout.title.subtitle.text
    assert "credit" not in charts.overlap_matrix(world["matrix"]).layout.title.subtitle.text
    m = world["matrix"]
    paid = charts.overlap_matrix(m, show_cost=True).layout.title.subtitle.text
    assert m.calls == 6 and f"{m.cost:g} credit" in paid  # 4 creators, one call per pair
    assert f"{m.calls - m.cached} paid call" in paid
    spend = charts.spend(world["client"].ledger)
    assert " credits: " in spend.layout.title.subtitle.text  # about money: cost by default
    assert not charts.spend(world["client"].ledger, show_cost=False).layout.title.subtitle.text


def test_costs_say_what_they_count(world: dict[str, Any]) -> None:
    sb, ig = world["sb"], world["ig"]
    client = Client(
        api_key=sb.api_key, base_url=SANDBOX_BASE_URL, transport=sb.transport(), store="memory:"
    )
    client.creators.overlap("instagram", ig[:2])  # one pair already paid for
    matrix = client.creators.overlap_matrix("instagram", ig[:3], confirm=True)
    assert (matrix.calls, matrix.cached) == (3, 1)
    text = charts.overlap_matrix(matrix, show_cost=True).layout.title.subtitle.text
    assert "2 credits: 2 paid calls + 1 from the cache" in text
    again = charts.overlap(client.creators.overlap("instagram", ig[:2]), show_cost=True)
    assert "from the cache" in again.layout.title.subtitle.text


def _matrix(shares: list[float]) -> pl.DataFrame:
    names = ["a", "b", "c", "d"]
    pairs = [(x, y) for x in names for y in names if x != y]
    return pl.DataFrame(
        {
            "creator": [x for x, _ in pairs],
            "other": [y for _, y in pairs],
            "creator_followers": [1000] * len(pairs),
            "shared_share": [shares[i % len(shares)] for i in range(len(pairs))],
            "shared_followers": [10] * len(pairs),
        }
    )


def test_overlap_matrix_colour_bar_ticks_are_distinct_for_small_shares() -> None:
    fig = charts.overlap_matrix(_matrix([0.005, 0.0075, 0.009, 0.012]))
    bar = fig.data[0].colorbar
    assert len(bar.ticktext) >= 3
    assert len(set(bar.ticktext)) == len(bar.ticktext)  # not "1%" on every tick
    assert all(
        float(t.rstrip("%")) / 100 == pytest.approx(v)
        for t, v in zip(bar.ticktext, bar.tickvals, strict=True)
    )
    wide = charts.overlap_matrix(_matrix([0.05, 0.3, 0.6])).data[0].colorbar
    assert list(wide.ticktext)[:3] == ["0%", "20%", "40%"]  # no decimals when none are needed


def test_followers_vs_er_names_the_biggest_and_ticks_do_not_collide(world: dict[str, Any]) -> None:
    page = world["page"].to_polars()
    fig = charts.followers_vs_er(page, label_top=4)
    biggest = page.sort("followers", descending=True)["username"].head(4).to_list()
    assert [a.text for a in fig.layout.annotations if a.showarrow] == biggest
    assert not [
        a for a in charts.followers_vs_er(page, label_top=0).layout.annotations if a.showarrow
    ]
    ticks = list(fig.layout.xaxis.ticktext)
    assert len(set(ticks)) == len(ticks) and "90k" not in ticks  # 1-2-5 steps only


ALL = [
    ("overlap3", charts.overlap),
    ("overlap2", charts.overlap_venn),
    ("matrix", charts.overlap_matrix),
    ("plan", charts.reach_curve),
    ("overview", charts.campaign_trends),
    ("creators", charts.leaderboard),
    ("page", charts.followers_vs_er),
    ("full", charts.post_engagement),
    ("full", charts.demographics),
    ("full", charts.follower_growth),
]


@pytest.mark.parametrize(("key", "chart"), ALL, ids=[c.__name__ for _, c in ALL])
def test_every_chart_takes_deck_options_and_fills_its_container(
    world: dict[str, Any], key: str, chart: Any
) -> None:
    own = chart(world[key]).layout.title.text  # the chart's own title, whatever it drew
    assert own.startswith(chart(pl.DataFrame()).layout.title.text)
    fig = chart(world[key], title="T", subtitle="S")
    assert (fig.layout.title.text, fig.layout.title.subtitle.text) == ("T", "S")
    assert fig.layout.width is None and fig.layout.template.layout.width is None
    assert fig.layout.title.font.weight is None  # bold comes from the template
    assert fig.layout.template.layout.title.font.weight == "bold"
