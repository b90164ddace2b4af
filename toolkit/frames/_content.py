"""Posts: enrichment ``post_data`` of every platform, the posts feed, and post details.

One normaliser maps the platform spellings onto shared columns: ``post_id`` from
post_id/video_id/tweet_id/pk, ``created_at`` from IG
"YYYY-MM-DDTHH:MM:SS", YouTube ISO "…Z", X "Wed Apr 29 07:58:12 +0000 2026" or unix
seconds, engagement counters from likes/like_count/... (YouTube sends them as strings).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import polars as pl

from ._coerce import build
from ._common import flatten, items, obj, param
from ._registry import declare
from ._tables import Tables

__all__ = ["POST_COLUMNS", "normalize_post", "post_details", "posts"]

POST_COLUMNS = [
    ("post_id", pl.String),
    ("created_at", pl.Datetime("us", "UTC")),
    ("url", pl.String),
    ("title", pl.String),
    ("caption", pl.String),
    ("product_type", pl.String),
    ("media_type", pl.Int64),
    ("likes", pl.Int64),
    ("comments", pl.Int64),
    ("views", pl.Int64),
    ("shares", pl.Int64),
    ("saves", pl.Int64),
    ("downloads", pl.Int64),
    ("quotes", pl.Int64),
    ("retweets", pl.Int64),
    ("favorites", pl.Int64),
    ("duration_s", pl.Float64),
    ("is_carousel", pl.Boolean),
    ("is_pinned", pl.Boolean),
    ("lang", pl.String),
    ("hashtags", pl.List(pl.String)),
    ("mentions", pl.List(pl.String)),
    ("tagged_users", pl.List(pl.String)),
    ("coauthors", pl.List(pl.String)),
    ("media_urls", pl.List(pl.String)),
    ("media_types", pl.List(pl.String)),
    ("thumbnail_url", pl.String),
    ("sound_name", pl.String),
    ("location_name", pl.String),
]

FEED_POSTS = declare(
    "content.posts",
    "one post of a creator's posts feed page",
    [
        ("platform", pl.Categorical),
        ("handle", pl.String),
        *POST_COLUMNS[:8],
        ("views", pl.Int64),
        ("shares", pl.Int64),
        ("media_id", pl.String),
        ("media_url", pl.String),
        ("thumbnail_url", pl.String),
        ("user_pk", pl.String),
        ("user_username", pl.String),
        ("user_full_name", pl.String),
    ],
)
DETAILS_DATA = declare(
    "post_details.data",
    "one post's details (content_type=data); the raw platform object's other fields follow",
    [
        ("platform", pl.Categorical),
        ("post_id", pl.String),
        ("code", pl.String),
        ("created_at", pl.Datetime("us", "UTC")),
        ("caption", pl.String),
        ("product_type", pl.String),
        ("media_type", pl.Int64),
        ("likes", pl.Int64),
        ("comments", pl.Int64),
        ("views", pl.Int64),
        ("shares", pl.Int64),
        ("username", pl.String),
        ("music_title", pl.String),
    ],
)
DETAILS_COMMENTS = declare(
    "post_details.comments",
    "one comment on the post (content_type=comments; shape inferred)",
    [
        ("platform", pl.Categorical),
        ("post_id", pl.String),
        ("comment_id", pl.String),
        ("created_at", pl.Datetime("us", "UTC")),
        ("username", pl.String),
        ("text", pl.String),
        ("likes", pl.Int64),
        ("replies", pl.Int64),
    ],
)
DETAILS_TRANSCRIPT = declare(
    "post_details.transcript",
    "the transcript (content_type=transcript): one row, or one per timed segment",
    [
        ("platform", pl.Categorical),
        ("post_id", pl.String),
        ("segment", pl.Int64),
        ("start_s", pl.Float64),
        ("end_s", pl.Float64),
        ("text", pl.String),
    ],
)
DETAILS_AUDIO = declare(
    "post_details.audio",
    "the audio track URL (content_type=audio)",
    [("platform", pl.Categorical), ("post_id", pl.String), ("audio_url", pl.String)],
)

_RENAMES = {
    "video_id": "post_id",
    "tweet_id": "post_id",
    "pk": "post_id",
    "id": "post_id",
    "published_at": "created_at",
    "publishedAt": "created_at",
    "createdAt": "created_at",
    "taken_at": "created_at",
    "post_url": "url",
    "tweet_url": "url",
    "text": "caption",
    "description": "caption",
    "default_language": "lang",
    "__typename": "product_type",
    "lengthSeconds": "duration_s",
    "viewCount": "views",
}
_ENGAGEMENT = {
    "likes": "likes",
    "like_count": "likes",
    "comments": "comments",
    "comment_count": "comments",
    "reply_count": "comments",
    "views": "views",
    "view_count": "views",
    "play_count": "views",
    "shares": "shares",
    "share_count": "shares",
    "saves": "saves",
    "save_count": "saves",
    "collect_count": "saves",
    "download_count": "downloads",
    "quote_count": "quotes",
    "retweet_count": "retweets",
    "favorite_count": "favorites",
}
_ISO_DURATION = re.compile(r"^P(?:(\d+)D)?T?(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$")


def _duration(value: Any) -> Any:
    """ISO 8601 duration (YouTube ``PT13S``) → seconds; other values go to coercion as is."""
    if type(value) is str:
        m = _ISO_DURATION.match(value.strip())
        if m and value.strip() not in ("P", "PT"):
            d, h, mi, s = m.groups()
            return int(d or 0) * 86400 + int(h or 0) * 3600 + int(mi or 0) * 60 + float(s or 0)
    return value


def _media(media: Any, field: str) -> list[Any] | None:
    """One field (url, type) of every media item: IG/X send a list, TikTok/YT one object."""
    if type(media) is list:
        return [m.get(field) if type(m) is dict else m for m in media]
    if type(media) is dict and field in media:
        return [media[field]]
    return None


def _thumbnail(thumbs: Any) -> Any:
    thumbs = obj(thumbs)
    for size in ("maxres", "standard", "high", "medium", "default"):
        t = thumbs.get(size)
        if type(t) is dict and t.get("url"):
            return t["url"]
    return None


_SPECIAL = frozenset(
    {
        "engagement",
        "metrics",
        "media",
        "sound",
        "location",
        "coauthors",
        "caption",
        "thumbnails",
        "user",
        "game",
    }
)


def normalize_post(post: Any) -> Any:
    """One post object of any platform → a flat dict of POST_COLUMNS names plus extras."""
    if type(post) is not dict:
        return post
    row: dict[str, Any] = {}
    for k, v in post.items():
        if k not in _SPECIAL:  # most keys: one set lookup, not ten comparisons
            canon = _RENAMES.get(k) or k
            if canon in row and canon != k:
                continue  # e.g. both pk and id: the first spelling wins
            row[canon] = _duration(v) if canon == "duration_s" else v
        elif k == "engagement" or k == "metrics":
            for ek, ev in obj(v).items():
                row[_ENGAGEMENT.get(ek, f"engagement_{ek}")] = ev
            if type(v) is not dict and v is not None:
                row[k] = v
        elif k == "media":
            row["media_urls"] = _media(v, "url")
            row["media_types"] = _media(v, "type")
            if type(v) is dict:
                row["thumbnail_url"] = _thumbnail(v.get("thumbnails"))
                if "duration" in v:
                    row["duration_s"] = _duration(v["duration"])
                if "video_duration" in v:
                    row["duration_s"] = v["video_duration"]
                if "media_id" in v:
                    row["media_id"] = v["media_id"]
                for mk, mv in v.items():
                    if mk not in (
                        "url",
                        "type",
                        "thumbnails",
                        "duration",
                        "video_duration",
                        "media_id",
                    ):
                        row[f"media_{mk}"] = mv
            elif v is not None and type(v) is not list:
                row["media"] = v
        elif k == "sound":
            row["sound_name"] = obj(v).get("sound_name")
            flatten("sound", {sk: sv for sk, sv in obj(v).items() if sk != "sound_name"}, row)
        elif k == "location" and type(v) is dict:
            row["location_name"] = v.get("name")
        elif k == "coauthors" and type(v) is list:
            row["coauthors"] = [c.get("username") if type(c) is dict else c for c in v]
        elif k == "caption" and type(v) is dict:
            row["caption"] = v.get("text")
        elif k == "thumbnails":
            if type(v) is dict and v:
                row["thumbnail_url"] = _thumbnail(v)
        elif k == "user" and type(v) is dict:
            flatten("user", v, row)
        elif k == "game" and type(v) is dict:
            row["game"] = v.get("name") or v.get("displayName")
        else:
            canon = _RENAMES.get(k) or k
            if canon in row and canon != k:
                continue  # e.g. both pk and id: the first spelling wins
            row[canon] = _duration(v) if canon == "duration_s" else v
    return row


def _twitch_items(payload: dict[str, Any]) -> list[Any]:
    """Twitch ``post_data`` entries are raw GraphQL payloads: pull the shelf items out."""
    out: list[Any] = []
    shelves = obj(obj(obj(payload.get("data")).get("channel")).get("videoShelves"))
    for edge in items(shelves.get("edges")):
        out.extend(i for i in items(obj(obj(edge).get("node")).get("items")) if type(i) is dict)
    return out


def post_rows(post_data: Any) -> list[Any]:
    """Every post of a block's ``post_data`` normalised (Twitch payloads unpacked)."""
    rows: list[Any] = []
    for p in items(post_data):
        if type(p) is dict and "data" in p and "post_id" not in p and "video_id" not in p:
            rows.extend(normalize_post(i) for i in _twitch_items(p))
        else:
            rows.append(normalize_post(p))
    return rows


