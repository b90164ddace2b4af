"""Discovery on the synthetic world: request checks, filters, relevance, sort and paging.

REFERENCE.md §4 (search) and §5 (similar). The filter schema comes from
:mod:`toolkit.filters`; this module gives every filter of the schema a meaning on the
world's creators. Unknown keys and keys of another platform are dropped silently (§3.3,
the real API does that); known keys with a wrong type answer a DRF-style 400.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from toolkit.filters import CREATOR_HAS_KEYS, FilterError, filters_for, validate_filters
from toolkit.filters import validate_sort as _validate_sort

from . import _dictionaries as D
from ._http import ApiError
from ._world import Creator, World
from ._world_audience import AUDIENCE_PLATFORMS, CREDIBILITY_CLASSES, audience

__all__ = ["account_row", "clean_filters", "match", "paging_window", "sort_rows"]

MAX_LIMIT = 50  # §3.1
SORT_BY = ("relevancy", "engagement_rate", "number_of_followers", "growth_rate")
_WORD = re.compile(r"[a-z0-9]+")
_STOP = {
    "the",
    "and",
    "for",
    "with",
    "who",
    "that",
    "about",
    "creators",
    "creator",
    "influencer",
    "influencers",
    "content",
    "videos",
    "video",
    "posts",
}


def bad_request(path: tuple[str, ...], message: str) -> ApiError:
    """A DRF field error nested along ``path``: ``{"error": {"a": {"b": [message]}}}``."""
    node: Any = [message]
    for key in reversed(path):
        node = {key: node}
    return ApiError(400, {"error": node})


# --------------------------------------------------------------------------- request checks
def require_platform(body: Mapping[str, Any], allowed: tuple[str, ...]) -> str:
    """``body["platform"]`` checked against ``allowed`` (DRF choice field wording)."""
    platform = body.get("platform")
    if platform is None or platform == "":
        raise bad_request(("platform",), "This field is required.")
    if not isinstance(platform, str) or platform not in allowed:
        raise bad_request(("platform",), f'"{platform}" is not a valid choice.')
    return platform


def _int_field(value: Any, path: tuple[str, ...], lo: int, hi: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise bad_request(path, "A valid integer is required.")
    try:
        number = int(value) if not isinstance(value, float) or value.is_integer() else None
    except ValueError:
        number = None
    if number is None:
        raise bad_request(path, "A valid integer is required.")
    if number < lo:
        raise bad_request(path, f"Ensure this value is greater than or equal to {lo}.")
    if hi is not None and number > hi:
        raise bad_request(path, f"Ensure this value is less than or equal to {hi}.")
    return number


def paging_window(body: Mapping[str, Any], page_base: int, max_results: int) -> tuple[int, int]:
    """``(offset, limit)`` of ``body["paging"]`` (§3.1): limit 1-50, page from the page
    base, and no page whose first row lies beyond the first ``max_results`` results."""
    paging = body.get("paging")
    if paging is None:
        raise bad_request(("paging",), "This field is required.")
    if not isinstance(paging, Mapping):
        raise bad_request(
            ("paging", "non_field_errors"),
            f"Invalid data. Expected a dictionary, but got {type(paging).__name__}.",
        )
    if paging.get("limit") is None:
        raise bad_request(("paging", "limit"), "This field is required.")
    if paging.get("page") is None:
        raise bad_request(("paging", "page"), "This field is required.")
    limit = _int_field(paging["limit"], ("paging", "limit"), 1, MAX_LIMIT)
    page = _int_field(paging["page"], ("paging", "page"), page_base)
    offset = (page - page_base) * limit
    if offset >= max_results:
        raise bad_request(
            ("paging", "page"),
            f"Only the first {max_results} results of a search can be retrieved; "
            f"this page starts at result {offset + 1}.",
        )
    return offset, limit


def check_sort(platform: str, body: Mapping[str, Any]) -> tuple[str, str]:
    """``(sort_by, sort_order)``, refusing what §4.1 documents as unsupported."""
    sort = body.get("sort")
    if sort is None:
        return "relevancy", "desc"
    if not isinstance(sort, Mapping):
        raise bad_request(
            ("sort", "non_field_errors"),
            f"Invalid data. Expected a dictionary, but got {type(sort).__name__}.",
        )
    sort_by = sort.get("sort_by") or "relevancy"
    order = sort.get("sort_order") or "desc"
    if sort_by not in SORT_BY:
        raise bad_request(("sort", "sort_by"), f'"{sort_by}" is not a valid choice.')
    if order not in ("asc", "desc"):
        raise bad_request(("sort", "sort_order"), f'"{order}" is not a valid choice.')
    try:
        _validate_sort(platform, sort_by, order)
    except ValueError as exc:
        raise bad_request(("sort", "sort_by"), str(exc)) from None
    return sort_by, order


# --------------------------------------------------------------------------- filters: checks
def clean_filters(platform: str, filters: Any) -> dict[str, Any]:
    """The filters the API would apply: unknown/other-platform keys dropped, types checked."""
    if filters is None:
        return {}
    if not isinstance(filters, Mapping):
        raise bad_request(
            ("filters", "non_field_errors"),
            f"Invalid data. Expected a dictionary, but got {type(filters).__name__}.",
        )
    known = {s.key: s for s in filters_for(platform)}
    kept: dict[str, Any] = {}
    for key, value in filters.items():
        spec = known.get(key)
        if spec is None or spec.parent:
            continue  # silently ignored, as the real API does (§3.3)
        if spec.kind == "object" and isinstance(value, Mapping):
            value = {k: v for k, v in value.items() if f"{key}.{k}" in known}
        elif spec.kind == "flags" and isinstance(value, Mapping):
            value = {k: v for k, v in value.items() if k in CREATOR_HAS_KEYS}
        kept[key] = value
    try:
        return validate_filters(platform, kept)
    except FilterError as exc:
        path, message = next(iter(exc.problems.items()))
        spec = known.get(path)
        raise bad_request(
            ("filters", *path.split(".")),
            _drf_message(spec.kind if spec else "", message, kept, path),
        ) from None


def _drf_message(kind: str, message: str, kept: Mapping[str, Any], path: str) -> str:
    """Our schema's problem text reworded the way Django REST framework says it."""
    value: Any = kept
    for part in path.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    if kind in ("range", "growth", "number"):
        if kind != "number" and not isinstance(value, Mapping):
            return f'Expected a dictionary of items but got type "{type(value).__name__}".'
        if "greater than" in message:
            return "Ensure min is less than or equal to max."
        if "time_range_months" in message:
            return "A valid integer is required."
        return "A valid number is required."
    if kind in ("string_list", "integer_list"):
        if not isinstance(value, list):
            return f'Expected a list of items but got type "{type(value).__name__}".'
        if "at most" in message:
            return message.replace("at most", "Ensure this field has no more than")
        return "Not a valid string." if kind == "string_list" else "A valid integer is required."
    if kind == "boolean" or kind == "flags":
        return "Must be a valid boolean."
    if kind in ("days", "integer"):
        return "A valid integer is required."
    if kind == "string":
        if not isinstance(value, str):
            return "Not a valid string."
        if "one of" in message:
            return f'"{value}" is not a valid choice.'
        if "at least" in message:
            return message.replace("must be at least", "Ensure this field has at least") + "."
        return message.replace("must be at most", "Ensure this field has no more than") + "."
    return "Invalid data."


