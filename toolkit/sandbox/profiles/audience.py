"""The ``audience`` block of instagram, tiktok and youtube enrichments:
``{audience_followers, audience_likers, audience_commenters}``, each ``{success, data}``,
with notable users and lookalikes as account objects, as the captures show them."""

from __future__ import annotations

import math
import random
from datetime import datetime
from typing import Any

from ..world import Creator, World
from ..world import dictionaries as D
from ..world.audiences import (
    ETHNICITY_NAMES,
    Audience,
    audience,
    credibility_class,
    likers,
    most_followed,
    most_similar,
)
from ..world.geo import state_id

__all__ = ["account_object", "audience_block"]


def account_object(
    world: World, c: Creator, now: datetime, score: float | None = None
) -> dict[str, Any]:
    """An account object of notable users / lookalikes."""
    eng = int(c.followers * c.engagement_percent / 100)
    country = c.person.country
    out: dict[str, Any] = {
        "user_id": c.id,
        "username": c.username,
        "picture": world.picture_url(c, now),
        "followers": c.followers,
        "fullname": c.full_name,
        "url": c.url,
        "geo": {
            "country": {
                "id": country.id,
                "name": country.name,
                "code": country.code,
                "coords": {"lat": country.lat, "lon": country.lon},
            }
        },
        "is_verified": c.is_verified,
        "engagements": eng,
        "stats": [
            {"post_type": "all", "engagements": eng},
            {
                "post_type": "reels" if c.platform == "instagram" else "videos",
                "engagements": int(eng * 0.8),
            },
        ],
    }
    if score is not None:
        out["score"] = round(score, 6)
    return out


def _geo(a: Audience) -> dict[str, Any]:
    countries = [{"id": x.id, "name": x.name, "code": x.code, "weight": w} for x, w in a.countries]
    states = [
        {
            "id": sid,
            "name": name,
            "weight": w,
            "country": {
                "id": D.COUNTRY_BY_CODE[cc].id,
                "name": D.COUNTRY_BY_CODE[cc].name,
                "code": cc,
            },
        }
        for sid, name, cc, w in a.states
    ]
    subdivisions = []
    for x, _w in a.countries:
        items = [
            {"id": sid, "name": name, "weight": w} for sid, name, cc, w in a.states if cc == x.code
        ]
        if items:
            subdivisions.append({"id": x.id, "name": x.name, "code": x.code, "items": items})
    cities = []
    for city, w in a.cities:
        country = D.COUNTRY_BY_CODE[city.country]
        item: dict[str, Any] = {
            "id": city.id,
            "name": city.name,
            "coords": {"lat": city.lat, "lon": city.lon},
            "weight": w,
        }
        if city.state:
            item["state"] = {"id": state_id(city.country, city.state), "name": city.state}
        item["country"] = {"id": country.id, "name": country.name, "code": country.code}
        cities.append(item)
    return {
        "countries": countries,
        "states": states,
        "subdivisions": subdivisions,
        "cities": cities,
    }


