"""Audience tables of an enrichment: one long table per audience breakdown.

Source: ``result.<platform>.audience``, which holds
``audience_followers`` / ``audience_likers`` / ``audience_commenters``, each
``{success, data?, is_hidden?, error?}``. Every table is keyed by the creator
(platform, user_id, username) and the audience ``source`` (followers/likers/commenters).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl

from ._common import items, obj
from ._registry import declare

__all__ = ["AUDIENCE_TABLES", "age_band", "audience_rows"]

KEY = [
    ("platform", pl.Categorical),
    ("user_id", pl.String),
    ("username", pl.String),
    ("source", pl.Categorical),
]
_CODE_WEIGHT = [("code", pl.String), ("weight", pl.Float64)]
_ACCOUNT = [
    ("account_id", pl.String),
    ("account_username", pl.String),
    ("full_name", pl.String),
    ("followers", pl.Int64),
    ("engagements", pl.Int64),
    ("is_verified", pl.Boolean),
    ("url", pl.String),
    ("picture", pl.String),
    ("country", pl.String),
]
_SOURCES = {
    "audience_followers": "followers",
    "audience_likers": "likers",
    "audience_commenters": "commenters",
}


def _t(name: str, row: str, cols: list[tuple[str, Any]]) -> Any:
    return declare(f"enrichment.{name}", row, [*KEY, *cols])


CREDIBILITY = _t(
    "audience_credibility",
    "one audience source of a creator: availability and credibility summary",
    [
        ("success", pl.Boolean),
        ("is_hidden", pl.Boolean),
        ("error", pl.String),
        ("audience_credibility", pl.Float64),
        ("credibility_class", pl.Categorical),
        ("notable_users_ratio", pl.Float64),
    ],
)
_SIMPLE = {
    # table name: (key in data, row description, columns)
    "audience_ages": (
        "audience_ages",
        "one age band's share (weight 0-1); the open-ended top band reads 65+ (the API: 65-)",
        _CODE_WEIGHT,
    ),
    "audience_genders": ("audience_genders", "one gender's share (MALE/FEMALE)", _CODE_WEIGHT),
    "audience_genders_per_age": (
        "audience_genders_per_age",
        "one age band split by gender; the open-ended top band reads 65+ (the API: 65-)",
        [("code", pl.String), ("male", pl.Float64), ("female", pl.Float64)],
    ),
    "audience_languages": (
        "audience_languages",
        "one language's share",
        [("code", pl.String), ("name", pl.String), ("weight", pl.Float64)],
    ),
    "audience_ethnicities": (
        "audience_ethnicities",
        "one ethnicity's share",
        [("code", pl.String), ("name", pl.String), ("weight", pl.Float64)],
    ),
    "audience_types": (
        "audience_types",
        "real/influencers/mass_followers/suspicious share",
        _CODE_WEIGHT,
    ),
    "audience_reachability": (
        "audience_reachability",
        "share of the audience by how many accounts they follow",
        _CODE_WEIGHT,
    ),
    "audience_accounts_created_at": (
        "audience_accounts_created_at",
        "share of audience accounts by creation quarter (likers)",
        _CODE_WEIGHT,
    ),
    "audience_interests": (
        "audience_interests",
        "one interest's share and affinity",
        [
            ("interest_id", pl.Int64),
            ("name", pl.String),
            ("weight", pl.Float64),
            ("affinity", pl.Float64),
        ],
    ),
}
SIMPLE = {name: _t(name, doc, cols) for name, (_, doc, cols) in _SIMPLE.items()}
BRAND_AFFINITY = _t(
    "audience_brand_affinity",
    "one brand the audience favours, with its interest categories",
    [
        ("brand_id", pl.Int64),
        ("name", pl.String),
        ("weight", pl.Float64),
        ("affinity", pl.Float64),
        ("interests", pl.List(pl.String)),
    ],
)
COUNTRIES = _t(
    "audience_countries",
    "one country's share of the audience",
    [("country_id", pl.Int64), ("name", pl.String), ("code", pl.String), ("weight", pl.Float64)],
)
STATES = _t(
    "audience_states",
    "one state/region's share of the audience",
    [
        ("state_id", pl.Int64),
        ("name", pl.String),
        ("weight", pl.Float64),
        ("country_name", pl.String),
        ("country_code", pl.String),
    ],
)
CITIES = _t(
    "audience_cities",
    "one city's share of the audience",
    [
        ("city_id", pl.Int64),
        ("name", pl.String),
        ("weight", pl.Float64),
        ("lat", pl.Float64),
        ("lon", pl.Float64),
        ("country_name", pl.String),
        ("country_code", pl.String),
        ("state_name", pl.String),
    ],
)
NOTABLE = _t("notable_users", "one notable account in the audience", _ACCOUNT)
LOOKALIKES = _t(
    "audience_lookalikes",
    "one account whose audience resembles this one",
    [*_ACCOUNT, ("score", pl.Float64)],
)
HISTOGRAM = _t(
    "audience_credibility_histogram",
    "one bucket of the credibility histogram (source: followers or likers)",
    [
        ("bucket", pl.Int64),
        ("min", pl.Float64),
        ("max", pl.Float64),
        ("total", pl.Int64),
        ("median", pl.Boolean),
    ],
)

AUDIENCE_TABLES = {
    "audience_credibility": CREDIBILITY,
    "audience_ages": SIMPLE["audience_ages"],
    "audience_genders": SIMPLE["audience_genders"],
    "audience_genders_per_age": SIMPLE["audience_genders_per_age"],
    "audience_countries": COUNTRIES,
    "audience_states": STATES,
    "audience_cities": CITIES,
    "audience_languages": SIMPLE["audience_languages"],
    "audience_interests": SIMPLE["audience_interests"],
    "audience_brand_affinity": BRAND_AFFINITY,
    "audience_ethnicities": SIMPLE["audience_ethnicities"],
    "audience_types": SIMPLE["audience_types"],
    "audience_reachability": SIMPLE["audience_reachability"],
    "audience_accounts_created_at": SIMPLE["audience_accounts_created_at"],
    "notable_users": NOTABLE,
    "audience_lookalikes": LOOKALIKES,
    "audience_credibility_histogram": HISTOGRAM,
}
"""Enrichment audience tables in their stable order (Tables name → spec)."""


def _renamed(item: Any, key: dict[str, Any], renames: dict[str, str]) -> Any:
    if type(item) is not dict:
        return item
    if not renames:
        return {**key, **item}  # one C-level merge: the item's own fields win over the key
    row = dict(key)
    for k, v in item.items():
        row[renames.get(k) or k] = v
    return row


def _place(row: dict[str, Any], prefix: str, value: Any) -> None:
    """A nested place object ({id, name, code}) or a bare name → prefix_name/prefix_code."""
    if type(value) is dict:
        row[f"{prefix}_name"] = value.get("name")
        if f"{prefix}_code" in _PLACE_CODES:
            row[f"{prefix}_code"] = value.get("code")
    elif value is not None:
        row[f"{prefix}_name"] = value


_PLACE_CODES = {"country_code"}


_GEO_KEYS = frozenset({"id", "country", "state", "coords"})


def _geo_row(item: Any, key: dict[str, Any], id_name: str) -> Any:
    if type(item) is not dict:
        return item
    if _GEO_KEYS.isdisjoint(item):
        return {**key, **item}
    row = dict(key)
    for k, v in item.items():
        if k == "id":
            row[id_name] = v
        elif k in ("country", "state"):
            _place(row, k, v)
        elif k == "coords" and type(v) is dict:
            row["lat"], row["lon"] = v.get("lat"), v.get("lon")
        else:
            row[k] = v
    return row


def _account_row(item: Any, key: dict[str, Any]) -> Any:
    if type(item) is not dict:
        return item
    row = dict(key)
    for k, v in item.items():
        if k == "user_id":
            row["account_id"] = v
        elif k == "username":
            row["account_username"] = v
        elif k == "fullname":
            row["full_name"] = v
        elif k == "geo" and type(v) is dict:
            country = v.get("country")
            row["country"] = country.get("name") if type(country) is dict else country
        else:
            row[k] = v
    return row


_AGE_TABLES = frozenset({"audience_ages", "audience_genders_per_age"})


def age_band(code: object) -> object:
    """An age band as readers write it: the API's open-ended top band ``"65-"`` is ``"65+"``
    (tables and charts say the same); other values are kept as sent."""
    if isinstance(code, str) and code.endswith("-"):
        return code[:-1] + "+"
    return code


def _age_row(row: Any) -> Any:
    if type(row) is dict and "code" in row:
        return {**row, "code": age_band(row["code"])}
    return row


def _brand_row(item: Any, key: dict[str, Any]) -> Any:
    row = _renamed(item, key, {"id": "brand_id", "interest": "interests"})
    if type(row) is dict and type(row.get("interests")) is list:
        row["interests"] = [i.get("name") if type(i) is dict else i for i in row["interests"]]
    return row


def audience_rows(
    audience: Any, key: dict[str, Any], add: Callable[[str, list[Any]], None]
) -> None:
    """Append every audience table's rows for one creator through ``add(table, rows)``."""
    audience = obj(audience)
    for field, source in _SOURCES.items():
        part = audience.get(field)
        if part is None:
            continue
        skey = {**key, "source": source}
        part = obj(part)
        data = obj(part.get("data"))
        summary = {**skey, **{k: v for k, v in part.items() if k != "data"}}
        for k in ("audience_credibility", "credibility_class", "notable_users_ratio"):
            summary[k] = data.get(k)
        add("audience_credibility", [summary])
        if not data:
            continue
        for name, (src, _, _) in _SIMPLE.items():
            rows = items(data.get(src))
            if rows:
                renames = {"id": "interest_id"} if name == "audience_interests" else {}
                done = [_renamed(i, skey, renames) for i in rows]
                if name in _AGE_TABLES:
                    done = [_age_row(r) for r in done]
                add(name, done)
        add(
            "audience_brand_affinity",
            [_brand_row(i, skey) for i in items(data.get("audience_brand_affinity"))],
        )
        geo = obj(data.get("audience_geo"))
        add(
            "audience_countries",
            [_geo_row(i, skey, "country_id") for i in items(geo.get("countries"))],
        )
        add("audience_states", [_geo_row(i, skey, "state_id") for i in items(geo.get("states"))])
        add("audience_cities", [_geo_row(i, skey, "city_id") for i in items(geo.get("cities"))])
        add("notable_users", [_account_row(i, skey) for i in items(data.get("notable_users"))])
        add(
            "audience_lookalikes",
            [_account_row(i, skey) for i in items(data.get("audience_lookalikes"))],
        )
    for field, source in (
        ("audience_credibility_followers_histogram", "followers"),
        ("audience_credibility_likers_histogram", "likers"),
    ):
        buckets = items(audience.get(field))
        skey = {**key, "source": source}
        add(
            "audience_credibility_histogram",
            [{**skey, "bucket": i, **b} if type(b) is dict else b for i, b in enumerate(buckets)],
        )
