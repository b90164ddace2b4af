"""Discovery's indexes and compiled plans answer exactly what the full scan answers.

The reference is ``world.search.match`` + ``sort_rows``: every creator tested against every
filter, all matches sorted. Random queries (filters of every kind, with the indexed ones
mixed in, every sort, every page) must give the same total and the same rows in the same
order with the same scores.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit._facts import DISCOVERY_PLATFORMS
from toolkit.filters import filters_for
from toolkit.sandbox._http import ApiError
from toolkit.sandbox.routes._discovery_request import clean_filters
from toolkit.sandbox.world import World
from toolkit.sandbox.world.index import Plan
from toolkit.sandbox.world.search import match, sort_rows

WORLD = World(seed=11, size=2500)
NOW = WORLD.epoch + timedelta(days=3)

_VALUES: dict[str, list[Any]] = {
    "range": [{"min": 5000}, {"min": 20_000, "max": 300_000}, {"max": 8000}, {"min": 2, "max": 6}],
    "number": [0.5, 3, 20],
    "days": [3, 30],
    "growth": [{"growth_percentage": g, "time_range_months": 3} for g in (0, 5)],
    "boolean": [True, False],
    "string": ["creator", "business", "female", "male", "fitness gym workout", "makeup art"],
    "flags": [{"has_instagram": True}, {"has_youtube": False}],
    "string_list": [["United States"], ["es", "en"], ["nike"], ["gaming"], ["London"], ["fitness"]],
    "object": [{"credibility": "good"}, {"gender": {"type": "male", "min_pct": 55}}],
}
_SKIP = {"exclude_list", "exclude_default_list", "exclude_all_lists", "exclude_previous"}


@st.composite
def queries(draw: st.DrawFn) -> tuple[str, dict[str, Any], str, str, int]:
    platform = draw(st.sampled_from(DISCOVERY_PLATFORMS))
    specs = [s for s in filters_for(platform, top_level=True) if s.kind in _VALUES]
    specs = [s for s in specs if s.key not in _SKIP]
    chosen = draw(st.lists(st.sampled_from(specs), max_size=4, unique_by=lambda s: s.key))
    raw = {s.key: draw(st.sampled_from(_VALUES[s.kind])) for s in chosen}
    if draw(st.booleans()):
        raw["exclude_handles"] = [c.username for c in WORLD.on(platform)[::97][:5]]
    sort_by = draw(
        st.sampled_from(("relevancy", "engagement_rate", "number_of_followers", "growth_rate"))
    )
    order = "desc" if sort_by == "relevancy" else draw(st.sampled_from(("asc", "desc")))
    offset = draw(st.sampled_from((0, 10, 50, 400)))
    return platform, raw, sort_by, order, offset


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(queries())
def test_plan_pages_equal_the_full_scan(query: tuple[str, dict[str, Any], str, str, int]) -> None:
    platform, raw, sort_by, order, offset = query
    try:
        filters = clean_filters(platform, raw)
    except ApiError:
        return  # a combination the schema refuses never reaches matching
    excluded = {WORLD.normalize_handle(h) for h in filters.get("exclude_handles", [])}
    reference = sort_rows(match(WORLD, NOW, WORLD.on(platform), filters, excluded), sort_by, order)
    total, page = Plan(WORLD, platform, NOW, filters, excluded).page(
        sort_by, order, offset, offset + 50
    )
    assert total == len(reference)
    want = reference[offset : offset + 50]
    assert [c.index for _s, c in page] == [c.index for _s, c in want]
    assert [s for s, _c in page] == pytest.approx([s for s, _c in want])


def test_plan_rows_equal_the_scan_in_world_order() -> None:
    filters = clean_filters(
        "instagram", {"number_of_followers": {"min": 10_000}, "gender": "female"}
    )
    reference = match(WORLD, NOW, WORLD.on("instagram"), filters, set())
    rows = Plan(WORLD, "instagram", NOW, filters, set()).rows()
    assert [(s, c.index) for s, c in rows] == [(s, c.index) for s, c in reference]
    assert 0 < len(rows) < len(WORLD.on("instagram"))


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("number_of_followers", {"min": 20_000}),
        ("number_of_followers", {"max": 5000}),
        ("engagement_percent", {"min": 1.5, "max": 5}),
        ("gender", "female"),
        ("gender", "male"),
        ("type", "business"),
        ("type", "creator"),
        ("is_verified", True),
        ("is_verified", False),
        ("profile_language", ["es", "pt"]),
        ("location", ["United States"]),
        ("location", ["london"]),
        ("has_done_brand_deals", True),
        ("has_done_brand_deals", False),
        ("has_link_in_bio", True),
        ("has_link_in_bio", False),
        ("exclude_private_profile", True),
        ("exclude_role_based_emails", True),
        ("ai_search", "fitness coach workouts"),
        ("ai_search", "makeup tutorials for beauty lovers"),
        ("ai_search", "travel vlog food"),
    ],
)
def test_each_indexed_filter_equals_its_predicate(key: str, value: Any) -> None:
    filters = clean_filters("instagram", {key: value})
    assert key in filters
    reference = sort_rows(
        match(WORLD, NOW, WORLD.on("instagram"), filters, set()), "relevancy", "desc"
    )
    total, page = Plan(WORLD, "instagram", NOW, filters, set()).page("relevancy", "desc", 0, 50)
    assert 0 < total == len(reference) <= len(WORLD.on("instagram"))
    assert [c.index for _s, c in page] == [c.index for _s, c in reference[:50]]
    assert [s for s, _c in page] == [s for s, _c in reference[:50]]


@pytest.mark.parametrize(
    ("platform", "key"),
    [
        ("instagram", "last_post"),
        ("tiktok", "last_post"),
        ("twitch", "most_recent_stream_date"),
        ("youtube", "last_upload_long_video"),
        ("youtube", "last_upload_short_video"),
    ],
)
@pytest.mark.parametrize("days", [1, 2, 7, 45, 365])
def test_days_since_filters_equal_the_newest_post_rule(platform: str, key: str, days: int) -> None:
    filters = clean_filters(platform, {key: days})
    if key not in filters:
        pytest.skip(f"{key} is not a {platform} filter")
    when = NOW + timedelta(hours=7, minutes=13)  # mid-day: the span's ends cut through days
    reference = match(WORLD, when, WORLD.on(platform), filters, set())
    rows = Plan(WORLD, platform, when, filters, set()).rows()
    assert [c.index for _s, c in rows] == [c.index for _s, c in reference]
