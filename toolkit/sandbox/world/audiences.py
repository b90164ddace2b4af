"""Audiences, likeness and audience overlap in the synthetic world (lazy, per creator).

An audience is a small summary of weights (genders, ages, countries, interests, brands,
credibility) drawn from the creator's seed and shaped by their niche, home country and
platform. Enrichment renders it in the captured shapes; discovery's ``audience`` filters
read it; overlap derives shared followers from it.
"""

from __future__ import annotations

import heapq
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import dictionaries as D
from .platforms import Creator
from .seeds import h64

if TYPE_CHECKING:  # pragma: no cover
    from .world import World

AGE_CODES = ("13-17", "18-24", "25-34", "35-44", "45-64", "65-")
CREDIBILITY_CLASSES = ("bad", "low", "normal", "good", "high", "best")
_AGES = {
    "tiktok": (0.12, 0.42, 0.27, 0.1, 0.07, 0.02),
    "instagram": (0.05, 0.33, 0.37, 0.14, 0.09, 0.02),
    "youtube": (0.06, 0.29, 0.33, 0.17, 0.12, 0.03),
}
_MALE_BIAS = {
    "Gaming": 0.76,
    "Sport": 0.72,
    "Cars & Motorbikes": 0.84,
    "Technology & Science": 0.66,
    "Business & Finance": 0.62,
    "Beauty": 0.18,
    "Fashion": 0.3,
    "Family & Parenting": 0.24,
    "Home & Garden": 0.33,
    "Health & Wellness": 0.36,
    "Fitness": 0.5,
    "Music": 0.5,
}
_ETHNICITY = {
    "US": "white",
    "GB": "white",
    "CA": "white",
    "AU": "white",
    "MX": "hispanic",
    "ES": "hispanic",
    "AR": "hispanic",
    "CO": "hispanic",
    "BR": "hispanic",
    "NG": "african_american",
    "ZA": "african_american",
    "IN": "asian",
    "ID": "asian",
    "PH": "asian",
    "TH": "asian",
    "VN": "asian",
    "MY": "asian",
    "JP": "asian",
    "KR": "asian",
}
ETHNICITY_NAMES = {
    "white": "White / Caucasian",
    "hispanic": "Hispanic",
    "african_american": "African American",
    "asian": "Asian",
}
#: followers pool per (niche, country) segment per unit of niche and country share;
#: small enough that creators of one niche and country share a visible part of their fans
_POOL = {"instagram": 9e7, "tiktok": 7e7, "youtube": 1.1e8}


@dataclass
class Audience:
    """The weights (fractions 0-1) an audience block is rendered from."""

    credibility: float
    credibility_class: str
    male: float
    ages: list[tuple[str, float]]
    countries: list[tuple[D.Country, float]]
    states: list[tuple[int, str, str, float]]  # id, name, country code, weight
    cities: list[tuple[D.City, float]]
    languages: list[tuple[str, float]]
    interests: list[tuple[str, float, float]]  # name, weight, affinity
    brands: list[tuple[D.Brand, float, float]]
    ethnicities: list[tuple[str, float]]
    types: list[tuple[str, float]]
    reachability: list[tuple[str, float]]
    notable_users_ratio: float
    niches: list[tuple[str, float]]  # audience share per niche ("general" for the rest)

    def location_weight(self, name: str, kind: str | None = None) -> float:
        """Share of the audience in a country, state or city called ``name``."""
        low = name.lower()
        total = 0.0
        if kind in (None, "country"):
            total += sum(w for c, w in self.countries if c.name.lower() == low)
        if kind in (None, "state"):
            total += sum(w for _i, n, _c, w in self.states if n.lower() == low)
        if kind in (None, "city"):
            total += sum(w for c, w in self.cities if c.name.lower() == low)
        return total


def _norm(pairs: Sequence[tuple[object, float]], total: float = 1.0) -> list:
    s = sum(w for _k, w in pairs) or 1.0
    return [(k, round(w / s * total, 6)) for k, w in pairs]


def credibility_class(value: float) -> str:
    """Class of an audience credibility score (the captures: 0.75 bad, 0.897 normal)."""
    for limit, name in (
        (0.8, "bad"),
        (0.85, "low"),
        (0.9, "normal"),
        (0.93, "good"),
        (0.96, "high"),
    ):
        if value < limit:
            return name
    return "best"


def audience(world: World, c: Creator) -> Audience:
    """The creator's follower audience (cached on the creator)."""
    if c._audience is None:
        c._audience = _make_audience(world, c)
    return c._audience


