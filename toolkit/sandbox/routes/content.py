"""``POST /public/v1/creators/content/posts/`` and ``.../content/details/``.

Posts come from :meth:`World.iter_posts_back`, newest first, up to the sandbox clock.
Cursor tokens are opaque to clients but simple here: base64 of ``creator id``, the
timestamp of the last item served and a keyed checksum, so a token is stable, survives the
clock moving, and garbage (or a token of another creator) is refused with a 400.
"""

from __future__ import annotations

import base64
import hashlib
import random
from datetime import UTC, datetime
from typing import Any

from toolkit._facts import CONTENT_PLATFORMS

from .._http import ApiError, Request, Router
from ..world import Creator, Post, World, h64, ig_shortcode
from ..world import names as N
from ._common import (
    NO_DATA,
    bad_request,
    charge,
    choice_field,
    cost_only,
    find_creator,
    json_body,
    price_of,
    require_platform,
    text_field,
)

router = Router()
#: count per page: Instagram fixed 12; TikTok default 30 max 35; YouTube 30 / 50
COUNT_RULES = {"instagram": (12, 12), "tiktok": (30, 35), "youtube": (30, 50)}
COMMENTS_PAGE = 20
MAX_COMMENTS = 500


def make_token(world: World, kind: str, key: str, position: int) -> str:
    """An opaque cursor for ``(kind, key, position)`` signed with the world seed."""
    sig = hashlib.sha256(f"{world.seed}|{kind}|{key}|{position}".encode()).hexdigest()[:12]
    raw = f"{kind}|{key}|{position}|{sig}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def read_token(world: World, token: Any, kind: str, key: str) -> int:
    """The position of a token made by :func:`make_token`; 400 for anything else."""
    bad = ApiError(400, {"error": {"pagination_token": ["Invalid pagination token."]}})
    if not isinstance(token, str) or not token or len(token) > 512:
        raise bad
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        t_kind, t_key, pos, _sig = raw.split("|")
        position = int(pos)
    except (ValueError, UnicodeDecodeError):
        raise bad from None
    if (t_kind, t_key) != (kind, key) or make_token(world, kind, key, position) != token:
        raise bad
    return position


def post_page(
    world: World, c: Creator, now: datetime, count: int, before: int | None
) -> tuple[list[Post], bool]:
    """Up to ``count`` feed posts older than ``before`` (unix s; None: now), newest first,
    and whether more exist."""
    limit = datetime.fromtimestamp(before, UTC) if before is not None else now
    limit = min(limit, now)
    out: list[Post] = []
    for post in world.iter_posts_back(c, limit):
        if post.content_type == "story":
            continue
        out.append(post)
        if len(out) > count:
            break
    return out[:count], len(out) > count


def post_item(world: World, c: Creator, p: Post, now: datetime) -> dict[str, Any]:
    """One ``result.items[]`` entry; key names from the Instagram capture."""
    m = p.metrics_at(now)
    ts = int(p.published_at.timestamp())
    video = p.content_type in ("reel", "video", "short")
    media_type = 8 if len(p.media) > 1 else (2 if video else 1)
    return {
        "pk": p.post_id,
        "taken_at": ts,
        "url": p.url,
        "device_timestamp": ts * 1_000_000,
        "media_url": p.media[0]["url"] if p.media else None,
        "media_id": p.post_id,
        "image_versions": None,
        "media_type": media_type,
        # the capture sends an empty owner pk and no full name here
        "user": {
            "pk": "",
            "username": c.username,
            "full_name": None,
            "profile_pic_url": world.picture_url(c, now),
        },
        "engagement": {"likes": m["likes"], "comments": m["comments"], "views": m["views"]},
        "caption": p.caption,
        "thumbnails": {},
    }


