"""Social listening (REFERENCE.md §14): subscriptions, campaigns, events, usage.

The shapes are §14.2 (this project's contract). Everything that moves is computed from
the synthetic world and the sandbox clock, so numbers change when the clock advances:

* **Events** are derived, not stored: each post ``world.posts(creator, start, now)`` of a
  subscribed creator becomes a ``new_post`` event, detected 2-30 minutes after
  publication (a seed-derived delay) while the subscription is active. Campaign
  subscriptions backfill from the campaign's ``start_date`` and keep only its
  ``content_types``. ``bio_change`` fires on about 3 % of creator-days;
  ``follower_threshold`` fires once, within three days of being added, for creators at or
  above the subscription's ``follower_threshold``.
* **Delivery**: with no webhook endpoint an event counts as ``sent`` (kept for the
  dashboard feed). With endpoints, each delivery is ``sending`` in its first minute and
  ends ``sent`` (about 90 %), ``failed`` (5 %) or ``retrying`` (5 %, for an hour, then sent).
* **Metrics** are ``post.metrics_at(now)``; ``engagement = likes + comments + shares``;
  ``er_percent = 100 × engagement / max(followers, 1)`` per post (a creator's and a
  total's ER is the mean over posts). **EMV** (the sandbox's own formula, not a vendor
  figure) = 0.01 × views + 0.10 × likes + 0.50 × comments + 1.00 × shares dollars.
  Daily trends (``trends``, ``trend_7d``) attribute a post's metrics to its publication day.
* **Cost**: a subscription's ``daily_cost`` = 0.01 credits × creators (per day), billed
  continuously by the sandbox clock while active; a campaign's ``credits_spent`` is the
  sum over its subscriptions. When the balance runs out active subscriptions pause;
  resuming a campaign needs one day of its cost in the balance (else 402). A campaign
  whose ``end_date`` has passed becomes ``completed``.
* ``discovery_list_ids`` name the account's discovery exclusion lists (§7), the only
  discovery lists the API exposes; their handles are added with source
  ``discovery_list``.
"""

from __future__ import annotations

import csv
import io
import math
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from ._app import Ctx, iso
from ._http import ApiError, Request, Response, Router, field_error
from ._listening_model import (
    CONTENT_TYPES,
    EVENT_TYPES,
    LIMITS,
    METRICS,
    NOT_FOUND,
    PLATFORMS,
    Campaign,
    Endpoint,
    Link,
    Listening,
    Subscription,
    _accrue,
    _all_events,
    _campaign_subs,
    _deliveries,
    _delivery_status,
    _detections,
    _event_json,
    _hex,
    _post_fields,
    _state,
    install,
)

router = Router()

__all__ = ["install", "router"]

_P = "/public/v1/social/listening/"


# ============================================================================ helpers
def _body(req: Request) -> dict[str, Any]:
    data = req.form() if req.content_type == "multipart/form-data" else req.json()
    if not isinstance(data, dict):
        raise ApiError(
            400, {"error": {"non_field_errors": ["Invalid data. Expected a dictionary."]}}
        )
    return data


def _paginate(ctx: Ctx, items: list[Any]) -> dict[str, Any]:
    """DRF page-number pagination: ``page`` (1-based), ``page_size`` (20, max 100)."""
    try:
        page = int(ctx.request.arg("page") or 1)
        size = int(ctx.request.arg("page_size") or 20)
    except ValueError:
        raise ApiError(404, {"detail": "Invalid page."}) from None
    size = min(max(size, 1), 100)
    pages = max(1, math.ceil(len(items) / size))
    if page < 1 or page > pages:
        raise ApiError(404, {"detail": "Invalid page."})
    return {
        "count": len(items),
        "next": ctx.page_url(page + 1 if page < pages else None),
        "previous": ctx.page_url(page - 1 if page > 1 else None),
        "results": items[(page - 1) * size : page * size],
    }


def _order(rows: list[dict[str, Any]], ordering: str, allowed: tuple[str, ...]) -> None:
    key = ordering.lstrip("-")
    if key not in allowed:
        raise field_error("ordering", f"Choose one of: {', '.join(allowed)} ('-' for descending).")
    rows.sort(key=lambda r: str(r["id"]))
    rows.sort(
        key=lambda r: (r[key] is None, r[key] if r[key] is not None else 0),
        reverse=ordering.startswith("-"),
    )