def _make_audience(world: World, c: Creator) -> Audience:
    r = random.Random(h64(world.seed, "audience", c.seed))
    size = math.log10(max(c.followers, 10))
    cred = min(0.98, max(0.45, r.gauss(0.88, 0.05) - 0.018 * (size - 4)))
    bias = _MALE_BIAS.get(c.niche.name, 0.45)
    if c.gender == "male":
        bias += 0.08
    elif c.gender == "female":
        bias -= 0.08
    male = min(0.95, max(0.05, bias + r.gauss(0, 0.06)))
    base_ages = _AGES.get(c.platform, _AGES["instagram"])
    ages = _norm(
        [
            (code, w * math.exp(r.gauss(0, 0.2)))
            for code, w in zip(AGE_CODES, base_ages, strict=True)
        ]
    )
    # countries: home country heavy, the rest by world weight with noise
    home = c.person.country
    home_share = min(0.85, max(0.2, r.uniform(0.45, 0.8) - 0.06 * (size - 4)))
    others = [x for x in D.COUNTRIES if x is not home]
    picked = r.sample(others, r.randint(10, 18))
    rest = [(x, x.weight * math.exp(r.gauss(0, 0.6))) for x in picked]
    countries = [(home, home_share), *_norm(rest, (1 - home_share) * 0.97)]
    countries.sort(key=lambda cw: -cw[1])
    states: list[tuple[int, str, str, float]] = []
    cities: list[tuple[D.City, float]] = []
    for country, w in countries[:6]:
        for sid, name, cc in D.STATES:
            if cc == country.code:
                states.append((sid, name, cc, round(w * r.uniform(0.03, 0.2), 6)))
        for city in D.CITIES_BY_COUNTRY.get(country.code, ()):
            cities.append((city, round(w * r.uniform(0.02, 0.12), 6)))
    states.sort(key=lambda s: -s[3])
    cities.sort(key=lambda cw: -cw[1])
    lang: dict[str, float] = {}
    for country, w in countries:
        for i, code in enumerate(country.languages):
            lang[code] = lang.get(code, 0.0) + w * (0.75 if i == 0 else 0.25 / i)
    lang[c.language] = lang.get(c.language, 0.0) + 0.1
    languages = sorted(_norm(list(lang.items())), key=lambda kv: -kv[1])
    niche_interests = set(c.niche.interests)
    second = set(c.person.niche2.interests) if c.person.niche2 else set()
    interests = []
    for _iid, name in D.AUDIENCE_INTERESTS:
        w = r.uniform(0.02, 0.14)
        if name in niche_interests:
            w += r.uniform(0.2, 0.4)
        elif name in second:
            w += r.uniform(0.08, 0.18)
        interests.append((name, round(w, 6), round(w / 0.12 * r.uniform(0.8, 1.2), 6)))
    interests.sort(key=lambda t: -t[1])
    top = {name for name, _w, _a in interests[:8]}
    brands = []
    for brand in D.BRANDS:
        hit = len(top.intersection(brand.categories))
        if not hit and r.random() < 0.6:
            continue
        w = r.uniform(0.005, 0.04) + hit * r.uniform(0.01, 0.05)
        if c.niche.name in brand.niches:
            w += r.uniform(0.02, 0.06)
        brands.append((brand, round(w, 6), round(w / 0.05 * r.uniform(0.8, 1.3), 6)))
    brands.sort(key=lambda t: -t[1])
    eth: dict[str, float] = {}
    for country, w in countries:
        code = _ETHNICITY.get(country.code, "white")
        eth[code] = eth.get(code, 0.0) + w
    for code in ETHNICITY_NAMES:
        eth[code] = eth.get(code, 0.0) + 0.03
    ethnicities = sorted(_norm(list(eth.items())), key=lambda kv: -kv[1])
    suspicious = round((1 - cred) * r.uniform(0.5, 0.9), 4)
    mass = round((1 - cred) - suspicious + r.uniform(0.0, 0.05), 4)
    influencers = round(r.uniform(0.01, 0.06), 4)
    types = [
        ("mass_followers", mass),
        ("suspicious", suspicious),
        ("influencers", influencers),
        ("real", round(1 - mass - suspicious - influencers, 4)),
    ]
    reach = _norm(
        [
            ("-500", r.uniform(0.4, 0.8)),
            ("500-1000", r.uniform(0.1, 0.25)),
            ("1000-1500", r.uniform(0.04, 0.1)),
            ("1500-", mass + 0.02),
        ]
    )
    niches = [(c.niche.name, 0.6)]
    if c.person.niche2 is not None:
        niches.append((c.person.niche2.name, 0.25))
    niches.append(("general", 1 - sum(w for _n, w in niches)))
    return Audience(
        round(cred, 4),
        credibility_class(cred),
        round(male, 6),
        ages,
        countries,
        states,
        cities,
        languages,
        interests,
        brands[:40],
        ethnicities,
        types,
        reach,
        round(r.uniform(0.02, 0.15), 6),
        niches,
    )


