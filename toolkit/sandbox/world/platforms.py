"""Accounts on the six platforms: ids, usernames, followers, engagement and statistics.

One :class:`Creator` per account. Numbers follow from the person's latent reach plus
per-platform offsets, so a person's accounts are consistent with each other; the heavy
profile statistics are drawn lazily from the account's own seed (:attr:`Creator.stats`).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from .._clock import DEFAULT_EPOCH
from . import dictionaries as D
from . import names as N
from .people import Person, claim
from .seeds import b64

if TYPE_CHECKING:  # pragma: no cover
    from .world import World

__all__ = ["Creator", "make_account", "profile_url"]

#: log10 follower offset per platform (OnlyFans fans and Twitch followers are fewer)
_SIZE_OFFSET = {
    "instagram": 0.0,
    "tiktok": 0.1,
    "youtube": -0.25,
    "twitter": -0.35,
    "twitch": -0.55,
    "onlyfans": -1.0,
}
#: engagement rate (percent) of a 10k-follower account; falls with size
_ER_BASE = {
    "instagram": 3.6,
    "tiktok": 7.5,
    "youtube": 4.0,
    "twitter": 0.9,
    "twitch": 4.5,
    "onlyfans": 2.5,
}
#: median posts per week
_PPW = {
    "instagram": 3.0,
    "tiktok": 5.0,
    "youtube": 1.2,
    "twitter": 9.0,
    "twitch": 3.5,
    "onlyfans": 6.0,
}
_MIN_FOLLOWERS = 1000


@dataclass(eq=False)
class Creator:
    """One account on one platform. ``id`` is the platform's own user id."""

    index: int
    platform: str
    id: str
    uc_id: str  # the discovery ``user_id`` (``uc_`` + digits, as in the captures)
    username: str  # lower-case, no "@"
    full_name: str
    followers: int
    engagement_percent: float
    email: str | None
    url: str
    person: Person = field(repr=False)
    seed: int = field(repr=False)
    is_verified: bool = False
    is_private: bool = False
    posts_per_week: float = 1.0
    growth_monthly: float = 0.0  # percent per month
    joined: date = date(2018, 1, 1)
    active_until: datetime | None = None  # stopped posting then (dormant accounts)
    _stats: dict[str, Any] | None = field(default=None, repr=False)
    _audience: Any = field(default=None, repr=False)

    # identity shared by every account of the person
    @property
    def gender(self) -> str | None:
        return self.person.gender

    @property
    def location(self) -> str:
        return self.person.country.name

    @property
    def city_label(self) -> str | None:
        return self.person.city.label if self.person.city else None

    @property
    def language(self) -> str:
        return self.person.language

    @property
    def niche(self) -> D.Niche:
        return self.person.niche

    @property
    def is_business(self) -> bool:
        return self.person.is_business

    @property
    def email_type(self) -> str | None:
        return self.person.email_type

    @property
    def bio(self) -> str:
        return self.person.bio[:160] if self.platform == "twitter" else self.person.bio

    @property
    def has_brand_deals(self) -> bool:
        return bool(self.person.brands)

    @property
    def links_in_bio(self) -> list[str]:
        """Links the profile shows: other accounts first, then link-in-bio services."""
        out = [a.url for a in self.person.accounts if a is not self]
        out += [
            url.format(u=self.person.handle)
            for key, url in N.LINK_SERVICES
            if key in self.person.services
        ]
        return out

    @property
    def stats(self) -> dict[str, Any]:
        """Profile statistics (lazy; a pure function of the creator's seed)."""
        if self._stats is None:
            self._stats = _make_stats(self)
        return self._stats

    def __getstate__(self) -> tuple[Any, ...]:
        # a tuple, not a dict: a cached world unpickles twice as fast (see world/cache.py)
        return tuple(getattr(self, name) for name in _CREATOR_FIELDS)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        self.__dict__ = dict(zip(_CREATOR_FIELDS, state, strict=True))

    def growth(self, months: int) -> float:
        """Follower growth over the last ``months`` months, percent."""
        return round(((1 + self.growth_monthly / 100) ** months - 1) * 100, 2)


_CREATOR_FIELDS = tuple(f.name for f in fields(Creator))