def _strings(body: dict[str, Any], name: str) -> list[str]:
    value = body.get(name)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise field_error(name, "Expected a list of items.")
    return [str(v) for v in value]


def _date(value: Any, name: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise field_error(
            name, "Date has wrong format. Use one of these formats instead: YYYY-MM-DD."
        ) from None


def _endpoints(ctx: Ctx, value: Any) -> list[Endpoint]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise field_error("endpoints", "Expected a list of items.")
    if len(value) > LIMITS["endpoints"]:
        raise field_error("endpoints", f"At most {LIMITS['endpoints']} endpoints.")
    out = []
    for item in value:
        url = item.get("url") if isinstance(item, dict) else item
        if not isinstance(url, str) or not url.startswith("https://") or len(url) < 12:
            raise field_error("endpoints", "Each endpoint needs an https:// url.")
        n = ctx.sandbox.next_id("endpoint")
        out.append(Endpoint("end_" + ctx.sandbox.token_hex("endpoint", n, 12), url))
    return out


def _creators_from(
    ctx: Ctx, platform: str, body: dict[str, Any]
) -> tuple[list[tuple[Any, str]], list[dict[str, str]]]:
    """(creator, source) pairs and ``invalid`` entries from handles, lists and a CSV file."""
    wanted: list[tuple[str, str]] = [(h, "handle") for h in _strings(body, "handles")]
    for list_id in _strings(body, "discovery_list_ids"):
        xl = ctx.account.exclusion_lists.get(int(list_id)) if list_id.isdigit() else None
        if xl is None or xl.platform != platform:
            raise field_error("discovery_list_ids", f"Unknown list {list_id} for {platform}.")
        wanted.extend((h, "discovery_list") for h in sorted(xl.handles))
    upload = body.get("file")
    if upload is not None:
        if not isinstance(upload, dict):
            raise field_error("file", "The submitted data was not a file.")
        rows = list(csv.reader(io.StringIO(upload["content"].decode("utf-8-sig", "replace"))))
        header = [h.strip().lower() for h in rows[0]] if rows else []
        if "handle" not in header:
            raise field_error("file", "The CSV needs a 'handle' column.")
        col = header.index("handle")
        wanted.extend((r[col].strip(), "csv") for r in rows[1:] if len(r) > col and r[col].strip())
    found, invalid = [], []
    for handle, source in wanted:
        creator = ctx.world.lookup(platform, handle)
        if creator is None:
            invalid.append({"value": handle, "reason": "not_found"})
        else:
            found.append((creator, source))
    return found, invalid


def _add_links(
    ctx: Ctx, state: Listening, sub: Subscription, pairs: list[tuple[Any, str]]
) -> tuple[int, int, list[dict[str, str]]]:
    added = skipped = 0
    invalid = []
    total = sum(len(s.links) for s in state.subscriptions.values())
    have = {link.creator.id for link in sub.links.values()}
    for creator, source in pairs:
        if creator.id in have:
            skipped += 1
            continue
        if total >= LIMITS["creators"]:
            invalid.append({"value": creator.username, "reason": "creator_limit_reached"})
            continue
        link_id = "scr_" + _hex(sub.id, creator.platform, creator.id)
        sub.links[link_id] = Link(link_id, creator, source, ctx.now())
        have.add(creator.id)
        added += 1
        total += 1
    return added, skipped, invalid


def _sub_or_404(ctx: Ctx, subscription_id: str) -> Subscription:
    sub = _state(ctx.account).subscriptions.get(subscription_id)
    if sub is None:
        raise ApiError(404, NOT_FOUND)
    return sub


def _cmp_or_404(ctx: Ctx, campaign_id: str) -> Campaign:
    cmp = _state(ctx.account).campaigns.get(campaign_id)
    if cmp is None:
        raise ApiError(404, NOT_FOUND)
    return cmp


# ============================================================================ subscriptions
def _sub_json(sub: Subscription) -> dict[str, Any]:
    return {
        "id": sub.id,
        "name": sub.name,
        "type": sub.type,
        "platform": sub.platform,
        "status": sub.status,
        "event_types": list(sub.event_types),
        "follower_threshold": sub.follower_threshold,
        "endpoints": [
            {"id": e.id, "type": "webhook", "url": e.url, "active": e.active} for e in sub.endpoints
        ],
        "creators_count": len(sub.links),
        "daily_cost": float(sub.daily_cost),
        "campaign_id": sub.campaign_id,
        "created_at": iso(sub.created_at),
        "updated_at": iso(sub.updated_at),
    }


def _link_json(link: Link) -> dict[str, Any]:
    c = link.creator
    return {
        "id": link.id,
        "handle": c.username,
        "platform": c.platform,
        "full_name": c.full_name,
        "followers": c.followers,
        "source": link.source,
        "added_at": iso(link.added_at),
    }


def _new_sub(
    ctx: Ctx,
    state: Listening,
    *,
    name: str,
    platform: str,
    kind: str,
    event_types: list[str],
    threshold: int | None,
    endpoints: list[Endpoint],
    campaign_id: str | None = None,
    active: bool = True,
) -> Subscription:
    if len(state.subscriptions) >= LIMITS["subscriptions"]:
        raise ApiError(400, {"error": f"Subscription limit reached ({LIMITS['subscriptions']})."})
    now = ctx.now()
    sb = ctx.sandbox
    sub = Subscription(
        id="sub_" + sb.token_hex("subscription", sb.next_id("subscription"), 12),
        name=name,
        type=kind,
        platform=platform,
        event_types=event_types,
        follower_threshold=threshold,
        endpoints=endpoints,
        created_at=now,
        updated_at=now,
        campaign_id=campaign_id,
        accrued_at=now,
    )
    if active:
        sub.periods.append([now, None])
    state.subscriptions[sub.id] = sub
    return sub


def _event_types(value: Any) -> list[str]:
    if value is None:
        return list(EVENT_TYPES)
    if not isinstance(value, list) or not value or any(v not in EVENT_TYPES for v in value):
        raise field_error("event_types", f"Choose from: {', '.join(EVENT_TYPES)}.")
    return [t for t in EVENT_TYPES if t in value]


def _threshold(value: Any) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise field_error("follower_threshold", "A positive integer is required.")
    return value


@router.route("GET", _P + "subscription/", name="social_listening_subscriptions_list")
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


@router.route("POST", _P + "subscription/", name="social_listening_subscriptions_create")
def subscriptions_create(ctx: Ctx, req: Request) -> Response:
    body = _body(req)
    name = body.get("name")
    if not isinstance(name, str) or not name.strip():
        raise field_error("name", "This field is required.")
    platform = body.get("platform")
    if platform not in PLATFORMS:
        raise field_error("platform", f"Choose one of: {', '.join(PLATFORMS)}.")
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
            name=name.strip(),
            platform=platform,
            kind="handles" if _strings(body, "handles") else "discovery_list",
            event_types=_event_types(body.get("event_types")),
            threshold=_threshold(body.get("follower_threshold")),
            endpoints=_endpoints(ctx, body.get("endpoints")),
        )
        _add_links(ctx, state, sub, pairs)
    return Response.json(_sub_json(sub), 201)


