"""Discovery at index speed: per-platform indexes built once, a filter plan compiled per search.

:func:`~.search.match` + :func:`~.search.sort_rows` is the reference: it tests every
creator of the platform against every filter and sorts all matches. This module gives the
same answers (a test compares them on random queries) without that work:

* an :class:`Index` per platform, built on first use and kept with the world: creators
  ordered by followers and by engagement (range filters become two bisections), sets of
  creators per language, gender, account type, verification and place (those filters
  become set intersections), and each creator's rank under every sort key and order;
* a :class:`Plan` per search: the indexed filters intersect the candidates first, the
  rest run as predicates cheapest first (audience and "days since" filters last), and the
  page is the ``offset + limit`` best ranks of the matches, not a sort of all of them.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from .platforms import Creator
from .posts import newest_before, post_times
from .search import LATE, PREDICATES, Match, Pred, audience_ok, quality, word_close

if TYPE_CHECKING:  # pragma: no cover
    from .world import World

__all__ = ["Index", "Plan", "index_for"]

Row = tuple[float, Creator]
_FOLLOWERS = ("number_of_followers", "number_of_subscribers", "followers")
#: "days since" filters: the kinds of post they look for (search.PREDICATES)
_DAYS_SINCE: dict[str, tuple[str, ...] | None] = {
    "last_post": None,
    "last_active": None,
    "most_recent_stream_date": None,
    "last_upload_long_video": ("video",),
    "last_upload_short_video": ("short",),
}
_LOOKBACK_DAYS = 400  # how far back Match.last_post looks
_SORT_VALUES: dict[str, Callable[[Creator], float]] = {
    "relevancy": quality,  # the score when there is no ai_search text
    "engagement_rate": lambda c: c.engagement_percent,
    "number_of_followers": lambda c: c.followers,
    "growth_rate": lambda c: c.growth(3),
}


def _places(c: Creator) -> set[str]:
    """The lower-case strings the ``location`` filter compares with (see search.PREDICATES)."""
    city = c.person.city
    return {c.location.lower(), (c.city_label or "").lower(), city.name.lower() if city else ""}


class Index:
    """One platform's creators, arranged for discovery. Each part is built on first use."""

    def __init__(self, creators: list[Creator]) -> None:
        self.creators = creators
        self._parts: dict[str, Any] = {}

    def _part(self, name: str, build: Callable[[], Any]) -> Any:
        part = self._parts.get(name)
        if part is None:
            part = self._parts[name] = build()
        return part

    # ------------------------------------------------------------------ parts
    def ordered(self, name: str, value: Callable[[Creator], float]) -> tuple[list[int], list]:
        """Positions sorted by ``value`` (ties in world order), and the sorted values."""

        def build() -> tuple[list[int], list]:
            values = [value(c) for c in self.creators]
            order = sorted(range(len(values)), key=values.__getitem__)
            return order, [values[i] for i in order]

        return self._part("ordered:" + name, build)

    def rank(self, sort_by: str, order: str) -> list[int]:
        """Each position's place in the result order of ``sort_by``/``order``.

        Ties keep world order both ways: a stable sort, reversed with ``reverse=True``,
        still keeps equal keys in their original order (what ``sort_rows`` does with
        ``(sign * key, index)``).
        """

        def build() -> list[int]:
            values = [_SORT_VALUES[sort_by](c) for c in self.creators]
            seq = sorted(range(len(values)), key=values.__getitem__, reverse=order == "desc")
            ranks = [0] * len(seq)
            for place, pos in enumerate(seq):
                ranks[pos] = place
            return ranks

        return self._part(f"rank:{sort_by}:{order}", build)

    def groups(self, name: str, keys: Callable[[Creator], Iterable[Any]]) -> dict[Any, set[int]]:
        """Positions by every key ``keys(creator)`` gives (a creator may be in several)."""

        def build() -> dict[Any, set[int]]:
            out: dict[Any, set[int]] = {}
            for pos, c in enumerate(self.creators):
                for key in keys(c):
                    out.setdefault(key, set()).add(pos)
            return out

        return self._part("groups:" + name, build)

    def newest_posts(
        self, world: World, day: int, kinds: tuple[str, ...] | None
    ) -> tuple[dict[int, int], dict[int, list[int]]]:
        """({position: newest post before ``day``}, {position: post times on ``day``}) for
        posts of ``kinds``: what "days since" filters compare with."""

        def build() -> tuple[dict[int, int], dict[int, list[int]]]:
            earlier: dict[int, int] = {}
            todays: dict[int, list[int]] = {}
            for pos, c in enumerate(self.creators):
                t = newest_before(world, c, day, kinds, _LOOKBACK_DAYS)
                if t is not None:
                    earlier[pos] = t
                if times := post_times(world, c, day, kinds):
                    todays[pos] = times
            return earlier, todays

        return self._part(f"newest:{day}:{kinds}", build)

    def words(self, match: Match) -> tuple[dict[str, set[int]], dict[str, set[int]]]:
        """Positions by each ``ai_search`` word: niche words (strong) and the rest (weak)."""

        def build() -> tuple[dict[str, set[int]], dict[str, set[int]]]:
            strong: dict[str, set[int]] = {}
            weak: dict[str, set[int]] = {}
            for pos, c in enumerate(self.creators):
                mine_strong, mine_weak = match.words(c)
                for w in mine_strong:
                    strong.setdefault(w, set()).add(pos)
                for w in mine_weak:
                    weak.setdefault(w, set()).add(pos)
            return strong, weak

        return self._part("words", build)

    def term_hits(self, match: Match, term: str) -> tuple[set[int], set[int]]:
        """(positions with a niche word close to ``term``, positions with only another
        close word): one ``ai_search`` term, looked up once per index."""

        def build() -> tuple[set[int], set[int]]:
            strong, weak = self.words(match)
            s_t = set().union(*(p for w, p in strong.items() if word_close(term, w)))
            w_t = set().union(*(p for w, p in weak.items() if word_close(term, w)))
            return s_t, w_t - s_t

        return self._part("term:" + term, build)

    def in_range(self, name: str, value: Callable[[Creator], float], rng: Mapping) -> set[int]:
        """Positions whose ``value`` lies in ``{min, max}`` (either may be missing)."""
        order, values = self.ordered(name, value)
        lo, hi = rng.get("min"), rng.get("max")
        start = 0 if lo is None else bisect_left(values, lo)
        stop = len(values) if hi is None else bisect_right(values, hi)
        return set(order[start:stop])

    def grouped(self, name: str, keys: Callable[[Creator], Iterable[Any]], wanted: Iterable) -> set:
        groups = self.groups(name, keys)
        out: set[int] = set()
        for key in wanted:
            out |= groups.get(key, set())
        return out


