"""Social listening subscriptions, their creators and details, events and usage
as tidy tables; campaigns are in
:mod:`._listening_campaigns`.

List endpoints are DRF pages ``{count, next, previous, results}``; a detail endpoint is one
object. Both give the same tables, so a page and a single object concatenate.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from ._coerce import build
from ._common import csv_frame, drf_records, flatten, items, obj, one_row, param
from ._registry import declare
from ._tables import Tables

__all__ = [
    "creators_added",
    "events",
    "subscription_creators",
    "subscription_details",
    "subscriptions",
    "usage",
]

_I, _F, _S, _B, _C = pl.Int64, pl.Float64, pl.String, pl.Boolean, pl.Categorical
_DT = pl.Datetime("us", "UTC")
_L = pl.List(pl.String)


def _t(name: str, row: str, cols: list[tuple[str, Any]]) -> Any:
    return declare(f"listening.{name}", row, cols)


SUBSCRIPTIONS = _t(
    "subscriptions",
    "one listening subscription",
    [
        ("id", _S),
        ("name", _S),
        ("type", _C),
        ("platform", _C),
        ("status", _C),
        ("event_types", _L),
        ("follower_threshold", _I),
        ("endpoints_count", _I),
        ("creators_count", _I),
        ("daily_cost", _F),
        ("credits_spent", _F),
        ("campaign_id", _S),
        ("created_at", _DT),
        ("updated_at", _DT),
    ],
)
ENDPOINTS = _t(
    "endpoints",
    "one webhook endpoint of a subscription",
    [("subscription_id", _S), ("endpoint_id", _S), ("type", _C), ("url", _S), ("active", _B)],
)
SUB_CREATORS = _t(
    "subscription_creators",
    "one creator followed by a subscription",
    [
        ("subscription_id", _S),
        ("id", _S),
        ("handle", _S),
        ("platform", _C),
        ("full_name", _S),
        ("followers", _I),
        ("source", _C),
        ("added_at", _DT),
    ],
)
SUB_SUMMARY = _t(
    "subscriptions_summary",
    "counts over all subscriptions (list response summary)",
    [
        ("count", _I),
        ("total", _I),
        ("active", _I),
        ("paused", _I),
        ("by_type_handles", _I),
        ("by_type_discovery_list", _I),
        ("by_type_campaign", _I),
    ],
)
_TOTALS = [("events", _I), ("sent", _I), ("failed", _I), ("pending", _I), ("retrying", _I)]
SUB_TOTALS = _t(
    "subscription_totals",
    "delivery totals of one subscription (details totals, or a campaign subscription's stats)",
    [("subscription_id", _S), *_TOTALS],
)
SUB_BY_TYPE = _t(
    "subscription_by_event_type",
    "events of one type for one subscription",
    [("subscription_id", _S), ("event_type", _C), ("events", _I)],
)
SUB_DAILY = _t(
    "subscription_daily",
    "one day of a subscription's deliveries (details daily, or the CSV export)",
    [
        ("subscription_id", _S),
        ("date", pl.Date),
        ("event_type", _C),
        ("events", _I),
        ("sent", _I),
        ("failed", _I),
    ],
)
EVENTS = _t(
    "events",
    "one listening event; payload fields as payload_* columns",
    [
        ("id", _S),
        ("type", _C),
        ("subscription_id", _S),
        ("campaign_id", _S),
        ("platform", _C),
        ("creator_id", _S),
        ("creator_handle", _S),
        ("creator_full_name", _S),
        ("occurred_at", _DT),
        ("delivery_status", _C),
        ("payload_post_id", _S),
        ("payload_url", _S),
        ("payload_old_bio", _S),
        ("payload_new_bio", _S),
        ("payload_threshold", _I),
        ("payload_followers", _I),
    ],
)
DELIVERIES = _t(
    "deliveries",
    "one webhook delivery attempt history of an event",
    [
        ("event_id", _S),
        ("endpoint_id", _S),
        ("url", _S),
        ("status", _C),
        ("attempts", _I),
        ("last_attempt_at", _DT),
        ("response_code", _I),
    ],
)
ADDED = _t(
    "creators_added",
    "outcome of adding creators to a subscription or campaign",
    [
        ("added", _I),
        ("skipped_duplicates", _I),
        ("invalid_count", _I),
        ("creators_count", _I),
        ("removed", _I),
    ],
)
INVALID = _t(
    "creators_invalid", "one rejected creator input and why", [("value", _S), ("reason", _S)]
)
USAGE = _t(
    "usage",
    "the account's listening limits, active counts and what remains",
    [
        ("limits_subscriptions", _I),
        ("limits_creators", _I),
        ("limits_endpoints", _I),
        ("active_subscriptions", _I),
        ("active_creators", _I),
        ("active_campaigns", _I),
        ("remaining_subscriptions", _I),
        ("remaining_creators", _I),
    ],
)


def subscriptions(body: Any, params: Mapping[str, Any] | None = None) -> Tables[pl.DataFrame]:
    """Subscriptions (list page or one object) → subscriptions, endpoints, creators, summary, stats."""
    subs, endpoints, creators, stats = [], [], [], []
    for s in drf_records(body):
        if type(s) is not dict:
            subs.append(s)
            continue
        row = {k: v for k, v in s.items() if k not in ("endpoints", "creators", "stats")}
        sid = s.get("id")
        eps = items(s.get("endpoints"))
        row["endpoints_count"] = len(eps) if "endpoints" in s else None
        subs.append(row)
        for e in eps:
            endpoints.append(_rename(e, {"id": "endpoint_id"}, subscription_id=sid))
        for c in items(s.get("creators")):
            creators.append({"subscription_id": sid, **c} if type(c) is dict else c)
        if type(s.get("stats")) is dict:
            st = s["stats"]
            stats.append({"subscription_id": sid, **obj(st.get("totals", st))})
    summary = []
    if type(body) is dict and ("summary" in body or "count" in body):
        row = {"count": body.get("count")}
        flat: dict[str, Any] = {}
        flatten("s", body.get("summary"), flat)
        row.update((k[2:], v) for k, v in flat.items())
        summary.append(row)
    return Tables(
        {
            "subscriptions": build(SUBSCRIPTIONS, subs),
            "endpoints": build(ENDPOINTS, endpoints),
            "creators": build(SUB_CREATORS, creators),
            "summary": build(SUB_SUMMARY, summary),
            "stats": build(SUB_TOTALS, stats),
        }
    )


def _rename(item: Any, renames: dict[str, str], **add: Any) -> Any:
    if type(item) is not dict:
        return item
    row = dict(add)
    for k, v in item.items():
        row[renames.get(k) or k] = v
    return row


def subscription_creators(body: Any, params: Mapping[str, Any] | None = None) -> pl.DataFrame:
    """A page of a subscription's creators."""
    sid = param(params, "subscription_id")
    rows = [{"subscription_id": sid, **c} if type(c) is dict else c for c in drf_records(body)]
    return build(SUB_CREATORS, rows)