@router.route(
    "GET", _P + "subscription/{subscription_id}/", name="social_listening_subscriptions_get"
)
def subscriptions_get(ctx: Ctx, req: Request, subscription_id: str) -> dict[str, Any]:
    sub = _sub_or_404(ctx, subscription_id)
    out = _sub_json(sub)
    out["creators"] = [_link_json(link) for link in list(sub.links.values())[:100]]
    if sub.campaign_id:
        out["stats"] = _details(ctx, sub)["totals"]
    return out


@router.route(
    "PATCH", _P + "subscription/{subscription_id}/", name="social_listening_subscriptions_update"
)
def subscriptions_update(ctx: Ctx, req: Request, subscription_id: str) -> dict[str, Any]:
    sub = _sub_or_404(ctx, subscription_id)
    body = _body(req)
    now = ctx.now()
    if "status" in body:
        if sub.campaign_id:
            raise ApiError(
                400,
                {
                    "error": "The status of a campaign subscription follows its "
                    "campaign; update the campaign instead."
                },
            )
        if body["status"] not in ("active", "paused"):
            raise field_error("status", '"active" or "paused".')
    with ctx.account.lock:
        if "name" in body:
            if not isinstance(body["name"], str) or not body["name"].strip():
                raise field_error("name", "This field may not be blank.")
            sub.name = body["name"].strip()
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
        if "status" in body:
            _accrue(ctx.account, sub, now)
            if body["status"] == "paused":
                sub.pause(now)
            else:
                sub.activate(now)
        sub.updated_at = now
    return _sub_json(sub)