def index_for(world: World, platform: str) -> Index:
    """The world's index of ``platform``, built on first use and kept with the world."""
    indexes = world.memory.setdefault("discovery_index", {})
    found = indexes.get(platform)
    if found is None:
        found = indexes[platform] = Index(world.on(platform))
    return found


def _indexed(index: Index, key: str, value: Any) -> set[int] | None:
    """The positions an indexed filter lets through, or None when ``key`` is not indexed."""
    if key in _FOLLOWERS:
        return index.in_range("followers", lambda c: c.followers, value)
    if key == "engagement_percent":
        return index.in_range("er", lambda c: c.engagement_percent, value)
    if key == "gender":
        return index.grouped("gender", lambda c: (c.gender,), (value,))
    if key == "type":
        return index.grouped("business", lambda c: (c.is_business,), (value == "business",))
    if key == "is_verified":
        return index.grouped("verified", lambda c: (c.is_verified,), (value,))
    if key == "profile_language":
        return index.grouped("language", lambda c: (c.language,), value)
    if key == "location":
        return index.grouped("place", _places, (x.lower() for x in value))
    if key == "has_done_brand_deals":
        return index.grouped("deals", lambda c: (c.has_brand_deals,), (value,))
    if key == "has_link_in_bio":
        return index.grouped("links", lambda c: (bool(c.links_in_bio),), (value,))
    if key == "exclude_private_profile":
        return index.grouped(
            "private", lambda c: (c.is_private,), (False,) if value else (False, True)
        )
    if key == "exclude_role_based_emails":
        wanted = (False,) if value else (False, True)
        return index.grouped("role", lambda c: (c.email_type == "role_based_email",), wanted)
    return None


