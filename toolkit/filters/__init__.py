"""The discovery filter schema: the single source of truth for filters, per platform.

The real API silently ignores filter keys it does not know and still charges for the
unfiltered result, so the client checks every filter against this
schema *before* sending. The widgets build their form from it, the sandbox applies it to
its synthetic creators, and the docs' filter table is generated from it.

>>> from toolkit.filters import validate_filters
>>> validate_filters("instagram", {"number_of_followers": {"min": 1000}})
{'number_of_followers': {'min': 1000}}
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from toolkit._checks import check_platform
from toolkit._exceptions import ArgumentError
from toolkit._facts import DISCOVERY_PLATFORMS as PLATFORMS
from toolkit._facts import GROWTH_SORT_PLATFORMS, SIMILAR_PLATFORMS
from toolkit.filters._dictionaries import SOURCES, DictionaryLookup, DictionarySource
from toolkit.filters._fields import FIELDS, SORT_BY
from toolkit.filters._kinds import KINDS, MAX_DAYS, FilterKind, Invalid, range_bounds
from toolkit.filters._meanings import example, example_value, meaning
from toolkit.filters._values import (
    Checked,
    DictionaryUnreachableError,
    ValueRef,
    apply_fixes,
    check_values,
    closest,
    lookup_for,
    normalize,
    refs_of,
    suggestion_text,
)

__all__ = [
    "AGE_BANDS",
    "FILTERS",
    "FOLLOWER_FILTER",
    "KINDS",
    "MAX_DAYS",
    "PLATFORMS",
    "SIMILAR_PLATFORMS",
    "SORT_BY",
    "SOURCES",
    "Checked",
    "DictionaryLookup",
    "DictionarySource",
    "DictionaryUnreachableError",
    "FilterError",
    "FilterKind",
    "FilterSpec",
    "ValueRef",
    "apply_fixes",
    "check_values",
    "closest",
    "dictionary_refs",
    "example_value",
    "filters_for",
    "lookup_for",
    "markdown_table",
    "normalize",
    "range_bounds",
    "resolve_values",
    "sorts_for",
    "suggestion_text",
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


_ACRONYMS = {"ai": "AI", "avg": "average"}  # label words spelled out


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

    @property
    def control(self) -> str:
        """The form control that edits it: ``"dictionary"`` (a list of dictionary values)
        and ``"choice"`` (an enum) win over the kind's own (``KINDS[kind].control``)."""
        if self.dictionary and self.kind == "string_list":
            return "dictionary"
        if self.enum and self.kind == "string":
            return "choice"
        return KINDS[self.kind].control

    @property
    def label(self) -> str:
        """A human label: ``"Number of followers"`` for ``number_of_followers``."""
        words = [_ACRONYMS.get(w, w) for w in self.name.split("_")]
        text = " ".join(words)
        return text[:1].upper() + text[1:]

    @property
    def shape(self) -> str:
        """What a value looks like: the kind's shape, with an audience list's own keys
        (``a list of {range, min_pct} objects; range one of 13-17, ...``)."""
        if self.kind not in ("weighted_list", "weighted_object"):
            return KINDS[self.kind].shape
        keys = "{" + ", ".join(self.item_fields) + "}"
        text = f"a list of {keys} objects" if self.kind == "weighted_list" else f"one {keys} object"
        if self.enum:
            text += f"; {self.item_fields[0]} one of {', '.join(self.enum)}"
        if "min_pct" in self.item_fields:
            text += "; min_pct 0-100 (optional)"
        return text

    @property
    def help(self) -> str:
        """One line for the form and docs: what it means, the value's shape and bounds.

        (``notes`` hold where the contract's facts came from; they are for maintainers.)
        """
        parts = [meaning(self), self.shape]
        if self.kind != "object":
            parts.append(f"e.g. {example(self)}")
        if self.min_length is not None or self.max_length is not None:
            parts.append(f"{self.min_length or 0}-{self.max_length or '…'} characters")
        if self.max_items is not None:
            parts.append(f"at most {self.max_items:,} items")
        return "; ".join(parts)


