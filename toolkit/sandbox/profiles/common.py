"""What every platform block is built from, and the analytics keys all platforms share.

:func:`basics` gathers the inputs once per creator (recent posts, pictures, niches,
languages, links, the shared analytics); each platform's builder (:mod:`.instagram`, ...)
places them under its own key names.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..world import Creator, Post, World
from ..world import dictionaries as D

__all__ = ["Basics", "PlatformBuilder", "PostShape", "basics", "recent_posts", "rounded", "ymd"]

#: ``(world, creator, post, now) -> post object`` in the platform's own shape
PostShape = Callable[[World, Creator, Post, datetime], dict[str, Any]]


@dataclass(frozen=True)
class Basics:
    """Inputs every platform block draws on, computed once per creator."""

    st: dict[str, Any]
    posts: list[Post]
    last: datetime | None
    pic: str
    hd: str
    niche: list[str]
    langs: list[str]
    links: list[str]
    #: the shared analytics keys; builders ``pop`` the ones they place themselves
    an: dict[str, Any]

    def take(self, *keys: str) -> dict[str, Any]:
        """Shared analytics keys a builder places together, in this order (popped from ``an``)."""
        return {key: self.an.pop(key) for key in keys}


@dataclass(frozen=True)
class PlatformBuilder:
    """How one platform's enrichment block looks (the captures in contract/samples)."""

    #: posts in the block's ``post_data``
    posts_in_block: int
    #: keys of the ``profile`` tier (the rest, but ``post_data``, are analytics)
    profile_keys: tuple[str, ...]
    #: keys of the ``raw`` tier, in order
    raw_keys: tuple[str, ...]
    #: ``(world, creator, now, basics) -> block``: every key the tiers pick from
    block: Callable[[World, Creator, datetime, Basics], dict[str, Any]]
    #: the shape of one post (sponsored posts use it too)
    post: PostShape
    #: keys the block ends with, after the audience (instagram's ``brand_affinity``)
    tail: Callable[[World, Creator], dict[str, Any]] | None = None
    #: the post shape of the ``raw`` tier when it differs (instagram's adds the ``user``);
    #: without one, ``raw`` carries the block's own ``post_data``
    raw_post: PostShape | None = None


def rounded(x: float, nd: int = 2) -> float:
    """A float the way the API writes them (``1508.0``, never an int)."""
    return float(round(x, nd))


def ymd(dt: datetime | None) -> str | None:
    return dt.strftime("%Y-%m-%d") if dt else None


def recent_posts(world: World, c: Creator, now: datetime, n: int) -> list[Post]:
    """The ``n`` newest feed posts before ``now`` (stories are not in the feed)."""
    out: list[Post] = []
    for post in world.iter_posts_back(c, now):
        if post.content_type != "story":
            out.append(post)
            if len(out) >= n:
                break
    return out


def common_analytics(
    world: World, c: Creator, posts: list[Post], now: datetime, post_shape: PostShape
) -> dict[str, Any]:
    st = c.stats
    tags = Counter(h.lstrip("#") for p in posts for h in p.hashtags)
    sponsors = Counter(p.sponsor for p in posts if p.sponsor)
    growth = {
        "6_months_ago": c.growth(6),
        "12_months_ago": c.growth(12),
        "3_months_ago": c.growth(3),
        "9_months_ago": c.growth(9),
    }
    return {
        "posting_frequency_recent_months": rounded(c.posts_per_week * 4.3),
        "has_merch": st["has_merch"],
        "promotes_affiliate_links": st["promotes_affiliate_links"],
        "likes_median": rounded(st["likes_median"], 1),
        "comments_median": rounded(st["comments_median"], 1),
        "income": st["income"],
        "creator_follower_growth": growth,
        "hashtags": [h.lstrip("#") for p in posts for h in p.hashtags],
        "hashtags_count": [
            {"name": k, "count": v} for k, v in sorted(tags.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "niche_sub_class": [c.person.subniche],
        "brands_found": sorted({D.BRAND_BY_CLEANED[b].full_name for b in c.person.brands}),
        "past_sponsors": [
            {"handle": h, "post_count": n, "post_ids": [p.post_id for p in posts if p.sponsor == h]}
            for h, n in sorted(sponsors.items())
        ]
        or None,
        # the sponsored posts themselves, as post objects of the platform's own shape
        "sponsored_posts": [post_shape(world, c, p, now) for p in posts if p.sponsor],
    }


def basics(world: World, c: Creator, now: datetime, builder: PlatformBuilder) -> Basics:
    """The inputs of ``c``'s block at ``now``."""
    posts = recent_posts(world, c, now, builder.posts_in_block)
    return Basics(
        st=c.stats,
        posts=posts,
        last=posts[0].published_at if posts else None,
        pic=world.picture_url(c, now),
        hd=world.picture_url(c, now, hd=True),
        niche=[c.niche.name] + ([c.person.niche2.name] if c.person.niche2 else []),
        langs=[c.language] + (["en"] if c.language != "en" else []),
        links=c.links_in_bio,
        an=common_analytics(world, c, posts, now, builder.post),
    )
