"""``convert`` for every operation of endpoints.json (+ ledger) on contract-shaped bodies."""

from __future__ import annotations

import json
import warnings
from datetime import UTC, date, datetime

import polars as pl
import pytest
from frames_helpers import EXAMPLES

from contract import operations
from toolkit import frames


def _declared(df: pl.DataFrame) -> bool:
    return any(
        list(df.schema.items())[: len(s.columns)] == list(s.columns.items())
        for s in frames.TABLES.values()
    )


def test_every_operation_has_a_converter() -> None:
    ops = {op["name"] for op in operations()}
    assert len(ops) == 70
    assert set(frames.CONVERTERS) == ops | {"ledger"}


def _conv(op: str) -> pl.DataFrame | frames.Tables:
    body, params = EXAMPLES[op]
    return frames.convert(op, body, params=params)


def test_unknown_operation_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown operation"):
        frames.convert("no_such_thing", {})


@pytest.mark.parametrize("op", sorted(EXAMPLES))
def test_operation_converts_cleanly_with_declared_schema(op: str) -> None:
    body, params = EXAMPLES[op]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a contract-shaped body needs no coercion warning
        result = frames.convert(op, body, params=params)
    parts = dict(result) if isinstance(result, frames.Tables) else {"": result}
    for name, df in parts.items():
        assert _declared(df), f"{op}:{name}"


@pytest.mark.parametrize("op", sorted(EXAMPLES))
def test_empty_or_null_body_gives_typed_empty_tables(op: str) -> None:
    _, params = EXAMPLES[op]
    for body in (None, [], {}):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", frames.SchemaWarning)
            result = frames.convert(op, body, params=params)
        parts = dict(result) if isinstance(result, frames.Tables) else {"": result}
        for df in parts.values():
            assert df.height == 0
            assert _declared(df)


def test_discovery_strings_to_numbers_and_rank() -> None:
    body, params = EXAMPLES["discovery_search"]
    df = frames.convert("discovery_search", body, params=params)
    assert df["followers"].to_list() == [10, 20]
    assert df["rank"].to_list() == [3, 4]  # page 1 of limit 2, pages 0-based


def test_enrichment_tables_keyed_by_creator() -> None:
    body, params = EXAMPLES["enrich_handle_full"]
    t = frames.convert("enrich_handle_full", body, params=params)
    assert t.names == frames.MODES["full"]
    yt = body["result"]["youtube"]
    for name in (
        "creator",
        "youtube",
        "twitter",
        "twitch",
        "posts",
        "niches",
        "lookalikes",
        "audience_genders",
        "audience_countries",
        "links",
    ):
        df = t[name]
        assert df.height > 0, name
        assert df["platform"].cast(pl.String).unique().to_list() == ["youtube"]
        assert df["user_id"].unique().to_list() == [yt["id"]]
    assert t.creator["followers"][0] == int(yt["subscriber_count"])
    # YouTube engagement strings → Int64, ISO duration → seconds, ISO Z → UTC
    yt_post = t.posts.filter(pl.col("post_platform") == "youtube")
    assert yt_post["views"].to_list() == [1200]
    assert yt_post["duration_s"].to_list() == [65.0]
    assert yt_post["created_at"][0] == datetime(2026, 4, 1, tzinfo=UTC)
    x_post = t.posts.filter(pl.col("post_platform") == "twitter")
    assert x_post["created_at"][0] == datetime(2026, 4, 29, 7, 58, 12, tzinfo=UTC)
    assert x_post["comments"].to_list() == [1]
    # Twitch camelCase → snake_case
    assert t.twitch["display_name"][0] == "Chan" and t.twitch["is_partner"][0] is True
    assert t.links.filter(pl.col("kind") == "social_media")["url"].to_list() == [
        "https://x.com/chan"
    ]
    assert t.creator["creator_has"][0].to_list() == ["youtube"]
    sources = t.audience_credibility["source"].cast(pl.String).to_list()
    assert sources == ["followers", "commenters"]


def test_modes_pick_table_subsets() -> None:
    body, params = EXAMPLES["enrich_handle_raw"]
    raw = frames.convert("enrich_handle_raw", body, params=params)
    assert raw.names == frames.MODES["raw"]
    assert "audience_ages" not in raw.names and "posts" in raw.names


def test_batch_results_same_tables_plus_failures() -> None:
    body, params = EXAMPLES["batch_results"]
    t = frames.convert("batch_results", body, params=params)
    single = frames.convert(
        "enrich_handle_full",
        {"result": body[0]["enrichment_data"]},
        params={"platform": "youtube", "handle": "@chan"},
    )
    assert t.names == (*single.names, "failures")
    for name in single.names:
        assert t[name].equals(single[name]), name
    assert t.failures["input_value"].to_list() == ["ghost"]
    assert t.failures["status"].cast(pl.String).to_list() == ["not_found"]


