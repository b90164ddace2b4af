"""join_creators: discovery rows to enrichment rows of the same creators, on the handle."""

from __future__ import annotations

import pandas as pd
import polars as pl
import pytest

import toolkit as ic
from toolkit import frames
from toolkit.sandbox import Sandbox


@pytest.fixture(scope="module")
def answers() -> tuple[ic.Result, object]:
    client = ic.connect(quiet=True, sandbox={"seed": 11, "creators": 300})
    page = client.discovery.search("instagram", limit=6)
    handles = page.to_polars()["username"].to_list()
    enriched = client.creators.enrich_many(handles[:4], "instagram", mode="full", progress=False)
    return page, enriched


def test_discovery_rows_get_the_enrichment_of_the_same_creator(answers) -> None:
    page, enriched = answers
    joined = frames.join_creators(page, enriched)
    found = page.to_polars()
    assert joined.height == found.height  # a left join keeps every discovery row
    assert joined["username"].to_list() == found["username"].to_list()
    profiles = enriched.tables()["creator"]
    by_handle = dict(zip(profiles["username"], profiles["user_id"], strict=True))
    for row in joined.iter_rows(named=True):
        # the two endpoints' ids differ; the join matched on the handle, not on them
        assert row["user_id"].startswith("uc_")
        assert row["user_id_right"] == by_handle.get(row["username"])
    assert joined["email"].null_count() < joined.height  # enrichment columns came along
    assert frames.join_creators(page, enriched, how="inner").height == 4


def test_handles_match_whatever_their_case_or_at_sign() -> None:
    found = pl.DataFrame({"platform": ["instagram", "tiktok"], "username": ["Nia", "nia"]})
    rich = pl.DataFrame(
        {"platform": ["instagram", "instagram"], "username": [" @NIA", "@nia"], "email": ["a", "b"]}
    )
    joined = frames.join_creators(found, rich)
    # one instagram creator enriched twice counts once (the last row); tiktok's nia is not her
    assert joined.select("username", "email").rows() == [("Nia", "b"), ("nia", None)]


def test_without_platform_columns_the_handle_alone_is_the_key() -> None:
    found = pl.DataFrame({"username": ["a", "b"]})
    rich = pl.DataFrame({"handle": ["B"], "followers": [5]})
    joined = frames.join_creators(found, rich, right_on="handle")
    assert joined.rows() == [("a", None), ("b", 5)]


def test_a_handle_on_several_platforms_is_not_guessed_without_a_platform() -> None:
    found = pl.DataFrame({"username": ["nia"]})
    rich = pl.DataFrame({"platform": ["instagram", "tiktok"], "username": ["nia", "nia"]})
    with pytest.raises(ic.ArgumentError, match="several platforms"):
        frames.join_creators(found, rich)
    one = rich.filter(pl.col("platform") == "tiktok").with_columns(f=pl.lit(2))
    assert frames.join_creators(found, one)["f"].to_list() == [2]


def test_a_pandas_frame_indexed_by_handle_still_joins() -> None:
    found = pd.DataFrame({"followers": [10, 20]}, index=pd.Index(["a", "b"], name="username"))
    rich = pl.DataFrame({"username": ["B"], "email": ["b@x.io"]})
    joined = frames.join_creators(found, rich)
    assert list(joined["username"]) == ["a", "b"]
    assert list(joined["email"].astype(object).where(joined["email"].notna(), None)) == [
        None,
        "b@x.io",
    ]


def test_a_full_join_keeps_creators_only_the_right_side_has() -> None:
    found = pl.DataFrame({"platform": ["youtube"], "username": ["a"], "x": [1]})
    rich = pl.DataFrame({"platform": ["youtube", "youtube"], "username": ["a", "c"], "y": [2, 3]})
    joined = frames.join_creators(found, rich, how="full").sort("username")
    assert joined.select("platform", "username", "x", "y").rows() == [
        ("youtube", "a", 1, 2),
        ("youtube", "c", None, 3),
    ]


def test_pandas_in_pandas_out(answers) -> None:
    page, enriched = answers
    joined = frames.join_creators(page.to_pandas(), enriched.tables().to_pandas())
    assert isinstance(joined, pd.DataFrame)
    assert list(joined["username"]) == page.to_polars()["username"].to_list()


@pytest.mark.parametrize(
    ("left", "right", "says"),
    [
        (pl.DataFrame({"name": ["a"]}), pl.DataFrame({"username": ["a"]}), "no 'username'"),
        (pl.DataFrame({"username": ["a"]}), {"username": "a"}, "must be a DataFrame"),
        (pl.DataFrame({"username": ["a"]}), frames.Tables({"posts": pl.DataFrame()}), "no creator"),
    ],
)
def test_bad_input_names_what_to_fix(left, right, says) -> None:
    with pytest.raises(ic.ArgumentError, match=says):
        frames.join_creators(left, right)
    with pytest.raises(ic.ArgumentError, match="how must be"):
        frames.join_creators(left, left, how="outer")  # type: ignore[arg-type]


def test_a_served_sandbox_answer_joins_the_same(answers) -> None:
    """The join reads only what the real API also returns (handles, platforms)."""
    sb = Sandbox(seed=11, creators=300)
    with sb.serve() as url:
        client = ic.Client(api_key=sb.api_key, base_url=url)
        page = client.discovery.search("instagram", limit=6)
        full = client.creators.enrich_handle(page.to_polars()["username"][0], "instagram")
        joined = frames.join_creators(page, full, how="inner")
        client.close()
    assert joined.height == 1 and joined["username"][0] == page.to_polars()["username"][0]
