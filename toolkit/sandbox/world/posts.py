"""Posts: a pure function of (seed, creator, day), so any date range, past or future, has posts.

Post ids carry (creator index, day, slot) so post details can find a post again from its
id alone; Instagram and TikTok ids are time-ordered like the real ones (see the captures).
Metrics grow with a post's age (:meth:`Post.metrics_at`).
"""

from __future__ import annotations

import base64
import hashlib
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from . import dictionaries as D
from . import names as N
from .seeds import DAY as _DAY
from .seeds import b64, h64, mix, unit

if TYPE_CHECKING:  # pragma: no cover
    from .platforms import Creator
    from .world import World

__all__ = [
    "Post",
    "day_posts",
    "ig_shortcode",
    "iter_posts_back",
    "newest_before",
    "post_by_id",
    "post_times",
    "posts_between",
]

_IG_EPOCH_MS = 1314220021721  # Instagram media ids carry milliseconds since this instant


@dataclass(frozen=True)
class Post:
    """One post; metrics grow with its age (:meth:`metrics_at`)."""

    post_id: str
    platform: str
    creator_id: str
    published_at: datetime
    content_type: str  # instagram post|reel|story, tiktok video, youtube video|short, ...
    caption: str
    url: str
    media: list[dict[str, str]]
    final: dict[str, int]  # metrics the post tends to
    sponsor: str | None = None  # brand username when the post is sponsored
    hashtags: tuple[str, ...] = ()
    creator_index: int = -1
    slot: int = 0

    def metrics_at(self, now: datetime) -> dict[str, int]:
        """``{views, likes, comments, shares}`` at ``now``: 0 before publication, then
        rising towards the final values (63% after a day, nearly all after a week)."""
        age = (now - self.published_at).total_seconds()
        if age <= 0:
            return {"views": 0, "likes": 0, "comments": 0, "shares": 0}
        share = 1 - math.exp(-age / (_DAY * 1.0))
        share = min(1.0, share + 0.02 * min(age / (_DAY * 30), 1))
        return {k: int(v * share) for k, v in self.final.items()}


def posts_between(w: World, creator: Creator, start: datetime, end: datetime) -> list[Post]:
    """Posts published in ``[start, end)``, oldest first; any range, past or future."""
    if end <= start:
        return []
    out: list[Post] = []
    first = int(start.timestamp()) // _DAY
    last = int(end.timestamp()) // _DAY
    for day in range(first, last + 1):
        for post in day_posts(w, creator, day):
            if start <= post.published_at < end:
                out.append(post)
    return out


def iter_posts_back(
    w: World, creator: Creator, before: datetime, max_days: int = 1500
) -> Iterator[Post]:
    """Posts published strictly before ``before``, newest first."""
    day = int(before.timestamp()) // _DAY
    stop = day - max_days
    joined = (
        int(
            datetime(
                creator.joined.year, creator.joined.month, creator.joined.day, tzinfo=UTC
            ).timestamp()
        )
        // _DAY
    )
    while day >= max(stop, joined):
        for post in reversed(day_posts(w, creator, day)):
            if post.published_at < before:
                yield post
        day -= 1


def post_by_id(w: World, platform: str, post_id: str) -> Post | None:
    """Decode a post id minted by this world (IG also takes ``<media pk>_<owner pk>``)."""
    if not isinstance(post_id, str) or not post_id.strip():
        return None
    wanted = post_id.strip().split("_")[0] if platform == "instagram" else post_id.strip()
    try:
        candidates = _decode_post_id(w, platform, post_id.strip())
    except (ValueError, IndexError):
        return None
    for creator, day in candidates:
        for post in day_posts(w, creator, day):
            if post.post_id == wanted:
                return post
    return None


def _day_count(c: Creator, day: int) -> tuple[int, int]:
    """(how many posts ``c`` publishes on UTC day ``day``, the day's seed): cheap."""
    if c.active_until is not None and day * _DAY >= c.active_until.timestamp():
        return 0, 0
    if date.fromordinal(day + 719163) < c.joined:
        return 0, 0
    key = c.seed ^ (day * 0x9E3779B97F4A7C15 & 0xFFFFFFFFFFFFFFFF)
    rate = c.posts_per_week / 7
    return int(rate) + (1 if unit(key) < rate - int(rate) else 0), key


