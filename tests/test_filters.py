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


# ----------------------------------------------------------------- the docs' examples run
def _doc_blocks() -> list[str]:
    text = (ROOT / "docs" / "filters.md").read_text()
    return [b.split("```", 1)[0] for b in text.split("```python\n")[1:]]


def _sandbox_client():
    import toolkit as ic
    from toolkit._config import SANDBOX_BASE_URL
    from toolkit.sandbox import Sandbox

    sb = Sandbox(seed=7, creators=600)
    return ic.Client(api_key=sb.api_key, base_url=SANDBOX_BASE_URL, transport=sb.transport()), sb


def test_the_docs_code_examples_run_as_written() -> None:
    """Each ``python`` block of docs/filters.md runs on the sandbox: its filters pass the
    schema and the dictionary check, and the search is answered."""
    client, sb = _sandbox_client()
    blocks = _doc_blocks()
    assert len(blocks) >= 2 and any('"audience"' in b for b in blocks)
    with client:
        for block in blocks:
            page = eval(block, {"client": client})  # each block is one search expression
            assert page.status_code == 200, block
    assert [e.operation for e in sb.log].count("discovery_search") == len(blocks)


def test_every_example_in_the_tables_is_accepted() -> None:
    """The example column of docs/filters.md (``example_value``) passes the schema and
    the dictionaries: each platform's examples together in one search on the sandbox."""
    from toolkit.filters import example_value

    client, sb = _sandbox_client()
    with client:
        for platform in PLATFORMS:
            filters: dict = {}
            for spec in filters_for(platform):
                if spec.kind != "object":
                    value = example_value(spec)
                    into = filters.setdefault(spec.parent, {}) if spec.parent else filters
                    into[spec.name] = value
            page = client.discovery.search(platform, filters=filters, limit=1)
            assert page.params["filters"] == validate_filters(platform, filters)
    assert [e.operation for e in sb.log].count("discovery_search") == len(PLATFORMS)


def test_age_bands_come_from_one_declaration() -> None:
    from toolkit.filters import AGE_BANDS

    assert AGE_BANDS == ("13-17", "18-24", "25-34", "35-44", "45-64", "65-")
    doc = (ROOT / "docs" / "filters.md").read_text()
    assert "`range` one of " + ", ".join(f"`{b}`" for b in AGE_BANDS) in doc
    ok = validate_filters("instagram", {"audience": {"age": [{"range": "18 - 24"}]}})
    assert ok == {"audience": {"age": [{"range": "18-24"}]}}  # spacing forgiven
    with pytest.raises(FilterError, match=r"got '65\+' \(did you mean '65-'\?\)"):
        validate_filters("instagram", {"audience": {"age": [{"range": "65+"}]}})
    with pytest.raises(FilterError, match="got '18-34'"):
        validate_filters("instagram", {"audience": {"age": [{"range": "18-34", "min_pct": 5}]}})
    with pytest.raises(FilterError, match=r"each item is \{range, min_pct\} \(got 'name'"):
        validate_filters("instagram", {"audience": {"age": [{"name": "18-24", "min_pct": 30}]}})


@pytest.mark.parametrize(
    ("platform", "key", "pointer"),
    [
        ("youtube", "number_of_followers", "on youtube use 'number_of_subscribers'"),
        ("twitch", "number_of_subscribers", "on twitch use 'followers'"),
        ("instagram", "subscriber_growth", "on instagram use 'follower_growth'"),
        ("youtube", "last_post", "'last_upload_long_video' or 'last_upload_short_video'"),
    ],
)
def test_a_filter_of_another_platform_points_to_its_name_here(
    platform: str, key: str, pointer: str
) -> None:
    with pytest.raises(FilterError) as info:
        validate_filters(platform, {key: {"min": 5} if "growth" not in key else {}})
    assert pointer in info.value.problems[key]


def test_days_since_is_bounded() -> None:
    from toolkit.filters import MAX_DAYS

    assert validate_filters("instagram", {"last_post": MAX_DAYS}) == {"last_post": MAX_DAYS}
    with pytest.raises(FilterError, match=f"at most {MAX_DAYS:,} days"):
        validate_filters("instagram", {"last_post": 10**20})


def test_the_sandbox_answers_a_huge_days_value_with_a_400() -> None:
    import httpx

    from toolkit._config import SANDBOX_BASE_URL
    from toolkit.sandbox import Sandbox

    sb = Sandbox(seed=7, creators=200)
    body = {"platform": "instagram", "paging": {"limit": 2, "page": 0}}
    headers = {"Authorization": f"Bearer {sb.api_key}"}
    with httpx.Client(transport=sb.transport(), base_url=SANDBOX_BASE_URL) as http:
        for days in (10**20, 1e20):
            answer = http.post(
                "/public/v1/discovery/",
                json={**body, "filters": {"last_post": days}},
                headers=headers,
            )
            assert answer.status_code == 400
            assert "last_post" in answer.json()["error"]["filters"]


def test_enum_values_forgive_case_and_suggest() -> None:
    assert validate_filters("instagram", {"gender": "Female"}) == {"gender": "female"}
    with pytest.raises(FilterError, match="did you mean 'female'"):
        validate_filters("instagram", {"gender": "femal"})