@router.route(
    "DELETE", _P + "subscription/{subscription_id}/", name="social_listening_subscriptions_delete"
)
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


@router.route(
    "GET",
    _P + "subscription/{subscription_id}/creators/",
    name="social_listening_subscription_creators_list",
)
def subscription_creators_list(ctx: Ctx, req: Request, subscription_id: str) -> dict[str, Any]:
    sub = _sub_or_404(ctx, subscription_id)
    links = list(sub.links.values())
    search = (req.arg("search") or "").lower()
    if search:
        links = [
            x
            for x in links
            if search in x.creator.username.lower() or search in x.creator.full_name.lower()
        ]
    return _paginate(ctx, [_link_json(x) for x in links])


@router.route(
    "POST",
    _P + "subscription/{subscription_id}/creators/",
    name="social_listening_subscription_creators_add",
)
def subscription_creators_add(ctx: Ctx, req: Request, subscription_id: str) -> dict[str, Any]:
    sub = _sub_or_404(ctx, subscription_id)
    return _add_creators(ctx, sub, _body(req))


def _add_creators(ctx: Ctx, sub: Subscription, body: dict[str, Any]) -> dict[str, Any]:
    if not any(body.get(k) for k in ("handles", "discovery_list_ids", "file")):
        raise ApiError(
            400,
            {"error": {"non_field_errors": ["Give handles, discovery_list_ids or a CSV file."]}},
        )
    with ctx.account.lock:
        pairs, invalid = _creators_from(ctx, sub.platform, body)
        _accrue(ctx.account, sub, ctx.now())
        added, skipped, over = _add_links(ctx, _state(ctx.account), sub, pairs)
        sub.updated_at = ctx.now()
    return {
        "added": added,
        "skipped_duplicates": skipped,
        "invalid": invalid + over,
        "creators_count": len(sub.links),
    }


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


@router.route(
    "GET",
    _P + "subscription/{subscription_id}/details/",
    name="social_listening_subscription_details",
)
def subscription_details(ctx: Ctx, req: Request, subscription_id: str) -> dict[str, Any]:
    out = _details(ctx, _sub_or_404(ctx, subscription_id))
    for row in out["daily"]:
        row.pop("_types")
    return out


@router.route(
    "GET",
    _P + "subscription/{subscription_id}/details/export/",
    name="social_listening_subscription_details_export",
)
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


# ============================================================================ campaigns
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


@router.route("GET", _P + "campaign/", name="social_listening_campaigns_list")
def campaigns_list(ctx: Ctx, req: Request) -> dict[str, Any]:
    cmps = list(_state(ctx.account).campaigns.values())
    counts = {
        s: sum(c.status == s for c in cmps) for s in ("active", "paused", "completed", "archived")
    }
    if req.arg("status"):
        cmps = [c for c in cmps if c.status == req.arg("status")]
    search = (req.arg("search") or "").lower()
    if search:
        cmps = [c for c in cmps if search in c.name.lower()]
    out = _paginate(ctx, [_cmp_json(ctx, c) for c in cmps])
    out["status_counts"] = counts
    return out


