"""Dictionary (classifier) endpoints: the values discovery filters accept."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from ._coerce import build
from ._common import items, param
from ._registry import TableSpec, declare

__all__ = ["DICTIONARIES", "dictionary"]

_S = pl.String


def _d(name: str, row: str, cols: list[tuple[str, Any]]) -> TableSpec:
    return declare(f"dictionary.{name}", row, cols)


DICTIONARIES: dict[str, tuple[TableSpec, str | None]] = {
    # operation: (table, column a bare string item goes to; None: the API sends objects, so
    # a bare string, e.g. a capture tool's "… 298 more item(s) truncated", is skipped)
    "dictionary_languages": (
        _d(
            "languages",
            "one language: send abbreviation in profile_language",
            [("language", _S), ("abbreviation", _S)],
        ),
        None,
    ),
    "dictionary_locations": (
        _d(
            "locations",
            "one location name for the location filter of a platform",
            [("platform", pl.Categorical), ("location", _S)],
        ),
        "location",
    ),
    "dictionary_brands": (
        _d(
            "brands",
            "one brand: send cleaned in filters.brands",
            [("full_name", _S), ("cleaned", _S), ("username", _S)],
        ),
        None,
    ),
    "dictionary_yt_topics": (
        _d(
            "yt_topics",
            "one YouTube topic with its sub-topics",
            [("topic_details", _S), ("sub_topic_details", pl.List(_S))],
        ),
        None,
    ),
    "dictionary_games": (_d("games", "one Twitch game name", [("game", _S)]), "game"),
    "dictionary_audience_brand_categories": (
        _d("audience_brand_categories", "one audience brand category", [("name", _S)]),
        None,
    ),
    "dictionary_audience_brand_names": (
        _d("audience_brand_names", "one audience brand name", [("name", _S)]),
        None,
    ),
    "dictionary_audience_interests": (
        _d("audience_interests", "one audience interest", [("name", _S)]),
        None,
    ),
    "dictionary_audience_locations": (
        _d(
            "audience_locations",
            "one audience location (country/state/city)",
            [("name", _S), ("type", pl.Categorical)],
        ),
        None,
    ),
}


def dictionary(operation: str, body: Any, params: Mapping[str, Any] | None = None) -> pl.DataFrame:
    """A dictionary response as one row per value.

    Items are objects, or bare strings for locations and games (MindCloud wraps those as
    ``{value}``). In a string dictionary every string is a row (a capture tool's truncation
    marker cannot be told from a value); in an object dictionary a string is skipped with a
    SchemaWarning.

    Example:
        >>> dictionary("dictionary_languages", [{"language": "English", "abbreviation": "en"}]).height
        1
    """
    spec, field = DICTIONARIES[operation]
    platform = param(params, "platform") if operation == "dictionary_locations" else None
    rows = []
    for item in items(body, "results", "data"):
        if type(item) is dict:
            row = dict(item)
            if field and field not in row and "value" in row:
                row[field] = row.pop("value")
        elif type(item) is str and field:
            row = {field: item}
        else:
            rows.append(item)
            continue
        if operation == "dictionary_locations":
            row["platform"] = platform
        rows.append(row)
    return build(spec, rows)
