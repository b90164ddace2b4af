"""Discovery over the synthetic world: what each filter means on a creator, relevance, sort.

Used by discovery search and similar creators. The filter schema comes from
:mod:`toolkit.filters` (checked in ``routes/_discovery_request``); this module gives every
filter of the schema a meaning on the world's creators.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from toolkit._facts import AUDIENCE_PLATFORMS

from . import dictionaries as D
from .audiences import CREDIBILITY_CLASSES, audience
from .platforms import Creator

if TYPE_CHECKING:  # pragma: no cover
    from .world import World

__all__ = ["Match", "match", "quality", "sort_rows"]


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


PREDICATES: dict[str, Pred] = {
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
    # days since: checked last, they look at posts
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
    PREDICATES[_key] = lambda c, v, m: _text_has(_vocabulary(c), v)


for _key in (
    "keywords_not_in_captions",
    "keywords_not_in_video_titles",
    "keywords_not_in_video_description",
    "not_video_description",
    "keywords_not_in_tweets",
):
    PREDICATES[_key] = lambda c, v, m: not _text_has(_vocabulary(c), v)


LATE = (
    "last_post",
    "last_active",
    "most_recent_stream_date",
    "last_upload_long_video",
    "last_upload_short_video",
    "last_stream_upload",
)


def audience_ok(world: World, c: Creator, spec: Mapping[str, Any]) -> bool:
    """The ``audience`` filter (Instagram, 10k+ followers). ``min_pct`` is percent."""
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


class Match:
    """One discovery query over the world: filters applied, relevance scored."""

    def __init__(
        self, world: World, now: datetime, filters: Mapping[str, Any], excluded: set[str]
    ) -> None:
        self.world: World = world
        self.now: datetime = now
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
        strong, weak = self.words(c)
        score = 0.0
        for t in self.terms:
            if any(word_close(t, w) for w in strong):
                score += 1.0
            elif any(word_close(t, w) for w in weak):
                score += 0.4
        return score / len(self.terms)

    def words(self, c: Creator) -> tuple[frozenset[str], frozenset[str]]:
        """(niche words, other words) of ``c``'s person, as ``ai_search`` compares them."""
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
        for key in sorted(f, key=lambda k: (k in LATE, k)):
            if key == "audience":
                if not audience_ok(self.world, c, f[key]):
                    return False
                continue
            pred = PREDICATES.get(key)
            if pred is not None and not pred(c, f[key], self):
                return False
        return True


def word_close(term: str, word: str) -> bool:
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
    """Order matches; ties break on world order so paging is stable."""
    keys: dict[str, Callable[[tuple[float, Creator]], float]] = {
        "relevancy": lambda sc: sc[0],
        "engagement_rate": lambda sc: sc[1].engagement_percent,
        "number_of_followers": lambda sc: sc[1].followers,
        "growth_rate": lambda sc: sc[1].growth(3),
    }
    key = keys[sort_by]
    sign = -1 if order == "desc" else 1
    return sorted(rows, key=lambda sc: (sign * key(sc), sc[1].index))