@router.route("POST", _P + "campaign/", name="social_listening_campaigns_create")
def campaigns_create(ctx: Ctx, req: Request) -> Response:
    """A campaign and one campaign subscription per platform."""
    body = _body(req)
    name = body.get("name")
    if not isinstance(name, str) or not name.strip():
        raise field_error("name", "This field is required.")
    platforms = body.get("platforms")
    if (
        not isinstance(platforms, list)
        or not platforms
        or any(p not in PLATFORMS for p in platforms)
    ):
        raise field_error("platforms", f"Choose one or more of: {', '.join(PLATFORMS)}.")
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
        if len(state.subscriptions) + len(platforms) > LIMITS["subscriptions"]:
            raise ApiError(
                400, {"error": f"Subscription limit reached ({LIMITS['subscriptions']})."}
            )
        cmp = Campaign(
            id="cmp_" + sb.token_hex("campaign", sb.next_id("campaign"), 12),
            name=name.strip(),
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


@router.route("GET", _P + "campaign/{campaign_id}/", name="social_listening_campaigns_get")
def campaigns_get(ctx: Ctx, req: Request, campaign_id: str) -> dict[str, Any]:
    return _cmp_json(ctx, _cmp_or_404(ctx, campaign_id))


@router.route("PATCH", _P + "campaign/{campaign_id}/", name="social_listening_campaigns_update")
def campaigns_update(ctx: Ctx, req: Request, campaign_id: str) -> dict[str, Any]:
    """``status`` (cascades; resuming checks credits), ``budget``, ``content_types``, ``name``."""
    cmp = _cmp_or_404(ctx, campaign_id)
    if cmp.status in ("archived", "completed"):
        raise ApiError(400, {"error": f"A {cmp.status} campaign cannot be edited."})
    body = _body(req)
    state, now = _state(ctx.account), ctx.now()
    status = body.get("status")
    if status is not None and status not in ("active", "paused"):
        raise field_error("status", '"active" or "paused".')
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
        if "name" in body:
            if not isinstance(body["name"], str) or not body["name"].strip():
                raise field_error("name", "This field may not be blank.")
            cmp.name = body["name"].strip()
        if "budget" in body:
            cmp.budget = _budget(body["budget"])
        if "content_types" in body:  # re-derives what the subscriptions detect
            cmp.content_types = _content_types(body["content_types"], cmp.platforms)
        if status is not None:
            for sub in subs:
                _accrue(ctx.account, sub, now)
                sub.pause(now) if status == "paused" else sub.activate(now)
            cmp.status = status
        cmp.updated_at = now
    return _cmp_json(ctx, cmp)


@router.route("DELETE", _P + "campaign/{campaign_id}/", name="social_listening_campaigns_archive")
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


def _link_id(sub: Subscription, c: Any) -> str:
    return "scr_" + _hex(sub.id, c.platform, c.id)


def _platform_arg(req: Request, cmp: Campaign) -> str | None:
    platform = req.arg("platform") or None
    if platform is not None and platform not in cmp.platforms:
        raise field_error("platform", f"Choose one of: {', '.join(cmp.platforms)}.")
    return platform


def _sum_metrics(items: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {"posts": len(items)}
    for k in ("views", "likes", "comments", "shares", "engagement"):
        out[k] = sum(i["metrics"][k] for i in items)
    out["er_percent"] = round(sum(i["er_percent"] for i in items) / len(items), 4) if items else 0.0
    out["emv"] = round(sum(i["emv"] for i in items), 2)
    return out


@router.route(
    "GET", _P + "campaign/{campaign_id}/creators/", name="social_listening_campaign_creators_list"
)
def campaign_creators_list(ctx: Ctx, req: Request, campaign_id: str) -> dict[str, Any]:
    """Per creator: posts, views, engagement, ER%, EMV, 7-day trend; default ``-engagement``."""
    cmp = _cmp_or_404(ctx, campaign_id)
    platform = _platform_arg(req, cmp)
    items = _campaign_posts(ctx, cmp, platform)
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
    search = (req.arg("search") or "").lower()
    if search:
        rows = [
            r for r in rows if search in r["handle"].lower() or search in r["full_name"].lower()
        ]
    _order(
        rows,
        req.arg("ordering") or "-engagement",
        (*METRICS, "followers", "handle", "full_name", "last_post_at"),
    )
    return _paginate(ctx, rows)


@router.route(
    "POST", _P + "campaign/{campaign_id}/creators/", name="social_listening_campaign_creators_add"
)
def campaign_creators_add(ctx: Ctx, req: Request, campaign_id: str) -> dict[str, Any]:
    cmp = _cmp_or_404(ctx, campaign_id)
    if cmp.status in ("archived", "completed"):
        raise ApiError(400, {"error": f"A {cmp.status} campaign cannot be edited."})
    body = _body(req)
    platform = body.get("platform")
    if platform not in cmp.platforms:
        raise field_error(
            "platform", f"Choose one of the campaign's platforms: {', '.join(cmp.platforms)}."
        )
    sub = _state(ctx.account).subscriptions[cmp.subscription_ids[platform]]
    return _add_creators(ctx, sub, body)


@router.route(
    "DELETE",
    _P + "campaign/{campaign_id}/creators/",
    name="social_listening_campaign_creators_remove",
)
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


@router.route(
    "GET", _P + "campaign/{campaign_id}/overview/", name="social_listening_campaign_overview"
)
def campaign_overview(ctx: Ctx, req: Request, campaign_id: str) -> dict[str, Any]:
    cmp = _cmp_or_404(ctx, campaign_id)
    platform = _platform_arg(req, cmp)
    items = _campaign_posts(ctx, cmp, platform)
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
        s = _sum_metrics(that)
        trends.append(
            {
                "date": day.isoformat(),
                "posts": s["posts"],
                "views": s["views"],
                "engagement": s["engagement"],
                "emv": s["emv"],
            }
        )
        day += timedelta(days=1)
    by_platform = []
    for p in cmp.platforms:
        if platform and p != platform:
            continue
        s = _sum_metrics([i for i in items if i["platform"] == p])
        by_platform.append(
            {
                "platform": p,
                "posts": s["posts"],
                "views": s["views"],
                "engagement": s["engagement"],
                "emv": s["emv"],
            }
        )
    order = (
        "creators",
        "active_creators",
        "posts",
        "views",
        "likes",
        "comments",
        "shares",
        "engagement",
        "er_percent",
        "emv",
    )
    return {
        "campaign_id": cmp.id,
        "platform": platform,
        "totals": {k: totals[k] for k in order},
        "trends": trends,
        "by_platform": by_platform,
    }


@router.route(
    "GET", _P + "campaign/{campaign_id}/content/", name="social_listening_campaign_content"
)
def campaign_content(ctx: Ctx, req: Request, campaign_id: str) -> dict[str, Any]:
    cmp = _cmp_or_404(ctx, campaign_id)
    items = _campaign_posts(ctx, cmp, _platform_arg(req, cmp))
    ordering = req.arg("ordering") or "-published_at"
    flat = [
        {
            **i,
            **{k: i["metrics"][k] for k in ("views", "likes", "comments", "shares", "engagement")},
        }
        for i in items
    ]
    _order(
        flat,
        ordering,
        (
            "published_at",
            "detected_at",
            "views",
            "likes",
            "comments",
            "shares",
            "engagement",
            "er_percent",
            "emv",
        ),
    )
    page = _paginate(ctx, flat)
    page["results"] = [
        {
            k: v
            for k, v in i.items()
            if not k.startswith("_")
            and k not in ("views", "likes", "comments", "shares", "engagement")
        }
        for i in page["results"]
    ]
    return page


# ============================================================================ events, usage
@router.route("GET", _P + "events/", name="social_listening_events_list")
def events_list(ctx: Ctx, req: Request) -> dict[str, Any]:
    """Newest first; filters ``subscription_id``, ``type``, ``creator`` (handle)."""
    events = _all_events(ctx)
    if req.arg("subscription_id"):
        events = [e for e in events if e["sub"].id == req.arg("subscription_id")]
    if req.arg("type"):
        if req.arg("type") not in EVENT_TYPES:
            raise field_error("type", f"Choose one of: {', '.join(EVENT_TYPES)}.")
        events = [e for e in events if e["type"] == req.arg("type")]
    if req.arg("creator"):
        handle = req.arg("creator", "").lstrip("@").lower()
        events = [e for e in events if e["creator"].username.lower() == handle]
    page = _paginate(ctx, events)
    page["results"] = [_event_json(ctx, e) for e in page["results"]]
    return page


@router.route("GET", _P + "events/{event_id}/", name="social_listening_events_get")
def events_get(ctx: Ctx, req: Request, event_id: str) -> dict[str, Any]:
    for ev in _all_events(ctx):
        if ev["id"] == event_id:
            out = _event_json(ctx, ev)
            out["deliveries"] = _deliveries(ctx, ev)
            return out
    raise ApiError(404, NOT_FOUND)


@router.route("GET", _P + "usage/", name="social_listening_usage")
def usage(ctx: Ctx, req: Request) -> dict[str, Any]:
    state = _state(ctx.account)
    active = [s for s in state.subscriptions.values() if s.status == "active"]
    creators = sum(len(s.links) for s in state.subscriptions.values())
    return {
        "limits": dict(LIMITS),
        "active": {
            "subscriptions": len(active),
            "creators": sum(len(s.links) for s in active),
            "campaigns": sum(c.status == "active" for c in state.campaigns.values()),
        },
        "remaining": {
            "subscriptions": LIMITS["subscriptions"] - len(state.subscriptions),
            "creators": LIMITS["creators"] - creators,
        },
    }
