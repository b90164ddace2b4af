"""What each discovery filter means to the person setting it: meaning, unit and an example.

The form's help line and ``docs/filters.md`` read this, one definition for both. Where a
filter's name says it all (``has_merch``, ``keywords_in_bio``), the line is derived from its
kind instead of written out here.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from toolkit.filters import FilterSpec

__all__ = ["MEANINGS", "example", "example_value", "meaning"]

_DAYS = "days since the creator last {}; e.g. 30 (or '30d') keeps creators active in the last month"

#: Written-out meanings, by filter key (dotted for audience sub-filters).
MEANINGS: dict[str, str] = {
    "ai_search": "free-text niche or topic, matched by meaning (3-150 characters); "
    "best with sort_by='relevancy'",
    "location": "where the creator is (country, state or city)",
    "type": "creator accounts or business accounts",
    "gender": "the creator's gender",
    "profile_language": "language codes of the profile ('en', 'es' ...)",
    "creator_has": "other platforms the creator is on",
    "exclude_role_based_emails": "drop creators whose only email is a role address (info@, ...)",
    "exclude_handles": "handles to leave out of the results",
    "exclude_list": "ids of your exclusion lists (client.exclusion_lists) to leave out",
    "exclude_default_list": "leave out the creators on your default exclusion list",
    "exclude_all_lists": "leave out the creators on any of your exclusion lists",
    "exclude_private_profile": "leave out private profiles",
    "link_in_bio": "domains or words the link in bio must contain",
    "not_link_in_bio": "domains or words the link in bio must not contain",
    "brands": "brands the creator has worked with (the dictionary's 'cleaned' names)",
    "similar_to": "handles whose lookalikes to search among (not confirmed by the API's "
    "documentation: results may ignore it)",
    "exclude_previous": "leave out creators returned by your earlier searches (not "
    "confirmed by the API's documentation)",
    "number_of_followers": "follower count",
    "number_of_subscribers": "subscriber count",
    "followers": "follower count",
    "posting_frequency": "posts per week, at least this many",
    "follower_growth": "follower growth of at least growth_percentage % over the last "
    "time_range_months months",
    "subscriber_growth": "subscriber growth of at least growth_percentage % over the last "
    "time_range_months months",
    "engagement_percent": "engagement rate in percent (0-100): 2.5 means 2.5 %",
    "income": "estimated income, in US dollars",
    "reels_percent": "share of posts that are reels, in percent (0-100)",
    "video_percentage": "share of posts that are videos, in percent (0-100; an older filter)",
    "shorts_percentage": "share of uploads that are shorts, in percent (0-100)",
    "last_post": _DAYS.format("posted"),
    "last_upload_long_video": _DAYS.format("uploaded a long video"),
    "last_upload_short_video": _DAYS.format("uploaded a short"),
    "last_stream_upload": _DAYS.format("streamed"),
    "most_recent_stream_date": _DAYS.format("streamed"),
    "last_active": _DAYS.format("was active"),
    "long_video_duration": "length of the creator's long videos",
    "audience": "who follows the creator (instagram creators with 10k+ followers only)",
    "audience.location": "where at least min_pct % of the audience is",
    "audience.gender": "at least min_pct % of the audience of this gender",
    "audience.language": "languages at least min_pct % of the audience speaks",
    "audience.age": "age bands at least min_pct % of the audience falls in",
    "audience.interests": "interests of at least min_pct % of the audience",
    "audience.brands": "brands the audience follows",
    "audience.brand_categories": "brand categories the audience follows",
    "audience.credibility": "how genuine the audience looks (share of real, active followers)",
    "topics": "YouTube topics or sub-topics",
    "games_played": "games the streamer plays",
    "subscription_price": "monthly subscription price, in US dollars",
    "streamed_hours_last_30_days": "hours streamed in the last 30 days",
    "total_hours_streamed": "hours streamed in all",
    "tweets": "words or phrases the creator's tweets contain",
}


def meaning(spec: FilterSpec) -> str:
    """One line on what ``spec`` filters by (written out, else read from its name)."""
    if spec.key in MEANINGS:
        return MEANINGS[spec.key]
    return spec.label[:1].lower() + spec.label[1:]


_EXAMPLES: dict[str, Any] = {
    "range": {"min": 1000},
    "growth": {"growth_percentage": 10, "time_range_months": 3},
    "string_list": ["fitness", "yoga"],
    "integer_list": [12, 34],
    "boolean": True,
    "flags": {"has_youtube": True},
    "number": 3,
    "integer": 5,
    "days": 30,
    "string": "retro gaming",
    "weighted_list": [{"name": "United States", "min_pct": 20}],
    "weighted_object": {"type": "female", "min_pct": 60},
}


#: Examples of the dictionary-backed filters, by the dictionary their values come from.
_BY_DICTIONARY: dict[str, Any] = {
    "locations": ["United States"],
    "languages": ["en"],
    "brands": ["nike"],
    "yt_topics": ["Sports"],
    "games": ["League of Legends"],
    "audience_brand_names": ["Nike"],
    "audience_brand_categories": ["Activewear"],
}
_BY_KEY: dict[str, Any] = {
    "audience.location": [{"name": "United States", "min_pct": 20}],
    "audience.language": [{"language_abbr": "en", "min_pct": 50}],
    "audience.age": [{"range": "18-24", "min_pct": 30}],
    "audience.gender": {"type": "female", "min_pct": 60},
    "audience.interests": [{"name": "Fitness & Yoga", "min_pct": 10}],
    "exclude_handles": ["some_handle"],
    "similar_to": ["some_handle"],
    "not_link_in_bio": ["onlyfans.com"],
    "posting_frequency": 3,
    "number_of_followers": {"min": 10000, "max": 500000},
    "number_of_subscribers": {"min": 10000, "max": 500000},
    "followers": {"min": 10000, "max": 500000},
    "audience.credibility": "good",
}


def example(spec: FilterSpec) -> str:
    """A value of ``spec`` as JSON, as the docs show it ("" for the audience object)."""
    return "" if spec.kind == "object" else json.dumps(example_value(spec))


def example_value(spec: FilterSpec) -> Any:
    """A value ``spec`` accepts, as it would be written in ``filters={...}``."""
    if spec.kind == "object":
        return {}
    if spec.key in _BY_KEY:
        value: Any = _BY_KEY[spec.key]
    elif spec.kind == "string_list" and "link" in spec.key:
        value = ["linktr.ee"]
    elif spec.dictionary in _BY_DICTIONARY:
        value = _BY_DICTIONARY[spec.dictionary]
    elif spec.enum:
        value = spec.enum[0] if spec.kind == "string" else list(spec.enum[:2])
    elif spec.key.endswith(("percent", "percentage")):
        value = {"min": 2.5} if "engagement" in spec.key else {"min": 20}
    else:
        value = _EXAMPLES.get(spec.kind, "")
    return value
