"""Twitter/X's enrichment block and tweet objects."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..world import Creator, Post, World
from .common import Basics, PlatformBuilder, rounded, ymd

PROFILE_KEYS: tuple[str, ...] = (
    "userid",
    "username",
    "full_name",
    "biography",
    "join_date",
    "exists",
    "is_verified",
    "profile_picture",
    "profile_picture_hd",
    "follower_count",
    "following_count",
    "media_count",
    "tweets_count",
    "engagement_percent",
    "avg_likes",
    "most_recent_post_date",
    "uses_link_in_bio",
    "links_in_bio",
    "language_code",
)
RAW_KEYS: tuple[str, ...] = (
    "userid",
    "exists",
    "username",
    "full_name",
    "biography",
    "profile_picture",
    "profile_picture_hd",
    "join_date",
    "links_in_bio",
    "location",
    "follower_count",
    "following_count",
    "media_count",
    "tweets_count",
    "creator_favorite_count",
    "is_verified",
    "direct_messaging",
    "subscriber_button",
    "super_followed_by",
    "tweets_type",
)


def x_post(world: World, c: Creator, p: Post, now: datetime) -> dict[str, Any]:
    m = p.metrics_at(now)
    return {
        "tweet_id": p.post_id,
        "created_at": p.published_at.strftime("%a %b %d %H:%M:%S +0000 %Y"),
        "text": p.caption,
        "lang": c.language,
        "engagement": {
            "like_count": m["likes"],
            "retweet_count": m["shares"],
            "reply_count": m["comments"],
            "quote_count": m["shares"] // 4,
            "view_count": m["views"],
        },
        "media": [],
        "tweet_url": p.url,
        "hashtags": [h.lstrip("#") for h in p.hashtags],
        "mentions": [p.sponsor] if p.sponsor else [],
        "is_pinned": False,
    }


def block(world: World, c: Creator, now: datetime, k: Basics) -> dict[str, Any]:
    """Every key of the twitter block (the tiers pick from it)."""
    return {
        "userid": c.id,
        "username": c.username,
        "full_name": c.full_name,
        "biography": c.bio,
        "join_date": c.joined.isoformat(),
        "exists": True,
        "is_verified": c.is_verified,
        "direct_messaging": c.seed % 2 == 0,
        "subscriber_button": False,
        "super_followed_by": False,
        "profile_picture": k.pic,
        "profile_picture_hd": k.hd,
        "location": c.city_label or c.location,
        "follower_count": c.followers,
        "following_count": k.st["following_count"],
        "media_count": k.st["media_count"],
        "tweets_count": k.st["tweets_count"],
        "creator_favorite_count": k.st["tweets_count"] * 3,
        "most_recent_post_date": ymd(k.last),
        "avg_likes": rounded(k.st["avg_likes"]),
        "avg_views": rounded(k.st["avg_views"]),
        "avg_quotes": k.st["avg_quotes"],
        "avg_reply": k.st["avg_reply"],
        "avg_retweet": k.st["avg_retweet"],
        "engagement_percent": c.engagement_percent,
        "uses_link_in_bio": bool(k.links),
        "has_paid_partnership": k.st["has_paid_partnership"],
        **k.take("promotes_affiliate_links", "has_merch"),
        "streamer": k.st["streamer"],
        "tweets_type": {"ordinary": len(k.posts), "retweeted": 0, "conversation": 0, "quoted": 0},
        "platforms": {a.platform: [a.url] for a in c.person.accounts if a is not c},
        "tweets": [x.caption for x in k.posts],
        "tagged": [],
        "tagged_usernames": [],
        "recommended_users": [],
        "retweet_users": [],
        "retweets_count": [x.metrics_at(now)["shares"] for x in k.posts],
        "languages_tweet": [c.language],
        "other_links": [],
        "links_in_bio": k.links,
        **k.take("hashtags", "hashtags_count"),
        "language_code": k.langs,
        "creator_follower_growth": k.an.pop("creator_follower_growth"),
        "post_data": [x_post(world, c, x, now) for x in k.posts],
    }


BUILDER = PlatformBuilder(
    posts_in_block=20,
    profile_keys=PROFILE_KEYS,
    raw_keys=RAW_KEYS,
    block=block,
    post=x_post,
)