def _posted_within(
    index: Index, world: World, now: datetime, kinds: tuple[str, ...] | None, days: float
) -> set[int]:
    """Positions a "days since" filter lets through (``Match.last_post`` within ``days``),
    from the index's newest post before today and today's post times (found once a day)."""
    today = int(now.timestamp()) // 86400
    earlier, todays = index.newest_posts(world, today, kinds)
    now_ts, since = now.timestamp(), (now - timedelta(days=days)).timestamp()
    found = {pos for pos, t in earlier.items() if t >= since}
    for pos, times in todays.items():
        if pos not in found:
            newest = max((t for t in times if t < now_ts), default=None)
            if newest is not None and newest >= since:
                found.add(pos)
            elif newest is not None:
                found.discard(pos)
    if kinds == ("short",):  # as Match.last_post: a channel without shorts has no last short
        found = {pos for pos in found if index.creators[pos].stats.get("has_shorts")}
    return found


def _bound(pred: Pred, value: Any, match: Match) -> Callable[[Creator], bool]:
    """``pred`` with its filter value and match fixed: a check of one creator."""
    return lambda c: pred(c, value, match)


class Plan:
    """One search compiled: candidate sets to intersect, then predicates in cost order."""

    def __init__(
        self,
        world: World,
        platform: str,
        now: datetime,
        filters: Mapping[str, Any],
        excluded: set[str],
    ) -> None:
        self.index = index_for(world, platform)
        self.match = Match(world, now, filters, excluded)
        self.excluded = excluded
        sets: list[set[int]] = []
        checks: list[tuple[int, str, Callable[[Creator], bool]]] = []
        for key, value in filters.items():
            hit = _indexed(self.index, key, value)
            if hit is not None:
                sets.append(hit)
            elif key in _DAYS_SINCE:
                sets.append(_posted_within(self.index, world, now, _DAYS_SINCE[key], value))
            elif key == "audience":
                checks.append((1, key, partial(audience_ok, world, spec=value)))
            elif (pred := PREDICATES.get(key)) is not None:
                cost = 2 if key in LATE else 0
                checks.append((cost, key, _bound(pred, value, self.match)))
        # ai_search: per term, who has a close niche word and who only a close other word
        self.hits: list[tuple[set[int], set[int]]] = []
        if self.match.terms:
            self.hits = [self.index.term_hits(self.match, t) for t in self.match.terms]
            sets.append(set().union(*(s_t | w_t for s_t, w_t in self.hits)))
        self.sets = sorted(sets, key=len)
        self.checks = [check for _cost, _key, check in sorted(checks, key=lambda t: t[:2])]

    def _candidates(self) -> Iterable[int]:
        if not self.sets:
            return range(len(self.index.creators))
        found = set.intersection(*self.sets) if len(self.sets) > 1 else self.sets[0]
        return sorted(found)

    def _ai_score(self, pos: int) -> float:
        """``Match.ai_score`` from the term hits: 1 per term with a close niche word, 0.4
        per term with only a close other word, averaged (summed in the same order)."""
        score = 0.0
        for strong, weak in self.hits:
            if pos in strong:
                score += 1.0
            elif pos in weak:
                score += 0.4
        return score / len(self.hits)

    def matches(self) -> tuple[list[int], dict[int, float]]:
        """Positions of every creator the filters let through, and ai_search scores."""
        creators, checks, excluded = self.index.creators, self.checks, self.excluded
        out: list[int] = []
        scores: dict[int, float] = {}
        for pos in self._candidates():
            c = creators[pos]
            if excluded and (c.username in excluded or c.id.lower() in excluded):
                continue
            if self.hits:
                score = self._ai_score(pos)
                if score <= 0:
                    continue
                scores[pos] = score
            if all(check(c) for check in checks):
                out.append(pos)
        return out, scores

    def rows(self) -> list[Row]:
        """``(relevance, creator)`` of every match, in world order (as ``search.match``)."""
        found, scores = self.matches()
        creators = self.index.creators
        return [(scores.get(p, 0.0) * 100 + quality(creators[p]), creators[p]) for p in found]

    def page(self, sort_by: str, order: str, offset: int, stop: int) -> tuple[int, list[Row]]:
        """``(total, rows offset..stop)`` in result order, without sorting every match."""
        found, scores = self.matches()
        creators = self.index.creators
        if sort_by == "relevancy" and self.match.terms:
            sign = -1 if order == "desc" else 1

            def key(p: int) -> tuple[float, int]:
                return (sign * (scores[p] * 100 + quality(creators[p])), creators[p].index)

            best = heapq.nsmallest(stop, found, key=key)
        else:
            best = heapq.nsmallest(stop, found, key=self.index.rank(sort_by, order).__getitem__)
        rows = [(scores.get(p, 0.0) * 100 + quality(creators[p]), creators[p]) for p in best]
        return len(found), rows[offset:]