def details_data(world: World, c: Creator, p: Post, now: datetime) -> dict[str, Any]:
    """``content_type=data``: the platform's media object (IG keys from the capture)."""
    m = p.metrics_at(now)
    ts = int(p.published_at.timestamp())
    video = p.content_type in ("reel", "video", "short")
    mentions = ["@" + p.sponsor] if p.sponsor else []
    caption = {
        "created_at": ts,
        "created_at_utc": ts,
        "hashtags": list(p.hashtags),
        "id": p.post_id,
        "mentions": mentions,
        "pk": str(h64(p.post_id, "cap") % 10**17),
        "text": p.caption,
        "type": 1,
    }
    metrics = {
        "comment_count": m["comments"],
        "like_count": m["likes"],
        "play_count": m["views"] if video else None,
        "ig_play_count": m["views"] if video and c.platform == "instagram" else None,
        "share_count": m["shares"],
        "view_count": m["views"] if video else None,
        "save_count": None,
        "repost_count": m["shares"] // 3,
    }
    music = (
        {"music_info": {"title": f"Original audio - {c.username}"}}
        if video
        else {"music_info": None}
    )
    base: dict[str, Any] = {
        "caption": caption,
        "code": ig_shortcode(p.post_id) if c.platform == "instagram" else p.post_id,
        "id": p.post_id,
        "pk": p.post_id,
        "is_paid_partnership": p.sponsor is not None,
        "is_video": video,
        "media_type": 8 if len(p.media) > 1 else (2 if video else 1),
        "metrics": metrics,
        "music_metadata": music,
        "product_type": {"reel": "clips", "post": "feed"}.get(p.content_type, p.content_type),
        "sponsor_tags": [p.sponsor] if p.sponsor else [],
        "taken_at": ts,
        "taken_at_date": p.published_at.isoformat(),
        "thumbnail_url": p.media[0]["url"] if p.media else None,
        "url": p.url,
        "user": {
            "full_name": c.full_name,
            "id": c.id,
            "is_private": c.is_private,
            "is_verified": c.is_verified,
            "profile_pic_url": world.picture_url(c, now),
            "username": c.username,
        },
    }
    if c.platform == "instagram":
        base["image_versions"] = {
            "items": [
                {"height": h, "width": w, "url": p.media[0]["url"] + f"?w={w}"}
                for w, h in ((1080, 1350), (360, 450))
            ]
        }
    elif c.platform == "tiktok":
        base["statistics"] = {
            "digg_count": m["likes"],
            "comment_count": m["comments"],
            "play_count": m["views"],
            "share_count": m["shares"],
            "download_count": m["shares"] // 2,
        }
    else:
        base["statistics"] = {
            "viewCount": str(m["views"]),
            "likeCount": str(m["likes"]),
            "commentCount": str(m["comments"]),
        }
    return base


def comments_page(
    world: World, c: Creator, p: Post, now: datetime, start: int
) -> tuple[list[dict[str, Any]], int, bool]:
    """Comments ``start..start+20`` of a post, oldest first; (items, total, more)."""
    total = min(p.metrics_at(now)["comments"], MAX_COMMENTS)
    out = []
    published = int(p.published_at.timestamp())
    age = max(1, int(now.timestamp()) - published)
    for i in range(start, min(total, start + COMMENTS_PAGE)):
        r = random.Random(h64(world.seed, p.post_id, "comment", i))
        handle = f"{r.choice(N.ADJECTIVES)}{r.choice(N.NOUNS)}{r.randint(1, 9999)}"
        out.append(
            {
                "id": str(h64(p.post_id, i) % 10**17),
                "text": r.choice(N.COMMENT_TEXTS),
                "created_at": published + min(age, int(age * (i + 1) / (total + 1)) + 1),
                "like_count": int(r.paretovariate(1.6)) - 1,
                "user": {"username": handle, "full_name": None, "is_verified": False},
            }
        )
    return out, total, start + COMMENTS_PAGE < total


