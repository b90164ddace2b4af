"""Dictionary-backed filter values are checked before a discovery call is paid for.

The API answers an unknown location, language, brand or game with an empty (or unfiltered)
page and charges for it, so the client looks the value up in the free dictionary first and
refuses a miss with the nearest known value.
"""

from __future__ import annotations

from typing import Any

import pytest

import toolkit as ic
from toolkit._operations import OPERATIONS
from toolkit.filters import DictionaryUnreachableError, ValueRef
from toolkit.filters._values import MAX_PAGES, closest, lookup_for, run_check
from toolkit.sandbox import Sandbox

from .client_support import Recorder, Sleeps, make_async_client, make_client

DICTIONARY_OPERATIONS = tuple(op for op in OPERATIONS if op.startswith("dictionary_"))

CASES = [
    ("instagram", {"location": ["Untied States"]}, "location", "'United States'"),
    ("instagram", {"location": ["US"]}, "location", "did you mean 'United States'?"),
    ("instagram", {"location": ["USA"]}, "location", "did you mean 'United States'?"),
    ("instagram", {"brands": ["Nkie"]}, "brands", "did you mean 'nike'?"),
    (
        "instagram",
        {"audience": {"interests": [{"name": "fitness", "min_pct": 10}]}},
        "audience.interests",
        "did you mean 'Fitness & Yoga'?",
    ),
    (
        "instagram",
        {"audience": {"interests": [{"name": "Fitness and Yoga"}]}},
        "audience.interests",
        "did you mean 'Fitness & Yoga'?",
    ),
    ("instagram", {"location": ["New York"]}, "location", "'New York, New York, United States'"),
    ("youtube", {"topics": ["sport"]}, "topics", "did you mean 'Sports'"),
    ("instagram", {"audience": {"brands": ["Nikey"]}}, "audience.brands", "'Nike'"),
    (
        "instagram",
        {"audience": {"brand_categories": ["activwear"]}},
        "audience.brand_categories",
        "'Activewear'",
    ),
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


def test_an_unreachable_dictionary_refuses_the_search_after_the_retries(
    sb: Sandbox, recorder: Recorder, sleeps: Sleeps
) -> None:
    with make_client(sb, recorder, sleeps, max_retries=2) as client:
        sb.faults.add("status", 1.0, status=503, operations=["dictionary_locations"])
        with pytest.raises(DictionaryUnreachableError) as info:
            client.discovery.search("instagram", filters={"location": ["Untied States"]})
    err = info.value
    assert err.dictionary == "locations" and err.paths == ["location"]
    assert "could not be reached" in str(err) and "nothing was sent" in str(err)
    assert "check_filter_values=False" in str(err) and "Retry" in str(err)
    assert isinstance(err, ic.InfluencersClubError) and err.__cause__ is not None
    assert [e.operation for e in sb.log] == ["dictionary_locations"] * 3  # retried, then refused
    assert _paid(sb) == [] and sb.credits == 1000.0


def test_an_unreachable_dictionary_refuses_a_crawl_and_similar_before_their_first_page(
    sb: Sandbox, recorder: Recorder, sleeps: Sleeps
) -> None:
    with make_client(sb, recorder, sleeps, max_retries=0) as client:
        sb.faults.add("status", 1.0, status=503, operations=["dictionary_games"])
        with pytest.raises(DictionaryUnreachableError, match="games dictionary"):
            client.discovery.similar("twitch", username="x", filters={"games_played": ["Chess"]})
        with pytest.raises(DictionaryUnreachableError):
            client.discovery.iter_pages("twitch", filters={"games_played": ["Chess"]}, confirm=True)
    assert _paid(sb) == []


def test_with_the_check_off_an_unreachable_dictionary_is_not_asked(
    sb: Sandbox, recorder: Recorder, sleeps: Sleeps
) -> None:
    sb.faults.add("status", 1.0, status=503, operations=["dictionary_locations"])
    with make_client(sb, recorder, sleeps, check_filter_values=False) as client:
        page = client.discovery.search("instagram", filters={"location": ["Canada"]}, limit=2)
    assert page.status_code == 200 and [e.operation for e in sb.log] == ["discovery_search"]


@pytest.mark.anyio
async def test_the_async_client_refuses_when_a_dictionary_is_unreachable(
    sb: Sandbox, recorder: Recorder, sleeps: Sleeps
) -> None:
    sb.faults.add("status", 1.0, status=503, operations=["dictionary_locations"])
    async with make_async_client(sb, recorder, sleeps, max_retries=0) as client:
        with pytest.raises(DictionaryUnreachableError, match="locations dictionary"):
            await client.discovery.search("instagram", filters={"location": ["Canada"]})
    assert _paid(sb) == []


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
    page = await aclient.discovery.search("instagram", filters={"location": ["canada"]}, limit=2)
    assert page.params["filters"] == {"location": ["Canada"]}
    pages = [
        p
        async for p in aclient.discovery.iter_pages(
            "instagram", filters={"location": ["canada"]}, limit=2, max_results=4
        )
    ]
    assert pages and all(p.params["filters"] == {"location": ["Canada"]} for p in pages)


def test_a_search_hit_inside_a_longer_name_does_not_make_a_value_known(
    client: ic.Client, sb: Sandbox
) -> None:
    """ "fitness" is inside "Fitness & Yoga" and "New York" inside "New York, New York,
    United States": the search finds them, the dictionary does not hold the value itself,
    so it is refused (the API would match nothing) and the longer name suggested."""
    known = client.dictionary.locations("instagram", search="new york").data
    assert known == ["New York, New York, United States"]
    with pytest.raises(ic.FilterError, match="did you mean 'New York, New York, United States'"):
        client.discovery.search("instagram", filters={"location": ["New York"]}, limit=3)
    assert _paid(sb) == []


def test_case_and_spacing_are_forgiven_and_the_dictionary_spelling_is_sent(
    client: ic.Client, sb: Sandbox, recorder: Recorder
) -> None:
    filters = {
        "location": ["united  states"],
        "brands": ["NIKE"],
        "profile_language": ["EN"],
        "audience": {"interests": [{"name": " fitness & yoga", "min_pct": 5}]},
    }
    page = client.discovery.search("instagram", filters=filters, limit=3)
    sent = page.params["filters"]
    assert sent == {
        "location": ["United States"],
        "brands": ["nike"],
        "profile_language": ["en"],
        "audience": {"interests": [{"name": "Fitness & Yoga", "min_pct": 5}]},
    }
    searched = [e for e in sb.log if e.operation == "discovery_search"]
    assert len(searched) == 1 and page.status_code == 200
    assert filters["location"] == ["united  states"]  # the caller's dict is left alone


def test_a_crawl_sends_the_dictionary_spelling_on_every_page(client: ic.Client) -> None:
    pages = list(
        client.discovery.iter_pages(
            "instagram", filters={"location": ["united states"]}, limit=5, max_results=10
        )
    )
    assert len(pages) == 2
    assert [p.params["filters"] for p in pages] == [{"location": ["United States"]}] * 2


def _dictionary(names: list[str], *, page: int = 50, offset: bool = True, search: bool = True):
    """A dictionary endpoint as the check sees it (``fetch(name, platform, search, offset)``),
    paged by ``page``; it may ignore ``offset`` or ``search`` as some real ones do."""
    asked: list[tuple[str | None, int | None]] = []

    def fetch(_name, _platform, text, start):
        asked.append((text, start))
        hits = [n for n in names if not search or not text or text.lower() in n.lower()]
        first = (start or 0) if offset else 0
        return [(n, n) for n in hits[first : first + page]]

    return fetch, asked


def test_a_value_on_a_later_page_of_its_search_is_known() -> None:
    """A search answers one page of undocumented size: the pages are followed (offset)
    until the exact value turns up, and a value only seen inside longer names is not."""
    names = [f"Springfield {i}, United States" for i in range(70)] + ["Springfield"]
    fetch, asked = _dictionary(names)
    ref = ValueRef("audience.location", "audience_locations", "springfield")
    checked = run_check(fetch, "instagram", [ref])
    assert checked.problems == {}
    assert checked.fixes == {("audience.location", "springfield"): "Springfield"}
    assert asked == [("springfield", None), ("springfield", 50)]

    fetch, asked = _dictionary(names[:70])  # only the longer names: refused, 3 pages read
    checked = run_check(fetch, "instagram", [ref])
    assert "did you mean 'Springfield 0, United States'" in checked.problems[ref.path]
    assert asked == [("springfield", None), ("springfield", 50)]  # the short page is the last


def test_an_endpoint_that_ignores_offset_or_search_is_read_once_per_text() -> None:
    names = ["Nike", "Adidas", "Puma"]
    fetch, asked = _dictionary(names, offset=False, search=False)
    ref = ValueRef("brands", "audience_brand_names", "Reebok")
    checked = run_check(fetch, "instagram", [ref])
    assert ref.path in checked.problems
    # every text's second page repeats the first, so paging stops there
    assert all(start in (None, 3) for _text, start in asked)
    assert len(asked) <= 2 * len({text for text, _s in asked})


def test_paging_stops_at_max_pages_and_says_so() -> None:
    names = [f"Paris {i}" for i in range(MAX_PAGES * 5 + 10)]
    fetch, asked = _dictionary(names, page=5)
    ref = ValueRef("location", "locations", "Paris")
    checked = run_check(fetch, "instagram", [ref])
    assert f"not among the first {MAX_PAGES} pages" in checked.problems["location"]
    assert sum(1 for text, _s in asked if text == "Paris") == MAX_PAGES


def test_equal_matches_are_ranked_by_closeness_then_size_then_alphabet() -> None:
    london = [("London, Ontario, Canada",) * 2, ("London, England, United Kingdom",) * 2]
    assert closest("London", london)[0][1] == "London, England, United Kingdom"
    victoria = [("Victoria, British Columbia, Canada",) * 2, ("Victoria, Australia",) * 2]
    assert closest("Victoria", victoria)[0][1] == "Victoria, Australia"  # a state, not a city
    typed = [("Georgia (city)", "Georgia City"), ("Georgia (country)", "Georgia Country")]
    assert closest("Georgia", typed)[0][1] == "Georgia Country"  # the type says how large
    near = [("Londonderry, Northern Ireland",) * 2, ("London, Ontario, Canada",) * 2]
    assert closest("London", near)[0][1] == "London, Ontario, Canada"  # closest name first


def test_the_best_known_london_is_suggested_first(client: ic.Client) -> None:
    with pytest.raises(ic.FilterError) as info:
        client.discovery.search("instagram", filters={"location": ["London"]})
    assert "did you mean 'London, England, United Kingdom'" in info.value.problems["location"]
    shown = lookup_for(client).suggest("locations", "London", platform="instagram")
    assert shown[0][1] == "London, England, United Kingdom"