def _day_times(c: Creator, day: int) -> tuple[list[int], random.Random | None]:
    """Seconds into UTC day ``day`` of ``c``'s posts, in order, and the day's stream."""
    count, key = _day_count(c, day)
    if count == 0:
        return [], None
    r = random.Random(mix(key ^ 0x5EED))
    return sorted(r.randrange(6 * 3600, _DAY) for _ in range(count))[:64], r


def day_posts(w: World, c: Creator, day: int) -> list[Post]:
    """The posts of creator ``c`` on UTC day ``day`` (days since 1970)."""
    times, r = _day_times(c, day)
    if r is None:
        return []
    return [_make_post(w, c, day, slot, t, r) for slot, t in enumerate(times)]


def post_times(w: World, c: Creator, day: int, kinds: tuple[str, ...] | None) -> list[int]:
    """Timestamps of ``c``'s posts (of one of ``kinds``) on UTC day ``day``, in order."""
    if kinds is None:  # times alone: no post is made
        return [day * _DAY + t for t in _day_times(c, day)[0]]
    return [
        int(p.published_at.timestamp()) for p in day_posts(w, c, day) if p.content_type in kinds
    ]


def newest_before(
    w: World, c: Creator, day: int, kinds: tuple[str, ...] | None, lookback: int
) -> int | None:
    """Timestamp of ``c``'s newest post (of ``kinds``) before UTC day ``day``, looking back
    to day ``day - lookback`` (as :meth:`World.last_post` does), or None."""
    newest = day - 1
    if c.active_until is not None:
        newest = min(newest, math.ceil(c.active_until.timestamp() / _DAY) - 1)
    oldest = max(day - lookback, c.joined.toordinal() - 719163)
    for d in range(newest, oldest - 1, -1):
        if _day_count(c, d)[0] and (times := post_times(w, c, d, kinds)):
            return times[-1]
    return None


def _make_post(w: World, c: Creator, day: int, slot: int, tod: int, r: random.Random) -> Post:
    ts = day * _DAY + tod
    published = datetime.fromtimestamp(ts, UTC)
    st = c.stats
    kind = _content_type(c, r)
    pid = _post_id(w, c, day, slot, ts)
    kw = c.person.keywords
    k, k2 = r.choice(kw), r.choice(kw)
    sponsor = None
    if c.person.brands and r.random() < 0.12:
        brand = D.BRAND_BY_CLEANED[r.choice(c.person.brands)]
        sponsor = brand.username
        caption = r.choice(N.SPONSORED_TEMPLATES).format(b="@" + brand.username, k=k)
    else:
        caption = r.choice(N.CAPTION_TEMPLATES).format(k=k, k2=k2)
    tags = tuple(dict.fromkeys("#" + w for w in r.sample(kw, min(3, len(kw)))))
    caption = f"{caption} {' '.join(tags)}"
    boost = math.exp(r.gauss(0, 0.55))
    likes = max(0, int(st["avg_likes"] * boost))
    comments = max(0, int(st["avg_comments"] * boost * math.exp(r.gauss(0, 0.3))))
    video = kind in ("reel", "video", "short", "story", "stream", "clip")
    views = int(st.get("avg_views", 0) * boost) if video else 0
    if c.platform == "twitter":
        views = int(c.followers * 0.08 * boost)
    shares = int(likes * r.uniform(0.005, 0.05))
    url, media = _post_url_media(c, pid, kind, r)
    return Post(
        pid,
        c.platform,
        c.id,
        published,
        kind,
        caption,
        url,
        media,
        {"views": views, "likes": likes, "comments": comments, "shares": shares},
        sponsor,
        tags,
        c.index,
        slot,
    )


def _post_id(w: World, c: Creator, day: int, slot: int, ts: int) -> str:
    # ids carry (creator index, day, slot) so post details can find the post again;
    # IG and TikTok ids are time-ordered like the real ones (see the captures).
    low = (c.index << 7) | slot
    if c.platform == "instagram":
        return str(((ts * 1000 + 1 - _IG_EPOCH_MS) << 23) | (low & 0x7FFFFF))
    if c.platform == "tiktok":
        return str((ts << 32) | (low & 0xFFFFFFFF))
    raw = ((day & 0xFFFF) << 48) | ((c.index & 0xFFFFFF) << 24) | (slot << 16)
    raw |= h64(w.seed, raw) & 0xFFFF
    raw ^= h64(w.seed, "post-mask")
    if c.platform == "youtube":
        return b64(raw.to_bytes(8, "big"))  # 11 characters, like a video id
    return str(raw)


