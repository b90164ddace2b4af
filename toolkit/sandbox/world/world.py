"""The sandbox's synthetic world: creators, the people behind them, their posts.

Deterministic from a seed. People are generated one after another from per-person seeds
(``blake2b(seed, index)``), and each person owns one to four platform accounts; the world
keeps adding people until it holds ``size`` accounts. So creator ``i`` is the same for
every ``size`` larger than ``i`` (only the last person may lose accounts to the cut).

Heavy parts are lazy and cached per creator: profile statistics (:attr:`Creator.stats`),
audiences (:mod:`.audiences`) and posts (:mod:`.posts`, a pure function of seed, creator
and day). :meth:`World.load` keeps built worlds in a disk cache keyed by seed, size and
the world code's own hash (:mod:`.cache`), so a session's first call does not wait for
generation.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urlparse

from toolkit._facts import DISCOVERY_PLATFORMS

from .._clock import DEFAULT_EPOCH
from . import posts as _posts
from .packed import join_index, pack, unpack
from .people import Person, make_person
from .platforms import Creator, make_account
from .posts import Post
from .seeds import DAY, b64, h64

__all__ = ["DEFAULT_SIZE", "World"]

PLATFORMS = DISCOVERY_PLATFORMS
#: creators in the default sandbox: enough that a real brief ("US fitness creators on
#: Instagram, 50k-500k followers, ER > 2 %, English") finds a few dozen; built once, then
#: loaded from the disk cache (:mod:`.cache`) in a fraction of a second
DEFAULT_SIZE = 50_000


class World:
    """The synthetic world: ``World(seed, size)`` creators across the six platforms."""

    def __init__(
        self, seed: int = 7, size: int = DEFAULT_SIZE, epoch: datetime = DEFAULT_EPOCH
    ) -> None:
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
        # a world loaded from the cache joins a platform's handle index on its first lookup
        self._packed_index: dict[str, Any] = {}
        self._handles: dict[str, int] = {}  # name -> last numeric suffix tried
        self._taken: dict[str, dict[str, int]] = {p: {} for p in PLATFORMS}
        self._ids: set[str] = set()
        self.memory: dict[str, Any] = {}  # per-account state handlers keep (exclude_previous)
        self._generate()

    def __getstate__(self) -> dict[str, Any]:
        # by column (world/packed.py): numbers as arrays, links and lookups as positions
        return pack(self)

    def __setstate__(self, state: dict[str, Any]) -> None:
        unpack(self, state)

    @classmethod
    def load(
        cls, seed: int = 7, size: int = DEFAULT_SIZE, *, epoch: datetime = DEFAULT_EPOCH
    ) -> World:
        """``World(seed, size)``, from the disk cache when an identical world was built before."""
        from .cache import load_or_build

        return load_or_build(cls, seed, size, epoch)

    def on(self, platform: str) -> list[Creator]:
        """Creators of ``platform``, in world order."""
        return self._on.get(platform, [])

    def lookup(self, platform: str, handle: str) -> Creator | None:
        """A creator by username (with or without "@"), profile URL, platform id or
        discovery ``uc_`` id; case-insensitive."""
        index = self._index.get(platform)
        if index is None and platform in self._packed_index:
            index = self._index[platform] = join_index(self, self._packed_index[platform])
        if index is None or not isinstance(handle, str):
            return None
        return index.get(self.normalize_handle(handle))

    def by_email(self, email: str) -> Creator | None:
        """The biggest account of the person with this email."""
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
        expires = int(now.timestamp()) // 3600 * 3600 + DAY
        key = f"{self.seed}:{creator.id}:{expires}:{hd}".encode()
        sig = b64(hashlib.sha512(key).digest() + hashlib.sha512(key[::-1]).digest())[:172]
        name = f"{creator.id}--{creator.username}{'_hd' if hd else ''}.jpg"
        return (
            f"https://pictures.sandbox-cdn.test/profile-pics/{name}?Expires={expires}"
            f"&Signature={sig}&Key-Pair-Id=KSANDBOX{self.seed % 1000:03d}"
        )

    # ------------------------------------------------------------------ posts
    def posts(self, creator: Creator, start: datetime, end: datetime) -> list[Post]:
        """Posts published in ``[start, end)``, oldest first; any range, past or future."""
        return _posts.posts_between(self, creator, start, end)

    def iter_posts_back(
        self, creator: Creator, before: datetime, max_days: int = 1500
    ) -> Iterator[Post]:
        """Posts published strictly before ``before``, newest first."""
        return _posts.iter_posts_back(self, creator, before, max_days)

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
        return _posts.post_by_id(self, platform, post_id)

    # ------------------------------------------------------------------ generation
    def _generate(self) -> None:
        pi = 0
        while len(self.creators) < self.size:
            rng = random.Random(h64(self.seed, "person", pi))
            person = make_person(self, pi, rng)
            for platform in person.platforms:
                if len(self.creators) >= self.size:
                    break
                creator = make_account(self, person, platform, rng)
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
        # what generation needed to keep names and ids unique; nothing reads it afterwards
        self._handles.clear()
        self._ids.clear()
        for taken in self._taken.values():
            taken.clear()