def posts(body: Any, params: Mapping[str, Any] | None = None) -> pl.DataFrame:
    """A posts feed page (``POST /public/v1/creators/content/posts/``): one row per post.

    ``created_at`` is UTC from the items' ``taken_at`` unix seconds.
    """
    result = obj(obj(body).get("result")) if type(body) is dict else {}
    platform, handle = param(params, "platform"), param(params, "handle")
    rows = []
    for p in items(result.get("items") if result else body):
        row = normalize_post(p)
        if type(row) is dict:
            row = {"platform": platform, "handle": handle, **row}
            if "media_url" not in row and row.get("media_urls"):
                row["media_url"] = row["media_urls"][0]
        rows.append(row)
    return build(FEED_POSTS, rows, drop=("image_versions",))


def _comment(c: Any, key: dict[str, Any]) -> Any:
    if type(c) is not dict:
        return c
    row = dict(key)
    renames = {
        "pk": "comment_id",
        "id": "comment_id",
        "cid": "comment_id",
        "created_at_utc": "created_at",
        "create_time": "created_at",
        "published_at": "created_at",
        "comment_like_count": "likes",
        "like_count": "likes",
        "digg_count": "likes",
        "child_comment_count": "replies",
        "reply_count": "replies",
        "reply_comment_total": "replies",
    }
    for k, v in c.items():
        if k == "user" and type(v) is dict:
            row["username"] = v.get("username") or v.get("unique_id")
            continue
        canon = renames.get(k) or k
        if canon not in row or canon == k:
            row[canon] = v
    return row


