"""Enrichment payloads (REFERENCE.md §10) built from the synthetic world.

One full platform block is built per creator and the tiers select from it: ``profile``
(identity and counters), ``analytics`` (medians, growth, income, audience, sponsors) and
``full`` (both, plus posts). ``raw`` is the platform's own profile with raw posts. Key
names, order and quirks follow the captures in shared/api/samples (they outrank the docs):
Twitch's camelCase keys, YouTube post engagement as strings, floats like ``1508.0``, the
audience block's ``{success, data | error}`` parts.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from datetime import datetime
from typing import Any

from . import _dictionaries as D
from ._world import Creator, Post, World, _h64
from ._world_audience import (
    AUDIENCE_PLATFORMS,
    ETHNICITY_NAMES,
    Audience,
    audience,
    rank_similar,
)

__all__ = ["ANALYTICS_PLATFORMS", "FULL_PLATFORMS", "email_result", "enrich_result"]

#: §3.5: what each tier accepts (others answer 400); the world only holds the six
#: discovery platforms, so a handle on e.g. snapchat is simply not found (404).
PROFILE_PLATFORMS = (
    "instagram",
    "youtube",
    "tiktok",
    "onlyfans",
    "twitter",
    "snapchat",
    "discord",
    "pinterest",
    "facebook",
    "linkedin",
    "twitch",
)
FULL_PLATFORMS = tuple(p for p in PROFILE_PLATFORMS if p != "linkedin")
ANALYTICS_PLATFORMS = ("instagram", "youtube", "tiktok", "twitch", "twitter", "onlyfans")
_POSTS_IN_BLOCK = {
    "instagram": 12,
    "tiktok": 33,
    "youtube": 30,
    "twitter": 20,
    "twitch": 10,
    "onlyfans": 10,
}

_PROFILE_KEYS = {
    "instagram": (
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
    ),
    "youtube": (
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
    ),
    "tiktok": (
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
    ),
    "twitter": (
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
    ),
    "twitch": (
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
    ),
    "onlyfans": (
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
    ),
}
_RAW_KEYS = {
    "instagram": (
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
    ),
    "youtube": (
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
    ),
    "tiktok": (
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
    ),
    "twitter": (
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
    ),
}
#: keys that belong to neither profile nor analytics (full only)
_FULL_ONLY = {"post_data", "has_paid_partnership"}


def _f(x: float, nd: int = 2) -> float:
    """A float the way the API writes them (``1508.0``, never an int)."""
    return float(round(x, nd))


def _date(dt: datetime | None) -> str | None:
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


# ----------------------------------------------------------------------------- post items
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


def tt_post(world: World, c: Creator, p: Post, now: datetime) -> dict[str, Any]:
    m = p.metrics_at(now)
    r = random.Random(_h64(p.post_id, "tt"))
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


def yt_post(world: World, c: Creator, p: Post, now: datetime) -> dict[str, Any]:
    m = p.metrics_at(now)
    r = random.Random(_h64(p.post_id, "yt"))
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


def twitch_posts(world: World, c: Creator, posts: list[Post], now: datetime) -> list[dict]:
    """Twitch post data: a raw GraphQL payload, as captured (§10.1)."""
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


# ----------------------------------------------------------------------------- audience
def _account(world: World, c: Creator, now: datetime, score: float | None = None) -> dict[str, Any]:
    """An account object of notable users / lookalikes (§10.1)."""
    eng = int(c.followers * c.engagement_percent / 100)
    country = c.person.country
    out: dict[str, Any] = {
        "user_id": c.id,
        "username": c.username,
        "picture": world.picture_url(c, now),
        "followers": c.followers,
        "fullname": c.full_name,
        "url": c.url,
        "geo": {
            "country": {
                "id": country.id,
                "name": country.name,
                "code": country.code,
                "coords": {"lat": country.lat, "lon": country.lon},
            }
        },
        "is_verified": c.is_verified,
        "engagements": eng,
        "stats": [
            {"post_type": "all", "engagements": eng},
            {
                "post_type": "reels" if c.platform == "instagram" else "videos",
                "engagements": int(eng * 0.8),
            },
        ],
    }
    if score is not None:
        out["score"] = round(score, 6)
    return out


def _geo(a: Audience) -> dict[str, Any]:
    countries = [{"id": x.id, "name": x.name, "code": x.code, "weight": w} for x, w in a.countries]
    states = [
        {
            "id": sid,
            "name": name,
            "weight": w,
            "country": {
                "id": D.COUNTRY_BY_CODE[cc].id,
                "name": D.COUNTRY_BY_CODE[cc].name,
                "code": cc,
            },
        }
        for sid, name, cc, w in a.states
    ]
    subdivisions = []
    for x, _w in a.countries:
        items = [
            {"id": sid, "name": name, "weight": w} for sid, name, cc, w in a.states if cc == x.code
        ]
        if items:
            subdivisions.append({"id": x.id, "name": x.name, "code": x.code, "items": items})
    cities = []
    for city, w in a.cities:
        country = D.COUNTRY_BY_CODE[city.country]
        item: dict[str, Any] = {
            "id": city.id,
            "name": city.name,
            "coords": {"lat": city.lat, "lon": city.lon},
            "weight": w,
        }
        if city.state:
            item["state"] = {"id": D._state_id(city.country, city.state), "name": city.state}
        item["country"] = {"id": country.id, "name": country.name, "code": country.code}
        cities.append(item)
    return {
        "countries": countries,
        "states": states,
        "subdivisions": subdivisions,
        "cities": cities,
    }


def _audience_data(
    world: World, c: Creator, a: Audience, now: datetime, *, likers: bool
) -> dict[str, Any]:
    genders = [
        {"code": "MALE", "weight": a.male},
        {"code": "FEMALE", "weight": round(1 - a.male, 6)},
    ]
    ages = [{"code": code, "weight": w} for code, w in a.ages]
    per_age = [
        {"code": code, "male": round(w * a.male, 6), "female": round(w * (1 - a.male), 6)}
        for code, w in a.ages
    ]
    languages = [
        {"code": code, "name": D.LANGUAGE_NAMES.get(code, code), "weight": w}
        for code, w in a.languages
    ]
    similar = rank_similar(world, c)[:10]
    lookalikes = [_account(world, o, now, s) for s, o in similar]
    notable_pool = sorted(
        (o for o in world.on(c.platform) if o.niche is c.niche and o is not c),
        key=lambda o: (-o.followers, o.index),
    )[:10]
    notable = [_account(world, o, now) for o in notable_pool]
    cred = a.credibility if not likers else min(0.99, a.credibility + 0.08)
    from ._world_audience import credibility_class

    if c.platform != "instagram":
        return {
            "notable_users_ratio": a.notable_users_ratio,
            "audience_reachability": [{"code": k, "weight": w} for k, w in a.reachability],
            "audience_genders": genders,
            "audience_ages": ages,
            "audience_genders_per_age": per_age,
            "audience_languages": languages,
            "audience_geo": _geo(a),
            "audience_lookalikes": lookalikes,
            "notable_users": notable,
        }
    data: dict[str, Any] = {
        "notable_users_ratio": a.notable_users_ratio,
        "audience_credibility": round(cred, 4),
        "audience_types": [{"code": k, "weight": w} for k, w in a.types],
        "credibility_class": credibility_class(cred),
        "audience_reachability": [{"code": k, "weight": w} for k, w in a.reachability],
    }
    if likers:
        data["audience_accounts_created_at"] = [
            {"code": "2024-Q4", "weight": 0.121189},
            {"code": "2025-Q1", "weight": 0.098},
        ]
    data.update(
        {
            "audience_genders": genders,
            "audience_ages": ages,
            "audience_genders_per_age": per_age,
            "audience_ethnicities": [
                {"code": k, "name": ETHNICITY_NAMES[k], "weight": w} for k, w in a.ethnicities
            ],
            "audience_languages": languages,
            "audience_brand_affinity": [
                {
                    "id": b.id,
                    "name": b.full_name,
                    "interest": [{"id": D.INTEREST_ID[x], "name": x} for x in b.categories],
                    "weight": w,
                    "affinity": aff,
                }
                for b, w, aff in a.brands
            ],
            "audience_interests": [
                {"id": D.INTEREST_ID[n], "name": n, "weight": w, "affinity": af}
                for n, w, af in a.interests
            ],
            "audience_geo": _geo(a),
        }
    )
    if not likers:
        data["audience_lookalikes"] = lookalikes
    data["notable_users"] = notable
    return data


def _histogram(seed: int, cred: float) -> list[dict[str, Any]]:
    """20 credibility bins ``{min?, max?, total, median?}`` (the IG capture's shape)."""
    r = random.Random(seed)
    edges = sorted(round(min(0.99, max(0.3, r.gauss(cred, 0.12))), 6) for _ in range(19))
    out: list[dict[str, Any]] = []
    for i in range(20):
        item: dict[str, Any] = {}
        if i > 0:
            item["min"] = edges[i - 1]
        if i < 19:
            item["max"] = edges[i]
        item["total"] = int(9000 * math.exp(-i / 9) + r.randint(0, 500))
        if i == 9:
            item["median"] = True
        out.append(item)
    return out


def audience_block(world: World, c: Creator, now: datetime) -> dict[str, Any]:
    """``<platform>.audience`` (§10.1): followers, likers, commenters and histograms."""
    empty = {"success": False, "error": "empty_audience"}
    if c.followers < 5000:
        return {
            "audience_followers": empty,
            "audience_commenters": empty,
            "audience_likers": empty,
            "audience_credibility_followers_histogram": None,
            "audience_credibility_likers_histogram": None,
        }
    a = audience(world, c)
    ig = c.platform == "instagram"
    followers = {"success": True, "data": _audience_data(world, c, a, now, likers=False)}
    likers = (
        {"success": True, "data": _audience_data(world, c, a, now, likers=True)}
        if ig
        else dict(empty)
    )
    commenters = dict(empty)
    if ig and c.followers >= 500000 and c.seed % 3 == 0:
        commenters = {"success": True, "data": _audience_data(world, c, a, now, likers=True)}
    return {
        "audience_followers": followers,
        "audience_commenters": commenters,
        "audience_likers": likers,
        "audience_credibility_followers_histogram": _histogram(c.seed, a.credibility)
        if ig
        else None,
        "audience_credibility_likers_histogram": _histogram(c.seed + 1, a.credibility + 0.08)
        if ig
        else None,
    }


# ----------------------------------------------------------------------------- blocks
_POST_SHAPE = {"tiktok": tt_post, "youtube": yt_post, "twitter": x_post, "onlyfans": of_post}


def _common_analytics(world: World, c: Creator, posts: list[Post], now: datetime) -> dict[str, Any]:
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
        "posting_frequency_recent_months": _f(c.posts_per_week * 4.3),
        "has_merch": st["has_merch"],
        "promotes_affiliate_links": st["promotes_affiliate_links"],
        "likes_median": _f(st["likes_median"], 1),
        "comments_median": _f(st["comments_median"], 1),
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
        "sponsored_posts": [
            _POST_SHAPE.get(c.platform, ig_post)(world, c, p, now) for p in posts if p.sponsor
        ],
    }