def transcript(c: Creator, p: Post) -> str:
    """A spoken-words transcript made of the caption's topic words."""
    r = random.Random(h64(p.post_id, "transcript"))
    words = list(c.person.keywords)
    lines = [f"Hey everyone, welcome back! Today is all about {r.choice(words)}."]
    lines += [
        f"So the {r.choice(words)} part is really important, and {r.choice(words)} too."
        for _ in range(r.randint(2, 5))
    ]
    if p.sponsor:
        lines.append(f"Huge thanks to @{p.sponsor} for sponsoring this one.")
    lines.append("Let me know what you think in the comments, see you next time!")
    return " ".join(lines)


@router.op("content_posts")
def content_posts(ctx: Any, req: Request) -> dict[str, Any]:
    """a page of a creator's posts, newest first, cursor-paged."""
    body = json_body(req)
    platform = require_platform(body, CONTENT_PLATFORMS)
    handle = text_field(body, "handle")
    default, most = COUNT_RULES[platform]
    raw_count = body.get("count")
    if raw_count is None:
        count = default
    elif isinstance(raw_count, bool) or not isinstance(raw_count, int):
        raise bad_request(("count",), "A valid integer is required.")
    elif platform == "instagram" and raw_count != 12:
        raise bad_request(("count",), "Instagram pages hold exactly 12 posts; leave count at 12.")
    elif not 1 <= raw_count <= most:
        raise bad_request(("count",), f"Ensure this value is between 1 and {most}.")
    else:
        count = raw_count
    world: World = ctx.world
    creator = find_creator(world, platform, handle)
    token = body.get("pagination_token")
    before = read_token(world, token, "posts", creator.id) if token else None
    now = ctx.clock.now()
    posts, more = post_page(world, creator, now, count, before)
    items = [post_item(world, creator, p, now) for p in posts]
    next_token = (
        make_token(world, "posts", creator.id, int(posts[-1].published_at.timestamp()))
        if more and posts
        else None
    )
    result = {
        "items": items,
        "num_results": len(items),
        "more_available": more,
        "next_token": next_token,
        "status": "ok",
    }
    cost = charge(ctx, price_of(ctx, "content_posts") if items else 0.0)
    return {"result": result, **cost_only(ctx, cost)}


@router.op("content_details")
def content_details(ctx: Any, req: Request) -> dict[str, Any]:
    """one post's data, comments (paged), transcript or audio; 0.03 each."""
    body = json_body(req)
    platform = require_platform(body, CONTENT_PLATFORMS)
    post_id = text_field(body, "post_id")
    kind = choice_field(body, "content_type", ("data", "comments", "transcript", "audio"), "data")
    if kind == "audio" and platform == "youtube":
        raise bad_request(("content_type",), "Audio is not available for YouTube posts.")
    world: World = ctx.world
    now = ctx.clock.now()
    post = world.post_by_id(platform, post_id)
    if post is None or post.published_at > now:
        raise ApiError(404, dict(NO_DATA))
    creator = world.creators[post.creator_index]
    video = post.content_type in ("reel", "video", "short")
    if kind == "data":
        result: dict[str, Any] = details_data(world, creator, post, now)
    elif kind == "comments":
        token = body.get("pagination_token")
        start = read_token(world, token, "comments", post.post_id) if token else 0
        comments, total, more = comments_page(world, creator, post, now, start)
        result = {
            "comments": comments,
            "num_results": len(comments),
            "total": total,
            "more_available": more,
            "next_token": make_token(world, "comments", post.post_id, start + len(comments))
            if more
            else None,
            "status": "ok",
        }
        if not comments:
            return {"result": result, **cost_only(ctx, 0.0)}
    elif not video:
        # a photo has nothing to transcribe or play: no data, no charge
        raise ApiError(404, {"detail": f"No {kind} found for this post."})
    elif kind == "transcript":
        result = {"transcript": transcript(creator, post)}
    else:
        expires = int(now.timestamp()) // 3600 * 3600 + 86400
        result = {
            "audio_url": f"https://media.sandbox-cdn.test/audio/{post.post_id}.m4a"
            f"?Expires={expires}&Signature={h64(world.seed, post.post_id, expires):016x}"
        }
    cost = charge(ctx, price_of(ctx, "content_details"))
    return {"result": result, **cost_only(ctx, cost)}
