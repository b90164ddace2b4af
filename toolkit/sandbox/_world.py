"""The sandbox's synthetic world: creators, the people behind them, their posts.

Deterministic from a seed. People are generated one after another from per-person seeds
(``blake2b(seed, index)``), and each person owns one to four platform accounts; the world
keeps adding people until it holds ``size`` accounts. So creator ``i`` is the same for
every ``size`` larger than ``i`` (only the last person may lose accounts to the cut).

Heavy parts are lazy and cached per creator: profile statistics (:attr:`Creator.stats`),
audiences (:mod:`._world_audience`) and posts (a pure function of seed, creator and day,
so any date range, past or future, has posts).

stdlib ``random`` with hashed seeds rather than numpy: numpy is not a declared dependency,
and per-creator ``Random`` streams make creator ``i`` independent of every other creator.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import itertools
import math
import random
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlparse

from . import _dictionaries as D
from . import _world_names as N
from ._clock import DEFAULT_EPOCH

__all__ = ["DEFAULT_EPOCH", "PLATFORMS", "Creator", "Person", "Post", "World"]

PLATFORMS: tuple[str, ...] = ("instagram", "youtube", "tiktok", "twitch", "twitter", "onlyfans")

_PRIMARY_WEIGHTS = {
    "instagram": 34,
    "tiktok": 22,
    "youtube": 20,
    "twitter": 10,
    "twitch": 8,
    "onlyfans": 6,
}
#: chance that a person whose main platform is elsewhere also has an account here
_EXTRA_CHANCE = {
    "instagram": 0.55,
    "tiktok": 0.32,
    "youtube": 0.28,
    "twitter": 0.3,
    "twitch": 0.06,
    "onlyfans": 0.03,
}
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
_PRIMARY = tuple(_PRIMARY_WEIGHTS)
_PRIMARY_CUM = tuple(itertools.accumulate(_PRIMARY_WEIGHTS.values()))
_NICHE_CUM = tuple(itertools.accumulate(n.weight for n in D.NICHES))
_COUNTRY_CUM = tuple(itertools.accumulate(c.weight for c in D.COUNTRIES))
_MIN_FOLLOWERS = 1000
_BRANDS_BY_NICHE: dict[str, list[D.Brand]] = {
    n.name: [b for b in D.BRANDS if n.name in b.niches] for n in D.NICHES
}
_IG_EPOCH_MS = 1314220021721  # Instagram media ids carry milliseconds since this instant
_DAY = 86400


def _h64(*parts: object) -> int:
    """A stable 64-bit hash of ``parts`` (not Python's salted ``hash``)."""
    raw = "\x1f".join(map(str, parts)).encode()
    return int.from_bytes(hashlib.blake2b(raw, digest_size=8).digest(), "big")


def _mix(x: int) -> int:
    """splitmix64 finaliser: a cheap stable hash of an integer (per-day post rolls)."""
    x = (x + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    return x ^ (x >> 31)


def _unit(x: int) -> float:
    return (_mix(x) >> 11) / float(1 << 53)


@functools.lru_cache(maxsize=4096)
def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum())


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


@dataclass(eq=False)
class Person:
    """The human (or brand) behind one or more accounts."""

    index: int
    first_name: str
    last_name: str
    full_name: str
    gender: str | None
    is_business: bool
    country: D.Country
    city: D.City | None
    language: str
    niche: D.Niche
    subniche: str
    niche2: D.Niche | None
    size: float  # latent log10 reach
    email: str | None
    email_type: str | None
    handle: str
    brands: tuple[str, ...]  # brands.cleaned they did deals with
    services: tuple[str, ...]  # link-in-bio services (creator_has keys without "has_")
    keywords: tuple[str, ...]
    bio: str
    platforms: tuple[str, ...]
    accounts: list[Creator] = field(default_factory=list, repr=False)

    @property
    def location(self) -> str:
        return self.country.name


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

    def growth(self, months: int) -> float:
        """Follower growth over the last ``months`` months, percent."""
        return round(((1 + self.growth_monthly / 100) ** months - 1) * 100, 2)


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


class World:
    """The synthetic world: ``World(seed, size)`` creators across the six platforms."""

    def __init__(self, seed: int = 7, size: int = 5000, epoch: datetime = DEFAULT_EPOCH) -> None:
        if size < 1:
            raise ValueError("size must be at least 1")
        self.seed = seed
        self.size = size
        self.epoch = epoch
        self.creators: list[Creator] = []
        self.persons: list[Person] = []
        self._on: dict[str, list[Creator]] = {p: [] for p in PLATFORMS}
        self._index: dict[str, dict[str, Creator]] = {p: {} for p in PLATFORMS}
        self._emails: dict[str, Person] = {}
        self._handles: dict[str, int] = {}  # name -> last numeric suffix tried
        self._taken: dict[str, dict[str, int]] = {p: {} for p in PLATFORMS}
        self._ids: set[str] = set()
        self.memory: dict[str, Any] = {}  # per-account state handlers keep (exclude_previous)
        self._generate()

    # ------------------------------------------------------------------ lookups
    def on(self, platform: str) -> list[Creator]:
        """Creators of ``platform``, in world order."""
        return self._on.get(platform, [])

    def lookup(self, platform: str, handle: str) -> Creator | None:
        """A creator by username (with or without "@"), profile URL, platform id or
        discovery ``uc_`` id; case-insensitive."""
        index = self._index.get(platform)
        if index is None or not isinstance(handle, str):
            return None
        return index.get(self.normalize_handle(handle))

    def by_email(self, email: str) -> Creator | None:
        """The biggest account of the person with this email (REFERENCE.md §10.5)."""
        person = self._emails.get(email.strip().lower()) if isinstance(email, str) else None
        if person is None or not person.accounts:
            return None
        return max(person.accounts, key=lambda c: (c.followers, -c.index))

    @staticmethod
    def normalize_handle(handle: str) -> str:
        """What exclusion lists store: lower-case username, no "@", no URL."""
        h = handle.strip()
        if "://" in h or h.lower().startswith(
            (
                "www.",
                "instagram.com",
                "tiktok.com",
                "youtube.com",
                "x.com",
                "twitter.com",
                "twitch.tv",
                "onlyfans.com",
            )
        ):
            parsed = urlparse(h if "://" in h else "https://" + h)
            parts = [p for p in parsed.path.split("/") if p]
            if parts and parts[0] in ("channel", "c", "user") and len(parts) > 1:
                parts = parts[1:]
            h = parts[0] if parts else ""
        return h.lstrip("@").lower()

    def connected(self, creator: Creator) -> list[Creator]:
        """All accounts of the creator's person (the creator first)."""
        return [creator] + [a for a in creator.person.accounts if a is not creator]

    def picture_url(self, creator: Creator, now: datetime, *, hd: bool = False) -> str:
        """A signed, expiring profile-picture URL (like the captures'), stable per hour."""
        expires = int(now.timestamp()) // 3600 * 3600 + _DAY
        key = f"{self.seed}:{creator.id}:{expires}:{hd}".encode()
        sig = _b64(hashlib.sha512(key).digest() + hashlib.sha512(key[::-1]).digest())[:172]
        name = f"{creator.id}--{creator.username}{'_hd' if hd else ''}.jpg"
        return (
            f"https://pictures.sandbox-cdn.test/profile-pics/{name}?Expires={expires}"
            f"&Signature={sig}&Key-Pair-Id=KSANDBOX{self.seed % 1000:03d}"
        )

    # ------------------------------------------------------------------ posts
    def posts(self, creator: Creator, start: datetime, end: datetime) -> list[Post]:
        """Posts published in ``[start, end)``, oldest first; any range, past or future."""
        if end <= start:
            return []
        out: list[Post] = []
        first = int(start.timestamp()) // _DAY
        last = int(end.timestamp()) // _DAY
        for day in range(first, last + 1):
            for post in self._day_posts(creator, day):
                if start <= post.published_at < end:
                    out.append(post)
        return out

    def iter_posts_back(
        self, creator: Creator, before: datetime, max_days: int = 1500
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
            for post in reversed(self._day_posts(creator, day)):
                if post.published_at < before:
                    yield post
            day -= 1

    def last_post(
        self,
        creator: Creator,
        now: datetime,
        kinds: tuple[str, ...] | None = None,
        max_days: int = 1500,
    ) -> Post | None:
        """The newest post before ``now`` (of one of ``kinds``), looking back ``max_days``."""
        for post in self.iter_posts_back(creator, now, max_days):
            if kinds is None or post.content_type in kinds:
                return post
        return None

    def post_by_id(self, platform: str, post_id: str) -> Post | None:
        """Decode a post id minted by this world (IG also takes ``<media pk>_<owner pk>``)."""
        if not isinstance(post_id, str) or not post_id.strip():
            return None
        wanted = post_id.strip().split("_")[0] if platform == "instagram" else post_id.strip()
        try:
            candidates = self._decode_post_id(platform, post_id.strip())
        except (ValueError, IndexError):
            return None
        for creator, day in candidates:
            for post in self._day_posts(creator, day):
                if post.post_id == wanted:
                    return post
        return None

    def _day_posts(self, c: Creator, day: int) -> list[Post]:
        """The posts of creator ``c`` on UTC day ``day`` (days since 1970)."""
        if c.active_until is not None and day * _DAY >= c.active_until.timestamp():
            return []
        if date.fromordinal(day + 719163) < c.joined:
            return []
        key = c.seed ^ (day * 0x9E3779B97F4A7C15 & 0xFFFFFFFFFFFFFFFF)
        rate = c.posts_per_week / 7
        count = int(rate) + (1 if _unit(key) < rate - int(rate) else 0)
        if count == 0:
            return []
        r = random.Random(_mix(key ^ 0x5EED))
        times = sorted(r.randrange(6 * 3600, _DAY) for _ in range(count))
        return [self._make_post(c, day, slot, t, r) for slot, t in enumerate(times[:64])]

    def _make_post(self, c: Creator, day: int, slot: int, tod: int, r: random.Random) -> Post:
        ts = day * _DAY + tod
        published = datetime.fromtimestamp(ts, UTC)
        st = c.stats
        kind = _content_type(c, r)
        pid = self._post_id(c, day, slot, ts)
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

    def _post_id(self, c: Creator, day: int, slot: int, ts: int) -> str:
        # ids carry (creator index, day, slot) so post details can find the post again;
        # IG and TikTok ids are time-ordered like the real ones (see the captures).
        low = (c.index << 7) | slot
        if c.platform == "instagram":
            return str(((ts * 1000 + 1 - _IG_EPOCH_MS) << 23) | (low & 0x7FFFFF))
        if c.platform == "tiktok":
            return str((ts << 32) | (low & 0xFFFFFFFF))
        raw = ((day & 0xFFFF) << 48) | ((c.index & 0xFFFFFF) << 24) | (slot << 16)
        raw |= _h64(self.seed, raw) & 0xFFFF
        raw ^= _h64(self.seed, "post-mask")
        if c.platform == "youtube":
            return _b64(raw.to_bytes(8, "big"))  # 11 characters, like a video id
        return str(raw)

    def _decode_post_id(self, platform: str, post_id: str) -> list[tuple[Creator, int]]:
        if platform == "instagram":
            media, _, owner = post_id.partition("_")
            value = int(media)
            ts = ((value >> 23) + _IG_EPOCH_MS) // 1000
            found = self._creators_by_low(platform, (value & 0x7FFFFF) >> 7, 16, owner or None)
            return [(c, ts // _DAY) for c in found]
        if platform == "tiktok":
            value = int(post_id)
            ts, low = value >> 32, value & 0xFFFFFFFF
            return [(c, ts // _DAY) for c in self._creators_by_low(platform, low >> 7, 25, None)]
        if platform == "youtube":
            if len(post_id) != 11:
                return []
            raw = int.from_bytes(base64.urlsafe_b64decode(post_id + "="), "big")
        else:
            raw = int(post_id)
        raw ^= _h64(self.seed, "post-mask")
        index = (raw >> 24) & 0xFFFFFF
        day16 = raw >> 48
        if index >= len(self.creators) or self.creators[index].platform != platform:
            return []
        # the day is stored modulo 2**16 (179 years): take the one nearest the epoch
        base = int(self.epoch.timestamp()) // _DAY
        day = base - ((base - day16) % (1 << 16))
        if base - day > 1 << 15:
            day += 1 << 16
        return [(self.creators[index], day)]

    def _creators_by_low(
        self, platform: str, low: int, bits: int, owner: str | None
    ) -> list[Creator]:
        """Creators whose index ends in the ``bits`` low bits ``low`` (ids keep only those)."""
        found = [c for c in self.creators[low :: 1 << bits] if c.platform == platform]
        if owner is not None:
            found = [c for c in found if c.id == owner or c.username == owner.lower()]
        return found

    # ------------------------------------------------------------------ generation
    def _generate(self) -> None:
        pi = 0
        while len(self.creators) < self.size:
            rng = random.Random(_h64(self.seed, "person", pi))
            person = self._make_person(pi, rng)
            for platform in person.platforms:
                if len(self.creators) >= self.size:
                    break
                creator = self._make_account(person, platform, rng)
                person.accounts.append(creator)
                self.creators.append(creator)
                self._on[platform].append(creator)
                idx = self._index[platform]
                for key in (creator.username, creator.id.lower(), creator.uc_id):
                    idx.setdefault(key, creator)
            if person.email and person.accounts:
                self._emails[person.email] = person
            self.persons.append(person)
            pi += 1

    def _make_person(self, pi: int, r: random.Random) -> Person:
        primary = r.choices(_PRIMARY, cum_weights=_PRIMARY_CUM)[0]
        if primary == "twitch":
            niche = D.NICHE_BY_NAME["Gaming" if r.random() < 0.8 else "Music"]
        else:
            niche = r.choices(D.NICHES, cum_weights=_NICHE_CUM)[0]
        niche2 = r.choice(D.NICHES) if r.random() < 0.5 else None
        if niche2 is niche:
            niche2 = None
        is_business = r.random() < 0.14 and primary not in ("onlyfans", "twitch")
        country = r.choices(D.COUNTRIES, cum_weights=_COUNTRY_CUM)[0]
        cities = D.CITIES_BY_COUNTRY.get(country.code, ())
        city = r.choice(cities) if cities and r.random() < 0.6 else None
        language = (
            country.languages[0] if r.random() < 0.8 else r.choice((*country.languages, "en"))
        )
        if is_business:
            gender = None
            first = r.choice(N.ADJECTIVES).title()
            last = r.choice(N.NOUNS).title()
            full = f"{first} {last}" + (" Co." if r.random() < 0.2 else "")
        else:
            gender = "female" if r.random() < (0.85 if primary == "onlyfans" else 0.52) else "male"
            first = r.choice(N.FIRST_FEMALE if gender == "female" else N.FIRST_MALE)
            last = r.choice(N.LAST_NAMES)
            full = f"{first} {last}"
        handle = self._unique_handle(r, first, last, niche, is_business)
        platforms = [primary] + [
            p
            for p in PLATFORMS
            if p != primary
            and r.random()
            < _EXTRA_CHANCE[p] * (3 if p in ("twitch", "youtube") and niche.name == "Gaming" else 1)
        ]
        size = min(max(r.gauss(4.15, 0.8), 3.0), 8.6)
        email = email_type = None
        if r.random() < 0.45 + 0.1 * (size > 5):
            if is_business or r.random() < 0.22:
                email = f"{r.choice(N.ROLE_MAILBOXES)}@{handle.replace('.', '-').replace('_', '-')}.example"
                email_type = "role_based_email"
            else:
                email = f"{_ascii(first)}.{_ascii(last)}{pi}@{r.choice(N.EMAIL_DOMAINS)}"
                email_type = "verified"
        relevant = _BRANDS_BY_NICHE[niche.name] + (
            _BRANDS_BY_NICHE[niche2.name] if niche2 is not None else []
        )
        deals = r.random() < min(0.85, 0.18 + 0.12 * (size - 3))
        brands: tuple[str, ...] = ()
        if deals and relevant:
            picked = r.sample(relevant, min(len(relevant), r.randint(1, 4)))
            brands = tuple(sorted({b.cleaned for b in picked}))
        services: tuple[str, ...] = ()
        if r.random() < 0.6:
            keys = [k for k, _ in N.LINK_SERVICES]
            services = tuple(sorted(r.sample(keys, r.randint(1, 3)), key=keys.index))
        keywords = niche.keywords + (niche2.keywords[:3] if niche2 else ())
        subniche = r.choice(niche.subniches)
        bio_parts = [
            f"{subniche.capitalize()} & {r.choice(niche.keywords)}",
            city.label if city else country.name,
        ]
        if niche2 is not None:
            bio_parts.append(f"also {r.choice(niche2.keywords)}")
        if email and r.random() < 0.5:
            bio_parts.append(f"📩 {email}")
        bio = " | ".join(bio_parts) + (" ✨" if r.random() < 0.3 else "")
        return Person(
            pi,
            first,
            last,
            full,
            gender,
            is_business,
            country,
            city,
            language,
            niche,
            subniche,
            niche2,
            size,
            email,
            email_type,
            handle,
            brands,
            services,
            keywords,
            bio,
            tuple(platforms),
        )

    def _unique_handle(
        self, r: random.Random, first: str, last: str, niche: D.Niche, business: bool
    ) -> str:
        f, la = _ascii(first), _ascii(last)
        kw = _ascii(r.choice(niche.keywords))
        if business:
            options = [f"{f}{la}", f"{f}.{la}", f"the{f}{la}", f"{f}{la}{kw}", f"{f}_{la}"]
        else:
            options = [
                f"{f}{la}",
                f"{f}.{la}",
                f"{f}_{la}",
                f"{f}{r.choice(N.HANDLE_SUFFIXES)}",
                f"{r.choice(N.ADJECTIVES)}{f}",
                f"{f}.{kw}",
                f"{f}{la}{r.randint(1, 99)}",
                f"the{f}{la}",
                f"{f}{kw}{r.choice(N.HANDLE_SUFFIXES)}",
            ]
        return self._claim(self._handles, r.choice(options)[:24], 30)

    def _make_account(self, p: Person, platform: str, r: random.Random) -> Creator:
        # one stream per person (not per account) keeps generation fast; the person's
        # accounts are drawn in a fixed platform order, so they are still prefix-stable
        index = len(self.creators)
        seed = r.getrandbits(64)
        primary = platform == p.platforms[0]
        log_f = p.size + _SIZE_OFFSET[platform] + (0.2 if primary else -0.2) + r.gauss(0, 0.3)
        followers = max(_MIN_FOLLOWERS, round(10 ** min(log_f, 8.7)))
        if platform == "onlyfans":
            followers = max(200, round(10 ** min(log_f, 6.5)))
        er = _ER_BASE[platform] * (followers / 1e4) ** -0.22 * math.exp(r.gauss(0, 0.45))
        er = round(min(max(er, 0.01), 45.0), 2)
        username = self._platform_username(p.handle, platform, r)
        uid = self._platform_id(platform, r)
        uc = f"uc_{r.randrange(100000, 99999999)}"
        while uc in self._ids:
            uc = f"uc_{r.randrange(100000, 99999999)}"
        self._ids.add(uc)
        verified = r.random() < min(0.95, max(0.02, (log_f - 5.0) / 2.5))
        ppw = round(_PPW[platform] * math.exp(r.gauss(0, 0.6)), 2)
        growth = round(min(15.0, max(-4.0, r.gauss(0.4 + 3.0 / max(log_f - 2, 1), 1.6))), 2)
        years = r.uniform(0.5, 11)
        joined = (self.epoch - timedelta(days=int(years * 365))).date()
        dormant = None
        if r.random() < 0.04:
            dormant = self.epoch - timedelta(days=r.randint(45, 500))
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
            url=_profile_url(platform, username, uid),
            person=p,
            seed=seed,
            is_verified=verified,
            is_private=platform in ("instagram", "tiktok")
            and followers < 50000
            and r.random() < 0.04,
            posts_per_week=ppw,
            growth_monthly=growth,
            joined=joined,
            active_until=dormant,
        )

    def _platform_username(self, handle: str, platform: str, r: random.Random) -> str:
        name = handle
        if platform in ("twitter", "twitch", "youtube") or platform == "onlyfans":
            name = name.replace(".", "_" if platform != "onlyfans" else "")
        if platform == "twitter":
            name = name[:15]
        if platform == "onlyfans" and r.random() < 0.3:
            name = f"{name}{r.choice(('xo', 'vip', 'free', 'official'))}"
        return self._claim(self._taken[platform], name, 15 if platform == "twitter" else 30)

    def _claim(self, taken: dict[str, int], name: str, max_len: int) -> str:
        """``name``, or ``name`` + the next free number: unique within ``taken``."""
        if name not in taken:
            taken[name] = 1
            return name
        n = taken[name]
        while True:
            n += 1
            suffix = str(n)
            candidate = name[: max_len - len(suffix)] + suffix
            if candidate not in taken:
                taken[name] = n
                taken[candidate] = 1
                return candidate

    def _platform_id(self, platform: str, r: random.Random) -> str:
        while True:
            if platform == "youtube":
                uid = "UC" + _b64(r.getrandbits(132).to_bytes(17, "big"))[:22]
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
            if uid not in self._ids:
                self._ids.add(uid)
                return uid


def _profile_url(platform: str, username: str, uid: str) -> str:
    return {
        "instagram": f"https://www.instagram.com/{username}",
        "youtube": f"https://www.youtube.com/channel/{uid}",
        "tiktok": f"https://www.tiktok.com/@{username}",
        "twitter": f"https://x.com/{username}",
        "twitch": f"https://twitch.tv/{username}",
        "onlyfans": f"https://onlyfans.com/{username}",
    }[platform]


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
    token = _b64(hashlib.sha1(pid.encode()).digest())
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