FILTERS: tuple[FilterSpec, ...] = tuple(FilterSpec(**f) for f in FIELDS)
_BY_KEY = {f.key: f for f in FILTERS}

#: The audience age bands ``audience.age`` takes as ``range`` (the enrichment's age codes).
AGE_BANDS: tuple[str, ...] = _BY_KEY["audience.age"].enum

#: Filters that mean the same on different platforms under different names: a name used
#: on the wrong platform is pointed to its counterpart there.
_COUNTERPARTS: tuple[tuple[str, ...], ...] = (
    ("number_of_followers", "number_of_subscribers", "followers"),
    ("follower_growth", "subscriber_growth"),
    ("last_post", "last_upload_long_video", "last_upload_short_video", "most_recent_stream_date",
     "last_active"),
    ("number_of_posts", "number_of_videos", "video_count", "tweets_count"),
    ("average_views_for_reels", "average_views_on_long_videos", "average_views"),
    ("keywords_in_captions", "keywords_in_video_titles", "video_description", "keywords_in_tweets"),
)  # fmt: skip

#: The follower-count filter has a different key per platform.
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
    platform = check_platform(platform, PLATFORMS)
    out = []
    for spec in FILTERS:
        plats = spec.platforms or _BY_KEY[spec.parent].platforms if spec.parent else spec.platforms
        if platform in plats and not (top_level and spec.parent):
            out.append(spec)
    return tuple(out)


