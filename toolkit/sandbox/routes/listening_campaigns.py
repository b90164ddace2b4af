"""``/public/v1/social/listening/campaign/...``: campaigns, their
creators, overview and content feed (the rules: ``_listening_state``)."""

from __future__ import annotations

import math
from datetime import timedelta
from decimal import Decimal
from typing import Any

from toolkit._facts import (
    LISTENING_CONTENT_ORDERING,
    LISTENING_CREATOR_ORDERING,
    LISTENING_PLATFORMS,
)

from .._ctx import Ctx
from .._http import ApiError, Request, Response, Router, field_error, iso
from ._listening_common import (
    _add_creators,
    _add_links,
    _body,
    _cmp_or_404,
    _creators_from,
    _date,
    _link_id,
    _new_sub,
    _order,
    _paginate,
    _renamed,
    _required_name,
    _room_for,
    _searched,
    _set_status,
    _status,
    _strings,
)
from ._listening_state import (
    CONTENT_TYPES,
    COUNTS,
    METRICS,
    Campaign,
    _accrue,
    _campaign_subs,
    _detections,
    _post_fields,
    _state,
)

router = Router()


def _cmp_json(ctx: Ctx, cmp: Campaign) -> dict[str, Any]:
    state = _state(ctx.account)
    subs = _campaign_subs(state, cmp)
    return {
        "id": cmp.id,
        "name": cmp.name,
        "status": cmp.status,
        "platforms": list(cmp.platforms),
        "content_types": list(cmp.content_types),
        "budget": cmp.budget,
        "credits_spent": float(sum((s.spent for s in subs), Decimal(0))),
        "start_date": cmp.start_date.isoformat() if cmp.start_date else None,
        "end_date": cmp.end_date.isoformat() if cmp.end_date else None,
        "subscription_ids": dict(cmp.subscription_ids),
        "creators_count": sum(len(s.links) for s in subs),
        "created_at": iso(cmp.created_at),
        "updated_at": iso(cmp.updated_at),
    }


def _content_types(value: Any, platforms: list[str]) -> list[str]:
    allowed = [t for p in platforms for t in CONTENT_TYPES[p]]
    if value is None:
        return list(dict.fromkeys(allowed))
    if not isinstance(value, list) or not value or any(v not in allowed for v in value):
        raise field_error("content_types", f"Choose from: {', '.join(dict.fromkeys(allowed))}.")
    return list(dict.fromkeys(value))


