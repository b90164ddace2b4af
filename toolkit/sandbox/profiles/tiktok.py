"""TikTok's enrichment block and video objects."""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any

from ..world import Creator, Post, World
from ..world.seeds import h64
from .common import Basics, PlatformBuilder, rounded, ymd

PROFILE_KEYS: tuple[str, ...] = (
    "user_id",
    "sec_user_id",
    "username",
    "full_name",
    "biography",
    "exists",
    "is_verified",
    "is_private",
    "is_commerce",
    "tt_seller",
    "category",
    "region",
    "profile_picture",
    "profile_picture_hd",
    "follower_count",
    "following_count",
    "video_count",
    "total_likes",
    "engagement_percent",
    "avg_likes",
    "streamer",
    "uses_link_in_bio",
    "links_in_bio",
    "most_recent_post_date",
    "niche_class",
    "language_code",
)
RAW_KEYS: tuple[str, ...] = (
    "user_id",
    "sec_user_id",
    "exists",
    "username",
    "profile_picture",
    "profile_picture_hd",
    "full_name",
    "biography",
    "follower_count",
    "following_count",
    "video_count",
    "total_likes",
    "total_shares",
    "total_saves",
    "links_in_bio",
    "tt_seller",
    "is_ad",
    "is_verified",
    "is_commerce",
    "duet_setting",
    "is_private",
    "saves_count_list",
)


def tt_post(world: World, c: Creator, p: Post, now: datetime) -> dict[str, Any]:
    m = p.metrics_at(now)
    r = random.Random(h64(p.post_id, "tt"))
    return {
        "post_id": p.post_id,
        "created_at": p.published_at.strftime("%Y-%m-%dT%H:%M:%S"),
        "caption": p.caption,
        "hashtags": list(p.hashtags),
        "post_url": p.url + "?lang=en",
        "media": {
            "media_id": p.post_id,
            "type": "video",
            "url": p.media[0]["url"],
            "video_duration": r.randint(7, 90),
        },
        "mentions": ["@" + p.sponsor] if p.sponsor else [],
        "engagement": {
            "like_count": m["likes"],
            "comment_count": m["comments"],
            "view_count": m["views"],
            "share_count": m["shares"],
            "download_count": m["shares"] // 2,
        },
        "sound": {
            "sound_name": f"original sound - {c.username}",
            "sound_url": f"https://media.sandbox-cdn.test/tt/sound/{p.post_id}.mp3",
        },
    }


def sec_user_id(c: Creator) -> str:
    import base64
    import hashlib

    return base64.urlsafe_b64encode(hashlib.sha384(c.id.encode()).digest()).decode()[:64]


def block(world: World, c: Creator, now: datetime, k: Basics) -> dict[str, Any]:
    """Every key of the tiktok block (the tiers pick from it)."""
    ms = [x.metrics_at(now) for x in k.posts]
    return {
        "has_merch": k.an.pop("has_merch"),
        "avg_likes": rounded(k.st["avg_likes"]),
        "engagement_percent": c.engagement_percent,
        "uses_link_in_bio": bool(k.links),
        "profile_picture": k.pic,
        "full_name": c.full_name,
        "user_id": c.id,
        "follower_count": c.followers,
        "posting_frequency_recent_months": k.an.pop("posting_frequency_recent_months"),
        "biography": c.bio,
        "is_verified": c.is_verified,
        "category": None,
        "username": c.username,
        "exists": True,
        "sec_user_id": "MS4wLjABAAAA" + sec_user_id(c),
        "tt_seller": k.st["has_tik_tok_shop"] or None,
        "is_ad": k.st["has_paid_partnership"],
        "is_commerce": c.is_business,
        "duet_setting": False,
        "is_private": c.is_private,
        "following_count": k.st["following_count"],
        "video_count": k.st["video_count"],
        "region": c.location,
        "total_likes": k.st["total_likes"],
        "mention_status": None,
        "paid_partnership": k.st["has_paid_partnership"],
        "promotes_affiliate_links": k.an.pop("promotes_affiliate_links"),
        "most_recent_post_date": ymd(k.last),
        "likes_median": int(k.st["likes_median"]),
        "comment_count_avg": rounded(k.st["avg_comments"]),
        "comments_median": int(k.st["comments_median"]),
        "duration_avg": k.st["duration_avg"],
        "play_count_avg": rounded(k.st["avg_views"], 1),
        "play_count_median": k.st["play_count_median"],
        "reach_score": rounded(k.st["avg_views"] * 2.7),
        "total_shares": k.st["total_shares"],
        "total_saves": k.st["total_saves"],
        "shares_median": int(k.st["total_shares"] / max(k.st["video_count"], 1)),
        "saves_median": int(k.st["total_saves"] / max(k.st["video_count"], 1)),
        "has_paid_partnership": k.st["has_paid_partnership"],
        "streamer": k.st["streamer"],
        "posting_frequency": rounded(c.posts_per_week),
        "profile_picture_hd": k.hd,
        **k.take("creator_follower_growth", "hashtags"),
        "niche_class": k.niche,
        "niche_sub_class": k.an.pop("niche_sub_class"),
        "saves_count_list": [m["shares"] // 2 for m in ms],
        "tagged": [],
        "challenges_list": [],
        "reach_score_list": [m["views"] for m in ms],
        "links_in_bio": k.links,
        "brands_found": k.an.pop("brands_found"),
        "language_code": k.langs,
        "income": k.an.pop("income"),
        "post_data": [tt_post(world, c, x, now) for x in k.posts],
    }


BUILDER = PlatformBuilder(
    posts_in_block=33,
    profile_keys=PROFILE_KEYS,
    raw_keys=RAW_KEYS,
    block=block,
    post=tt_post,
)
