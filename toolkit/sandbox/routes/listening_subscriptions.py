"""``/public/v1/social/listening/subscription/...``: subscriptions,
their creators and details (the rules: ``_listening_state``)."""

from __future__ import annotations

import csv
import io
from typing import Any

from toolkit._facts import LISTENING_PLATFORMS

from .._ctx import Ctx
from .._http import ApiError, Request, Response, Router, field_error
from ._listening_common import (
    _add_creators,
    _add_links,
    _body,
    _creators_from,
    _endpoints,
    _event_types,
    _link_json,
    _new_sub,
    _paginate,
    _renamed,
    _required_name,
    _searched,
    _set_status,
    _status,
    _strings,
    _sub_json,
    _sub_or_404,
    _threshold,
)
from ._listening_state import (
    EVENT_TYPES,
    Subscription,
    _accrue,
    _delivery_status,
    _detections,
    _state,
)

router = Router()


@router.op("social_listening_subscriptions_list")
def subscriptions_list(ctx: Ctx, req: Request) -> dict[str, Any]:
    subs = list(_state(ctx.account).subscriptions.values())
    summary = {
        "total": len(subs),
        "active": sum(s.status == "active" for s in subs),
        "paused": sum(s.status == "paused" for s in subs),
        "by_type": {
            t: sum(s.type == t for s in subs) for t in ("handles", "discovery_list", "campaign")
        },
    }
    kind = req.arg("type")
    if kind:
        subs = [s for s in subs if s.type == kind]
    out = _paginate(ctx, [_sub_json(s) for s in subs])
    out["summary"] = summary
    return out


@router.op("social_listening_subscriptions_create")
def subscriptions_create(ctx: Ctx, req: Request) -> Response:
    body = _body(req)
    name = _required_name(body)
    platform = body.get("platform")
    if platform not in LISTENING_PLATFORMS:
        raise field_error("platform", f"Choose one of: {', '.join(LISTENING_PLATFORMS)}.")
    if not _strings(body, "handles") and not _strings(body, "discovery_list_ids"):
        raise ApiError(
            400, {"error": {"non_field_errors": ["Give at least one handle or discovery list."]}}
        )
    state = _state(ctx.account)
    with ctx.account.lock:
        pairs, invalid = _creators_from(ctx, platform, body)
        if not pairs:
            raise field_error(
                "handles",
                "None of the handles was found: " + ", ".join(i["value"] for i in invalid),
            )
        sub = _new_sub(
            ctx,
            state,
            name=name,
            platform=platform,
            kind="handles" if _strings(body, "handles") else "discovery_list",
            event_types=_event_types(body.get("event_types")),
            threshold=_threshold(body.get("follower_threshold")),
            endpoints=_endpoints(ctx, body.get("endpoints")),
        )
        _add_links(ctx, state, sub, pairs)
    return Response.json(_sub_json(sub), 201)


@router.op("social_listening_subscriptions_get")
def subscriptions_get(ctx: Ctx, req: Request, subscription_id: str) -> dict[str, Any]:
    sub = _sub_or_404(ctx, subscription_id)
    out = _sub_json(sub)
    out["creators"] = [_link_json(link) for link in list(sub.links.values())[:100]]
    if sub.campaign_id:
        out["stats"] = _details(ctx, sub)["totals"]
    return out


@router.op("social_listening_subscriptions_update")
def subscriptions_update(ctx: Ctx, req: Request, subscription_id: str) -> dict[str, Any]:
    sub = _sub_or_404(ctx, subscription_id)
    body = _body(req)
    now = ctx.now()
    status = None
    if "status" in body:
        if sub.campaign_id:
            raise ApiError(
                400,
                {
                    "error": "The status of a campaign subscription follows its "
                    "campaign; update the campaign instead."
                },
            )
        status = _status(body["status"])
    name = _renamed(body)
    with ctx.account.lock:
        if name is not None:
            sub.name = name
        if "endpoints" in body:
            sub.endpoints = _endpoints(ctx, body["endpoints"])
        if "event_types" in body:
            sub.event_types = _event_types(body["event_types"])
        if "follower_threshold" in body:
            sub.follower_threshold = _threshold(body["follower_threshold"])
        if "handles" in body:  # the creator set becomes exactly these handles
            pairs, invalid = _creators_from(ctx, sub.platform, {"handles": body["handles"]})
            if invalid:
                raise field_error(
                    "handles", "Unknown handles: " + ", ".join(i["value"] for i in invalid)
                )
            keep = {c.id for c, _ in pairs}
            _accrue(ctx.account, sub, now)
            sub.links = {k: v for k, v in sub.links.items() if v.creator.id in keep}
            _add_links(ctx, _state(ctx.account), sub, pairs)
        if status is not None:
            _set_status(ctx, sub, status, now)
        sub.updated_at = now
    return _sub_json(sub)