def _budget(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise field_error("budget", "A valid non-negative number is required.")
    return float(value)


@router.op("social_listening_campaigns_list")
def campaigns_list(ctx: Ctx, req: Request) -> dict[str, Any]:
    cmps = list(_state(ctx.account).campaigns.values())
    counts = {
        s: sum(c.status == s for c in cmps) for s in ("active", "paused", "completed", "archived")
    }
    if req.arg("status"):
        cmps = [c for c in cmps if c.status == req.arg("status")]
    cmps = _searched(req, cmps, lambda c: c.name)
    out = _paginate(ctx, [_cmp_json(ctx, c) for c in cmps])
    out["status_counts"] = counts
    return out


@router.op("social_listening_campaigns_create")
def campaigns_create(ctx: Ctx, req: Request) -> Response:
    """A campaign and one campaign subscription per platform."""
    body = _body(req)
    name = _required_name(body)
    platforms = body.get("platforms")
    if (
        not isinstance(platforms, list)
        or not platforms
        or any(p not in LISTENING_PLATFORMS for p in platforms)
    ):
        raise field_error("platforms", f"Choose one or more of: {', '.join(LISTENING_PLATFORMS)}.")
    platforms = list(dict.fromkeys(platforms))
    start, end = (
        _date(body.get("start_date"), "start_date"),
        _date(body.get("end_date"), "end_date"),
    )
    if start and end and end < start:
        raise field_error("end_date", "The end date is before the start date.")
    handles = body.get("handles") or {}
    if not isinstance(handles, dict) or any(p not in platforms for p in handles):
        raise field_error(
            "handles", "An object mapping each of the campaign's platforms to handles."
        )
    state, sb, now = _state(ctx.account), ctx.sandbox, ctx.now()
    with ctx.account.lock:
        resolved = {}
        for platform, values in handles.items():
            pairs, invalid = _creators_from(ctx, platform, {"handles": values})
            if invalid:
                raise ApiError(
                    400,
                    {
                        "error": {
                            "handles": {
                                platform: [f"Unknown handle: {i['value']}" for i in invalid]
                            }
                        }
                    },
                )
            resolved[platform] = pairs
        _room_for(state, len(platforms))
        cmp = Campaign(
            id="cmp_" + sb.token_hex("campaign", sb.next_id("campaign"), 12),
            name=name,
            status="active",
            platforms=platforms,
            content_types=_content_types(body.get("content_types"), platforms),
            budget=_budget(body.get("budget")),
            start_date=start,
            end_date=end,
            created_at=now,
            updated_at=now,
        )
        for platform in platforms:
            sub = _new_sub(
                ctx,
                state,
                name=f"{cmp.name} ({platform})",
                platform=platform,
                kind="campaign",
                event_types=["new_post"],
                threshold=None,
                endpoints=[],
                campaign_id=cmp.id,
            )
            _add_links(ctx, state, sub, resolved.get(platform, []))
            cmp.subscription_ids[platform] = sub.id
        state.campaigns[cmp.id] = cmp
    return Response.json(_cmp_json(ctx, cmp), 201)


@router.op("social_listening_campaigns_get")
def campaigns_get(ctx: Ctx, req: Request, campaign_id: str) -> dict[str, Any]:
    return _cmp_json(ctx, _cmp_or_404(ctx, campaign_id))


@router.op("social_listening_campaigns_update")
def campaigns_update(ctx: Ctx, req: Request, campaign_id: str) -> dict[str, Any]:
    """``status`` (cascades; resuming checks credits), ``budget``, ``content_types``, ``name``."""
    cmp = _editable(ctx, campaign_id)
    body = _body(req)
    state, now = _state(ctx.account), ctx.now()
    status = body.get("status")
    if status is not None:
        status = _status(status)
    with ctx.account.lock:
        subs = _campaign_subs(state, cmp)
        if status == "active" and cmp.status != "active":
            need = sum((s.daily_cost for s in subs), Decimal(0))
            if ctx.account.balance <= 0 or ctx.account.balance < need:
                raise ApiError(
                    402,
                    {
                        "detail": f"Insufficient credits. Resuming needs one day "
                        f"of monitoring ({float(need)} credits) in the balance."
                    },
                )
        name = _renamed(body)
        if name is not None:
            cmp.name = name
        if "budget" in body:
            cmp.budget = _budget(body["budget"])
        if "content_types" in body:  # re-derives what the subscriptions detect
            cmp.content_types = _content_types(body["content_types"], cmp.platforms)
        if status is not None:
            for sub in subs:
                _set_status(ctx, sub, status, now)
            cmp.status = status
        cmp.updated_at = now
    return _cmp_json(ctx, cmp)


@router.op("social_listening_campaigns_archive")
def campaigns_archive(ctx: Ctx, req: Request, campaign_id: str) -> Response:
    """Soft delete: kept and readable, detection stopped, subscriptions disabled."""
    cmp = _cmp_or_404(ctx, campaign_id)
    now = ctx.now()
    with ctx.account.lock:
        for sub in _campaign_subs(_state(ctx.account), cmp):
            _accrue(ctx.account, sub, now)
            sub.pause(now)
        cmp.status, cmp.updated_at = "archived", now
    return Response.empty(204)


def _campaign_posts(ctx: Ctx, cmp: Campaign, platform: str | None = None) -> list[dict[str, Any]]:
    """Content items: one per detected ``new_post`` event of the campaign's subscriptions."""
    state = _state(ctx.account)
    items = []
    for sub in _campaign_subs(state, cmp):
        if platform and sub.platform != platform:
            continue
        for ev in _detections(ctx, state, sub):
            if ev["type"] != "new_post":
                continue
            c = ev["creator"]
            fields = _post_fields(ctx, ev["post"], c.followers)
            items.append(
                {
                    "id": "cnt_" + ev["id"][4:],
                    "event_id": ev["id"],
                    "platform": sub.platform,
                    "creator": {
                        "id": c.id,
                        "handle": c.username,
                        "full_name": c.full_name,
                        "followers": c.followers,
                    },
                    **fields,
                    "detected_at": iso(ev["at"]),
                    "_link": _link_id(sub, c),
                    "_published": ev["post"].published_at,
                }
            )
    ranked = sorted(items, key=lambda i: (-i["er_percent"], i["id"]))
    top = {i["id"] for i in ranked[: max(1, math.ceil(len(ranked) * 0.1))]} if ranked else set()
    for item in items:
        item["top"] = item["id"] in top
    return items


def _platform_arg(req: Request, cmp: Campaign) -> str | None:
    platform = req.arg("platform") or None
    if platform is not None and platform not in cmp.platforms:
        raise field_error("platform", f"Choose one of: {', '.join(cmp.platforms)}.")
    return platform


def _campaign_view(
    ctx: Ctx, req: Request, campaign_id: str
) -> tuple[Campaign, str | None, list[dict[str, Any]]]:
    """The campaign, the ``platform`` argument (checked) and the content items on it."""
    cmp = _cmp_or_404(ctx, campaign_id)
    platform = _platform_arg(req, cmp)
    return cmp, platform, _campaign_posts(ctx, cmp, platform)


def _editable(ctx: Ctx, campaign_id: str) -> Campaign:
    """The campaign, refused once archived or completed."""
    cmp = _cmp_or_404(ctx, campaign_id)
    if cmp.status in ("archived", "completed"):
        raise ApiError(400, {"error": f"A {cmp.status} campaign cannot be edited."})
    return cmp


def _brief(label: str, value: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    """One row of the overview's trends or platforms: its label and the main sums of ``items``."""
    s = _sum_metrics(items)
    return {label: value, **{k: s[k] for k in ("posts", "views", "engagement", "emv")}}


def _sum_metrics(items: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {"posts": len(items)}
    for k in COUNTS:
        out[k] = sum(i["metrics"][k] for i in items)
    out["er_percent"] = round(sum(i["er_percent"] for i in items) / len(items), 4) if items else 0.0
    out["emv"] = round(sum(i["emv"] for i in items), 2)
    return out


@router.op("social_listening_campaign_creators_list")
def campaign_creators_list(ctx: Ctx, req: Request, campaign_id: str) -> dict[str, Any]:
    """Per creator: posts, views, engagement, ER%, EMV, 7-day trend; default ``-engagement``."""
    cmp, platform, items = _campaign_view(ctx, req, campaign_id)
    today = ctx.now().date()
    rows = []
    for sub in _campaign_subs(_state(ctx.account), cmp):
        if platform and sub.platform != platform:
            continue
        for link in sub.links.values():
            c = link.creator
            mine = [i for i in items if i["_link"] == link.id]
            totals = _sum_metrics(mine)
            trend = [0] * 7
            for i in mine:
                age = (today - i["_published"].date()).days
                if 0 <= age < 7:
                    trend[6 - age] += i["metrics"]["engagement"]
            rows.append(
                {
                    "id": link.id,
                    "platform": c.platform,
                    "handle": c.username,
                    "full_name": c.full_name,
                    "followers": c.followers,
                    "status": "active" if mine else "awaiting_first_post",
                    **totals,
                    "trend_7d": trend,
                    "last_post_at": iso(max(i["_published"] for i in mine)) if mine else None,
                }
            )
    rows = _searched(req, rows, lambda r: r["handle"], lambda r: r["full_name"])
    _order(rows, req.arg("ordering") or "-engagement", LISTENING_CREATOR_ORDERING)
    return _paginate(ctx, rows)


@router.op("social_listening_campaign_creators_add")
def campaign_creators_add(ctx: Ctx, req: Request, campaign_id: str) -> dict[str, Any]:
    cmp = _editable(ctx, campaign_id)
    body = _body(req)
    platform = body.get("platform")
    if platform not in cmp.platforms:
        raise field_error(
            "platform", f"Choose one of the campaign's platforms: {', '.join(cmp.platforms)}."
        )
    sub = _state(ctx.account).subscriptions[cmp.subscription_ids[platform]]
    return _add_creators(ctx, sub, body)


@router.op("social_listening_campaign_creators_remove")
def campaign_creators_remove(ctx: Ctx, req: Request, campaign_id: str) -> dict[str, Any]:
    """By creator ``id`` from the creators list; unknown ids are ignored (idempotent)."""
    cmp = _cmp_or_404(ctx, campaign_id)
    ids = set(_strings(_body(req), "ids"))
    removed = 0
    with ctx.account.lock:
        for sub in _campaign_subs(_state(ctx.account), cmp):
            hit = [k for k in sub.links if k in ids]
            if hit:
                _accrue(ctx.account, sub, ctx.now())
            for k in hit:
                del sub.links[k]
                removed += 1
    return {"removed": removed}


@router.op("social_listening_campaign_overview")
def campaign_overview(ctx: Ctx, req: Request, campaign_id: str) -> dict[str, Any]:
    cmp, platform, items = _campaign_view(ctx, req, campaign_id)
    subs = [
        s
        for s in _campaign_subs(_state(ctx.account), cmp)
        if not platform or s.platform == platform
    ]
    totals = _sum_metrics(items)
    totals["creators"] = sum(len(s.links) for s in subs)
    totals["active_creators"] = len({i["_link"] for i in items})
    first = cmp.window_start.date()
    last = ctx.now().date()
    if cmp.window_end is not None:
        last = min(last, cmp.end_date or last)
    trends = []
    day = first
    while day <= last:
        that = [i for i in items if i["_published"].date() == day]
        trends.append(_brief("date", day.isoformat(), that))
        day += timedelta(days=1)
    by_platform = []
    for p in cmp.platforms:
        if platform and p != platform:
            continue
        by_platform.append(_brief("platform", p, [i for i in items if i["platform"] == p]))
    order = ("creators", "active_creators", *METRICS)
    return {
        "campaign_id": cmp.id,
        "platform": platform,
        "totals": {k: totals[k] for k in order},
        "trends": trends,
        "by_platform": by_platform,
    }


@router.op("social_listening_campaign_content")
def campaign_content(ctx: Ctx, req: Request, campaign_id: str) -> dict[str, Any]:
    _cmp, _platform, items = _campaign_view(ctx, req, campaign_id)
    ordering = req.arg("ordering") or "-published_at"
    flat = [
        {
            **i,
            **{k: i["metrics"][k] for k in COUNTS},
        }
        for i in items
    ]
    _order(flat, ordering, LISTENING_CONTENT_ORDERING)
    page = _paginate(ctx, flat)
    page["results"] = [
        {k: v for k, v in i.items() if not k.startswith("_") and k not in COUNTS}
        for i in page["results"]
    ]
    return page