# --------------------------------------------------------------------------- filters: meaning
def _in_range(x: float, rng: Mapping[str, float]) -> bool:
    lo, hi = rng.get("min"), rng.get("max")
    return (lo is None or x >= lo) and (hi is None or x <= hi)


def _text_has(text: str, words: list[str]) -> bool:
    low = text.lower()
    return any(w.lower().strip().lstrip("#") in low for w in words if w.strip())


def _tags(c: Creator) -> set[str]:
    return {k.lower() for k in c.person.keywords}


def _vocabulary(c: Creator) -> str:
    """Words of the creator's captions, titles and video descriptions."""
    p = c.person
    brands = " ".join(D.BRAND_BY_CLEANED[b].full_name for b in p.brands)
    return " ".join((*p.keywords, p.subniche, brands))


def _has(c: Creator, key: str) -> bool:
    name = key[4:].lower()
    return any(a.platform == name for a in c.person.accounts) or name in c.person.services


def _days_since(when: datetime | None, now: datetime) -> float:
    return math.inf if when is None else (now - when).total_seconds() / 86400


Pred = Callable[[Creator, Any, "Match"], bool]


def _stat(name: str) -> Pred:
    return lambda c, v, m: _in_range(c.stats.get(name, 0), v)


def _flag(name: str) -> Pred:
    return lambda c, v, m: bool(c.stats.get(name, False)) == v