def _audience_data(
    world: World, c: Creator, a: Audience, now: datetime, *, likers: bool
) -> dict[str, Any]:
    genders = [
        {"code": "MALE", "weight": a.male},
        {"code": "FEMALE", "weight": round(1 - a.male, 6)},
    ]
    ages = [{"code": code, "weight": w} for code, w in a.ages]
    per_age = [
        {"code": code, "male": round(w * a.male, 6), "female": round(w * (1 - a.male), 6)}
        for code, w in a.ages
    ]
    languages = [
        {"code": code, "name": D.LANGUAGE_NAMES.get(code, code), "weight": w}
        for code, w in a.languages
    ]
    lookalikes = [account_object(world, o, now, s) for s, o in most_similar(world, c)]
    notable = [account_object(world, o, now) for o in most_followed(world, c)]
    if c.platform != "instagram":
        return {
            "notable_users_ratio": a.notable_users_ratio,
            "audience_reachability": [{"code": k, "weight": w} for k, w in a.reachability],
            "audience_genders": genders,
            "audience_ages": ages,
            "audience_genders_per_age": per_age,
            "audience_languages": languages,
            "audience_geo": _geo(a),
            "audience_lookalikes": lookalikes,
            "notable_users": notable,
        }
    data: dict[str, Any] = {
        "notable_users_ratio": a.notable_users_ratio,
        "audience_credibility": a.credibility,
        "audience_types": [{"code": k, "weight": w} for k, w in a.types],
        "credibility_class": credibility_class(a.credibility),
        "audience_reachability": [{"code": k, "weight": w} for k, w in a.reachability],
    }
    if likers:
        data["audience_accounts_created_at"] = [
            {"code": "2024-Q4", "weight": 0.121189},
            {"code": "2025-Q1", "weight": 0.098},
        ]
    data.update(
        {
            "audience_genders": genders,
            "audience_ages": ages,
            "audience_genders_per_age": per_age,
            "audience_ethnicities": [
                {"code": k, "name": ETHNICITY_NAMES[k], "weight": w} for k, w in a.ethnicities
            ],
            "audience_languages": languages,
            "audience_brand_affinity": [
                {
                    "id": b.id,
                    "name": b.full_name,
                    "interest": [{"id": D.INTEREST_ID[x], "name": x} for x in b.categories],
                    "weight": w,
                    "affinity": aff,
                }
                for b, w, aff in a.brands
            ],
            "audience_interests": [
                {"id": D.INTEREST_ID[n], "name": n, "weight": w, "affinity": af}
                for n, w, af in a.interests
            ],
            "audience_geo": _geo(a),
        }
    )
    if not likers:
        data["audience_lookalikes"] = lookalikes
    data["notable_users"] = notable
    return data


def _histogram(seed: int, cred: float) -> list[dict[str, Any]]:
    """20 credibility bins ``{min?, max?, total, median?}`` (the IG capture's shape)."""
    r = random.Random(seed)
    edges = sorted(round(min(0.99, max(0.3, r.gauss(cred, 0.12))), 6) for _ in range(19))
    out: list[dict[str, Any]] = []
    for i in range(20):
        item: dict[str, Any] = {}
        if i > 0:
            item["min"] = edges[i - 1]
        if i < 19:
            item["max"] = edges[i]
        item["total"] = int(9000 * math.exp(-i / 9) + r.randint(0, 500))
        if i == 9:
            item["median"] = True
        out.append(item)
    return out


def audience_block(world: World, c: Creator, now: datetime) -> dict[str, Any]:
    """``<platform>.audience``: followers, likers, commenters and histograms."""
    empty = {"success": False, "error": "empty_audience"}
    if c.followers < 5000:
        return {
            "audience_followers": empty,
            "audience_commenters": empty,
            "audience_likers": empty,
            "audience_credibility_followers_histogram": None,
            "audience_credibility_likers_histogram": None,
        }
    a = audience(world, c)
    ig = c.platform == "instagram"
    followers = {"success": True, "data": _audience_data(world, c, a, now, likers=False)}
    # likers (and the commenters, drawn like them) are the engaged part: not the followers
    engaged = likers(world, c) if ig else a
    liking = (
        {"success": True, "data": _audience_data(world, c, engaged, now, likers=True)}
        if ig
        else dict(empty)
    )
    commenters = dict(empty)
    if ig and c.followers >= 500000 and c.seed % 3 == 0:
        commenters = {"success": True, "data": _audience_data(world, c, engaged, now, likers=True)}
    return {
        "audience_followers": followers,
        "audience_commenters": commenters,
        "audience_likers": liking,
        "audience_credibility_followers_histogram": _histogram(c.seed, a.credibility)
        if ig
        else None,
        "audience_credibility_likers_histogram": _histogram(c.seed + 1, engaged.credibility)
        if ig
        else None,
    }