def post_details(body: Any, params: Mapping[str, Any] | None = None) -> Tables[pl.DataFrame]:
    """Post details (``POST /public/v1/creators/content/details/``) as four tables.

    ``data``, ``comments``, ``transcript`` and ``audio``; the requested ``content_type``
    fills its table, the others are empty with their declared columns.
    """
    platform, post_id = param(params, "platform"), param(params, "post_id")
    key = {"platform": platform, "post_id": post_id}
    result = obj(body).get("result") if type(body) is dict else body
    kind = param(params, "content_type")
    data, comments, transcript, audio = [], [], [], []
    res = obj(result)
    if type(result) is list or (kind == "comments") or "comments" in res:
        for c in items(result, "comments", "items", "data"):
            comments.append(_comment(c, key))
    elif "transcript" in res or kind == "transcript":
        text = res.get("transcript")
        if type(text) is list:
            for i, seg in enumerate(text):
                if type(seg) is dict:
                    transcript.append({**key, "segment": i, **_segment(seg)})
                else:
                    transcript.append({**key, "segment": i, "text": seg})
        else:
            rest = {k: v for k, v in res.items() if k != "transcript"}
            transcript.append({**key, "segment": 0, "text": text, **rest})
    elif "audio_url" in res or kind == "audio":
        audio.append({**key, **res})
    elif res:
        row = dict(key)
        row.update(
            normalize_post({k: v for k, v in res.items() if k not in ("user", "music_metadata")})
        )
        row["post_id"] = post_id if post_id is not None else row.get("post_id")
        row["username"] = obj(res.get("user")).get("username")
        row["music_title"] = obj(obj(res.get("music_metadata")).get("music_info")).get("title")
        for k in ("plays", "ig_play_count"):
            if row.get("views") is None and row.get(f"engagement_{k}") is not None:
                row["views"] = row[f"engagement_{k}"]
        data.append(row)
    return Tables(
        {
            "data": build(DETAILS_DATA, data),
            "comments": build(DETAILS_COMMENTS, comments),
            "transcript": build(DETAILS_TRANSCRIPT, transcript),
            "audio": build(DETAILS_AUDIO, audio),
        }
    )


def _segment(seg: dict[str, Any]) -> dict[str, Any]:
    out = dict(seg)
    for src, dst in (("start", "start_s"), ("end", "end_s"), ("offset", "start_s")):
        if src in out and dst not in out:
            out[dst] = out.pop(src)
    return out