def _last(kinds: tuple[str, ...] | None) -> Pred:
    return lambda c, v, m: _days_since(m.last_post(c, kinds), m.now) <= v


def _followers(c: Creator, v: Any, m: Match) -> bool:
    return _in_range(c.followers, v)


def _growth(c: Creator, v: Any, m: Match) -> bool:
    return c.growth(v.get("time_range_months", 3)) >= v["growth_percentage"]


_PREDICATES: dict[str, Pred] = {
    "location": lambda c, v, m: any(
        x.lower()
        in (
            c.location.lower(),
            (c.city_label or "").lower(),
            c.person.city.name.lower() if c.person.city else "",
        )
        for x in v
    ),
    "type": lambda c, v, m: c.is_business == (v == "business"),
    "gender": lambda c, v, m: c.gender == v,
    "profile_language": lambda c, v, m: c.language in v,
    "creator_has": lambda c, v, m: all(_has(c, k) == want for k, want in v.items()),
    "exclude_role_based_emails": lambda c, v, m: not v or c.email_type != "role_based_email",
    "is_verified": lambda c, v, m: c.is_verified == v,
    "has_link_in_bio": lambda c, v, m: bool(c.links_in_bio) == v,
    "link_in_bio": lambda c, v, m: _text_has(" ".join(c.links_in_bio), v),
    "not_link_in_bio": lambda c, v, m: not _text_has(" ".join(c.links_in_bio), v),
    "has_done_brand_deals": lambda c, v, m: c.has_brand_deals == v,
    "promotes_affiliate_links": _flag("promotes_affiliate_links"),
    "does_live_streaming": _flag("streamer"),
    "has_merch": _flag("has_merch"),
    "brands": lambda c, v, m: bool({b.lower() for b in v}.intersection(c.person.brands)),
    "number_of_followers": _followers,
    "number_of_subscribers": _followers,
    "followers": _followers,
    "posting_frequency": lambda c, v, m: c.posts_per_week >= v,
    "follower_growth": _growth,
    "subscriber_growth": _growth,
    "average_likes": _stat("avg_likes"),
    "average_comments": _stat("avg_comments"),
    "engagement_percent": lambda c, v, m: _in_range(c.engagement_percent, v),
    "exclude_private_profile": lambda c, v, m: not (v and c.is_private),
    "keywords_in_bio": lambda c, v, m: _text_has(c.bio, v),
    "exclude_keywords_in_bio": lambda c, v, m: not _text_has(c.bio, v),
    "keywords_in_description": lambda c, v, m: _text_has(c.bio, v),
    "keywords_not_in_description": lambda c, v, m: not _text_has(c.bio, v),
    "hashtags": lambda c, v, m: bool({h.lower().lstrip("#") for h in v} & _tags(c)),
    "not_hashtags": lambda c, v, m: not ({h.lower().lstrip("#") for h in v} & _tags(c)),
    "income": lambda c, v, m: (
        (v.get("max") is None or c.stats["income"]["min"] <= v["max"])
        and (v.get("min") is None or c.stats["income"]["max"] >= v["min"])
    ),
    "has_videos": lambda c, v, m: (
        (c.stats.get("reels_percent", 0) > 0 or c.stats.get("has_videos", False)) == v
    ),
    "number_of_posts": _stat("media_count"),
    "reels_percent": _stat("reels_percent"),
    "video_percentage": _stat("reels_percent"),
    "average_views_for_reels": _stat("avg_views"),
    "topics": lambda c, v, m: bool({t.lower() for t in v} & m.topics(c)),
    "links_from_description": lambda c, v, m: _text_has(" ".join(c.links_in_bio), v),
    "links_from_video_description": lambda c, v, m: _text_has(
        " ".join(c.links_in_bio + [f"https://www.{b}.com" for b in c.person.brands]), v
    ),
    "has_shorts": _flag("has_shorts"),
    "has_podcast": _flag("has_podcast"),
    "has_courses": _flag("has_courses"),
    "has_membership": _flag("has_membership"),
    "has_community_posts": _flag("has_community_posts"),
    "streams_live": _flag("streams_live"),
    "is_monetizing": _flag("is_monetizing"),
    "shorts_percentage": _stat("shorts_percentage"),
    "average_views_on_long_videos": _stat("avg_views_long"),
    "average_views_on_shorts": _stat("avg_views_shorts"),
    "median_views_long": _stat("median_views_long"),
    "number_of_videos": lambda c, v, m: _in_range(
        c.stats.get("video_count", c.stats.get("number_of_videos", 0)), v
    ),
    "long_video_duration": _stat("long_video_duration"),
    "average_stream_views": _stat("average_stream_views"),
    "average_stream_duration": _stat("average_stream_duration"),
    "average_views": _stat("avg_views"),
    "average_video_downloads": _stat("avg_downloads"),
    "video_count": _stat("video_count"),
    "has_tik_tok_shop": _flag("has_tik_tok_shop"),
    "active_subscribers": _stat("active_subscribers"),
    "streamed_hours_last_30_days": _stat("streamed_hours_last_30_days"),
    "total_hours_streamed": _stat("total_hours_streamed"),
    "maximum_views_count": _stat("maximum_views_count"),
    "avg_views_last_30_days": _stat("avg_views"),
    "streams_count_last_30_days": _stat("streams_count_last_30_days"),
    "games_played": lambda c, v, m: bool(
        {g.lower() for g in v} & {g.lower() for g in c.stats.get("games_played", [])}
    ),
    "is_twitch_partner": _flag("is_twitch_partner"),
    "tweets_count": _stat("tweets_count"),
    "number_of_tweets": _stat("tweets_count"),
    "subscription_price": _stat("subscription_price"),
    "number_of_photos": _stat("number_of_photos"),
    "number_of_likes": _stat("number_of_likes"),
    "has_free_account": _flag("has_free_account"),
    "has_live_streams": _flag("has_live_streams"),
    # days since (§4.3): checked last, they look at posts
    "last_post": _last(None),
    "last_active": _last(None),
    "most_recent_stream_date": _last(None),
    "last_upload_long_video": _last(("video",)),
    "last_upload_short_video": _last(("short",)),
    "last_stream_upload": lambda c, v, m: (
        c.stats.get("streams_live", False)
        and c.stats["last_stream_days"] + (m.now - m.world.epoch).days <= v
    ),
}
#: keyword filters over the creator's caption/title/description vocabulary
for _key in (
    "keywords_in_captions",
    "keywords_in_video_titles",
    "keywords_in_video_description",
    "video_description",
    "keywords_in_tweets",
    "tweets",
):
    _PREDICATES[_key] = lambda c, v, m: _text_has(_vocabulary(c), v)