@router.op("social_listening_subscriptions_delete")
def subscriptions_delete(ctx: Ctx, req: Request, subscription_id: str) -> Response:
    sub = _sub_or_404(ctx, subscription_id)
    if sub.campaign_id:
        raise ApiError(
            400, {"error": "This subscription belongs to a campaign; archive the campaign instead."}
        )
    with ctx.account.lock:
        _accrue(ctx.account, sub, ctx.now())
        del _state(ctx.account).subscriptions[sub.id]
    return Response.empty(204)


@router.op("social_listening_subscription_creators_list")
def subscription_creators_list(ctx: Ctx, req: Request, subscription_id: str) -> dict[str, Any]:
    sub = _sub_or_404(ctx, subscription_id)
    links = _searched(
        req, list(sub.links.values()), lambda x: x.creator.username, lambda x: x.creator.full_name
    )
    return _paginate(ctx, [_link_json(x) for x in links])


@router.op("social_listening_subscription_creators_add")
def subscription_creators_add(ctx: Ctx, req: Request, subscription_id: str) -> dict[str, Any]:
    sub = _sub_or_404(ctx, subscription_id)
    return _add_creators(ctx, sub, _body(req))


def _details(ctx: Ctx, sub: Subscription) -> dict[str, Any]:
    state = _state(ctx.account)
    events = _detections(ctx, state, sub)
    totals = dict.fromkeys(("events", "sent", "failed", "pending", "retrying"), 0)
    by_type = dict.fromkeys(EVENT_TYPES, 0)
    daily: dict[str, dict[str, Any]] = {}
    for ev in events:
        status = _delivery_status(ctx, ev)
        totals["events"] += 1
        if status in totals:
            totals[status] += 1
        elif status == "sending":
            totals["pending"] += 1
        by_type[ev["type"]] += 1
        key = ev["at"].date().isoformat()
        row = daily.setdefault(
            key, {"date": key, "events": 0, "sent": 0, "failed": 0, "_types": {}}
        )
        row["events"] += 1
        row["sent"] += status == "sent"
        row["failed"] += status == "failed"
        t = row["_types"].setdefault(ev["type"], [0, 0, 0])
        t[0] += 1
        t[1] += status == "sent"
        t[2] += status == "failed"
    days = [daily[k] for k in sorted(daily)]
    return {"subscription_id": sub.id, "totals": totals, "by_event_type": by_type, "daily": days}


@router.op("social_listening_subscription_details")
def subscription_details(ctx: Ctx, req: Request, subscription_id: str) -> dict[str, Any]:
    out = _details(ctx, _sub_or_404(ctx, subscription_id))
    for row in out["daily"]:
        row.pop("_types")
    return out


@router.op("social_listening_subscription_details_export")
def subscription_details_export(ctx: Ctx, req: Request, subscription_id: str) -> Response:
    sub = _sub_or_404(ctx, subscription_id)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["date", "event_type", "events", "sent", "failed"])
    for row in _details(ctx, sub)["daily"]:
        for kind in EVENT_TYPES:
            if kind in row["_types"]:
                writer.writerow([row["date"], kind, *row["_types"][kind]])
    return Response(
        200,
        buf.getvalue().encode(),
        {
            "content-type": "text/csv; charset=utf-8",
            "content-disposition": f'attachment; filename="{sub.id}-details.csv"',
        },
    )