def test_batch_results_many_creators_one_table() -> None:
    result = EXAMPLES["batch_results"][0][0]["enrichment_data"]
    rows = [
        {"input_value": f"h{i}", "status": "success", "enrichment_data": result} for i in range(5)
    ]
    t = frames.batch_results(rows, platform="youtube")
    assert t.creator["input_value"].to_list() == [f"h{i}" for i in range(5)]
    assert t.posts.height == 5 * 1 + 5 * 1  # one YouTube and one X post per creator


def test_batch_status_credits_string() -> None:
    body, params = EXAMPLES["batch_status"]
    df = frames.convert("batch_status", body, params=params)
    assert df["credits_used"].to_list() == [1.0]
    created = frames.convert("batch_create", *EXAMPLES["batch_create"][:1])
    assert json.loads(created["metadata"][0]) == {"campaign": "Q4"}


def test_secrets_never_in_frames() -> None:
    keys = frames.convert("api_keys_list", *EXAMPLES["api_keys_list"][:1])
    assert "token" not in keys.columns and keys["token_hint"][0] == "…mnop"
    assert "abcdefghij" not in repr(keys) + repr(frames.to_pandas(keys))
    tok = frames.convert("oauth_token", *EXAMPLES["oauth_token"][:1])
    assert "secret" not in repr(tok.to_dicts())
    assert tok.row(0, named=True)["has_refresh_token"] is True
    auth = frames.convert("oauth_authorize", *EXAMPLES["oauth_authorize"][:1])
    assert "SECRETCODE" not in repr(auth.to_dicts()) and auth["state"][0] == "xyz"


def test_listening_campaign_creators_trend_both_shapes() -> None:
    body, params = EXAMPLES["social_listening_campaign_creators_list"]
    t = frames.convert("social_listening_campaign_creators_list", body, params=params)
    assert t.creators.schema["trend_7d"] == pl.List(pl.Float64)
    assert t.creators["trend_7d"][0].to_list() == [float(x) for x in body["results"][0]["trend_7d"]]
    assert t.trend.height == 7
    assert t.trend.sort("days_ago")["engagement"].to_list() == [6.0, 5, 4, 3, 2, 1, 0]


def test_listening_overview_and_details() -> None:
    body, params = EXAMPLES["social_listening_campaign_overview"]
    t = frames.convert("social_listening_campaign_overview", body, params=params)
    assert t.names == ("totals", "trends", "by_platform")
    assert t.totals["emv"][0] == body["totals"]["emv"]
    assert t.trends["date"].to_list() == [date(2026, 5, 1)]
    body, params = EXAMPLES["social_listening_subscription_details"]
    d = frames.convert("social_listening_subscription_details", body, params=params)
    assert (
        dict(
            zip(
                d.by_event_type["event_type"].cast(pl.String),
                d.by_event_type["events"],
                strict=True,
            )
        )
        == body["by_event_type"]
    )
    exp = _conv("social_listening_subscription_details_export")
    assert exp.daily["events"].to_list() == [2] and exp.daily["date"].to_list() == [
        date(2026, 5, 1)
    ]


def test_listening_events_and_content() -> None:
    t = _conv("social_listening_events_get")
    assert t.events["payload_new_bio"].to_list() == ["b"]
    assert t.deliveries["response_code"].to_list() == [200]
    c = _conv("social_listening_campaign_content")
    assert c.content["creator_handle"].to_list() == ["nasa"] and c.content["views"].to_list() == [
        10
    ]
    assert c.media["url"].to_list() == ["https://m"]


def test_subscriptions_list_summary() -> None:
    t = _conv("social_listening_subscriptions_list")
    assert t.subscriptions.height == 2 and t.endpoints.height == 2
    assert t.summary["by_type_handles"].to_list() == [2]
    assert t.subscriptions["daily_cost"].to_list() == [0.5, 0.5]


def test_exclusion_entries_positions() -> None:
    body, params = EXAMPLES["exclusion_lists_list_entries_get"]
    df = frames.convert("exclusion_lists_list_entries_get", body, params=params)
    assert df["position"].to_list() == [1, 2] and df["handle"].to_list() == ["a", "b"]
    assert df["list_id"].to_list() == ["7", "7"]


def test_ledger() -> None:
    df = frames.convert("ledger", EXAMPLES["ledger"][0])
    assert df.schema["time"] == pl.Datetime("us", "UTC")
    assert df["credits_left"].to_list() == [99.2]


def test_tables_is_immutable_mapping_with_repr() -> None:
    t = _conv("audience_overlap")
    assert repr(t) == "Tables(creators: 1×10, stats: 1×5, totals: 1×8)"
    with pytest.raises(AttributeError):
        t.creators = pl.DataFrame()  # type: ignore[misc]
    with pytest.raises(TypeError):
        t["x"] = pl.DataFrame()  # type: ignore[index]
    with pytest.raises(AttributeError, match="no table"):
        _ = t.nope