for _key in (
    "keywords_not_in_captions",
    "keywords_not_in_video_titles",
    "keywords_not_in_video_description",
    "not_video_description",
    "keywords_not_in_tweets",
):
    _PREDICATES[_key] = lambda c, v, m: not _text_has(_vocabulary(c), v)
_LATE = (
    "last_post",
    "last_active",
    "most_recent_stream_date",
    "last_upload_long_video",
    "last_upload_short_video",
    "last_stream_upload",
)


def _audience_ok(world: World, c: Creator, spec: Mapping[str, Any]) -> bool:
    """The ``audience`` filter (§4.3; Instagram, 10k+ followers). ``min_pct`` is percent."""
    if c.platform not in AUDIENCE_PLATFORMS or c.followers < 10000:
        return False
    a = audience(world, c)
    for item in spec.get("location", []):
        if a.location_weight(item["name"], item.get("type")) * 100 < item.get("min_pct", 0.01):
            return False
    if "gender" in spec:
        g = spec["gender"]
        share = a.male if str(g.get("type", "")).lower() == "male" else 1 - a.male
        if share * 100 < g.get("min_pct", 50):
            return False
    for item in spec.get("language", []):
        w = dict(a.languages).get(item.get("language_abbr", ""), 0.0)
        if w * 100 < item.get("min_pct", 0.01):
            return False
    for item in spec.get("age", []):
        if dict(a.ages).get(item.get("range", ""), 0.0) * 100 < item.get("min_pct", 0.01):
            return False
    for item in spec.get("interests", []):
        w = {n.lower(): w for n, w, _a in a.interests}.get(item.get("name", "").lower(), 0.0)
        if w * 100 < item.get("min_pct", 0.01):
            return False
    if spec.get("brands"):
        names = {b.full_name.lower() for b, _w, _a in a.brands}
        if not names & {b.lower() for b in spec["brands"]}:
            return False
    if spec.get("brand_categories"):
        cats = {cat.lower() for b, _w, _a in a.brands for cat in b.categories}
        if not cats & {x.lower() for x in spec["brand_categories"]}:
            return False
    want = spec.get("credibility")
    return not want or (
        CREDIBILITY_CLASSES.index(a.credibility_class) >= CREDIBILITY_CLASSES.index(want)
    )


