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
#: fans per (niche, country) segment per unit of niche and country share: small enough
#: that two mid-size creators of one niche and country share about 1-30 % of their
#: followers (median about 6 %), while strangers share hundredths of a percent
_POOL = {"instagram": 6e7, "tiktok": 5e7, "youtube": 7e7}


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
    languages = _languages(countries, c.language)
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
    ethnicities = _ethnicities(countries)
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


def _languages(countries: list[tuple[D.Country, float]], own: str) -> list[tuple[str, float]]:
    """Audience languages from its countries' languages, plus the creator's own."""
    lang: dict[str, float] = {}
    for country, w in countries:
        for i, code in enumerate(country.languages):
            lang[code] = lang.get(code, 0.0) + w * (0.75 if i == 0 else 0.25 / i)
    lang[own] = lang.get(own, 0.0) + 0.1
    return sorted(_norm(list(lang.items())), key=lambda kv: -kv[1])


def _ethnicities(countries: list[tuple[D.Country, float]]) -> list[tuple[str, float]]:
    eth: dict[str, float] = {}
    for country, w in countries:
        code = _ETHNICITY.get(country.code, "white")
        eth[code] = eth.get(code, 0.0) + w
    for code in ETHNICITY_NAMES:
        eth[code] = eth.get(code, 0.0) + 0.03
    return sorted(_norm(list(eth.items())), key=lambda kv: -kv[1])


def likers(world: World, c: Creator) -> Audience:
    """The creator's likers: the engaged part of its followers (cached per creator).

    Drawn from the follower audience: younger, more local, keener on the creator's niche,
    with fewer suspicious and mass-follower accounts (so a higher credibility).
    """
    cache = world.memory.setdefault("likers", {})
    if c.index not in cache:
        cache[c.index] = _make_likers(world, c)
    return cache[c.index]


_LIKER_AGE_TILT = (1.35, 1.2, 1.0, 0.8, 0.65, 0.5)