def _suggest(key: str, candidates: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(key, list(candidates), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _elsewhere(platform: str, key: str, valid: Iterable[str]) -> str:
    """Why ``key`` (a filter of other platforms) is refused, and its name on ``platform``."""
    where = ", ".join(_BY_KEY[key].platforms)
    keys = set(valid)
    same = [k for group in _COUNTERPARTS if key in group for k in group if k in keys]
    if same:
        names = " or ".join(repr(k) for k in same)
        return f"not a filter on {platform} (only {where}); on {platform} use {names}"
    return f"not a filter on {platform} (only {where})" + _suggest(key, keys)


def validate_filters(platform: str, filters: Mapping[str, Any] | None) -> dict[str, Any]:
    """Check ``filters`` for ``platform`` and return the wire form (a new dict).

    Raises :class:`FilterError` listing every problem: an unknown key (the API would
    silently ignore it and charge for unfiltered results), a key of another platform (with
    its name on this one), a wrong type, a range with min > max, a value outside an enum or
    the age bands. ``"30d"`` strings for days-since filters become integers. Whether
    dictionary-backed values exist is :func:`check_values`' part (it asks the dictionaries).
    """
    platform = check_platform(platform, PLATFORMS)
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
                problems[key] = _elsewhere(platform, key, [k for k in valid if "." not in k])
            else:
                problems[key] = "unknown filter" + _suggest(key, [k for k in valid if "." not in k])
            continue
        if value is None:
            continue
        if spec.kind == "object":
            out[key] = _validate_object(spec, value, valid, problems)
        else:
            checked = _validate_value(spec, value, problems, key)
            if key not in problems:
                out[key] = checked
    if problems:
        raise FilterError(platform, problems)
    return out


def resolve_values(client: Any, platform: str, wire: Mapping[str, Any]) -> dict[str, Any]:
    """Validated (wire-form) filters with every dictionary-backed value checked against its
    dictionary: the dictionary's spelling for one differing in case or spacing only,
    :class:`FilterError` (with the closest values) for one the dictionary does not hold,
    :class:`DictionaryUnreachableError` when a dictionary cannot be fetched.

    The one check of code, the discovery form and saved searches (sync clients; the async
    client runs the same check through ``acheck_values``). Skipped when
    ``ClientConfig(check_filter_values=False)``.
    """
    if not getattr(client.config, "check_filter_values", True):
        return dict(wire)
    checked = check_values(client, platform, dictionary_refs(platform, wire))
    if checked.problems:
        raise FilterError(platform, checked.problems)
    return apply_fixes(wire, checked.fixes)


def dictionary_refs(platform: str, wire: Mapping[str, Any]) -> list[ValueRef]:
    """Every dictionary-backed value in validated (wire-form) filters, in order.

    >>> dictionary_refs("twitch", {"games_played": ["Chess"], "followers": {"min": 5}})
    [ValueRef(path='games_played', dictionary='games', value='Chess')]
    """
    valid = {s.key: s for s in filters_for(platform)}
    refs: list[ValueRef] = []
    for key, value in wire.items():
        spec = valid[key]
        if spec.kind == "object" and isinstance(value, Mapping):
            for sub, subval in value.items():
                subspec = valid[f"{key}.{sub}"]
                refs.extend(refs_of(subspec.dictionary, subspec.key, subval))
        else:
            refs.extend(refs_of(spec.dictionary, key, value))
    return refs


def _validate_object(
    spec: FilterSpec, value: Any, valid: Mapping[str, FilterSpec], problems: dict[str, str]
) -> dict[str, Any]:
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
            out[sub] = checked
    return out


def _validate_value(spec: FilterSpec, value: Any, problems: dict[str, str], path: str) -> Any:
    """Check one value with its kind's declared check (``KINDS``); record a problem if any."""
    kind = KINDS.get(spec.kind)
    if kind is None:
        problems[path] = f"unsupported filter kind {spec.kind}"
        return None
    try:
        return kind.check(spec, value)
    except Invalid as err:
        problems[path] = str(err)
        return None


def validate_sort(platform: str, sort_by: str, sort_order: str) -> None:
    """Refuse sort combinations the API documents as unsupported."""
    platform = check_platform(platform, PLATFORMS)
    if sort_by not in SORT_BY:
        raise ArgumentError(f"sort_by must be one of {', '.join(SORT_BY)}, got {sort_by!r}")
    if sort_order not in ("asc", "desc"):
        raise ArgumentError(f"sort_order must be 'asc' or 'desc', got {sort_order!r}")
    if sort_by == "growth_rate" and platform not in GROWTH_SORT_PLATFORMS:
        *most, last = GROWTH_SORT_PLATFORMS
        raise ArgumentError(f"sort_by='growth_rate' is only for {', '.join(most)} and {last}")
    if sort_by == "number_of_followers" and platform == "onlyfans":
        raise ArgumentError("sort_by='number_of_followers' is not available on onlyfans")
    if sort_by == "relevancy" and sort_order != "desc":
        raise ArgumentError("sort_by='relevancy' only supports sort_order='desc'")


def sorts_for(platform: str) -> tuple[str, ...]:
    """The ``sort_by`` values ``platform`` allows (the ones :func:`validate_sort` accepts)."""
    out = []
    for by in SORT_BY:
        try:
            validate_sort(platform, by, "desc")
        except ValueError:
            continue
        out.append(by)
    return tuple(out)


def markdown_table(platform: str) -> str:
    """A Markdown table of the filters for ``platform`` (used to generate docs/filters.md)."""
    rows = ["| filter | what it keeps | value | example |", "|---|---|---|---|"]
    for s in filters_for(platform):
        value = s.shape
        if s.enum and s.kind not in ("weighted_list", "weighted_object"):
            value = "one of " + ", ".join(f"`{v}`" for v in s.enum)
        elif s.dictionary:
            key = f"; {s.item_fields[0]}" if s.item_fields else ""
            value += f"{key} from `client.dictionary.{s.dictionary}()`"
        low, high = range_bounds(s) if s.kind == "range" else (0, None)
        if high is not None:
            value += f" ({low}-{high})"
        sample = example(s)
        rows.append(f"| `{s.key}` | {meaning(s)} | {value} | {f'`{sample}`' if sample else ''} |")
    return "\n".join(rows)