# --------------------------------------------------------------------------- matching
class Match:
    """One discovery query over the world: filters applied, relevance scored."""

    def __init__(
        self, world: World, now: datetime, filters: Mapping[str, Any], excluded: set[str]
    ) -> None:
        self.world = world
        self.now = now
        self.filters = filters
        self.excluded = excluded
        self._last: dict[tuple[int, tuple[str, ...] | None], datetime | None] = {}
        self.terms = [
            t
            for t in _WORD.findall(str(filters.get("ai_search", "")).lower())
            if len(t) >= 3 and t not in _STOP
        ]

    def last_post(self, c: Creator, kinds: tuple[str, ...] | None) -> datetime | None:
        key = (c.index, kinds)
        if key not in self._last:
            post = None
            if kinds != ("short",) or c.stats.get("has_shorts"):
                # "days since" filters are small numbers; a year back is plenty
                post = self.world.last_post(c, self.now, kinds, max_days=400)
            self._last[key] = post.published_at if post else None
        return self._last[key]

    @staticmethod
    def topics(c: Creator) -> set[str]:
        out = {c.niche.yt_topic.lower(), *(s.lower() for s in c.niche.yt_subtopics)}
        if c.person.niche2 is not None:
            out.update(s.lower() for s in c.person.niche2.yt_subtopics)
        return out

    def ai_score(self, c: Creator) -> float:
        """How well ``c`` fits the ``ai_search`` text: niche words count most."""
        if not self.terms:
            return 0.0
        strong, weak = self._terms(c)
        score = 0.0
        for t in self.terms:
            if any(_close(t, w) for w in strong):
                score += 1.0
            elif any(_close(t, w) for w in weak):
                score += 0.4
        return score / len(self.terms)

    def _terms(self, c: Creator) -> tuple[frozenset[str], frozenset[str]]:
        cache = self.world.memory.setdefault("ai_terms", {})
        p = c.person
        if p.index not in cache:
            strong = frozenset(
                _WORD.findall(
                    " ".join(
                        (p.niche.name, p.subniche, *p.niche.keywords, *p.niche.subniches)
                    ).lower()
                )
            )
            weak = frozenset(_WORD.findall(" ".join((p.bio, *p.keywords, *p.brands)).lower()))
            cache[p.index] = (strong, weak - strong)
        return cache[p.index]

    def accepts(self, c: Creator) -> bool:
        if c.username in self.excluded or c.id.lower() in self.excluded:
            return False
        f = self.filters
        for key in sorted(f, key=lambda k: (k in _LATE, k)):
            if key == "audience":
                if not _audience_ok(self.world, c, f[key]):
                    return False
                continue
            pred = _PREDICATES.get(key)
            if pred is not None and not pred(c, f[key], self):
                return False
        return True


