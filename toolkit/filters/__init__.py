"""The discovery filter schema: the single source of truth for filters, per platform.

The real API silently ignores filter keys it does not know and still charges for the
unfiltered result (REFERENCE.md §3.3), so the client checks every filter against this
schema *before* sending. The widgets build their form from it, the sandbox applies it to
its synthetic creators, and the docs' filter table is generated from it.

>>> from toolkit.filters import validate_filters
>>> validate_filters("instagram", {"number_of_followers": {"min": 1000}})
{'number_of_followers': {'min': 1000}}
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from toolkit._exceptions import ArgumentError
from toolkit.filters._schema import FIELDS, PLATFORMS, SIMILAR_PLATFORMS, SORT_BY

__all__ = [
    "FILTERS",
    "FOLLOWER_FILTER",
    "PLATFORMS",
    "SIMILAR_PLATFORMS",
    "SORT_BY",
    "FilterError",
    "FilterSpec",
    "filters_for",
    "markdown_table",
    "validate_filters",
    "validate_sort",
]

Kind = Literal[
    "range",
    "growth",
    "string_list",
    "integer_list",
    "boolean",
    "flags",
    "number",
    "integer",
    "days",
    "string",
    "object",
    "weighted_list",
    "weighted_object",
]


@dataclass(frozen=True)
class FilterSpec:
    """One discovery filter: its wire key, shape and where it applies."""

    key: str
    kind: Kind
    platforms: tuple[str, ...]
    enum: tuple[str, ...] = ()
    dictionary: str | None = None  # the client.dictionary method that lists valid values
    min_length: int | None = None
    max_length: int | None = None
    max_items: int | None = None
    item_fields: tuple[str, ...] = ()
    source: str = ""
    notes: str = ""

    @property
    def parent(self) -> str | None:
        """``"audience"`` for ``audience.age``; ``None`` for top-level filters."""
        return self.key.split(".")[0] if "." in self.key else None

    @property
    def name(self) -> str:
        """The key inside its parent object (``age`` for ``audience.age``)."""
        return self.key.rsplit(".", 1)[-1]


FILTERS: tuple[FilterSpec, ...] = tuple(FilterSpec(**f) for f in FIELDS)
_BY_KEY = {f.key: f for f in FILTERS}

#: The follower-count filter has a different key per platform (REFERENCE.md §4.3).
FOLLOWER_FILTER: dict[str, str | None] = {
    "instagram": "number_of_followers",
    "tiktok": "number_of_followers",
    "twitter": "number_of_followers",
    "youtube": "number_of_subscribers",
    "twitch": "followers",
    "onlyfans": None,
}

#: ``creator_has`` keys accepted by the backend serializer (official MCP list; note
#: ``has_whatsApp``).
CREATOR_HAS_KEYS: frozenset[str] = frozenset(
    "has_" + p
    for p in [
        "amazonaffiliates",
        "anchor",
        "applemusic",
        "bandcamp",
        "behance",
        "buymeacoffee",
        "cameo",
        "canva",
        "clubhouse",
        "community",
        "discord",
        "dribbble",
        "etsy",
        "facebook",
        "fiverr",
        "github",
        "gofundme",
        "goodreads",
        "instagram",
        "kakao",
        "kickstarter",
        "kofi",
        "linkedin",
        "linktree",
        "medium",
        "onlyfans",
        "patreon",
        "phone",
        "pinterest",
        "podcast",
        "redbubble",
        "shopify",
        "shopltk",
        "snapchat",
        "soundcloud",
        "spotify",
        "spring",
        "streamlabs",
        "substack",
        "telegram",
        "tiktok",
        "tumblr",
        "twitch",
        "twitter",
        "udemy",
        "viber",
        "vimeo",
        "vk",
        "weebly",
        "whatsApp",
        "wix",
        "youtube",
    ]
)


class FilterError(ArgumentError):
    """Filters that would be ignored or refused by the API; nothing was sent.

    ``problems`` maps each offending key (dotted for nested ones) to a message.
    """

    def __init__(self, platform: str, problems: Mapping[str, str]) -> None:
        self.platform = platform
        self.problems = dict(problems)
        lines = "; ".join(f"{k}: {v}" for k, v in self.problems.items())
        super().__init__(f"invalid discovery filters for {platform}: {lines}", argument="filters")


def filters_for(platform: str, *, top_level: bool = False) -> tuple[FilterSpec, ...]:
    """The filters valid on ``platform`` (nested audience fields included unless ``top_level``)."""
    _check_platform(platform)
    out = []
    for spec in FILTERS:
        plats = spec.platforms or _BY_KEY[spec.parent].platforms if spec.parent else spec.platforms
        if platform in plats and not (top_level and spec.parent):
            out.append(spec)
    return tuple(out)


def _check_platform(platform: str) -> None:
    if platform not in PLATFORMS:
        raise ArgumentError(
            f"unknown platform {platform!r}; expected one of {', '.join(PLATFORMS)}"
        )


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def _suggest(key: str, candidates: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(key, list(candidates), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def validate_filters(
    platform: str,
    filters: Mapping[str, Any] | None,
    *,
    dictionary_lookup: Callable[[FilterSpec, str], bool] | None = None,
) -> dict[str, Any]:
    """Check ``filters`` for ``platform`` and return the wire form (a new dict).

    Raises :class:`FilterError` listing every problem: an unknown key (the API would
    silently ignore it and charge for unfiltered results), a key of another platform, a
    wrong type, a range with min > max, a value outside an enum. ``"30d"`` strings for
    days-since filters become integers. ``dictionary_lookup(spec, value)`` may confirm that
    dictionary-backed values exist.
    """
    _check_platform(platform)
    if filters is None:
        return {}
    if not isinstance(filters, Mapping):
        raise FilterError(platform, {"filters": "must be a mapping of filter names to values"})
    problems: dict[str, str] = {}
    valid = {s.key: s for s in filters_for(platform)}
    out: dict[str, Any] = {}
    for key, value in filters.items():
        spec = valid.get(key)
        if spec is None or spec.parent:
            if key in _BY_KEY and not _BY_KEY[key].parent:
                where = ", ".join(_BY_KEY[key].platforms)
                problems[key] = f"not a filter on {platform} (only {where})"
            else:
                problems[key] = "unknown filter" + _suggest(key, [k for k in valid if "." not in k])
            continue
        if value is None:
            continue
        if spec.kind == "object":
            out[key] = _validate_object(platform, spec, value, valid, problems, dictionary_lookup)
        else:
            checked = _validate_value(spec, value, problems, key)
            if key not in problems:
                _check_dictionary(spec, checked, problems, key, dictionary_lookup)
                out[key] = checked
    if problems:
        raise FilterError(platform, problems)
    return out


def _validate_object(platform, spec, value, valid, problems, lookup) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        problems[spec.key] = "must be an object"
        return {}
    out: dict[str, Any] = {}
    for sub, subval in value.items():
        full = f"{spec.key}.{sub}"
        subspec = valid.get(full)
        if subspec is None:
            children = [k.split(".", 1)[1] for k in valid if k.startswith(spec.key + ".")]
            problems[full] = "unknown filter" + _suggest(sub, children)
            continue
        if subval is None:
            continue
        checked = _validate_value(subspec, subval, problems, full)
        if full not in problems:
            _check_dictionary(subspec, checked, problems, full, lookup)
            out[sub] = checked
    return out


def _check_dictionary(spec, value, problems, path, lookup) -> None:
    if lookup is None or spec.dictionary is None:
        return
    values = value if isinstance(value, list) else [value]
    for item in values:
        name = item.get("name", item.get("language_abbr")) if isinstance(item, dict) else item
        if isinstance(name, str) and not lookup(spec, name):
            problems[path] = f"{name!r} is not in the {spec.dictionary} dictionary"
            return


def _validate_value(spec: FilterSpec, value: Any, problems: dict[str, str], path: str) -> Any:
    kind = spec.kind
    if kind == "range":
        if not isinstance(value, Mapping) or not set(value) <= {"min", "max"}:
            problems[path] = "must be {'min': number, 'max': number} (either side optional)"
            return None
        lo, hi = value.get("min"), value.get("max")
        for side, v in (("min", lo), ("max", hi)):
            if v is not None and not _is_number(v):
                problems[path] = f"{side} must be a number, got {v!r}"
                return None
        if lo is not None and hi is not None and lo > hi:
            problems[path] = f"min ({lo}) is greater than max ({hi})"
            return None
        bound = 100 if spec.key.endswith(("percent", "percentage")) else None  # shares
        for side, v in (("min", lo), ("max", hi)):
            if v is not None and (v < 0 or (bound is not None and v > bound)):
                span = f"0-{bound}" if bound is not None else ">= 0"
                problems[path] = f"{side} must be {span}, got {v!r}"
                return None
        return {k: v for k, v in value.items() if v is not None}
    if kind == "growth":
        if not isinstance(value, Mapping) or not _is_number(value.get("growth_percentage")):
            problems[path] = "must be {'growth_percentage': number, 'time_range_months': int}"
            return None
        months = value.get("time_range_months", 3)
        if not isinstance(months, int) or isinstance(months, bool) or not 1 <= months <= 12:
            problems[path] = "time_range_months must be an integer from 1 to 12"
            return None
        return {"growth_percentage": value["growth_percentage"], "time_range_months": months}
    if kind in ("string_list", "integer_list"):
        want = str if kind == "string_list" else int
        if isinstance(value, str | bytes) or not isinstance(value, Iterable):
            problems[path] = f"must be a list of {want.__name__}s"
            return None
        items = list(value)
        bad = [v for v in items if not isinstance(v, want) or isinstance(v, bool)]
        if bad:
            problems[path] = f"must be a list of {want.__name__}s, got {bad[0]!r}"
            return None
        if spec.max_items is not None and len(items) > spec.max_items:
            problems[path] = f"at most {spec.max_items} items, got {len(items)}"
            return None
        return items
    if kind == "boolean":
        if not isinstance(value, bool):
            problems[path] = f"must be true or false, got {value!r}"
        return value
    if kind == "flags":
        if not isinstance(value, Mapping) or not all(isinstance(v, bool) for v in value.values()):
            problems[path] = "must map has_<platform> keys to true/false"
            return None
        unknown = [k for k in value if k not in CREATOR_HAS_KEYS]
        if unknown:
            problems[path] = f"unknown key {unknown[0]!r}" + _suggest(unknown[0], CREATOR_HAS_KEYS)
            return None
        return dict(value)
    if kind in ("number",):
        if not _is_number(value) or value < 0:
            problems[path] = f"must be a non-negative number, got {value!r}"
        return value
    if kind in ("days", "integer"):
        if isinstance(value, str) and value.endswith("d") and value[:-1].isdigit():
            value = int(value[:-1])  # one client sends "30d"; integer days is canonical (§15 #17)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            problems[path] = f"must be a whole number of days, got {value!r}"
        return value
    if kind == "string":
        if not isinstance(value, str):
            problems[path] = f"must be a string, got {value!r}"
            return None
        if spec.enum and value not in spec.enum:
            problems[path] = f"must be one of {', '.join(spec.enum)}, got {value!r}"
        if spec.min_length is not None and len(value) < spec.min_length:
            problems[path] = f"must be at least {spec.min_length} characters"
        if spec.max_length is not None and len(value) > spec.max_length:
            problems[path] = f"must be at most {spec.max_length} characters"
        return value
    if kind in ("weighted_list", "weighted_object"):
        items = [value] if kind == "weighted_object" else value
        if kind == "weighted_object" and not isinstance(value, Mapping):
            problems[path] = f"must be an object with {', '.join(spec.item_fields)}"
            return None
        if kind == "weighted_list" and (
            isinstance(value, str | Mapping) or not isinstance(value, list)
        ):
            problems[path] = f"must be a list of objects with {', '.join(spec.item_fields)}"
            return None
        for item in items:
            if not isinstance(item, Mapping) or set(item) - set(spec.item_fields):
                problems[path] = f"each item takes only {', '.join(spec.item_fields)}"
                return None
            pct = item.get("min_pct")
            if pct is not None and (not _is_number(pct) or not 0 <= pct <= 100):
                problems[path] = f"min_pct must be a number from 0 to 100, got {pct!r}"
                return None
        return [dict(i) for i in items] if kind == "weighted_list" else dict(value)
    problems[path] = f"unsupported filter kind {kind}"
    return None


def validate_sort(platform: str, sort_by: str, sort_order: str) -> None:
    """Refuse sort combinations the API documents as unsupported (REFERENCE.md §4.1)."""
    _check_platform(platform)
    if sort_by not in SORT_BY:
        raise ArgumentError(f"sort_by must be one of {', '.join(SORT_BY)}, got {sort_by!r}")
    if sort_order not in ("asc", "desc"):
        raise ArgumentError(f"sort_order must be 'asc' or 'desc', got {sort_order!r}")
    if sort_by == "growth_rate" and platform not in ("instagram", "tiktok", "youtube"):
        raise ArgumentError("sort_by='growth_rate' is only for instagram, tiktok and youtube")
    if sort_by == "number_of_followers" and platform == "onlyfans":
        raise ArgumentError("sort_by='number_of_followers' is not available on onlyfans")
    if sort_by == "relevancy" and sort_order != "desc":
        raise ArgumentError("sort_by='relevancy' only supports sort_order='desc'")


def markdown_table(platform: str) -> str:
    """A Markdown table of the filters for ``platform`` (used to generate docs/filters.md)."""
    rows = ["| filter | kind | values | notes |", "|---|---|---|---|"]
    for s in filters_for(platform):
        values = ", ".join(s.enum) or (
            f"from `dictionary.{s.dictionary}()`" if s.dictionary else ""
        )
        rows.append(f"| `{s.key}` | {s.kind} | {values} | {s.notes} |")
    return "\n".join(rows)