def platform_block(
    world: World, c: Creator, now: datetime, *, audience_data: bool
) -> dict[str, Any]:
    """Every key this platform's block can carry (tiers pick from it)."""
    st = c.stats
    posts = recent_posts(world, c, now, _POSTS_IN_BLOCK[c.platform])
    last = posts[0].published_at if posts else None
    pic, hd = world.picture_url(c, now), world.picture_url(c, now, hd=True)
    niche = [c.niche.name] + ([c.person.niche2.name] if c.person.niche2 else [])
    langs = [c.language] + (["en"] if c.language != "en" else [])
    links = c.links_in_bio
    an = _common_analytics(world, c, posts, now)
    p = c.platform
    if p == "instagram":
        reels = [x for x in posts if x.content_type == "reel"]
        rm = [x.metrics_at(now) for x in reels]
        b: dict[str, Any] = {
            "userid": c.id,
            "engagement_percent": c.engagement_percent,
            "uses_link_in_bio": bool(links),
            "profile_picture": pic,
            "full_name": c.full_name,
            "follower_count": c.followers,
            "posting_frequency_recent_months": an.pop("posting_frequency_recent_months"),
            "biography": c.bio,
            "is_verified": c.is_verified,
            "username": c.username,
            "exists": True,
            "account_type": st["account_type"],
            "is_private": c.is_private,
            "is_business_account": c.is_business,
            "media_count": st["media_count"],
            "following_count": st["following_count"],
            "video_content_creator": st["reels_percent"] > 0,
            "most_recent_post_date": _date(last),
            "reels_percentage_last_12_posts": _f(100 * len(reels) / max(len(posts), 1)),
            "has_merch": an.pop("has_merch"),
            "promotes_affiliate_links": an.pop("promotes_affiliate_links"),
            "has_paid_partnership": st["has_paid_partnership"],
            "avg_likes": _f(st["avg_likes"]),
            "avg_comments": _f(st["avg_comments"]),
            "likes_median": an.pop("likes_median"),
            "comments_median": an.pop("comments_median"),
            "has_profile_pic": True,
            "streamer": st["streamer"],
            "profile_picture_hd": hd,
            "income": an.pop("income"),
            "creator_follower_growth": an.pop("creator_follower_growth"),
            "reels": {
                "avg_like_count": _f(sum(x["likes"] for x in rm) / max(len(rm), 1)),
                "avg_view_count": _f(sum(x["views"] for x in rm) / max(len(rm), 1)),
                "comments_count": [x["comments"] for x in rm],
                "median_like_count": _f(sorted(x["likes"] for x in rm)[len(rm) // 2] if rm else 0),
                "median_view_count": _f(sorted(x["views"] for x in rm)[len(rm) // 2] if rm else 0),
            },
            "hashtags": an.pop("hashtags"),
            "niche_class": niche,
            "niche_sub_class": an.pop("niche_sub_class"),
            "locations": [],
            "tagged": [
                {"username": x.sponsor, "userid": str(_h64(x.sponsor) % 10**10)}
                for x in posts
                if x.sponsor
            ],
            "links_in_bio": links,
            "hashtags_count": an.pop("hashtags_count"),
            "brands_found": an.pop("brands_found"),
            "language_code": langs,
            "post_data": [ig_post(world, c, x, now) for x in posts],
        }
    elif p == "youtube":
        longs = [x for x in posts if x.content_type == "video"]
        shorts = [x for x in posts if x.content_type == "short"]
        b = {
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
            "language_code": langs,
            "profile_picture": pic,
            "profile_picture_hd": hd,
            "is_verified": c.is_verified,
            "is_monetization_enabled": st["is_monetizing"],
            "made_for_kids": st["made_for_kids"],
            "privacy_status": "public",
            "moderate_comments": False,
            "related_playlist_id": "UU" + c.id[2:],
            "unsubscribed_trailer_id": None,
            "subscriber_count": c.followers,
            "video_count": st["video_count"],
            "view_count": st["view_count"],
            "engagement_percent": c.engagement_percent,
            "engagement_percent_long": _f(c.engagement_percent * 0.9),
            "engagement_percent_shorts": _f(c.engagement_percent * 1.3) if shorts else 0.0,
            "avg_views": _f(st["avg_views"]),
            "avg_views_long": _f(st["avg_views_long"]),
            "avg_views_shorts": _f(st["avg_views_shorts"]),
            "median_views_long": _f(st["median_views_long"]),
            "least_views": min((x.metrics_at(now)["views"] for x in posts), default=0),
            "avg_likes": _f(st["avg_likes"]),
            "avg_comments": _f(st["avg_comments"]),
            "total_comments_last_50": sum(x.metrics_at(now)["comments"] for x in posts),
            "shorts_percentage": st["shorts_percentage"],
            "has_shorts": st["has_shorts"],
            "has_community_posts": st["has_community_posts"],
            "has_paid_partnership": st["has_paid_partnership"],
            "promotes_affiliate_links": an.pop("promotes_affiliate_links"),
            "streamer": st["streamer"],
            "uses_link_in_bio": bool(links),
            "posting_frequency": _f(c.posts_per_week),
            "posting_frequency_long": _f(c.posts_per_week * len(longs) / max(len(posts), 1)),
            "posting_frequency_shorts": _f(c.posts_per_week * len(shorts) / max(len(posts), 1)),
            "posting_frequency_recent_months": an.pop("posting_frequency_recent_months"),
            "posts_per_month": _per_month(posts),
            "last_long_video_upload_date": _date(longs[0].published_at if longs else None),
            "last_short_video_upload_date": _date(shorts[0].published_at if shorts else None),
            "most_recent_post_date": _date(last),
            "income": an.pop("income"),
            "niche_class": niche,
            "niche_sub_class": an.pop("niche_sub_class"),
            "topic_details": [c.niche.yt_topic, *c.niche.yt_subtopics[:2]],
            "video_topics": list(c.niche.yt_subtopics),
            "video_categories": [c.niche.yt_topic],
            "keywords": list(c.person.keywords[:6]),
            "video_hashtags": an.pop("hashtags"),
            "hashtags_count": an.pop("hashtags_count"),
            "email_from_video_desc": [c.email] if c.email and c.seed % 4 == 0 else [],
            "creator_follower_growth": an.pop("creator_follower_growth"),
            "likes_median": an.pop("likes_median"),
            "comments_median": an.pop("comments_median"),
            "brands_found": an.pop("brands_found"),
            "has_merch": an.pop("has_merch"),
            "post_data": [yt_post(world, c, x, now) for x in posts],
        }
    elif p == "tiktok":
        ms = [x.metrics_at(now) for x in posts]
        b = {
            "has_merch": an.pop("has_merch"),
            "avg_likes": _f(st["avg_likes"]),
            "engagement_percent": c.engagement_percent,
            "uses_link_in_bio": bool(links),
            "profile_picture": pic,
            "full_name": c.full_name,
            "user_id": c.id,
            "follower_count": c.followers,
            "posting_frequency_recent_months": an.pop("posting_frequency_recent_months"),
            "biography": c.bio,
            "is_verified": c.is_verified,
            "category": None,
            "username": c.username,
            "exists": True,
            "sec_user_id": "MS4wLjABAAAA" + _sec(c),
            "tt_seller": st["has_tik_tok_shop"] or None,
            "is_ad": st["has_paid_partnership"],
            "is_commerce": c.is_business,
            "duet_setting": False,
            "is_private": c.is_private,
            "following_count": st["following_count"],
            "video_count": st["video_count"],
            "region": c.location,
            "total_likes": st["total_likes"],
            "mention_status": None,
            "paid_partnership": st["has_paid_partnership"],
            "promotes_affiliate_links": an.pop("promotes_affiliate_links"),
            "most_recent_post_date": _date(last),
            "likes_median": int(st["likes_median"]),
            "comment_count_avg": _f(st["avg_comments"]),
            "comments_median": int(st["comments_median"]),
            "duration_avg": st["duration_avg"],
            "play_count_avg": _f(st["avg_views"], 1),
            "play_count_median": st["play_count_median"],
            "reach_score": _f(st["avg_views"] * 2.7),
            "total_shares": st["total_shares"],
            "total_saves": st["total_saves"],
            "shares_median": int(st["total_shares"] / max(st["video_count"], 1)),
            "saves_median": int(st["total_saves"] / max(st["video_count"], 1)),
            "has_paid_partnership": st["has_paid_partnership"],
            "streamer": st["streamer"],
            "posting_frequency": _f(c.posts_per_week),
            "profile_picture_hd": hd,
            "creator_follower_growth": an.pop("creator_follower_growth"),
            "hashtags": an.pop("hashtags"),
            "niche_class": niche,
            "niche_sub_class": an.pop("niche_sub_class"),
            "saves_count_list": [m["shares"] // 2 for m in ms],
            "tagged": [],
            "challenges_list": [],
            "reach_score_list": [m["views"] for m in ms],
            "links_in_bio": links,
            "brands_found": an.pop("brands_found"),
            "language_code": langs,
            "income": an.pop("income"),
            "post_data": [tt_post(world, c, x, now) for x in posts],
        }
    elif p == "twitter":
        b = {
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
            "profile_picture": pic,
            "profile_picture_hd": hd,
            "location": c.city_label or c.location,
            "follower_count": c.followers,
            "following_count": st["following_count"],
            "media_count": st["media_count"],
            "tweets_count": st["tweets_count"],
            "creator_favorite_count": st["tweets_count"] * 3,
            "most_recent_post_date": _date(last),
            "avg_likes": _f(st["avg_likes"]),
            "avg_views": _f(st["avg_views"]),
            "avg_quotes": st["avg_quotes"],
            "avg_reply": st["avg_reply"],
            "avg_retweet": st["avg_retweet"],
            "engagement_percent": c.engagement_percent,
            "uses_link_in_bio": bool(links),
            "has_paid_partnership": st["has_paid_partnership"],
            "promotes_affiliate_links": an.pop("promotes_affiliate_links"),
            "has_merch": an.pop("has_merch"),
            "streamer": st["streamer"],
            "tweets_type": {"ordinary": len(posts), "retweeted": 0, "conversation": 0, "quoted": 0},
            "platforms": {a.platform: [a.url] for a in c.person.accounts if a is not c},
            "tweets": [x.caption for x in posts],
            "tagged": [],
            "tagged_usernames": [],
            "recommended_users": [],
            "retweet_users": [],
            "retweets_count": [x.metrics_at(now)["shares"] for x in posts],
            "languages_tweet": [c.language],
            "other_links": [],
            "links_in_bio": links,
            "hashtags": an.pop("hashtags"),
            "hashtags_count": an.pop("hashtags_count"),
            "language_code": langs,
            "creator_follower_growth": an.pop("creator_follower_growth"),
            "post_data": [x_post(world, c, x, now) for x in posts],
        }
    elif p == "twitch":
        b = {
            "username": c.username,
            "displayName": c.full_name.replace(" ", ""),
            "isPartner": st["is_twitch_partner"],
            "profileImageURL": pic,
            "profile_picture_hd": hd,
            "total_followers": c.followers,
            "user_id": c.id,
            "first_name": c.person.first_name,
            "last_broadcast_game": (st["games_played"] or ["Just Chatting"])[0],
            "last_broadcast_id": posts[0].post_id if posts else None,
            "avg_views": _f(st["avg_views"], 4),
            "streamed_hours_last_30_days": st["streamed_hours_last_30_days"],
            "streams_count_last_30_days": st["streams_count_last_30_days"],
            "last_streamed": _date(last),
            "has_merch": an.pop("has_merch"),
            "promotes_affiliate_links": an.pop("promotes_affiliate_links"),
            "has_paid_partnership": st["has_paid_partnership"],
            "social_media": {a.platform: a.url for a in c.person.accounts},
            "panels_urls": links[:3],
            "panels_descriptions": ["About me", "Schedule", "Support"][: len(links[:3])],
            "panels_titles": ["About", "Schedule", "Tip"][: len(links[:3])],
            "panels_type": ["default"] * len(links[:3]),
            "panels_image": [],
            "other_links": [],
            "links_in_bio": links,
            "language_code": langs,
            "posting_frequency_recent_months": an.pop("posting_frequency_recent_months"),
            "creator_follower_growth": an.pop("creator_follower_growth"),
            "income": an.pop("income"),
            "post_data": twitch_posts(world, c, posts, now),
        }
    else:  # onlyfans: no capture; a block with its own counters [inferred]
        b = {
            "user_id": c.id,
            "username": c.username,
            "full_name": c.full_name,
            "biography": c.bio,
            "exists": True,
            "is_verified": c.is_verified,
            "profile_picture": pic,
            "profile_picture_hd": hd,
            "subscriber_count": c.followers,
            "subscription_price": st["subscription_price"],
            "has_free_account": st["has_free_account"],
            "media_count": st["media_count"],
            "number_of_photos": st["number_of_photos"],
            "number_of_videos": st["number_of_videos"],
            "number_of_likes": st["number_of_likes"],
            "has_live_streams": st["has_live_streams"],
            "engagement_percent": c.engagement_percent,
            "most_recent_post_date": _date(last),
            "links_in_bio": links,
            "language_code": langs,
            "posting_frequency_recent_months": an.pop("posting_frequency_recent_months"),
            "creator_follower_growth": an.pop("creator_follower_growth"),
            "income": an.pop("income"),
            "post_data": [of_post(world, c, x, now) for x in posts],
        }
    for key, value in an.items():  # analytics keys not placed above
        b.setdefault(key, value)
    if audience_data and p in AUDIENCE_PLATFORMS:
        b["audience"] = audience_block(world, c, now)
    if p == "instagram":
        b["brand_affinity"] = (
            [
                {"name": br.full_name, "interest": list(br.categories)}
                for br, _w, _a in audience(world, c).brands
            ]
            if c.followers >= 5000
            else []
        )
    return b


def _sec(c: Creator) -> str:
    import base64
    import hashlib

    return base64.urlsafe_b64encode(hashlib.sha384(c.id.encode()).digest()).decode()[:64]


def _per_month(posts: list[Post]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for p in sorted(posts, key=lambda x: x.published_at):
        year = out.setdefault(str(p.published_at.year), {})
        month = p.published_at.strftime("%B")
        year[month] = year.get(month, 0) + 1
    return out


def pointer_block(world: World, c: Creator, now: datetime) -> dict[str, Any]:
    """A short block for the person's other accounts (profile capture shapes)."""
    pic = world.picture_url(c, now)
    if c.platform == "twitch":
        return {
            "profileImageURL": pic,
            "total_followers": c.followers,
            "user_id": c.id,
            "username": c.username,
        }
    if c.platform == "youtube":
        return {
            "id": c.id,
            "custom_url": "@" + c.username,
            "profile_picture": pic,
            "is_verified": c.is_verified,
            "engagement_percent": c.engagement_percent,
            "first_name": "@" + c.username,
            "subscriber_count": c.followers,
        }
    key = "user_id" if c.platform in ("tiktok", "onlyfans") else "userid"
    return {
        key: c.id,
        "username": c.username,
        "full_name": c.full_name,
        "follower_count": c.followers,
        "profile_picture": pic,
        "is_verified": c.is_verified,
        "engagement_percent": c.engagement_percent,
    }


def _link(c: Creator) -> str:
    if c.platform == "twitter":
        return f"https://www.twitter.com/{c.username}"
    return c.url


def _identity(world: World, c: Creator, now: datetime) -> dict[str, Any]:
    p = c.person
    out: dict[str, Any] = {}
    for other in world.connected(c)[1:]:
        out[other.platform] = pointer_block(world, other, now)
    out["has_link_in_bio"] = bool(c.links_in_bio)
    out["speaking_language"] = c.language
    for acct in world.connected(c):
        out[f"{acct.platform}_link"] = _link(acct)
    out["has_brand_deals"] = c.has_brand_deals
    out["first_name"] = p.first_name
    out["email"] = c.email
    out["is_business"] = c.is_business
    out["email_type"] = c.email_type
    out["is_creator"] = not c.is_business
    out["location"] = c.location
    if c.gender is not None:  # business accounts carry no gender: the key is left out, not null
        out["gender"] = c.gender
    out["creator_has"] = {a.platform: True for a in world.connected(c)}
    out["other_links"] = [f"https://www.{b}.com" for b in p.brands]
    out["links_in_bio"] = c.links_in_bio
    r = random.Random(c.seed ^ 0xA1)
    main = round(r.uniform(0.55, 0.85), 2)
    out["ai_niches"] = [{"niche": p.niche.name, "percentage": main}] + (
        [{"niche": p.niche2.name, "percentage": round(1 - main, 2)}] if p.niche2 else []
    )
    out["ai_subniches"] = [{"subniche": p.subniche, "percentage": round(r.uniform(0.3, 0.7), 2)}]
    out["ai_brand_collaborations"] = [
        {"brand": D.BRAND_BY_CLEANED[b].full_name, "percentage": r.randint(5, 40)} for b in p.brands
    ]
    return out


def lookalikes(world: World, c: Creator, now: datetime) -> list[dict[str, Any]]:
    """``result.lookalikes`` (§10.1) when ``include_lookalikes`` is set."""
    return [
        {
            "username": o.username,
            "profile_url": o.url,
            "engagement_percent": o.engagement_percent,
            "follower_count": o.followers,
        }
        for _s, o in rank_similar(world, c)[:10]
    ]


def enrich_result(
    world: World,
    creator: Creator,
    mode: str,
    *,
    now: datetime,
    include_audience_data: bool = True,
    include_lookalikes: bool = False,
    email_required: str = "preferred",
) -> dict[str, Any] | None:
    """The ``result`` of a single enrichment in ``mode`` full|profile|analytics|raw.

    ``None`` when nothing is returned: ``email_required="must_have"`` and no email (§10.1).
    """
    if email_required == "must_have" and mode != "analytics" and not creator.email:
        return None
    p = creator.platform
    if mode == "raw":
        block = platform_block(world, creator, now, audience_data=False)
        keys = _RAW_KEYS.get(p, _PROFILE_KEYS[p])
        raw = {k: block.get(k) for k in keys}
        posts = recent_posts(world, creator, now, _POSTS_IN_BLOCK[p])
        if p == "instagram":
            raw["post_data"] = [ig_post(world, creator, x, now, raw=True) for x in posts]
        else:
            raw["post_data"] = block["post_data"]
        return {p: raw}
    block = platform_block(
        world, creator, now, audience_data=include_audience_data or mode == "analytics"
    )
    profile_keys = set(_PROFILE_KEYS[p])
    if mode == "profile":
        selected = {k: v for k, v in block.items() if k in profile_keys}
    elif mode == "analytics":
        selected = {k: v for k, v in block.items() if k not in profile_keys and k not in _FULL_ONLY}
    else:
        selected = block
    result: dict[str, Any] = {p: selected}
    if mode in ("full", "profile"):
        result.update(_identity(world, creator, now))
    if include_lookalikes and mode in ("full", "analytics"):
        result["lookalikes"] = lookalikes(world, creator, now)
    return result


def email_result(world: World, email: str, *, now: datetime | None = None) -> dict[str, Any] | None:
    """``result`` of enrichment by email (§10.5): the person's biggest account, or None."""
    c = world.by_email(email)
    if c is None:
        return None
    when = now or world.epoch
    return {
        "platform": c.platform,
        "userId": c.id,
        "url": c.url,
        "username": c.username,
        "fullname": c.full_name,
        "picture": world.picture_url(c, when),
        "followers": c.followers,
    }
