"""Shared fixtures for the frames tests: contract-shaped example bodies of every operation."""

from __future__ import annotations

import warnings
from datetime import UTC, datetime
from typing import Any


def quiet(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Call a converter, swallowing SchemaWarnings (tests on truncated captures expect them)."""
    from toolkit.frames import SchemaWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SchemaWarning)
        return fn(*args, **kwargs)


def _sub(i: int = 1) -> dict:
    return {
        "id": f"sub_{i:012x}",
        "name": "Launch",
        "type": "handles",
        "platform": "instagram",
        "status": "active",
        "event_types": ["new_post", "bio_change"],
        "follower_threshold": None,
        "endpoints": [
            {"id": "ep_1", "type": "webhook", "url": "https://example.com/h", "active": True}
        ],
        "creators_count": 2,
        "daily_cost": "0.5",
        "campaign_id": None,
        "created_at": "2026-05-01T10:00:00Z",
        "updated_at": "2026-05-02T10:00:00Z",
    }


def _campaign() -> dict:
    return {
        "id": "cmp_0123456789ab",
        "name": "Summer",
        "status": "active",
        "platforms": ["instagram", "tiktok"],
        "content_types": ["post", "reel"],
        "budget": 100,
        "credits_spent": 12.5,
        "start_date": "2026-05-01",
        "end_date": None,
        "subscription_ids": {"instagram": "sub_1", "tiktok": "sub_2"},
        "creators_count": 3,
        "created_at": "2026-05-01T10:00:00Z",
        "updated_at": "2026-05-01T10:00:00Z",
    }


def _event() -> dict:
    return {
        "id": "evt_0123456789abcdef",
        "type": "bio_change",
        "subscription_id": "sub_1",
        "campaign_id": None,
        "platform": "instagram",
        "creator": {"id": "c1", "handle": "nasa", "full_name": "NASA"},
        "occurred_at": "2026-05-03T10:00:00Z",
        "delivery_status": "sent",
        "payload": {"old_bio": "a", "new_bio": "b"},
    }


def _page(results: list, **extra: Any) -> dict:
    return {"count": len(results), "next": None, "previous": None, "results": results, **extra}


_LIST_OBJ = {
    "id": 7,
    "name": "Competitors",
    "platform": "instagram",
    "is_default": False,
    "handle_count": 2,
    "created_at": "2026-05-01T10:00:00Z",
    "updated_at": "2026-05-01T10:00:00Z",
}
_KEY = {
    "id": 3,
    "name": "laptop",
    "scopes": ["all"],
    "active": True,
    "expires_at": None,
    "token": "sk_fake_abcdefghijklmnop",
    "created_at": "2026-05-01T10:00:00Z",
    "last_used_at": None,
}
_ENRICH = {
    "credits_cost": 1.0,
    "result": {
        "email": "person1@example.com",
        "email_type": "verified",
        "gender": "male",
        "creator_has": {"youtube": True, "instagram": False},
        "ai_niches": [{"niche": "Tech", "percentage": 80.5}],
        "lookalikes": [
            {
                "username": "b",
                "profile_url": "https://x",
                "engagement_percent": 1.2,
                "follower_count": 10,
            }
        ],
        "youtube": {
            "id": "UC123",
            "custom_url": "@chan",
            "title": "Chan",
            "subscriber_count": "1500",
            "published_at": "2020-01-01T00:00:00Z",
            "post_data": [
                {
                    "video_id": "v1",
                    "title": "T",
                    "published_at": "2026-04-01T00:00:00Z",
                    "engagement": {
                        "view_count": "1200",
                        "like_count": "30",
                        "comment_count": "4",
                        "favorite_count": "0",
                    },
                    "media": {"duration": "PT1M5S", "thumbnails": {"high": {"url": "u"}}},
                }
            ],
            "audience": {
                "audience_followers": {
                    "success": True,
                    "data": {
                        "audience_genders": [{"code": "MALE", "weight": 0.6}],
                        "audience_geo": {
                            "countries": [{"id": 1, "name": "US", "code": "US", "weight": 0.5}]
                        },
                    },
                },
                "audience_commenters": {"success": False, "error": "empty_audience"},
            },
        },
        "twitter": {
            "userid": "9",
            "username": "chan",
            "follower_count": 5,
            "post_data": [
                {
                    "tweet_id": "t1",
                    "created_at": "Wed Apr 29 07:58:12 +0000 2026",
                    "text": "hi",
                    "engagement": {"like_count": 2, "reply_count": 1},
                }
            ],
        },
        "twitch": {
            "displayName": "Chan",
            "isPartner": True,
            "user_id": "77",
            "username": "chan",
            "profileImageURL": "https://p",
            "social_media": {"twitter": "https://x.com/chan"},
        },
    },
}

EXAMPLES: dict[str, tuple[Any, dict | None]] = {
    "discovery_search": (
        {
            "total": 2,
            "limit": 2,
            "credits_left": "99.2",
            "accounts": [
                {
                    "user_id": "1",
                    "profile": {"username": "a", "followers": 10, "engagement_percent": 1.5},
                },
                {"user_id": "2", "profile": {"username": "b", "followers": "20"}},
            ],
        },
        {"platform": "instagram", "paging": {"limit": 2, "page": 1}},
    ),
    "discovery_similar_creators": (
        {"accounts": [{"user_id": "1", "profile": {"username": "a"}, "similarity_score": 0.7}]},
        {"platform": "tiktok"},
    ),
    "audience_overlap": (
        {
            "basics": {"total_followers": 10, "total_unique_followers": 8},
            "details": [
                {
                    "user_id": "1",
                    "username": "a",
                    "followers": 6,
                    "unique_percentage": 70,
                    "overlapping_percentage": 30,
                    "user": {"fullname": "A", "stats": [{"post_type": "all", "engagements": 3}]},
                }
            ],
        },
        {"platform": "instagram"},
    ),
    "dictionary_languages": ([{"language": "English", "abbreviation": "en"}], None),
    "dictionary_locations": (["London"], {"platform": "instagram"}),
    "dictionary_brands": ([{"full_name": "Nike", "cleaned": "nike", "username": "nike"}], None),
    "dictionary_yt_topics": ([{"topic_details": "Music", "sub_topic_details": ["Jazz"]}], None),
    "dictionary_games": (["Chess"], None),
    "dictionary_audience_brand_categories": ([{"name": "Sport"}], None),
    "dictionary_audience_brand_names": ([{"name": "Nike"}], None),
    "dictionary_audience_interests": ([{"name": "Travel"}], None),
    "dictionary_audience_locations": ([{"name": "Paris", "type": "city"}], None),
    "exclusion_lists_list": ([_LIST_OBJ], None),
    "exclusion_lists_create": (_LIST_OBJ, None),
    "exclusion_lists_get": (_LIST_OBJ, {"list_id": 7}),
    "exclusion_lists_rename": (_LIST_OBJ, {"list_id": 7}),
    "exclusion_lists_delete": (None, {"list_id": 7}),
    "exclusion_lists_get_default": (_LIST_OBJ, {"platform": "instagram"}),
    "exclusion_lists_list_entries_get": (
        {"total": 3, "offset": 1, "limit": 2, "handles": ["a", "b"]},
        {"list_id": 7},
    ),
    "exclusion_lists_list_entries_add": (_LIST_OBJ, {"list_id": 7}),
    "exclusion_lists_list_entries_remove": (_LIST_OBJ, {"list_id": 7}),
    "exclusion_lists_default_entries_get": (
        {"total": 1, "offset": 0, "limit": 1000, "handles": ["a"]},
        {"platform": "tiktok"},
    ),
    "exclusion_lists_default_entries_add": (_LIST_OBJ, {"platform": "instagram"}),
    "exclusion_lists_default_entries_remove": (_LIST_OBJ, {"platform": "instagram"}),
    "connected_socials": (
        {
            "credits_cost": 0.5,
            "result": [{"platform": "youtube", "fullname": "A", "followers": 5, "picture": "p"}],
        },
        {"platform": "instagram", "handle": "a"},
    ),
    "enrich_handle_full": (_ENRICH, {"platform": "youtube", "handle": "@chan"}),
    "enrich_handle_profile": (_ENRICH, {"platform": "youtube", "handle": "@chan"}),
    "enrich_handle_analytics": (_ENRICH, {"platform": "youtube", "handle": "@chan"}),
    "enrich_handle_raw": (_ENRICH, {"platform": "youtube", "handle": "@chan"}),
    "enrich_email": (
        {
            "result": {
                "platform": "instagram",
                "userId": "1",
                "username": "a",
                "fullname": "A",
                "followers": 3,
            }
        },
        {"email": "person1@example.com"},
    ),
    "batch_create": (
        {
            "batch_id": "bch_1",
            "status": "queued",
            "created_at": "2026-05-01T10:00:00Z",
            "metadata": {"campaign": "Q4"},
        },
        None,
    ),
    "batch_status": (
        {
            "batch_id": "bch_1",
            "status": "processing",
            "total_rows": 3,
            "processed_rows": 1,
            "credits_used": "1.00",
        },
        {"batch_id": "bch_1"},
    ),
    "batch_resume": ({"batch_id": "bch_1", "status": "processing"}, {"batch_id": "bch_1"}),
    "batch_download": (
        {
            "batch_id": "bch_1",
            "download_url": "https://s/x.csv",
            "expires_in": 3600,
            "expires_at": "2026-05-01T11:00:00Z",
        },
        {"batch_id": "bch_1"},
    ),
    "batch_results": (
        [
            {"input_value": "@chan", "status": "success", "enrichment_data": _ENRICH["result"]},
            {"input_value": "ghost", "status": "not_found", "enrichment_data": None},
        ],
        {"batch_id": "bch_1", "format": "json", "platform": "youtube"},
    ),
    "content_posts": (
        {
            "result": {
                "items": [
                    {
                        "pk": "1",
                        "taken_at": 1787141507,
                        "engagement": {"likes": 3},
                        "user": {"username": "a"},
                    }
                ],
                "next_token": None,
                "more_available": False,
            }
        },
        {"platform": "instagram", "handle": "a"},
    ),
    "content_details": (
        {
            "result": {
                "comments": [
                    {
                        "pk": "c1",
                        "text": "nice",
                        "created_at": 1787141507,
                        "user": {"username": "b"},
                        "comment_like_count": 2,
                    }
                ],
                "next_token": None,
            }
        },
        {"platform": "instagram", "post_id": "1", "content_type": "comments"},
    ),
    "account_credits": ({"credits_available": 1.68, "credits_used": 8.32}, None),
    "api_keys_list": ([_KEY], None),
    "api_keys_create": (_KEY, None),
    "api_keys_update": (_KEY, {"token_id": 3}),
    "api_keys_delete": (None, {"token_id": 3}),
    "oauth_register": (
        {
            "client_id": "cid",
            "client_name": "nb",
            "redirect_uris": ["http://l/cb"],
            "scope": "all",
            "token_endpoint_auth_method": "none",
            "grant_types": ["authorization_code", "refresh_token"],
            "response_types": ["code"],
            "client_id_issued_at": 1777000000,
        },
        None,
    ),
    "oauth_authorize": ({"location": "http://l/cb?code=SECRETCODE&state=xyz"}, None),
    "oauth_token": (
        {
            "access_token": "at_secret",
            "refresh_token": "rt_secret",
            "token_type": "Bearer",
            "expires_in": 3600,
            "scope": "all",
        },
        None,
    ),
    "oauth_apps_list": (
        [
            {
                "id": "1",
                "client_id": "cid",
                "client_name": "nb",
                "scope": "all",
                "created_at": "2026-05-01T10:00:00Z",
            }
        ],
        None,
    ),
    "oauth_apps_delete": (None, {"app_id": "1"}),
    "oauth_introspect": (
        {"active": True, "aud": "api", "scope": "all", "exp": 1777003600, "sub": "u1"},
        None,
    ),
    "social_listening_subscriptions_list": (
        _page(
            [_sub(1), _sub(2)],
            summary={
                "total": 2,
                "active": 2,
                "paused": 0,
                "by_type": {"handles": 2, "discovery_list": 0, "campaign": 0},
            },
        ),
        None,
    ),
    "social_listening_subscriptions_create": (_sub(), None),
    "social_listening_subscriptions_get": (
        {
            **_sub(),
            "creators": [
                {
                    "id": "c1",
                    "handle": "nasa",
                    "platform": "instagram",
                    "followers": 5,
                    "source": "handle",
                    "added_at": "2026-05-01T10:00:00Z",
                }
            ],
            "stats": {"events": 3, "sent": 2, "failed": 1, "pending": 0, "retrying": 0},
        },
        {"subscription_id": "sub_1"},
    ),
    "social_listening_subscriptions_update": (_sub(), {"subscription_id": "sub_1"}),
    "social_listening_subscriptions_delete": (None, {"subscription_id": "sub_1"}),
    "social_listening_subscription_creators_list": (
        _page(
            [
                {
                    "id": "c1",
                    "handle": "nasa",
                    "platform": "instagram",
                    "followers": 5,
                    "source": "csv",
                    "added_at": "2026-05-01T10:00:00Z",
                }
            ]
        ),
        {"subscription_id": "sub_1"},
    ),
    "social_listening_subscription_creators_add": (
        {
            "added": 1,
            "skipped_duplicates": 0,
            "invalid": [{"value": "??", "reason": "invalid handle"}],
            "creators_count": 3,
        },
        {"subscription_id": "sub_1"},
    ),
    "social_listening_subscription_details": (
        {
            "subscription_id": "sub_1",
            "totals": {"events": 3, "sent": 2, "failed": 1, "pending": 0, "retrying": 0},
            "by_event_type": {"new_post": 2, "bio_change": 1, "follower_threshold": 0},
            "daily": [{"date": "2026-05-01", "events": 3, "sent": 2, "failed": 1}],
        },
        {"subscription_id": "sub_1"},
    ),
    "social_listening_subscription_details_export": (
        "date,event_type,events,sent,failed\n2026-05-01,new_post,2,2,0\n",
        {"subscription_id": "sub_1"},
    ),
    "social_listening_campaigns_list": (
        _page(
            [_campaign()], status_counts={"active": 1, "paused": 0, "completed": 0, "archived": 0}
        ),
        None,
    ),
    "social_listening_campaigns_create": (_campaign(), None),
    "social_listening_campaigns_get": (_campaign(), {"campaign_id": "cmp_0123456789ab"}),
    "social_listening_campaigns_update": (_campaign(), {"campaign_id": "cmp_0123456789ab"}),
    "social_listening_campaigns_archive": (None, {"campaign_id": "cmp_0123456789ab"}),
    "social_listening_campaign_creators_list": (
        _page(
            [
                {
                    "id": "cc1",
                    "platform": "instagram",
                    "handle": "nasa",
                    "full_name": "NASA",
                    "followers": 100,
                    "status": "active",
                    "posts": 2,
                    "views": 50,
                    "likes": 10,
                    "comments": 2,
                    "shares": 1,
                    "engagement": 13,
                    "er_percent": 6.5,
                    "emv": 3.2,
                    "trend_7d": [0, 1, 2, 3, 4, 5, 6],
                    "last_post_at": "2026-05-03T10:00:00Z",
                }
            ]
        ),
        {"campaign_id": "cmp_0123456789ab"},
    ),
    "social_listening_campaign_creators_add": (
        {"added": 2, "skipped_duplicates": 1, "invalid": [], "creators_count": 5},
        {"campaign_id": "cmp_1"},
    ),
    "social_listening_campaign_creators_remove": ({"removed": 1}, {"campaign_id": "cmp_1"}),
    "social_listening_campaign_overview": (
        {
            "campaign_id": "cmp_1",
            "platform": None,
            "totals": {
                "creators": 3,
                "active_creators": 2,
                "posts": 4,
                "views": 100,
                "likes": 10,
                "comments": 2,
                "shares": 1,
                "engagement": 13,
                "er_percent": 2.5,
                "emv": 9.5,
            },
            "trends": [
                {"date": "2026-05-01", "posts": 1, "views": 50, "engagement": 5, "emv": 1.0}
            ],
            "by_platform": [
                {"platform": "instagram", "posts": 4, "views": 100, "engagement": 13, "emv": 9.5}
            ],
        },
        {"campaign_id": "cmp_1"},
    ),
    "social_listening_campaign_content": (
        _page(
            [
                {
                    "id": "ct1",
                    "event_id": "evt_1",
                    "platform": "instagram",
                    "creator": {
                        "id": "c1",
                        "handle": "nasa",
                        "full_name": "NASA",
                        "followers": 100,
                    },
                    "post_id": "p1",
                    "url": "https://i/p1",
                    "caption": "hi",
                    "content_type": "reel",
                    "media": [{"type": "video", "url": "https://m"}],
                    "published_at": "2026-05-02T10:00:00Z",
                    "detected_at": "2026-05-02T11:00:00Z",
                    "metrics": {
                        "views": 10,
                        "likes": 2,
                        "comments": 1,
                        "shares": 0,
                        "engagement": 3,
                    },
                    "er_percent": 3.0,
                    "emv": 0.5,
                    "top": True,
                }
            ]
        ),
        {"campaign_id": "cmp_1"},
    ),
    "social_listening_events_list": (_page([_event()]), None),
    "social_listening_events_get": (
        {
            **_event(),
            "deliveries": [
                {
                    "endpoint_id": "ep_1",
                    "url": "https://example.com/h",
                    "status": "sent",
                    "attempts": 1,
                    "last_attempt_at": "2026-05-03T10:00:01Z",
                    "response_code": 200,
                }
            ],
        },
        {"event_id": "evt_1"},
    ),
    "social_listening_usage": (
        {
            "limits": {"subscriptions": 10, "creators": 1000, "endpoints": 5},
            "active": {"subscriptions": 2, "creators": 3, "campaigns": 1},
            "remaining": {"subscriptions": 8, "creators": 997},
        },
        None,
    ),
    "ledger": (
        [
            {
                "time": datetime(2026, 5, 1, 10, tzinfo=UTC),
                "operation": "discovery_search",
                "method": "POST",
                "path": "/public/v1/discovery/",
                "status": 200,
                "credits_cost": 0.02,
                "credits_left": "99.2",
                "attempts": 1,
                "duration_s": 0.12,
            }
        ],
        None,
    ),
}
