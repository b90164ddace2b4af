"""Dictionary-backed filter values are checked before a discovery call is paid for.

The API answers an unknown location, language, brand or game with an empty (or unfiltered)
page and charges for it, so the client looks the value up in the free dictionary first and
refuses a miss with the nearest known value.
"""

from __future__ import annotations

from typing import Any

import pytest

import toolkit as ic
from toolkit.credits import DICTIONARY_OPERATIONS
from toolkit.sandbox import Sandbox

from .client_support import Recorder, Sleeps, make_client

CASES = [
    ("instagram", {"location": ["Untied States"]}, "location", "'United States'"),
    ("instagram", {"location": ["united states"]}, "location", "'United States'"),
    ("instagram", {"profile_language": ["english"]}, "profile_language", "'en'"),
    ("instagram", {"brands": ["nikee"]}, "brands", "'nike'"),
    ("twitch", {"games_played": ["Leage of Legends"]}, "games_played", "'League of Legends'"),
    (
        "instagram",
        {"audience": {"location": [{"name": "Frnace", "min_pct": 10}]}},
        "audience.location",
        "'France'",
    ),
    ("instagram", {"profile_language": ["zz"]}, "profile_language", "client.dictionary.languages"),
]


def _paid(sb: Sandbox) -> list[Any]:
    return [e for e in sb.log if e.operation not in DICTIONARY_OPERATIONS]


@pytest.mark.parametrize(("platform", "filters", "path", "hint"), CASES)
def test_an_unknown_value_is_refused_with_a_suggestion_before_paying(
    client: ic.Client, sb: Sandbox, platform: str, filters: dict, path: str, hint: str
) -> None:
    with pytest.raises(ic.FilterError) as info:
        client.discovery.search(platform, filters=filters, limit=5)
    assert path in info.value.problems and hint in info.value.problems[path]
    assert "is not in the" in str(info.value)
    assert _paid(sb) == [] and sb.credits == 1000.0  # only free dictionary calls went out


def test_known_values_are_sent_and_each_dictionary_is_fetched_once(
    client: ic.Client, sb: Sandbox
) -> None:
    filters = {"location": ["United States"], "profile_language": ["en"]}
    first = client.discovery.search("instagram", filters=filters, limit=3)
    client.discovery.search("instagram", filters=filters, limit=3, page=1)
    assert first.status_code == 200
    lookups = [e.operation for e in sb.log if e.operation in DICTIONARY_OPERATIONS]
    assert sorted(lookups) == ["dictionary_languages", "dictionary_locations"]


def test_a_crawl_is_checked_before_its_first_page(client: ic.Client, sb: Sandbox) -> None:
    with pytest.raises(ic.FilterError, match="did you mean 'United States'"):
        client.discovery.iter_pages(
            "instagram", filters={"location": ["Untied States"]}, confirm=True
        )
    with pytest.raises(ic.FilterError, match="Chess"):
        client.discovery.similar("twitch", username="anyone", filters={"games_played": ["Chesss"]})
    assert _paid(sb) == []


def test_the_check_can_be_switched_off(sb: Sandbox, recorder: Recorder, sleeps: Sleeps) -> None:
    with make_client(sb, recorder, sleeps, check_filter_values=False) as client:
        page = client.discovery.search("instagram", filters={"location": ["Atlantis"]}, limit=3)
    assert page.status_code == 200 and len(page) == 0  # the API's silence, paid for
    assert [e.operation for e in sb.log] == ["discovery_search"]


def test_an_unreachable_dictionary_does_not_block_the_search(
    sb: Sandbox, recorder: Recorder, sleeps: Sleeps
) -> None:
    with make_client(sb, recorder, sleeps, max_retries=0) as client:
        sb.faults.add("status", 1.0, status=503, operations=["dictionary_locations"])
        page = client.discovery.search("instagram", filters={"location": ["Canada"]}, limit=2)
    assert page.status_code == 200


@pytest.mark.anyio
async def test_the_async_client_checks_too(aclient: ic.AsyncClient, sb: Sandbox) -> None:
    with pytest.raises(ic.FilterError, match="did you mean 'United States'"):
        await aclient.discovery.search("instagram", filters={"location": ["Untied States"]})
    crawl = aclient.discovery.iter_pages(
        "instagram", filters={"location": ["Untied States"]}, confirm=True
    )
    with pytest.raises(ic.FilterError):
        async for _page in crawl:
            pass
    assert _paid(sb) == []
    page = await aclient.discovery.search("instagram", filters={"location": ["Canada"]}, limit=2)
    assert page.status_code == 200


def test_a_value_found_only_inside_longer_names_is_not_refused_on_a_guess(
    client: ic.Client, sb: Sandbox
) -> None:
    """A search answers one page: the exact value may be on a later one, so a value that
    the page shows inside longer names ("York" in "New York, ...") is sent, not refused."""
    known = client.dictionary.locations("instagram", search="new york").data
    assert known == ["New York, New York, United States"]  # the page holds the long name only
    page = client.discovery.search("instagram", filters={"location": ["New York"]}, limit=3)
    assert page.status_code == 200
