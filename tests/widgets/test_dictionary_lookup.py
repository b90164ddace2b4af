"""DictionaryLookup: what the form's dictionary fields read, each list or search once."""

from __future__ import annotations

from toolkit.filters import SOURCES, DictionaryLookup


def test_search_goes_to_the_endpoint_once_per_text(wired) -> None:
    client, rec = wired
    lookup = DictionaryLookup(client)
    first = lookup.suggest("brands", "Nik")
    assert ("Nike", "nike") in first  # shown as the full name, sent as the cleaned value
    assert lookup.suggest("brands", "nik ") == first  # same text once trimmed and lowered
    assert [s.query["search"] for s in rec.to("/classifier/brands/")] == [["nik"]]
    assert lookup.calls == 1


def test_lists_without_search_are_fetched_whole_and_filtered_here(wired) -> None:
    client, rec = wired
    lookup = DictionaryLookup(client)
    assert not SOURCES["languages"].searchable
    assert lookup.suggest("languages", "port") == [("Portuguese (pt)", "pt")]
    assert lookup.suggest("languages", "span") == [("Spanish (es)", "es")]
    assert len(rec.to("/classifier/languages/")) == 1
    assert all("search" not in s.query for s in rec.to("/classifier/languages/"))


def test_prefix_matches_come_first_and_the_list_is_capped(wired) -> None:
    client, _rec = wired
    lookup = DictionaryLookup(client, limit=5)
    hits = lookup.suggest("locations", "united", platform="youtube")
    assert 0 < len(hits) <= 5
    starts = [label.lower().startswith("united") for label, _v in hits]
    assert starts == sorted(starts, reverse=True)


def test_contains_tells_real_values_from_typos(wired) -> None:
    client, _rec = wired
    lookup = DictionaryLookup(client)
    assert lookup.contains("locations", "United States", platform="instagram")
    assert not lookup.contains("locations", "Atlantis", platform="instagram")
    assert lookup.contains("languages", "en")
    assert not lookup.contains("languages", "English")  # the filter takes the abbreviation
