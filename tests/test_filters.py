"""The discovery filter schema: in step with the contract, and strict before money is spent."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from contract import operations_by_name
from toolkit.filters import (
    CREATOR_HAS_KEYS,
    FILTERS,
    FOLLOWER_FILTER,
    PLATFORMS,
    FilterError,
    filters_for,
    validate_filters,
    validate_sort,
)

ROOT = Path(__file__).resolve().parents[1]


def _load_generator():
    spec = importlib.util.spec_from_file_location(
        "gen_filters", ROOT / "scripts" / "gen_filters.py"
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_schema_covers_every_contract_filter() -> None:
    ops = operations_by_name()
    contract = {
        f["name"].removeprefix("filters.")
        for f in ops["discovery_search"]["request_fields"]
        if f["name"].startswith("filters.")
    }
    assert contract == {f.key for f in FILTERS}


def test_generated_docs_are_current() -> None:
    gen = _load_generator()
    assert (ROOT / "docs" / "filters.md").read_text() == gen.filters_doc()


@pytest.mark.parametrize("platform", PLATFORMS)
def test_follower_filter_belongs_to_its_platform(platform: str) -> None:
    key = FOLLOWER_FILTER[platform]
    keys = {f.key for f in filters_for(platform)}
    if key is None:
        assert not keys & {"number_of_followers", "number_of_subscribers", "followers"}
    else:
        assert key in keys
        assert validate_filters(platform, {key: {"min": 10}}) == {key: {"min": 10}}


def test_unknown_key_is_refused_with_a_suggestion() -> None:
    with pytest.raises(FilterError) as err:
        validate_filters("instagram", {"number_of_follower": {"min": 1}})
    assert "did you mean 'number_of_followers'" in str(err.value)
    assert set(err.value.problems) == {"number_of_follower"}


def test_other_platforms_key_names_where_it_belongs() -> None:
    with pytest.raises(FilterError) as err:
        validate_filters("instagram", {"number_of_subscribers": {"min": 1}})
    assert "only youtube" in err.value.problems["number_of_subscribers"]


def test_every_problem_is_reported_at_once() -> None:
    bad = {
        "engagement_percent": {"min": 5, "max": 1},
        "is_verified": "yes",
        "gender": "other",
        "ai_search": "ab",
        "location": "United States",
        "audience": {"age": [{"range": "18-24", "min_pct": 250}], "colour": []},
    }
    with pytest.raises(FilterError) as err:
        validate_filters("instagram", bad)
    assert set(err.value.problems) == {
        "engagement_percent",
        "is_verified",
        "gender",
        "ai_search",
        "location",
        "audience.age",
        "audience.colour",
    }
    assert "greater than max" in err.value.problems["engagement_percent"]


def test_valid_filters_come_back_in_wire_form() -> None:
    out = validate_filters(
        "tiktok",
        {
            "number_of_followers": {"min": 1000, "max": None},
            "last_post": "30d",  # one client's spelling; integer days is canonical
            "creator_has": {"has_whatsApp": True},
            "follower_growth": {"growth_percentage": 5},
            "keywords_in_bio": ("gaming", "retro"),
            "gender": None,
        },
    )
    assert out == {
        "number_of_followers": {"min": 1000},
        "last_post": 30,
        "creator_has": {"has_whatsApp": True},
        "follower_growth": {"growth_percentage": 5, "time_range_months": 3},
        "keywords_in_bio": ["gaming", "retro"],
    }


def test_creator_has_keys_are_checked() -> None:
    assert len(CREATOR_HAS_KEYS) == 52
    with pytest.raises(FilterError, match="has_whatsapp"):
        validate_filters("instagram", {"creator_has": {"has_whatsapp": True}})


def test_dictionary_lookup_refuses_unknown_values() -> None:
    known = {"United States", "Canada"}

    def lookup(spec, value):
        return spec.dictionary != "locations" or value in known

    assert validate_filters("youtube", {"location": ["Canada"]}, dictionary_lookup=lookup)
    with pytest.raises(FilterError, match="not in the locations dictionary"):
        validate_filters("youtube", {"location": ["Atlantis"]}, dictionary_lookup=lookup)


def test_unknown_platform_is_a_plain_value_error() -> None:
    with pytest.raises(ValueError, match="platform='myspace' is not available here; choose one"):
        validate_filters("myspace", {})


@pytest.mark.parametrize(
    ("platform", "sort_by", "order", "message"),
    [
        ("twitch", "growth_rate", "desc", "only for instagram"),
        ("onlyfans", "number_of_followers", "desc", "not available on onlyfans"),
        ("instagram", "relevancy", "asc", "only supports sort_order='desc'"),
        ("instagram", "followers", "desc", "sort_by must be one of"),
    ],
)
def test_unsupported_sorts_are_refused(platform, sort_by, order, message) -> None:
    with pytest.raises(ValueError, match=message):
        validate_sort(platform, sort_by, order)


def test_supported_sort_passes() -> None:
    validate_sort("youtube", "growth_rate", "asc")