def _decode_post_id(w: World, platform: str, post_id: str) -> list[tuple[Creator, int]]:
    if platform == "instagram":
        media, _, owner = post_id.partition("_")
        value = int(media)
        ts = ((value >> 23) + _IG_EPOCH_MS) // 1000
        found = _creators_by_low(w, platform, (value & 0x7FFFFF) >> 7, 16, owner or None)
        return [(c, ts // _DAY) for c in found]
    if platform == "tiktok":
        value = int(post_id)
        ts, low = value >> 32, value & 0xFFFFFFFF
        return [(c, ts // _DAY) for c in _creators_by_low(w, platform, low >> 7, 25, None)]
    if platform == "youtube":
        if len(post_id) != 11:
            return []
        raw = int.from_bytes(base64.urlsafe_b64decode(post_id + "="), "big")
    else:
        raw = int(post_id)
    raw ^= h64(w.seed, "post-mask")
    index = (raw >> 24) & 0xFFFFFF
    day16 = raw >> 48
    if index >= len(w.creators) or w.creators[index].platform != platform:
        return []
    # the day is stored modulo 2**16 (179 years): take the one nearest the epoch
    base = int(w.epoch.timestamp()) // _DAY
    day = base - ((base - day16) % (1 << 16))
    if base - day > 1 << 15:
        day += 1 << 16
    return [(w.creators[index], day)]


def _creators_by_low(
    w: World, platform: str, low: int, bits: int, owner: str | None
) -> list[Creator]:
    """Creators whose index ends in the ``bits`` low bits ``low`` (ids keep only those)."""
    found = [c for c in w.creators[low :: 1 << bits] if c.platform == platform]
    if owner is not None:
        found = [c for c in found if c.id == owner or c.username == owner.lower()]
    return found


def _content_type(c: Creator, r: random.Random) -> str:
    st = c.stats
    if c.platform == "instagram":
        u = r.random()
        if u < 0.15:
            return "story"
        return "reel" if r.random() * 100 < st["reels_percent"] else "post"
    if c.platform == "youtube":
        return "short" if r.random() * 100 < st["shorts_percentage"] else "video"
    return {"tiktok": "video", "twitter": "tweet", "twitch": "stream", "onlyfans": "post"}[
        c.platform
    ]


_IG_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def ig_shortcode(pk: str) -> str:
    """Instagram's shortcode of a media pk (base64 of the number)."""
    n = int(pk)
    out = ""
    while n:
        n, rem = divmod(n, 64)
        out = _IG_ALPHABET[rem] + out
    return out or "A"


def _post_url_media(
    c: Creator, pid: str, kind: str, r: random.Random
) -> tuple[str, list[dict[str, str]]]:
    token = b64(hashlib.sha1(pid.encode()).digest())
    if c.platform == "instagram":
        code = ig_shortcode(pid)
        url = (
            f"https://www.instagram.com/stories/{c.username}/{pid}"
            if kind == "story"
            else f"https://instagram.com/p/{code}"
        )
        n = r.randint(2, 5) if kind == "post" and r.random() < 0.3 else 1
        typ = "video" if kind in ("reel", "story") else "image"
        ext = "mp4" if typ == "video" else "jpg"
        return url, [
            {"type": typ, "url": f"https://media.sandbox-cdn.test/ig/{token}_{i}.{ext}"}
            for i in range(n)
        ]
    if c.platform == "tiktok":
        return (
            f"https://www.tiktok.com/@{c.username}/video/{pid}",
            [{"type": "video", "url": f"https://media.sandbox-cdn.test/tt/{token}.mp4"}],
        )
    if c.platform == "youtube":
        url = (
            f"https://www.youtube.com/shorts/{pid}"
            if kind == "short"
            else f"https://www.youtube.com/watch?v={pid}"
        )
        return url, [{"type": "video", "url": f"https://i.ytimg.com/vi/{pid}/hqdefault.jpg"}]
    if c.platform == "twitter":
        return f"https://x.com/{c.username}/status/{pid}", []
    if c.platform == "twitch":
        return f"https://www.twitch.tv/videos/{pid}", []
    return f"https://onlyfans.com/{pid}/{c.username}", []
