"""Enrichment (full, profile, analytics, raw) as several tidy tables keyed by creator.

Every table starts with the creator key ``platform, user_id, username`` — the account of
the requested platform. ``Collector`` gathers rows for many creators
so a batch file becomes the same tables, built in chunks (no per-creator frames).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

import polars as pl

from ._audience import AUDIENCE_TABLES, audience_rows
from ._coerce import Part
from ._common import ALL_PLATFORMS, items, obj, param
from ._content import POST_COLUMNS, post_rows
from ._gcpause import gc_paused
from ._platforms import BLOCKS, CREATOR, KEY, OTHER
from ._registry import TableSpec, declare
from ._tables import Tables

__all__ = ["MODES", "Collector", "enrichment"]

_L = pl.List(pl.String)
_I, _F, _B, _S = pl.Int64, pl.Float64, pl.Boolean, pl.String


def _t(name: str, row: str, cols: list[tuple[Any, ...]]) -> TableSpec:
    return declare(f"enrichment.{name}", row, [*KEY, *cols])


POSTS = _t(
    "posts",
    "one post from a platform block's post_data (or sponsored_posts), UTC timestamps",
    [("post_platform", pl.Categorical), ("sponsored", _B), *POST_COLUMNS],
)
LINKS = _t(
    "links",
    "one link: bio links, other links, per-platform profile links, Twitch panels/socials",
    [("source", pl.Categorical), ("kind", pl.Categorical), ("link_platform", _S), ("url", _S)],
)
NICHES = _t(
    "niches",
    "one niche/sub-niche/brand-collaboration label, with its percentage when given",
    [
        ("source", pl.Categorical),
        ("kind", pl.Categorical),
        ("name", _S),
        ("percentage", _F, "share, fraction 0-1 (not percent, despite the name)"),
    ],
)
HASHTAGS = _t(
    "hashtags",
    "one hashtag and how often the creator used it (hashtags_count)",
    [("source", pl.Categorical), ("hashtag", _S), ("count", _I)],
)
SPONSORS = _t(
    "sponsors",
    "one past sponsor (past_sponsors) with the posts that mention it",
    [("source", pl.Categorical), ("handle", _S), ("post_count", _I), ("post_ids", _L)],
)
LOOKALIKES = _t(
    "lookalikes",
    "one lookalike creator (include_lookalikes)",
    [
        ("account_username", _S),
        ("account_id", _S),
        ("profile_url", _S),
        ("follower_count", _I),
        ("engagement_percent", _F),
    ],
)

_CORE = {
    "creator": CREATOR,
    **BLOCKS,
    "other_platforms": OTHER,
}
_ALL = {
    **_CORE,
    "posts": POSTS,
    "links": LINKS,
    "niches": NICHES,
    "hashtags": HASHTAGS,
    "sponsors": SPONSORS,
    "lookalikes": LOOKALIKES,
    **AUDIENCE_TABLES,
}
MODES: dict[str, tuple[str, ...]] = {
    "full": tuple(_ALL),
    "analytics": tuple(_ALL),
    "profile": (*_CORE, "links", "niches"),
    "raw": (*_CORE, "posts", "links"),
}
"""Tables returned per enrichment mode, in stable order."""
SPECS: dict[str, TableSpec] = _ALL

_CAMEL_1 = re.compile(r"([a-z0-9])([A-Z])")
_CAMEL_2 = re.compile(r"([A-Z]+)([A-Z][a-z])")


def snake(name: str) -> str:
    """camelCase → snake_case (Twitch ``profileImageURL`` → ``profile_image_url``)."""
    if name.islower() or not any(c.isupper() for c in name):
        return name
    return _CAMEL_1.sub(r"\1_\2", _CAMEL_2.sub(r"\1_\2", name)).lower()


_FOLLOWERS = ("follower_count", "subscriber_count", "total_followers", "followers", "connections")
_ID_KEYS = ("userid", "user_id", "id")
# Block keys that become rows of their own tables instead of columns.
_TO_TABLES = {
    "post_data",
    "sponsored_posts",
    "audience",
    "hashtags_count",
    "past_sponsors",
    "links_in_bio",
    "other_links",
    "panels_urls",
    "social_media",
    "niche_class",
    "niche_sub_class",
}


def _primary(result: dict[str, Any], platform: Any) -> str | None:
    """The requested platform: from params, else the richest platform block present."""
    if isinstance(platform, str) and platform:
        return platform
    blocks = [(len(v), k) for k, v in result.items() if k in ALL_PLATFORMS and type(v) is dict]
    return max(blocks)[1] if blocks else None


def _identity(block: dict[str, Any]) -> tuple[Any, Any]:
    uid = next((block[k] for k in _ID_KEYS if block.get(k) is not None), None)
    name = block.get("username")
    if name is None:
        name = block.get("custom_url")
    return uid, name


class Collector:
    """Rows of every enrichment table for one or many creators, built in chunks.

    ``flush()`` turns the rows collected so far into typed frames and drops them, so a
    batch of any size holds one chunk of Python rows at a time; ``tables()`` joins the
    chunks (the same tables as one build over all rows).
    """

    def __init__(self) -> None:
        self.rows: dict[str, list[Any]] = defaultdict(list)
        self.parts: dict[str, Part] = {}

    def add(self, table: str, rows: list[Any]) -> None:
        if rows:
            self.rows[table].extend(rows)

    def creator(self, result: Any, *, platform: Any, handle: Any, mode: str) -> dict[str, Any]:
        """Collect one ``result`` object; returns the creator key used for its rows."""
        result = obj(result)
        primary = _primary(result, platform)
        pblock = obj(result.get(primary)) if primary else {}
        uid, uname = _identity(pblock)
        key = {"platform": primary, "user_id": uid, "username": uname if uname else handle}
        row = {**key, "input_value": handle, "mode": mode}
        blocks = []
        for k, v in result.items():
            if k in ALL_PLATFORMS and type(v) is dict:
                blocks.append(k)
                self._block(k, v, key, k == primary)
            elif k.endswith("_link") and (type(v) is str or v is None):
                self.add(
                    "links",
                    [
                        {
                            **key,
                            "source": "result",
                            "kind": "platform_link",
                            "link_platform": k[: -len("_link")],
                            "url": v,
                        }
                    ],
                )
            elif k in ("links_in_bio", "other_links"):
                self._links("result", k, v, key)
            elif k in ("ai_niches", "ai_subniches", "ai_brand_collaborations"):
                self._niches("result", k, v, key)
            elif k == "lookalikes":
                self.add("lookalikes", [_lookalike(i, key) for i in items(v)])
            elif k == "creator_has":
                has = obj(v)
                row[k] = [p for p, on in has.items() if on is True] if type(v) is dict else v
            else:
                row[k] = v
        for src in (
            "full_name",
            "biography",
            "profile_picture",
            "is_verified",
            "exists",
            "engagement_percent",
        ):
            if row.get(src) is None:
                row[src] = pblock.get(src)
        if row.get("full_name") is None:
            row["full_name"] = pblock.get("title") or pblock.get("displayName")
        if row.get("profile_picture") is None:
            row["profile_picture"] = pblock.get("profileImageURL")
        row["followers"] = next((pblock[f] for f in _FOLLOWERS if pblock.get(f) is not None), None)
        row["platforms"] = blocks
        self.add("creator", [row])
        return key

    def _block(self, name: str, block: dict[str, Any], key: dict[str, Any], primary: bool) -> None:
        id_key = next((k for k in _ID_KEYS if block.get(k) is not None), None)
        row: dict[str, Any] = {**key, "is_primary": primary}
        row["account_id"] = block.get(id_key) if id_key else None
        row["account_username"] = block.get("username") or block.get("custom_url")
        if name not in BLOCKS:
            row["block_platform"] = name
        source = name
        for k, v in block.items():
            if k == id_key or k == "username":
                continue
            if k in _TO_TABLES:
                self._to_tables(source, k, v, key)
            elif k == "income" and type(v) is dict:
                for part in ("min", "max", "currency"):
                    row[f"income_{part}"] = v.get(part)
            elif k == "creator_follower_growth" and type(v) is dict:
                for gk, gv in v.items():
                    row[f"growth_{gk}"] = gv
            elif k == "reels" and type(v) is dict:
                for rk, rv in v.items():
                    row[f"reels_{rk}"] = rv
            elif k == "tweets_type" and type(v) is dict:
                for tk, tv in v.items():
                    row[f"tweets_type_{tk}"] = tv
            elif k == "tagged" and type(v) is list:
                row[k] = [t.get("username") if type(t) is dict else t for t in v]
            else:
                row[snake(k)] = v
        self.add(name if name in BLOCKS else "other_platforms", [row])

    def _to_tables(self, source: str, k: str, v: Any, key: dict[str, Any]) -> None:
        if k == "post_data" or k == "sponsored_posts":
            sponsored = k == "sponsored_posts"
            self.add(
                "posts",
                [
                    {**key, "post_platform": source, "sponsored": sponsored, **p}
                    if type(p) is dict
                    else p
                    for p in post_rows(v)
                ],
            )
        elif k == "audience":
            audience_rows(v, key, self.add)
        elif k == "hashtags_count":
            self.add(
                "hashtags",
                [
                    {**key, "source": source, "hashtag": h.get("name"), "count": h.get("count")}
                    if type(h) is dict
                    else h
                    for h in items(v)
                ],
            )
        elif k == "past_sponsors":
            self.add(
                "sponsors",
                [{**key, "source": source, **s} if type(s) is dict else s for s in items(v)],
            )
        elif k in ("links_in_bio", "other_links", "panels_urls"):
            self._links(source, k, v, key)
        elif k == "social_media":
            self.add(
                "links",
                [
                    {**key, "source": source, "kind": "social_media", "link_platform": p, "url": u}
                    for p, u in obj(v).items()
                ],
            )
        else:  # niche_class, niche_sub_class
            self._niches(source, k, v, key)

    def _links(self, source: str, kind: str, v: Any, key: dict[str, Any]) -> None:
        self.add("links", [{**key, "source": source, "kind": kind, "url": u} for u in items(v)])

    def _niches(self, source: str, kind: str, v: Any, key: dict[str, Any]) -> None:
        rows = []
        for n in items(v):
            if type(n) is dict:
                label = n.get("niche") or n.get("subniche") or n.get("brand") or n.get("name")
                rest = {
                    k: x for k, x in n.items() if k not in ("niche", "subniche", "brand", "name")
                }
                rows.append({**key, "source": source, "kind": kind, "name": label, **rest})
            else:
                rows.append({**key, "source": source, "kind": kind, "name": n})
        self.add("niches", rows)

    def flush(self) -> None:
        """Build the rows collected since the last flush into typed chunks, then drop them."""
        for name, rows in self.rows.items():
            if rows:
                part = self.parts.get(name)
                if part is None:
                    part = self.parts[name] = Part(SPECS[name])
                part.add(rows)
        self.rows.clear()

    def tables(self, names: tuple[str, ...]) -> Tables[pl.DataFrame]:
        """The named tables (declared schema, extras kept) from everything collected."""
        self.flush()
        out = {}
        for name in names:
            part = self.parts.pop(name, None)
            out[name] = part.finish() if part is not None else SPECS[name].empty()
        return Tables(out)


def _lookalike(item: Any, key: dict[str, Any]) -> Any:
    if type(item) is not dict:
        return item
    row = dict(key)
    for k, v in item.items():
        row[{"username": "account_username", "user_id": "account_id"}.get(k) or k] = v
    return row


@gc_paused
def enrichment(
    body: Any,
    platform: str | None = None,
    handle: str | None = None,
    *,
    mode: str = "full",
    params: Mapping[str, Any] | None = None,
) -> Tables[pl.DataFrame]:
    """An enrichment response (or its ``result`` object) as tidy tables.

    ``mode`` picks the table set (``MODES``: full/analytics give all, profile and raw a
    subset); ``platform``/``handle`` key the tables when the body does not name them.

    Example:
        >>> t = enrichment({"result": {"instagram": {"userid": "1", "username": "nasa"}}})
        >>> t.creator["username"].to_list()
        ['nasa']
    """
    platform = platform or param(params, "platform")
    handle = handle or param(params, "handle")
    mode = param(params, "mode") or mode
    if mode not in MODES:
        mode = "full"
    result = obj(body).get("result") if type(body) is dict and "result" in body else body
    c = Collector()
    if type(result) is dict and result:
        c.creator(result, platform=platform, handle=handle, mode=mode)
    return c.tables(MODES[mode])