def creators_added(body: Any, params: Mapping[str, Any] | None = None) -> Tables[pl.DataFrame]:
    """Add/remove creators outcome → ``summary`` (one row) and ``invalid`` inputs."""
    body = obj(body)
    invalid = items(body.get("invalid"))
    row = {k: v for k, v in body.items() if k != "invalid"}
    if "invalid" in body:
        row["invalid_count"] = len(invalid)
    return Tables(
        {
            "summary": build(ADDED, [row] if body else []),
            "invalid": build(INVALID, invalid),
        }
    )


def subscription_details(
    body: Any, params: Mapping[str, Any] | None = None
) -> Tables[pl.DataFrame]:
    """Delivery stats → ``totals`` (one row), ``by_event_type`` (long), ``daily`` (one row a day).

    The CSV export (text) gives the ``daily`` table with its ``event_type`` column.
    """
    sid = param(params, "subscription_id")
    if isinstance(body, str | bytes):
        daily = csv_frame(SUB_DAILY, body)
        if sid is not None:
            daily = daily.with_columns(pl.lit(sid, dtype=_S).alias("subscription_id"))
        return Tables(
            {"totals": SUB_TOTALS.empty(), "by_event_type": SUB_BY_TYPE.empty(), "daily": daily}
        )
    body = obj(body)
    sid = body.get("subscription_id", sid)
    by_type = obj(body.get("by_event_type"))
    return Tables(
        {
            "totals": build(
                SUB_TOTALS, [{"subscription_id": sid, **obj(body.get("totals"))}] if body else []
            ),
            "by_event_type": build(
                SUB_BY_TYPE,
                [
                    {"subscription_id": sid, "event_type": k, "events": v}
                    for k, v in by_type.items()
                ],
            ),
            "daily": build(
                SUB_DAILY,
                [
                    {"subscription_id": sid, **d} if type(d) is dict else d
                    for d in items(body.get("daily"))
                ],
            ),
        }
    )


def events(body: Any, params: Mapping[str, Any] | None = None) -> Tables[pl.DataFrame]:
    """Events (list page or one event) → ``events`` and ``deliveries`` (detail only)."""
    rows: list[Any] = []
    deliveries: list[dict[str, Any]] = []
    for e in drf_records(body):
        if type(e) is not dict:
            rows.append(e)
            continue
        row: dict[str, Any] = {}
        for k, v in e.items():
            if k == "creator" and type(v) is dict:
                flatten("creator", v, row)
            elif k == "payload" and type(v) is dict:
                flatten("payload", v, row)
            elif k == "deliveries" and type(v) is list:
                deliveries.extend(
                    {"event_id": e.get("id"), **d} if type(d) is dict else d for d in v
                )
            else:
                row[k] = v
        rows.append(row)
    return Tables({"events": build(EVENTS, rows), "deliveries": build(DELIVERIES, deliveries)})


def usage(body: Any, params: Mapping[str, Any] | None = None) -> pl.DataFrame:
    """Listening usage as one row (``limits_*``, ``active_*``, ``remaining_*``)."""
    if type(body) is not dict:
        return one_row(USAGE, body)
    row: dict[str, Any] = {}
    for k, v in body.items():
        if type(v) is dict:
            flatten(k, v, row)
        else:
            row[k] = v
    return one_row(USAGE, row)