# ------------------------------------------------------------------------- likeness
def similarity(a: Creator, b: Creator) -> float:
    """How alike two creators are, 0-1: niche, sub-niche, country, language and size.

    Symmetric; a tiny hash jitter (symmetric too) keeps rankings free of ties.
    """
    pa, pb = a.person, b.person
    if pa.niche is pb.niche:
        niche = 1.0
    elif pa.niche is pb.niche2 or pb.niche is pa.niche2:
        niche = 0.55
    else:
        niche = 0.0
    sub = 1.0 if niche == 1.0 and pa.subniche == pb.subniche else 0.0
    country = 1.0 if pa.country is pb.country else 0.0
    language = 1.0 if pa.language == pb.language else 0.0
    gap = abs(math.log10(max(a.followers, 1)) - math.log10(max(b.followers, 1)))
    size = math.exp(-gap)
    lo, hi = sorted((a.seed, b.seed))
    jitter = ((lo * 31 + hi) % 1000) / 1000 * 0.03
    score = 0.42 * niche + 0.12 * sub + 0.13 * country + 0.1 * language + 0.2 * size + jitter
    return round(min(score, 1.0), 8)


def rank_similar(
    world: World, c: Creator, pool: list[Creator] | None = None, min_score: float = 0.0
) -> list[tuple[float, Creator]]:
    """Creators of ``c``'s platform most like ``c``, best first (``c`` itself excluded)."""
    out = []
    for other in world.on(c.platform) if pool is None else pool:
        if other is c or other.person is c.person:
            continue
        score = similarity(c, other)
        if score >= min_score:
            out.append((score, other))
    out.sort(key=lambda so: (-so[0], so[1].index))
    return out


def most_similar(world: World, c: Creator, n: int = 10) -> list[tuple[float, Creator]]:
    """``rank_similar(world, c)[:n]``, found once per creator (a full enrichment asks up to
    four times, and each ask scans the platform)."""
    cache = world.memory.setdefault("most_similar", {})
    key = (c.index, n)
    if key not in cache:
        scored = (
            (-similarity(c, o), o.index, o)
            for o in world.on(c.platform)
            if o is not c and o.person is not c.person
        )
        cache[key] = [(-neg, o) for neg, _i, o in heapq.nsmallest(n, scored)]
    return cache[key]


def most_followed(world: World, c: Creator, n: int = 10) -> list[Creator]:
    """The ``n`` biggest other creators of ``c``'s platform and niche (notable users)."""
    cache = world.memory.setdefault("most_followed", {})
    key = (c.platform, c.niche.name, n)
    if key not in cache:
        same = (o for o in world.on(c.platform) if o.niche is c.niche)
        cache[key] = sorted(same, key=lambda o: (-o.followers, o.index))[: n + 1]
    return [o for o in cache[key] if o is not c][:n]


# ------------------------------------------------------------------------- overlap
def overlap(world: World, creators: list[Creator]) -> tuple[int, list[float]]:
    """``(total_unique_followers, unique share per creator)`` for creators of one platform.

    Model: each creator's followers fall into (niche, country) segments by their audience
    weights and are a random subset of that segment's pool; pools are independent. So a
    follower of creator i in segment s also follows j with chance p_js = f_js / N_s, the
    union is ``sum_s N_s (1 - prod_i (1 - p_is))`` and i's unique share is
    ``sum_s f_is prod_{j != i}(1 - p_js) / f_i``. Symmetric, order-free, deterministic, and
    ``max(f_i) <= union <= sum(f_i)`` holds by construction.
    """
    platform = creators[0].platform
    niche_total = sum(n.weight for n in D.NICHES)
    country_total = sum(x.weight for x in D.COUNTRIES)
    seg: dict[tuple[str, str], list[float]] = {}
    for i, c in enumerate(creators):
        aud = audience(world, c)
        for niche, nw in aud.niches:
            for country, cw in aud.countries:
                seg.setdefault((niche, country.code), [0.0] * len(creators))[i] += (
                    c.followers * nw * cw
                )
    union = 0.0
    unique = [0.0] * len(creators)
    for (niche, code), counts in sorted(seg.items()):
        share = (D.NICHE_BY_NAME[niche].weight / niche_total) if niche != "general" else 1.0
        pool = _POOL.get(platform, 1e8) * share * D.COUNTRY_BY_CODE[code].weight / country_total
        pool = max(pool, max(counts) / 0.9)
        probs = [f / pool for f in counts]
        miss_all = math.prod(1 - p for p in probs)
        union += pool * (1 - miss_all)
        for i, f in enumerate(counts):
            if f:
                others = math.prod(1 - p for j, p in enumerate(probs) if j != i)
                unique[i] += f * others
    totals = [
        sum(seg_counts[i] for seg_counts in seg.values()) or 1.0 for i in range(len(creators))
    ]
    shares = [min(1.0, max(0.0, u / t)) for u, t in zip(unique, totals, strict=True)]
    followers = [c.followers for c in creators]
    total_unique = round(union / sum(totals) * sum(followers))
    total_unique = min(sum(followers), max(max(followers), total_unique))
    return total_unique, shares