def _make_likers(world: World, c: Creator) -> Audience:
    a = audience(world, c)
    r = random.Random(h64(world.seed, "likers", c.seed))
    ages = _norm(
        [
            (code, w * tilt * math.exp(r.gauss(0, 0.08)))
            for (code, w), tilt in zip(a.ages, _LIKER_AGE_TILT, strict=True)
        ]
    )
    male = min(0.95, max(0.05, a.male + (a.male - 0.5) * 0.3 + r.gauss(0, 0.03)))
    home = c.person.country
    scale = {
        x.code: (r.uniform(1.2, 1.45) if x is home else math.exp(r.gauss(-0.1, 0.15)))
        for x, _w in a.countries
    }
    countries = sorted(
        _norm([(x, w * scale[x.code]) for x, w in a.countries], sum(w for _x, w in a.countries)),
        key=lambda cw: -cw[1],
    )
    states = sorted(
        ((i, n, cc, round(w * scale.get(cc, 1.0), 6)) for i, n, cc, w in a.states),
        key=lambda s: -s[3],
    )
    cities = sorted(
        ((city, round(w * scale.get(city.country, 1.0), 6)) for city, w in a.cities),
        key=lambda cw: -cw[1],
    )
    niche_interests = set(c.niche.interests)
    interests = []
    for name, w, aff in a.interests:
        k = r.uniform(1.15, 1.4) if name in niche_interests else r.uniform(0.8, 1.0)
        interests.append((name, round(w * k, 6), round(aff * k, 6)))
    interests.sort(key=lambda t: -t[1])
    brands = []
    for brand, w, aff in a.brands:
        k = r.uniform(0.8, 1.25)
        brands.append((brand, round(w * k, 6), round(aff * k, 6)))
    brands.sort(key=lambda t: -t[1])
    cred = min(0.99, a.credibility + r.uniform(0.05, 0.1))
    kinds = dict(a.types)
    suspicious = round(kinds["suspicious"] * 0.5, 4)
    mass = round(kinds["mass_followers"] * 0.6, 4)
    influencers = kinds["influencers"]
    types = [
        ("mass_followers", mass),
        ("suspicious", suspicious),
        ("influencers", influencers),
        ("real", round(1 - mass - suspicious - influencers, 4)),
    ]
    reach = _norm([(code, w * (1.15 if code == "-500" else 0.85)) for code, w in a.reachability])
    niche_share = min(0.8, a.niches[0][1] + 0.12)
    niches = [(a.niches[0][0], niche_share), *a.niches[1:-1]]
    niches.append(("general", 1 - sum(w for _n, w in niches)))
    return Audience(
        round(cred, 4),
        credibility_class(cred),
        round(male, 6),
        ages,
        countries,
        states,
        cities,
        _languages(countries, c.language),
        interests,
        brands,
        _ethnicities(countries),
        types,
        reach,
        round(a.notable_users_ratio * r.uniform(0.8, 1.2), 6),
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
def reach_depth(world: World, c: Creator) -> float:
    """How far into its segments' fan pools ``c``'s followers reach, 0.04-1 (log-uniform).

    A pool's members are ranked by how many creators they follow; a creator of depth
    ``x`` draws its followers from the top ``x`` of each pool. Two shallow creators share
    their pools' keenest fans; a deep one spreads thin (see :func:`overlap`).
    """
    return 10 ** (-1.4 * (h64(world.seed, "depth", c.seed) >> 11) / float(1 << 53))


def _segment_counts(world: World, creators: list[Creator]) -> dict[tuple[str, str], list[float]]:
    """Followers of each creator per (niche, country) segment; a creator's sum to its
    follower count."""
    seg: dict[tuple[str, str], list[float]] = {}
    for i, c in enumerate(creators):
        aud = audience(world, c)
        total = sum(nw for _n, nw in aud.niches) * sum(cw for _c, cw in aud.countries) or 1.0
        for niche, nw in aud.niches:
            for country, cw in aud.countries:
                counts = seg.setdefault((niche, country.code), [0.0] * len(creators))
                counts[i] += c.followers * nw * cw / total
    return seg


def _pool(platform: str, niche: str, code: str) -> float:
    """Fans in one (niche, country) segment of ``platform`` ("general": everyone there)."""
    niche_total = sum(n.weight for n in D.NICHES)
    country_total = sum(x.weight for x in D.COUNTRIES)
    share = D.NICHE_BY_NAME[niche].weight / niche_total if niche != "general" else 1.0
    return _POOL.get(platform, 1e8) * share * D.COUNTRY_BY_CODE[code].weight / country_total


def overlap(world: World, creators: list[Creator]) -> tuple[int, list[float]]:
    """``(total_unique_followers, unique share per creator)`` for creators of one platform.

    Model: each creator's followers fall into (niche, country) segments by their audience
    weights. A segment's pool of ``N`` fans is ranked by activity; creator i, of depth
    ``x_i`` (:func:`reach_depth`, raised where its ``f_i`` fans would not fit), follows each
    fan in the top ``x_i * N`` with chance ``d_i = f_i / (x_i N)``. The pool falls into
    bands between consecutive depths; a fan of a band is followed independently by every
    creator deep enough to reach it. So the union is ``sum_bands N w (1 - prod (1 - d_j))``
    and i's unique followers ``sum_bands N w d_i prod_{j != i} (1 - d_j)``; two creators
    share ``f_i f_j / (N max(x_i, x_j))`` of a segment. Creators of one niche and country
    share far more than strangers, and pairs of one niche spread over a wide range.
    Symmetric, order-free, deterministic, and ``max(f_i) <= union <= sum(f_i)``.
    """
    platform = creators[0].platform
    depth = [reach_depth(world, c) for c in creators]
    union = 0.0
    unique = [0.0] * len(creators)
    for (niche, code), counts in sorted(_segment_counts(world, creators).items()):
        pool = max(_pool(platform, niche, code), max(counts) / 0.9)
        present = [i for i, f in enumerate(counts) if f > 0]
        reach = {i: max(depth[i], counts[i] / (0.9 * pool)) for i in present}
        dens = {i: counts[i] / (reach[i] * pool) for i in present}
        low = 0.0
        for edge in sorted(set(reach.values())):
            members = [i for i in present if reach[i] >= edge]
            fans = pool * (edge - low)  # the band's fans, each reachable by ``members``
            miss = [1 - dens[i] for i in members]
            union += fans * (1 - math.prod(miss))
            for k, i in enumerate(members):
                unique[i] += fans * dens[i] * math.prod(miss[:k] + miss[k + 1 :])
            low = edge
    followers = [c.followers for c in creators]
    shares = [
        min(1.0, max(0.0, u / f)) if f else 1.0 for u, f in zip(unique, followers, strict=True)
    ]
    total_unique = min(sum(followers), max(max(followers), round(union)))
    return total_unique, shares
