"""Instagram's enrichment block and post objects (captures: instagram_*)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..world import Creator, Post, World
from ..world.audiences import audience
from ..world.seeds import h64
from .common import Basics, PlatformBuilder, rounded, ymd

PROFILE_KEYS: tuple[str, ...] = (
    "userid",
    "engagement_percent",
    "uses_link_in_bio",
    "profile_picture",
    "full_name",
    "follower_count",
    "biography",
    "is_verified",
    "username",
    "exists",
    "account_type",
    "is_private",
    "is_business_account",
    "media_count",
    "following_count",
    "video_content_creator",
    "most_recent_post_date",
    "avg_likes",
    "avg_comments",
    "has_profile_pic",
    "streamer",
    "profile_picture_hd",
    "niche_class",
    "links_in_bio",
    "language_code",
)
RAW_KEYS: tuple[str, ...] = (
    "userid",
    "exists",
    "username",
    "has_profile_pic",
    "profile_picture",
    "profile_picture_hd",
    "biography",
    "full_name",
    "category",
    "media_count",
    "follower_count",
    "following_count",
    "is_private",
    "is_business_account",
    "is_verified",
    "video_content_creator",
    "uses_link_in_bio",
    "links_in_bio",
)


def ig_post(
    world: World, c: Creator, p: Post, now: datetime, *, raw: bool = False
) -> dict[str, Any]:
    m = p.metrics_at(now)
    carousel = len(p.media) > 1
    media_type = 8 if carousel else (2 if p.content_type == "reel" else 1)
    engagement: dict[str, int] = {"likes": m["likes"], "comments": m["comments"]}
    if media_type == 2:
        engagement["view_count"] = m["views"]
    item: dict[str, Any] = {
        "post_id": p.post_id,
        "created_at": p.published_at.strftime("%Y-%m-%dT%H:%M:%S"),
        "caption": p.caption,
        "hashtags": list(p.hashtags),
        "post_url": p.url,
        "media": [
            {"media_id": str(int(p.post_id) + i), "type": x["type"], "url": x["url"]}
            for i, x in enumerate(p.media)
        ],
        "is_carousel": carousel,
        "tagged_users": [p.sponsor] if p.sponsor else [],
        "engagement": engagement,
        "media_type": media_type,
        "product_type": {8: "carousel_container", 2: "clips"}.get(media_type, "feed"),
    }
    if raw:
        item["user"] = {
            "username": c.username,
            "is_verified": c.is_verified,
            "profile_pic_url": world.picture_url(c, now),
        }
    return item


def ig_raw_post(world: World, c: Creator, p: Post, now: datetime) -> dict[str, Any]:
    """A post of the ``raw`` tier: the block's shape plus the author (``user``)."""
    return ig_post(world, c, p, now, raw=True)


def block(world: World, c: Creator, now: datetime, k: Basics) -> dict[str, Any]:
    """Every key of the instagram block (the tiers pick from it)."""
    reels = [x for x in k.posts if x.content_type == "reel"]
    rm = [x.metrics_at(now) for x in reels]
    return {
        "userid": c.id,
        "engagement_percent": c.engagement_percent,
        "uses_link_in_bio": bool(k.links),
        "profile_picture": k.pic,
        "full_name": c.full_name,
        "follower_count": c.followers,
        "posting_frequency_recent_months": k.an.pop("posting_frequency_recent_months"),
        "biography": c.bio,
        "is_verified": c.is_verified,
        "username": c.username,
        "exists": True,
        "account_type": k.st["account_type"],
        "is_private": c.is_private,
        "is_business_account": c.is_business,
        "media_count": k.st["media_count"],
        "following_count": k.st["following_count"],
        "video_content_creator": k.st["reels_percent"] > 0,
        "most_recent_post_date": ymd(k.last),
        "reels_percentage_last_12_posts": rounded(100 * len(reels) / max(len(k.posts), 1)),
        **k.take("has_merch", "promotes_affiliate_links"),
        "has_paid_partnership": k.st["has_paid_partnership"],
        "avg_likes": rounded(k.st["avg_likes"]),
        "avg_comments": rounded(k.st["avg_comments"]),
        **k.take("likes_median", "comments_median"),
        "has_profile_pic": True,
        "streamer": k.st["streamer"],
        "profile_picture_hd": k.hd,
        **k.take("income", "creator_follower_growth"),
        "reels": {
            "avg_like_count": rounded(sum(x["likes"] for x in rm) / max(len(rm), 1)),
            "avg_view_count": rounded(sum(x["views"] for x in rm) / max(len(rm), 1)),
            "comments_count": [x["comments"] for x in rm],
            "median_like_count": rounded(sorted(x["likes"] for x in rm)[len(rm) // 2] if rm else 0),
            "median_view_count": rounded(sorted(x["views"] for x in rm)[len(rm) // 2] if rm else 0),
        },
        "hashtags": k.an.pop("hashtags"),
        "niche_class": k.niche,
        "niche_sub_class": k.an.pop("niche_sub_class"),
        "locations": [],
        "tagged": [
            {"username": x.sponsor, "userid": str(h64(x.sponsor) % 10**10)}
            for x in k.posts
            if x.sponsor
        ],
        "links_in_bio": k.links,
        **k.take("hashtags_count", "brands_found"),
        "language_code": k.langs,
        "post_data": [ig_post(world, c, x, now) for x in k.posts],
    }


def tail(world: World, c: Creator) -> dict[str, Any]:
    """``brand_affinity`` after the audience: the audience's brands (none under 5k followers)."""
    brands = audience(world, c).brands if c.followers >= 5000 else []
    return {
        "brand_affinity": [
            {"name": br.full_name, "interest": list(br.categories)} for br, _w, _a in brands
        ]
    }


BUILDER = PlatformBuilder(
    posts_in_block=12,
    profile_keys=PROFILE_KEYS,
    raw_keys=RAW_KEYS,
    block=block,
    post=ig_post,
    tail=tail,
    raw_post=ig_raw_post,
)
