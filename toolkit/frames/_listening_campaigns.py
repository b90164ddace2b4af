"""Social listening campaigns as tidy tables:
campaigns, their creators and trends, the overview and the content feed.

Like :mod:`._listening` (subscriptions and events), a DRF page and a single object give the
same tables, so they concatenate.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from ._coerce import build
from ._common import drf_records, flatten, items, obj, param
from ._registry import declare
from ._tables import Tables

__all__ = ["campaign_creators", "campaign_overview", "campaigns", "content_feed", "spend"]

_I, _F, _S, _B, _C = pl.Int64, pl.Float64, pl.String, pl.Boolean, pl.Categorical
_DT = pl.Datetime("us", "UTC")
_L = pl.List(pl.String)


def _t(name: str, row: str, cols: list[tuple[str, Any]]) -> Any:
    return declare(f"listening.{name}", row, cols)


#: a post's counters and rates, as a campaign sums them per creator, post and campaign
_POST_METRICS = [
    ("views", _I),
    ("likes", _I),
    ("comments", _I),
    ("shares", _I),
    ("engagement", _I),
    ("er_percent", _F),
    ("emv", _F),
]
CAMPAIGNS = _t(
    "campaigns",
    "one listening campaign",
    [
        ("id", _S),
        ("name", _S),
        ("status", _C),
        ("platforms", _L),
        ("content_types", _L),
        ("budget", _F),
        ("credits_spent", _F),
        ("start_date", pl.Date),
        ("end_date", pl.Date),
        ("creators_count", _I),
        ("created_at", _DT),
        ("updated_at", _DT),
    ],
)
CAMPAIGN_SUBS = _t(
    "campaign_subscriptions",
    "the subscription a campaign uses on one platform",
    [("campaign_id", _S), ("platform", _C), ("subscription_id", _S)],
)
STATUS_COUNTS = _t(
    "campaign_status_counts",
    "campaigns per status (list response status_counts)",
    [("count", _I), ("active", _I), ("paused", _I), ("completed", _I), ("archived", _I)],
)
CAMPAIGN_CREATORS = _t(
    "campaign_creators",
    "one creator in a campaign with their metrics and 7-day engagement trend",
    [
        ("campaign_id", _S),
        ("id", _S),
        ("platform", _C),
        ("handle", _S),
        ("full_name", _S),
        ("followers", _I),
        ("status", _C),
        ("posts", _I),
        *_POST_METRICS,
        ("trend_7d", pl.List(_F)),
        ("last_post_at", _DT),
    ],
)
CAMPAIGN_TREND = _t(
    "campaign_creator_trend",
    "one day of one campaign creator's 7-day engagement trend (days_ago 6 = oldest)",
    [
        ("campaign_id", _S),
        ("id", _S),
        ("platform", _C),
        ("handle", _S),
        ("days_ago", _I),
        ("engagement", _F),
    ],
)
_METRICS = [("posts", _I), ("views", _I), ("engagement", _I), ("emv", _F)]
OVERVIEW_TOTALS = _t(
    "overview_totals",
    "a campaign's totals (optionally for one platform)",
    [
        ("campaign_id", _S),
        ("platform", _C),
        ("creators", _I),
        ("active_creators", _I),
        ("posts", _I),
        *_POST_METRICS,
    ],
)
OVERVIEW_TRENDS = _t(
    "overview_trends",
    "one day of a campaign (campaign start to today)",
    [("campaign_id", _S), ("date", pl.Date), *_METRICS],
)
OVERVIEW_PLATFORMS = _t(
    "overview_by_platform",
    "one platform's share of a campaign",
    [("campaign_id", _S), ("platform", _C), *_METRICS],
)
CONTENT = _t(
    "content",
    "one detected post in a campaign's content feed",
    [
        ("campaign_id", _S),
        ("id", _S),
        ("event_id", _S),
        ("platform", _C),
        ("creator_id", _S),
        ("creator_handle", _S),
        ("creator_full_name", _S),
        ("creator_followers", _I),
        ("post_id", _S),
        ("url", _S),
        ("caption", _S),
        ("content_type", _C),
        ("published_at", _DT),
        ("detected_at", _DT),
        *_POST_METRICS,
        ("top", _B),
    ],
)
SPEND = _t(
    "spend",
    "one recurring listening cost: a campaign, or a subscription outside any campaign",
    [
        ("kind", _C),
        ("id", _S),
        ("name", _S),
        ("platforms", _S),
        ("status", _C),
        ("creators", _I),
        ("daily_cost", _F),
        ("started_at", _DT),
        ("days_running", _F),
        ("accrued", _F),
        ("accrued_basis", _C),
        ("ends", _S),
        ("days_left", _F),
        ("projected", _F),
        ("budget", _F),
        ("over_budget", _B),
    ],
)
CONTENT_MEDIA = _t(
    "content_media",
    "one media item of a content-feed post",
    [("content_id", _S), ("position", _I), ("type", _C), ("url", _S)],
)


def campaigns(body: Any, params: Mapping[str, Any] | None = None) -> Tables[pl.DataFrame]:
    """Campaigns (list page or one object) → campaigns, subscriptions, status_counts."""
    rows, subs = [], []
    for c in drf_records(body):
        if type(c) is not dict:
            rows.append(c)
            continue
        rows.append({k: v for k, v in c.items() if k != "subscription_ids"})
        sub_ids = c.get("subscription_ids")
        for platform, sid in obj(sub_ids).items():
            subs.append({"campaign_id": c.get("id"), "platform": platform, "subscription_id": sid})
    counts = []
    if type(body) is dict and ("status_counts" in body or "count" in body):
        counts.append({"count": body.get("count"), **obj(body.get("status_counts"))})
    return Tables(
        {
            "campaigns": build(CAMPAIGNS, rows),
            "subscriptions": build(CAMPAIGN_SUBS, subs),
            "status_counts": build(STATUS_COUNTS, counts),
        }
    )


def campaign_creators(body: Any, params: Mapping[str, Any] | None = None) -> Tables[pl.DataFrame]:
    """Campaign creators → ``creators`` (``trend_7d`` as List(Float64)) and long ``trend``."""
    cid = param(params, "campaign_id")
    rows: list[Any] = []
    trend: list[dict[str, Any]] = []
    for c in drf_records(body):
        if type(c) is not dict:
            rows.append(c)
            continue
        rows.append({"campaign_id": cid, **c})
        values = c.get("trend_7d")
        if type(values) is list:
            n = len(values)
            key = {
                "campaign_id": cid,
                "id": c.get("id"),
                "platform": c.get("platform"),
                "handle": c.get("handle"),
            }
            # oldest first, so the last value is today (days_ago 0)
            trend.extend(
                {**key, "days_ago": n - 1 - i, "engagement": v} for i, v in enumerate(values)
            )
    return Tables(
        {"creators": build(CAMPAIGN_CREATORS, rows), "trend": build(CAMPAIGN_TREND, trend)}
    )


def campaign_overview(body: Any, params: Mapping[str, Any] | None = None) -> Tables[pl.DataFrame]:
    """Campaign overview → ``totals`` (one row), ``trends`` (daily), ``by_platform``."""
    body = obj(body)
    cid = body.get("campaign_id", param(params, "campaign_id"))
    totals = {"campaign_id": cid, "platform": body.get("platform", param(params, "platform"))}
    totals.update(obj(body.get("totals")))
    key = {"campaign_id": cid}
    return Tables(
        {
            "totals": build(OVERVIEW_TOTALS, [totals] if body else []),
            "trends": build(
                OVERVIEW_TRENDS,
                [{**key, **t} if type(t) is dict else t for t in items(body.get("trends"))],
            ),
            "by_platform": build(
                OVERVIEW_PLATFORMS,
                [{**key, **t} if type(t) is dict else t for t in items(body.get("by_platform"))],
            ),
        }
    )


def content_feed(body: Any, params: Mapping[str, Any] | None = None) -> Tables[pl.DataFrame]:
    """Campaign content feed → ``content`` (one row per post, metrics flat) and ``media``."""
    cid = param(params, "campaign_id")
    rows: list[Any] = []
    media: list[dict[str, Any]] = []
    for p in drf_records(body):
        if type(p) is not dict:
            rows.append(p)
            continue
        row: dict[str, Any] = {"campaign_id": cid}
        for k, v in p.items():
            if k == "creator" and type(v) is dict:
                flatten("creator", v, row)
            elif k == "metrics" and type(v) is dict:
                row.update(v)
            elif k == "media" and type(v) is list:
                media.extend(
                    {"content_id": p.get("id"), "position": i, **m} if type(m) is dict else m
                    for i, m in enumerate(v)
                )
            else:
                row[k] = v
        rows.append(row)
    return Tables({"content": build(CONTENT, rows), "media": build(CONTENT_MEDIA, media)})


def spend(rows: Any, params: Mapping[str, Any] | None = None) -> pl.DataFrame:
    """``client.listening.spend()`` rows → one row per campaign and stand-alone subscription."""
    return build(SPEND, items(rows, "rows"))