def _close(term: str, word: str) -> bool:
    return term == word or (
        len(term) >= 4 and len(word) >= 4 and (word.startswith(term) or term.startswith(word))
    )


def quality(c: Creator) -> float:
    """Default relevance without a query: reach weighted by engagement."""
    return math.log10(max(c.followers, 10)) * (1 + min(c.engagement_percent, 20) / 10)


def match(
    world: World, now: datetime, pool: list[Creator], filters: Mapping[str, Any], excluded: set[str]
) -> list[tuple[float, Creator]]:
    """``(relevance, creator)`` for every creator of ``pool`` the filters let through."""
    m = Match(world, now, filters, excluded)
    out = []
    for c in pool:
        score = m.ai_score(c) if m.terms else 0.0
        if m.terms and score <= 0:
            continue
        if not m.accepts(c):
            continue
        out.append((score * 100 + quality(c), c))
    return out


def sort_rows(
    rows: list[tuple[float, Creator]], sort_by: str, order: str
) -> list[tuple[float, Creator]]:
    """Order matches (§4.1); ties break on world order so paging is stable."""
    keys: dict[str, Callable[[tuple[float, Creator]], float]] = {
        "relevancy": lambda sc: sc[0],
        "engagement_rate": lambda sc: sc[1].engagement_percent,
        "number_of_followers": lambda sc: sc[1].followers,
        "growth_rate": lambda sc: sc[1].growth(3),
    }
    key = keys[sort_by]
    sign = -1 if order == "desc" else 1
    return sorted(rows, key=lambda sc: (sign * key(sc), sc[1].index))


def account_row(world: World, c: Creator, now: datetime) -> dict[str, Any]:
    """One ``accounts[]`` item (§4.2; YouTube adds ``id`` and an "@" username, §17)."""
    profile: dict[str, Any] = {"full_name": c.full_name}
    if c.platform == "youtube":
        profile["username"] = "@" + c.username
        profile["id"] = c.id
    else:
        profile["username"] = c.username
    profile["picture"] = world.picture_url(c, now)
    profile["followers"] = c.followers
    profile["engagement_percent"] = c.engagement_percent
    return {"user_id": c.uc_id, "profile": profile}


def excluded_handles(
    world: World, account: Any, platform: str, filters: Mapping[str, Any]
) -> set[str]:
    """Handles removed by ``exclude_handles`` and the exclusion-list filters (§4.3, §7).

    List ids the account does not own, or of another platform, are ignored silently.
    """
    out = {world.normalize_handle(h) for h in filters.get("exclude_handles", [])}
    lists = getattr(account, "exclusion_lists", {}) or {}
    wanted = set(filters.get("exclude_list", []))
    for list_id in sorted(lists):
        lst = lists[list_id]
        if getattr(lst, "platform", None) != platform:
            continue
        if (
            list_id in wanted
            or filters.get("exclude_all_lists")
            or (filters.get("exclude_default_list") and getattr(lst, "is_default", False))
        ):
            out.update(world.normalize_handle(h) for h in getattr(lst, "handles", ()))
    if filters.get("exclude_previous") and account is not None:
        seen = getattr(account, "state", {}).get("sandbox_discovery_returned", {})
        out.update(seen.get(platform, ()))
    return out


def remember_returned(account: Any, platform: str, creators: list[Creator]) -> None:
    """Note what discovery returned to the account (for ``exclude_previous``)."""
    state = getattr(account, "state", None)
    if isinstance(state, dict):
        seen = state.setdefault("sandbox_discovery_returned", {}).setdefault(platform, set())
        seen.update(c.username for c in creators)
