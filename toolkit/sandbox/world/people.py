"""The people behind the accounts: names, country, niche, brands, bio and email.

A person is drawn from a per-person stream (``h64(seed, "person", index)``), so person
``i`` is the same in every world that holds them; each owns one to four accounts
(:mod:`.platforms`).
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

from toolkit._facts import DISCOVERY_PLATFORMS

from . import dictionaries as D
from . import names as N
from .seeds import ascii_fold

if TYPE_CHECKING:  # pragma: no cover
    from .platforms import Creator
    from .world import World

__all__ = ["Person", "claim", "make_person"]

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
_PRIMARY = tuple(_PRIMARY_WEIGHTS)
_PRIMARY_CUM = tuple(itertools.accumulate(_PRIMARY_WEIGHTS.values()))
_NICHE_CUM = tuple(itertools.accumulate(n.weight for n in D.NICHES))
_COUNTRY_CUM = tuple(itertools.accumulate(c.weight for c in D.COUNTRIES))
_BRANDS_BY_NICHE: dict[str, list[D.Brand]] = {
    n.name: [b for b in D.BRANDS if n.name in b.niches] for n in D.NICHES
}


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

    def __getstate__(self) -> tuple[Any, ...]:
        # a tuple, not a dict: a cached world unpickles twice as fast (see world/cache.py)
        return tuple(getattr(self, name) for name in _PERSON_FIELDS)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        self.__dict__ = dict(zip(_PERSON_FIELDS, state, strict=True))


_PERSON_FIELDS = tuple(f.name for f in fields(Person))


def make_person(w: World, pi: int, r: random.Random) -> Person:
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
    language = country.languages[0] if r.random() < 0.8 else r.choice((*country.languages, "en"))
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
    handle = _unique_handle(w, r, first, last, niche, is_business)
    platforms = [primary] + [
        p
        for p in DISCOVERY_PLATFORMS
        if p != primary
        and r.random()
        < _EXTRA_CHANCE[p] * (3 if p in ("twitch", "youtube") and niche.name == "Gaming" else 1)
    ]
    size = min(max(r.gauss(4.15, 0.8), 3.0), 8.6)
    email = email_type = None
    if r.random() < 0.45 + 0.1 * (size > 5):
        if is_business or r.random() < 0.22:
            email = (
                f"{r.choice(N.ROLE_MAILBOXES)}@{handle.replace('.', '-').replace('_', '-')}.example"
            )
            email_type = "role_based_email"
        else:
            email = f"{ascii_fold(first)}.{ascii_fold(last)}{pi}@{r.choice(N.EMAIL_DOMAINS)}"
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
    w: World, r: random.Random, first: str, last: str, niche: D.Niche, business: bool
) -> str:
    f, la = ascii_fold(first), ascii_fold(last)
    kw = ascii_fold(r.choice(niche.keywords))
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
    return claim(w._handles, r.choice(options)[:24], 30)


def claim(taken: dict[str, int], name: str, max_len: int) -> str:
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
