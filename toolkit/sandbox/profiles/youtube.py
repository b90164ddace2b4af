"""YouTube's enrichment block and video objects (engagement counters as strings, as captured)."""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any

from ..world import Creator, Post, World
from ..world.seeds import h64
from .common import Basics, PlatformBuilder, rounded, ymd

PROFILE_KEYS: tuple[str, ...] = (
    "id",
    "custom_url",
    "title",
    "description",
    "first_name",
    "link",
    "exists",
    "published_at",
    "country",
    "location",
    "speaking_language",
    "language_code",
    "profile_picture",
    "profile_picture_hd",
    "is_verified",
    "is_monetization_enabled",
    "made_for_kids",
    "privacy_status",
    "subscriber_count",
    "video_count",
    "view_count",
    "engagement_percent",
    "avg_views",
    "avg_likes",
    "avg_comments",
    "has_shorts",
    "streamer",
    "uses_link_in_bio",
    "most_recent_post_date",
    "niche_class",
    "topic_details",
)
RAW_KEYS: tuple[str, ...] = (
    "id",
    "exists",
    "link",
    "profile_picture",
    "profile_picture_hd",
    "related_playlist_id",
    "custom_url",
    "title",
    "description",
    "published_at",
    "subscriber_count",
    "video_count",
    "view_count",
    "country",
    "has_shorts",
    "has_community_posts",
    "made_for_kids",
    "privacy_status",
    "moderate_comments",
    "unsubscribed_trailer_id",
    "total_comments_last_50",
    "topic_details",
)


def yt_post(world: World, c: Creator, p: Post, now: datetime) -> dict[str, Any]:
    m = p.metrics_at(now)
    r = random.Random(h64(p.post_id, "yt"))
    secs = r.randint(15, 59) if p.content_type == "short" else r.randint(240, 2400)
    thumbs = {
        name: {"url": f"https://i.ytimg.com/vi/{p.post_id}/{name}.jpg", "width": w, "height": h}
        for name, w, h in (
            ("default", 120, 90),
            ("medium", 320, 180),
            ("high", 480, 360),
            ("standard", 640, 480),
            ("maxres", 1280, 720),
        )
    }
    minutes, seconds = divmod(secs, 60)
    return {
        "video_id": p.post_id,
        "title": p.caption.split(" #")[0],
        "description": p.caption,
        "published_at": p.published_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "category_id": str(r.choice((10, 17, 20, 22, 24, 26, 27, 28))),
        "default_language": c.language,
        "default_audio_language": c.language,
        # the captures carry YouTube's counters as strings
        "engagement": {
            "view_count": str(m["views"]),
            "like_count": str(m["likes"]),
            "comment_count": str(m["comments"]),
            "favorite_count": "0",
        },
        "media": {
            "thumbnails": thumbs,
            "duration": f"PT{minutes}M{seconds}S" if minutes else f"PT{seconds}S",
            "definition": "hd",
            "embed_html": f'<iframe width="480" height="270" src="//www.youtube.com/embed/'
            f'{p.post_id}" frameborder="0" allowfullscreen></iframe>',
        },
        "post_url": p.url,
        "topic_categories": [
            f"https://en.wikipedia.org/wiki/{c.niche.yt_subtopics[0].replace(' ', '_')}"
        ],
    }


def per_month(posts: list[Post]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for p in sorted(posts, key=lambda x: x.published_at):
        year = out.setdefault(str(p.published_at.year), {})
        month = p.published_at.strftime("%B")
        year[month] = year.get(month, 0) + 1
    return out


def block(world: World, c: Creator, now: datetime, k: Basics) -> dict[str, Any]:
    """Every key of the youtube block (the tiers pick from it)."""
    longs = [x for x in k.posts if x.content_type == "video"]
    shorts = [x for x in k.posts if x.content_type == "short"]
    return {
        "id": c.id,
        "custom_url": "@" + c.username,
        "title": c.full_name,
        "description": c.bio,
        "first_name": c.person.first_name,
        "link": f"https://www.youtube.com/@{c.username}",
        "exists": True,
        "published_at": c.joined.isoformat(),
        "country": c.person.country.code,
        "location": c.location,
        "speaking_language": c.language,
        "language_code": k.langs,
        "profile_picture": k.pic,
        "profile_picture_hd": k.hd,
        "is_verified": c.is_verified,
        "is_monetization_enabled": k.st["is_monetizing"],
        "made_for_kids": k.st["made_for_kids"],
        "privacy_status": "public",
        "moderate_comments": False,
        "related_playlist_id": "UU" + c.id[2:],
        "unsubscribed_trailer_id": None,
        "subscriber_count": c.followers,
        "video_count": k.st["video_count"],
        "view_count": k.st["view_count"],
        "engagement_percent": c.engagement_percent,
        "engagement_percent_long": rounded(c.engagement_percent * 0.9),
        "engagement_percent_shorts": rounded(c.engagement_percent * 1.3) if shorts else 0.0,
        "avg_views": rounded(k.st["avg_views"]),
        "avg_views_long": rounded(k.st["avg_views_long"]),
        "avg_views_shorts": rounded(k.st["avg_views_shorts"]),
        "median_views_long": rounded(k.st["median_views_long"]),
        "least_views": min((x.metrics_at(now)["views"] for x in k.posts), default=0),
        "avg_likes": rounded(k.st["avg_likes"]),
        "avg_comments": rounded(k.st["avg_comments"]),
        "total_comments_last_50": sum(x.metrics_at(now)["comments"] for x in k.posts),
        "shorts_percentage": k.st["shorts_percentage"],
        "has_shorts": k.st["has_shorts"],
        "has_community_posts": k.st["has_community_posts"],
        "has_paid_partnership": k.st["has_paid_partnership"],
        "promotes_affiliate_links": k.an.pop("promotes_affiliate_links"),
        "streamer": k.st["streamer"],
        "uses_link_in_bio": bool(k.links),
        "posting_frequency": rounded(c.posts_per_week),
        "posting_frequency_long": rounded(c.posts_per_week * len(longs) / max(len(k.posts), 1)),
        "posting_frequency_shorts": rounded(c.posts_per_week * len(shorts) / max(len(k.posts), 1)),
        "posting_frequency_recent_months": k.an.pop("posting_frequency_recent_months"),
        "posts_per_month": per_month(k.posts),
        "last_long_video_upload_date": ymd(longs[0].published_at if longs else None),
        "last_short_video_upload_date": ymd(shorts[0].published_at if shorts else None),
        "most_recent_post_date": ymd(k.last),
        "income": k.an.pop("income"),
        "niche_class": k.niche,
        "niche_sub_class": k.an.pop("niche_sub_class"),
        "topic_details": [c.niche.yt_topic, *c.niche.yt_subtopics[:2]],
        "video_topics": list(c.niche.yt_subtopics),
        "video_categories": [c.niche.yt_topic],
        "keywords": list(c.person.keywords[:6]),
        "video_hashtags": k.an.pop("hashtags"),
        "hashtags_count": k.an.pop("hashtags_count"),
        "email_from_video_desc": [c.email] if c.email and c.seed % 4 == 0 else [],
        **k.take(
            "creator_follower_growth",
            "likes_median",
            "comments_median",
            "brands_found",
            "has_merch",
        ),
        "post_data": [yt_post(world, c, x, now) for x in k.posts],
    }


BUILDER = PlatformBuilder(
    posts_in_block=30,
    profile_keys=PROFILE_KEYS,
    raw_keys=RAW_KEYS,
    block=block,
    post=yt_post,
)