def make_account(w: World, p: Person, platform: str, r: random.Random) -> Creator:
    # one stream per person (not per account) keeps generation fast; the person's
    # accounts are drawn in a fixed platform order, so they are still prefix-stable
    index = len(w.creators)
    seed = r.getrandbits(64)
    primary = platform == p.platforms[0]
    log_f = p.size + _SIZE_OFFSET[platform] + (0.2 if primary else -0.2) + r.gauss(0, 0.3)
    followers = max(_MIN_FOLLOWERS, round(10 ** min(log_f, 8.7)))
    if platform == "onlyfans":
        followers = max(200, round(10 ** min(log_f, 6.5)))
    er = _ER_BASE[platform] * (followers / 1e4) ** -0.22 * math.exp(r.gauss(0, 0.45))
    er = round(min(max(er, 0.01), 45.0), 2)
    username = _platform_username(w, p.handle, platform, r)
    uid = _platform_id(w, platform, r)
    uc = f"uc_{r.randrange(100000, 99999999)}"
    while uc in w._ids:
        uc = f"uc_{r.randrange(100000, 99999999)}"
    w._ids.add(uc)
    verified = r.random() < min(0.95, max(0.02, (log_f - 5.0) / 2.5))
    ppw = round(_PPW[platform] * math.exp(r.gauss(0, 0.6)), 2)
    growth = round(min(15.0, max(-4.0, r.gauss(0.4 + 3.0 / max(log_f - 2, 1), 1.6))), 2)
    years = r.uniform(0.5, 11)
    joined = (w.epoch - timedelta(days=int(years * 365))).date()
    dormant = None
    if r.random() < 0.04:
        dormant = w.epoch - timedelta(days=r.randint(45, 500))
    return Creator(
        index=index,
        platform=platform,
        id=uid,
        uc_id=uc,
        username=username,
        full_name=p.full_name,
        followers=followers,
        engagement_percent=er,
        email=p.email,
        url=profile_url(platform, username, uid),
        person=p,
        seed=seed,
        is_verified=verified,
        is_private=platform in ("instagram", "tiktok") and followers < 50000 and r.random() < 0.04,
        posts_per_week=ppw,
        growth_monthly=growth,
        joined=joined,
        active_until=dormant,
    )


def _platform_username(w: World, handle: str, platform: str, r: random.Random) -> str:
    name = handle
    if platform in ("twitter", "twitch", "youtube") or platform == "onlyfans":
        name = name.replace(".", "_" if platform != "onlyfans" else "")
    if platform == "twitter":
        name = name[:15]
    if platform == "onlyfans" and r.random() < 0.3:
        name = f"{name}{r.choice(('xo', 'vip', 'free', 'official'))}"
    return claim(w._taken[platform], name, 15 if platform == "twitter" else 30)


def _platform_id(w: World, platform: str, r: random.Random) -> str:
    while True:
        if platform == "youtube":
            uid = "UC" + b64(r.getrandbits(132).to_bytes(17, "big"))[:22]
        elif platform == "instagram":
            uid = str(r.randrange(10**8, 6 * 10**10))
        elif platform == "tiktok":
            uid = str(r.randrange(6 * 10**18, 7 * 10**18))
        elif platform == "twitter":
            uid = str(r.randrange(10**7, 19 * 10**17))
        elif platform == "twitch":
            uid = str(r.randrange(10**7, 10**9))
        else:
            uid = str(r.randrange(10**5, 5 * 10**8))
        if uid not in w._ids:
            w._ids.add(uid)
            return uid


def profile_url(platform: str, username: str, uid: str) -> str:
    return {
        "instagram": f"https://www.instagram.com/{username}",
        "youtube": f"https://www.youtube.com/channel/{uid}",
        "tiktok": f"https://www.tiktok.com/@{username}",
        "twitter": f"https://x.com/{username}",
        "twitch": f"https://twitch.tv/{username}",
        "onlyfans": f"https://onlyfans.com/{username}",
    }[platform]


