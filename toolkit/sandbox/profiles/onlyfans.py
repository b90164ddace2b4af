"""OnlyFans' enrichment block and post objects: no capture exists, so the block is inferred
(its own counters, the shared analytics keys)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..world import Creator, Post, World
from .common import Basics, PlatformBuilder, ymd

PROFILE_KEYS: tuple[str, ...] = (
    "user_id",
    "username",
    "full_name",
    "biography",
    "exists",
    "is_verified",
    "profile_picture",
    "profile_picture_hd",
    "subscriber_count",
    "subscription_price",
    "has_free_account",
    "media_count",
    "most_recent_post_date",
    "links_in_bio",
    "language_code",
)
RAW_KEYS: tuple[str, ...] = PROFILE_KEYS


def of_post(world: World, c: Creator, p: Post, now: datetime) -> dict[str, Any]:
    m = p.metrics_at(now)
    return {
        "post_id": p.post_id,
        "created_at": p.published_at.strftime("%Y-%m-%dT%H:%M:%S"),
        "text": p.caption,
        "likes_count": m["likes"],
        "comments_count": m["comments"],
        "is_free": c.stats.get("has_free_account", False),
    }


def block(world: World, c: Creator, now: datetime, k: Basics) -> dict[str, Any]:
    """Every key of the onlyfans block (the tiers pick from it)."""
    return {
        "user_id": c.id,
        "username": c.username,
        "full_name": c.full_name,
        "biography": c.bio,
        "exists": True,
        "is_verified": c.is_verified,
        "profile_picture": k.pic,
        "profile_picture_hd": k.hd,
        "subscriber_count": c.followers,
        "subscription_price": k.st["subscription_price"],
        "has_free_account": k.st["has_free_account"],
        "media_count": k.st["media_count"],
        "number_of_photos": k.st["number_of_photos"],
        "number_of_videos": k.st["number_of_videos"],
        "number_of_likes": k.st["number_of_likes"],
        "has_live_streams": k.st["has_live_streams"],
        "engagement_percent": c.engagement_percent,
        "most_recent_post_date": ymd(k.last),
        "links_in_bio": k.links,
        "language_code": k.langs,
        **k.take("posting_frequency_recent_months", "creator_follower_growth", "income"),
        "post_data": [of_post(world, c, x, now) for x in k.posts],
    }


BUILDER = PlatformBuilder(
    posts_in_block=10,
    profile_keys=PROFILE_KEYS,
    raw_keys=RAW_KEYS,
    block=block,
    post=of_post,
)
