"""Every real captured response converts, and values a reader sees in the JSON land in the
right columns. The expected values are read from the JSON files in each test, not copied."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
import pytest
from frames_helpers import quiet

from contract import sample, sample_names
from toolkit import frames

CASES = {
    "discovery-instagram-1.json": (
        "discovery_search",
        {"platform": "instagram", "paging": {"limit": 2, "page": 0}},
    ),
    "discovery-youtube-1.json": ("discovery_search", {"platform": "youtube"}),
    "similar-instagram-1.json": ("discovery_similar_creators", {"platform": "instagram"}),
    "audience-overlap-instagram-1.json": ("audience_overlap", {"platform": "instagram"}),
    "connected-socials-instagram-1.json": (
        "connected_socials",
        {"platform": "instagram", "handle": "nasa"},
    ),
    "account-credits-any-1.json": ("account_credits", None),
    "dictionary-audience-interests-any-1.json": ("dictionary_audience_interests", None),
    "dictionary-languages-any-1.json": ("dictionary_languages", None),
    "dictionary-locations-instagram-1.json": ("dictionary_locations", {"platform": "instagram"}),
    "enrich-full-instagram-1.json": (
        "enrich_handle_full",
        {"platform": "instagram", "handle": "cristiano"},
    ),
    "enrich-full-instagram-2.json": (
        "enrich_handle_full",
        {"platform": "instagram", "handle": "nasa"},
    ),
    "enrich-full-tiktok-1.json": (
        "enrich_handle_full",
        {"platform": "tiktok", "handle": "khaby.lame"},
    ),
    "enrich-profile-instagram-1.json": (
        "enrich_handle_profile",
        {"platform": "instagram", "handle": "nasa"},
    ),
    "enrich-raw-instagram-1.json": (
        "enrich_handle_raw",
        {"platform": "instagram", "handle": "nasa"},
    ),
    "enrich-analytics-instagram-1.json": (
        "enrich_handle_analytics",
        {"platform": "instagram", "handle": "nasa"},
    ),
    "posts-instagram-1.json": ("content_posts", {"platform": "instagram", "handle": "nasa"}),
    "post-details-instagram-1.json": (
        "content_details",
        {
            "platform": "instagram",
            "post_id": "3967213292204992434_528817151",
            "content_type": "data",
        },
    ),
}


def _frames(result: pl.DataFrame | frames.Tables) -> dict[str, pl.DataFrame]:
    return dict(result) if isinstance(result, frames.Tables) else {"": result}


def test_every_sample_file_has_a_case() -> None:
    assert set(sample_names()) == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_sample_converts_with_declared_prefix(name: str) -> None:
    op, params = CASES[name]
    result = quiet(frames.convert, op, sample(name), params=params)
    specs = {s.name: s for s in frames.TABLES.values()}
    for table, df in _frames(result).items():
        # find the spec whose declared columns prefix this frame
        match = [
            s
            for s in specs.values()
            if list(df.schema)[: len(s.columns)] == list(s.columns)
            and all(df.schema[c] == t for c, t in s.columns.items())
        ]
        assert match, f"{name}:{table} does not start with any declared schema"


def test_discovery_first_account() -> None:
    body = sample("discovery-instagram-1.json")
    df = frames.convert(
        "discovery_search",
        body,
        params={"platform": "instagram", "paging": {"limit": 2, "page": 0}},
    )
    first = body["accounts"][0]
    assert df.height == len(body["accounts"])
    assert df["username"][0] == first["profile"]["username"]
    assert df["followers"][0] == first["profile"]["followers"]
    assert df["user_id"][0] == first["user_id"]
    assert df["rank"].to_list() == [1, 2]
    assert df["platform"].cast(pl.String).to_list() == ["instagram", "instagram"]


def test_discovery_rank_includes_page_offset() -> None:
    body = sample("discovery-instagram-1.json")
    df = frames.discovery(body, {"platform": "instagram", "paging": {"limit": 2, "page": 3}})
    assert df["rank"].to_list() == [7, 8]
    assert df["position"].to_list() == [1, 2]


def test_discovery_bare_youtube_account_keeps_channel_id() -> None:
    body = sample("discovery-youtube-1.json")
    df = frames.discovery(body, {"platform": "youtube"})
    assert df.height == 1
    assert df["username"][0] == body["profile"]["username"]
    assert df["id"][0] == body["profile"]["id"]  # an undeclared field is kept


def test_similar_scores() -> None:
    body = sample("similar-instagram-1.json")
    df = frames.similar(body, {"platform": "instagram"})
    assert df["similarity_score"].to_list() == [a["similarity_score"] for a in body["accounts"]]


def test_overlap_creators_and_totals() -> None:
    body = sample("audience-overlap-instagram-1.json")
    t = frames.overlap(body, {"platform": "instagram"})
    assert t.names == ("creators", "stats", "totals")
    assert t.creators["username"].to_list() == [d["username"] for d in body["details"]]
    assert t.creators["full_name"].to_list() == [d["user"]["fullname"] for d in body["details"]]
    assert t.totals["total_unique_followers"][0] == body["basics"]["total_unique_followers"]
    n_stats = sum(len(d["user"]["stats"]) for d in body["details"])
    assert t.stats.height == n_stats


def test_socials_skip_truncation_marker_and_read_captured_spellings() -> None:
    body = sample("connected-socials-instagram-1.json")
    with pytest.warns(frames.SchemaWarning, match="not objects"):
        df = frames.socials(body)
    real = [r for r in body["result"] if isinstance(r, dict)]
    assert df.height == len(real)
    assert df["follower_count"].to_list() == [r["follower_count"] for r in real]
    assert df["full_name"].to_list() == [r["full_name"] for r in real]


def test_tiktok_full_enrichment() -> None:
    body = sample("enrich-full-tiktok-1.json")
    t = frames.convert(
        "enrich_handle_full", body, params={"platform": "tiktok", "handle": "khaby.lame"}
    )
    tt = body["result"]["tiktok"]
    assert t.creator["followers"][0] == tt["follower_count"]
    assert t.tiktok["follower_count"][0] == tt["follower_count"]
    assert t.creator["email"][0] == body["result"]["email"]
    assert t.creator["user_id"][0] == tt["user_id"]
    assert t.posts.height == len(tt["post_data"])
    first = tt["post_data"][0]
    assert t.posts["likes"][0] == first["engagement"]["like_count"]
    assert t.posts["created_at"][0] == datetime.fromisoformat(first["created_at"]).replace(
        tzinfo=UTC
    )
    assert t.tiktok["growth_3_months_ago"][0] == tt["creator_follower_growth"]["3_months_ago"]
    ages = tt["audience"]["audience_followers"]["data"]["audience_ages"]
    got = t.audience_ages.filter(pl.col("source") == "followers")
    # the open-ended top band the API writes "65-" reads "65+" (as the charts write it)
    assert got["code"].to_list() == [a["code"].replace("65-", "65+") for a in ages]
    assert got["weight"].to_list() == [a["weight"] for a in ages]
    errors = t.audience_credibility.filter(pl.col("source") == "likers")["error"].to_list()
    assert errors == [tt["audience"]["audience_likers"]["error"]]


def test_instagram_full_enrichment_audience_and_posts() -> None:
    body = sample("enrich-full-instagram-1.json")
    t = frames.enrichment(body, platform="instagram", handle="cristiano")
    ig = body["result"]["instagram"]
    assert t.creator["username"][0] == ig["username"]
    assert t.instagram["avg_likes"][0] == ig["avg_likes"]
    assert t.instagram["reels_comments_count"][0].to_list() == ig["reels"]["comments_count"]
    countries = ig["audience"]["audience_likers"]["data"]["audience_geo"]["countries"]
    got = t.audience_countries.filter(pl.col("source") == "likers")
    assert got["name"].to_list() == [c["name"] for c in countries]
    cities = ig["audience"]["audience_followers"]["data"]["audience_geo"]["cities"]
    got = t.audience_cities.filter(pl.col("source") == "followers")
    assert got["lat"].to_list() == [c["coords"]["lat"] for c in cities]
    hist = ig["audience"]["audience_credibility_followers_histogram"]
    got = t.audience_credibility_histogram.filter(pl.col("source") == "followers")
    assert got["total"].to_list() == [b["total"] for b in hist]
    assert got["min"][0] is None  # the first bucket has no min in the capture
    media = ig["post_data"][0]["media"]
    assert t.posts["media_urls"][0].to_list() == [m["url"] for m in media]
    # IG dates come without an offset: read as UTC
    assert t.posts["created_at"][0].tzinfo is not None


def test_truncated_full_enrichment_survives_markers() -> None:
    body = sample("enrich-full-instagram-2.json")
    with pytest.warns(frames.SchemaWarning):
        t = frames.enrichment(body, platform="instagram", handle="nasa")
    ig = body["result"]["instagram"]
    # "comments_count": [986, 979, "… 2 mor…"]: the string element becomes null
    raw = ig["reels"]["comments_count"]
    expected = [x if isinstance(x, int) else None for x in raw]
    assert t.instagram["reels_comments_count"][0].to_list() == expected
    # the marker is not a post
    real_posts = [p for p in ig["post_data"] if isinstance(p, dict)]
    assert t.posts.height == len(real_posts)
    assert t.posts["likes"].to_list() == [p["engagement"]["likes"] for p in real_posts]
    # cross-platform pointer blocks become rows of their platform tables
    assert t.youtube["subscriber_count"][0] == body["result"]["youtube"]["subscriber_count"]
    assert t.twitch["total_followers"][0] == body["result"]["twitch"]["total_followers"]
    assert t.twitch["is_primary"][0] is False
    # profile links per platform
    kinds = t.links.filter(pl.col("kind") == "platform_link")["link_platform"].to_list()
    assert sorted(kinds) == sorted(
        k[: -len("_link")] for k in body["result"] if k.endswith("_link")
    )


def test_profile_tier_subset_and_numbers() -> None:
    body = sample("enrich-profile-instagram-1.json")
    t = frames.convert(
        "enrich_handle_profile", body, params={"platform": "instagram", "handle": "nasa"}
    )
    assert "posts" not in t.names and "audience_ages" not in t.names
    assert t.creator["email_type"].cast(pl.String)[0] == body["result"]["email_type"]
    assert sorted(t.creator["creator_has"][0].to_list()) == sorted(
        p for p, on in body["result"]["creator_has"].items() if on
    )
    niches = t.niches.filter(pl.col("kind") == "niche_class")["name"].to_list()
    assert niches == body["result"]["instagram"]["niche_class"]


def test_raw_tier_posts() -> None:
    body = sample("enrich-raw-instagram-1.json")
    t = quiet(
        frames.convert,
        "enrich_handle_raw",
        body,
        params={"platform": "instagram", "handle": "nasa"},
    )
    real = [p for p in body["result"]["instagram"]["post_data"] if isinstance(p, dict)]
    assert t.posts["post_id"].to_list() == [p["post_id"] for p in real]
    assert t.posts["comments"].to_list() == [p["engagement"]["comments"] for p in real]
    assert t.posts["views"].to_list() == [p["engagement"].get("view_count") for p in real]


def test_posts_feed_utc_from_unix_seconds() -> None:
    body = sample("posts-instagram-1.json")
    df = quiet(frames.posts, body, {"platform": "instagram", "handle": "nasa"})
    real = [p for p in body["result"]["items"] if isinstance(p, dict)]
    assert df["post_id"].to_list() == [p["pk"] for p in real]
    assert df["created_at"].to_list() == [datetime.fromtimestamp(p["taken_at"], UTC) for p in real]
    assert df.schema["created_at"] == pl.Datetime("us", "UTC")
    assert df["user_username"].to_list() == [p["user"]["username"] for p in real]


def test_post_details_data() -> None:
    body = sample("post-details-instagram-1.json")
    t = quiet(
        frames.post_details,
        body,
        {"platform": "instagram", "post_id": "x_1", "content_type": "data"},
    )
    assert t.names == ("data", "comments", "transcript", "audio")
    r = body["result"]
    assert t.data["likes"][0] == r["metrics"]["like_count"]
    assert t.data["caption"][0] == r["caption"]["text"]
    assert t.data["code"][0] == r["code"]
    assert t.comments.height == 0 and t.comments.columns[:2] == ["platform", "post_id"]


def test_dictionaries() -> None:
    langs = sample("dictionary-languages-any-1.json")
    with pytest.warns(frames.SchemaWarning):
        df = frames.convert("dictionary_languages", langs)
    assert df["abbreviation"].to_list() == [x["abbreviation"] for x in langs if isinstance(x, dict)]
    locs = sample("dictionary-locations-instagram-1.json")
    df = frames.convert("dictionary_locations", locs, params={"platform": "instagram"})
    assert df["location"].to_list() == locs  # strings: every one is a row


def test_credits() -> None:
    body = sample("account-credits-any-1.json")
    df = frames.convert("account_credits", body)
    assert df.row(0, named=True) == {k: float(v) for k, v in body.items()}