def _make_stats(c: Creator) -> dict[str, Any]:
    """Platform statistics of ``c``; consistent with followers and engagement."""
    r = random.Random(c.seed ^ 0x57A75)
    f, er = c.followers, c.engagement_percent
    eng = f * er / 100
    s: dict[str, Any] = {
        "avg_likes": round(eng * 0.965, 2),
        "avg_comments": round(eng * 0.035, 2),
        "following_count": int(10 ** r.uniform(1.5, 3.4)),
        "has_merch": r.random() < min(0.5, 0.04 + 0.04 * max(0, math.log10(f) - 4)),
        "promotes_affiliate_links": r.random() < 0.22,
        "has_paid_partnership": bool(c.person.brands) and r.random() < 0.7,
        "streamer": c.platform == "twitch"
        or r.random() < (0.4 if c.niche.name == "Gaming" else 0.04),
    }
    s["likes_median"] = round(s["avg_likes"] * r.uniform(0.5, 0.85), 1)
    s["comments_median"] = round(s["avg_comments"] * r.uniform(0.5, 0.85), 1)
    weeks = max(1.0, (DEFAULT_EPOCH.date() - c.joined).days / 7)
    s["media_count"] = int(c.posts_per_week * weeks * r.uniform(0.6, 1.0)) + 1
    inc_min = int(f * r.uniform(0.02, 0.05) // 100 * 100)
    s["income"] = {
        "min": inc_min,
        "max": int(inc_min * r.uniform(1.2, 1.5) // 100 * 100),
        "currency": "USD",
    }
    p = c.platform
    if p == "instagram":
        s["reels_percent"] = round(r.choice((0, 8.33, 16.67, 25.0, 33.33, 41.67, 50.0, 66.67)), 2)
        s["avg_views"] = int(f * r.uniform(0.2, 1.4))
        s["account_type"] = 2 if c.is_business else r.choice((1, 3, 3))
    elif p == "youtube":
        s["shorts_percentage"] = round(r.choice((0.0, 0.0, 10.0, 24.0, 40.0, 62.0)), 1)
        s["has_shorts"] = s["shorts_percentage"] > 0
        s["avg_views_long"] = int(f * r.uniform(0.03, 0.45))
        s["avg_views_shorts"] = int(f * r.uniform(0.05, 0.9)) if s["has_shorts"] else 0
        s["avg_views"] = int(
            (s["avg_views_long"] + s["avg_views_shorts"]) / (2 if s["has_shorts"] else 1)
        )
        s["median_views_long"] = int(s["avg_views_long"] * r.uniform(0.5, 0.85))
        s["video_count"] = s["media_count"]
        s["view_count"] = s["avg_views"] * s["video_count"]
        s["long_video_duration"] = round(r.uniform(4, 45), 1)  # minutes
        for key, chance in (
            ("has_podcast", 0.08),
            ("has_courses", 0.04),
            ("has_membership", 0.1),
            ("has_community_posts", 0.45),
            ("streams_live", 0.12),
        ):
            s[key] = r.random() < chance
        s["is_monetizing"] = f >= 1000 and r.random() < 0.8
        s["average_stream_views"] = int(f * r.uniform(0.002, 0.03)) if s["streams_live"] else 0
        s["average_stream_duration"] = round(r.uniform(60, 240), 1) if s["streams_live"] else 0
        s["last_stream_days"] = r.randint(1, 60)
        s["made_for_kids"] = c.niche.name == "Family & Parenting" and r.random() < 0.3
    elif p == "tiktok":
        s["avg_views"] = int(f * r.uniform(0.15, 2.0))
        s["play_count_median"] = int(s["avg_views"] * r.uniform(0.45, 0.8))
        s["avg_downloads"] = int(s["avg_views"] * r.uniform(0.0002, 0.002))
        s["video_count"] = s["media_count"]
        s["total_likes"] = int(s["avg_likes"] * s["video_count"] * r.uniform(0.8, 1.5))
        s["total_shares"] = int(s["total_likes"] * r.uniform(0.001, 0.01))
        s["total_saves"] = int(s["total_likes"] * r.uniform(0.001, 0.008))
        s["has_tik_tok_shop"] = r.random() < 0.12
        s["duration_avg"] = round(r.uniform(9, 70), 2)
    elif p == "twitter":
        s["tweets_count"] = s["media_count"] * r.randint(2, 6)
        s["avg_views"] = int(f * r.uniform(0.01, 0.25))
        s["avg_retweet"] = round(eng * r.uniform(0.05, 0.2), 2)
        s["avg_reply"] = round(eng * r.uniform(0.02, 0.1), 2)
        s["avg_quotes"] = round(eng * r.uniform(0.005, 0.02), 2)
    elif p == "twitch":
        s["avg_views"] = int(f * r.uniform(0.01, 0.08))
        s["active_subscribers"] = int(f * r.uniform(0.002, 0.03))
        s["streams_count_last_30_days"] = min(30, int(c.posts_per_week * 30 / 7))
        s["streamed_hours_last_30_days"] = round(
            s["streams_count_last_30_days"] * r.uniform(1.5, 6), 1
        )
        s["total_hours_streamed"] = int(s["media_count"] * r.uniform(2, 5))
        s["maximum_views_count"] = int(s["avg_views"] * r.uniform(2, 12))
        s["is_twitch_partner"] = f > 20000 and r.random() < 0.6
        s["games_played"] = sorted(r.sample(D.GAMES, r.randint(1, 5)))
    else:  # onlyfans
        free = r.random() < 0.3
        s["has_free_account"] = free
        s["subscription_price"] = (
            0.0 if free else round(r.choice((4.99, 7.99, 9.99, 12.99, 14.99, 19.99, 29.99)), 2)
        )
        s["number_of_photos"] = int(s["media_count"] * r.uniform(0.5, 0.9))
        s["number_of_videos"] = s["media_count"] - s["number_of_photos"]
        s["number_of_likes"] = int(s["avg_likes"] * s["media_count"])
        s["has_videos"] = s["number_of_videos"] > 0
        s["has_live_streams"] = r.random() < 0.2
    return s
