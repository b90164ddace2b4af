"""Twitch's enrichment block (camelCase keys and a raw GraphQL post payload, as captured)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..world import Creator, Post, World
from ..world import dictionaries as D
from .common import Basics, PlatformBuilder, rounded, ymd
from .instagram import ig_post

PROFILE_KEYS: tuple[str, ...] = (
    "username",
    "displayName",
    "isPartner",
    "profileImageURL",
    "profile_picture_hd",
    "total_followers",
    "user_id",
    "first_name",
    "last_streamed",
    "links_in_bio",
    "social_media",
    "language_code",
)
RAW_KEYS: tuple[str, ...] = PROFILE_KEYS


def twitch_posts(world: World, c: Creator, posts: list[Post], now: datetime) -> list[dict]:
    """Twitch post data: a raw GraphQL payload, as captured."""
    games = c.stats.get("games_played") or ["Just Chatting"]
    items = []
    for i, p in enumerate(posts):
        m = p.metrics_at(now)
        items.append(
            {
                "__typename": "Video" if i % 3 else "Clip",
                "id": p.post_id,
                "title": p.caption.split(" #")[0],
                "viewCount": m["views"],
                "publishedAt": p.published_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "lengthSeconds": 3600 + int(p.post_id[-3:]) * 7,
                "game": {
                    "id": str(1000 + D.GAMES.index(games[i % len(games)])),
                    "name": games[i % len(games)],
                },
            }
        )
    return [
        {
            "data": {
                "channel": {
                    "id": c.id,
                    "videoShelves": {
                        "edges": [{"node": {"title": "Recent broadcasts", "items": items}}]
                    },
                }
            },
            "extensions": {"durationMilliseconds": 41, "operationName": "ChannelVideoShelvesQuery"},
        }
    ]


def block(world: World, c: Creator, now: datetime, k: Basics) -> dict[str, Any]:
    """Every key of the twitch block (the tiers pick from it)."""
    return {
        "username": c.username,
        "displayName": c.full_name.replace(" ", ""),
        "isPartner": k.st["is_twitch_partner"],
        "profileImageURL": k.pic,
        "profile_picture_hd": k.hd,
        "total_followers": c.followers,
        "user_id": c.id,
        "first_name": c.person.first_name,
        "last_broadcast_game": (k.st["games_played"] or ["Just Chatting"])[0],
        "last_broadcast_id": k.posts[0].post_id if k.posts else None,
        "avg_views": rounded(k.st["avg_views"], 4),
        "streamed_hours_last_30_days": k.st["streamed_hours_last_30_days"],
        "streams_count_last_30_days": k.st["streams_count_last_30_days"],
        "last_streamed": ymd(k.last),
        **k.take("has_merch", "promotes_affiliate_links"),
        "has_paid_partnership": k.st["has_paid_partnership"],
        "social_media": {a.platform: a.url for a in c.person.accounts},
        "panels_urls": k.links[:3],
        "panels_descriptions": ["About me", "Schedule", "Support"][: len(k.links[:3])],
        "panels_titles": ["About", "Schedule", "Tip"][: len(k.links[:3])],
        "panels_type": ["default"] * len(k.links[:3]),
        "panels_image": [],
        "other_links": [],
        "links_in_bio": k.links,
        "language_code": k.langs,
        **k.take("posting_frequency_recent_months", "creator_follower_growth", "income"),
        "post_data": twitch_posts(world, c, k.posts, now),
    }


BUILDER = PlatformBuilder(
    posts_in_block=10,
    profile_keys=PROFILE_KEYS,
    raw_keys=RAW_KEYS,
    block=block,
    post=ig_post,
)
