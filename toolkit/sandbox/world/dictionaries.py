"""The sandbox's dictionary (classifier) values, the exact values the
synthetic world draws from, so a value listed by a dictionary endpoint always filters.

The data lives in :mod:`.geo`, :mod:`.niches` and :mod:`.brands` (static, real-world-ish
names; they are just strings); this module gathers them under one name (``D``) and adds the
small views the classifier endpoints answer with.
"""

from __future__ import annotations

from typing import Any

from .brands import BRAND_BY_CLEANED, BRANDS, Brand
from .geo import (
    CITIES,
    CITIES_BY_COUNTRY,
    COUNTRIES,
    COUNTRY_BY_CODE,
    COUNTRY_BY_NAME,
    LANGUAGE_NAMES,
    LANGUAGES,
    STATES,
    City,
    Country,
)
from .niches import AUDIENCE_INTERESTS, GAMES, INTEREST_ID, NICHE_BY_NAME, NICHES, Niche

__all__ = [
    "AUDIENCE_INTERESTS",
    "BRANDS",
    "BRAND_BY_CLEANED",
    "CITIES",
    "CITIES_BY_COUNTRY",
    "COUNTRIES",
    "COUNTRY_BY_CODE",
    "COUNTRY_BY_NAME",
    "GAMES",
    "INTEREST_ID",
    "LANGUAGES",
    "LANGUAGE_NAMES",
    "NICHES",
    "NICHE_BY_NAME",
    "STATES",
    "Brand",
    "City",
    "Country",
    "Niche",
    "audience_locations",
    "brand_categories",
    "locations_for",
    "yt_topics",
]


def locations_for(platform: str) -> list[str]:
    """Location strings of ``/classifier/locations/{platform}/``: countries, then cities."""
    del platform  # every platform's creators live in the same places
    return [c.name for c in COUNTRIES] + [city.label for city in CITIES]


def yt_topics() -> list[dict[str, Any]]:
    """``[{topic_details, sub_topic_details[]}]`` built from the niches' YouTube topics."""
    topics: dict[str, list[str]] = {}
    for niche in NICHES:
        subs = topics.setdefault(niche.yt_topic, [])
        subs.extend(s for s in niche.yt_subtopics if s not in subs)
    return [{"topic_details": t, "sub_topic_details": subs} for t, subs in topics.items()]


def audience_locations() -> list[dict[str, str]]:
    """``[{name, type}]`` for audience geo filters: countries, states, cities."""
    out = [{"name": c.name, "type": "country"} for c in COUNTRIES]
    out += [{"name": name, "type": "state"} for _id, name, _cc in STATES]
    out += [{"name": city.name, "type": "city"} for city in CITIES]
    return out


def brand_categories() -> list[str]:
    """Audience brand categories: every category some brand belongs to, in interest order."""
    used = {cat for b in BRANDS for cat in b.categories}
    return [name for _i, name in AUDIENCE_INTERESTS if name in used]
