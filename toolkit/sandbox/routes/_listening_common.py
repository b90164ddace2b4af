"""Helpers the social-listening routes share: bodies, paging, ordering, subscriptions and
their JSON (the rules are in ``_listening_state``)."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any, TypeVar

from .._ctx import Ctx
from .._http import REQUIRED, ApiError, Request, field_error, iso
from ._listening_state import (
    EVENT_TYPES,
    LIMITS,
    NOT_FOUND,
    Campaign,
    Endpoint,
    Link,
    Listening,
    Subscription,
    _accrue,
    _hex,
    _state,
)

_T = TypeVar("_T")


def _body(req: Request) -> dict[str, Any]:
    return req.json_object(form=True)


def _required_name(body: dict[str, Any]) -> str:
    """The ``name`` a create needs, stripped."""
    name = body.get("name")
    if not isinstance(name, str) or not name.strip():
        raise field_error("name", REQUIRED)
    return name.strip()


def _renamed(body: dict[str, Any]) -> str | None:
    """The new ``name`` of an update, stripped; ``None`` when the update leaves it."""
    if "name" not in body:
        return None
    if not isinstance(body["name"], str) or not body["name"].strip():
        raise field_error("name", "This field may not be blank.")
    return body["name"].strip()


def _status(value: Any) -> str:
    """A status an update may set."""
    if value not in ("active", "paused"):
        raise field_error("status", '"active" or "paused".')
    return str(value)


def _set_status(ctx: Ctx, sub: Subscription, status: str, now: datetime) -> None:
    """Pause or resume ``sub``, billing what it ran up to ``now`` first."""
    _accrue(ctx.account, sub, now)
    if status == "paused":
        sub.pause(now)
    else:
        sub.activate(now)


def _searched(req: Request, items: list[_T], *texts: Callable[[_T], str]) -> list[_T]:
    """``items`` whose text contains the ``search`` argument (any case), or all without one."""
    search = (req.arg("search") or "").lower()
    if not search:
        return items
    return [i for i in items if any(search in text(i).lower() for text in texts)]


def _room_for(state: Listening, n: int) -> None:
    """Refuse when ``n`` more subscriptions would pass the account's limit."""
    if len(state.subscriptions) + n > LIMITS["subscriptions"]:
        raise ApiError(400, {"error": f"Subscription limit reached ({LIMITS['subscriptions']})."})


def _link_id(sub: Subscription, creator: Any) -> str:
    """The id of ``creator``'s link in ``sub`` (the creators lists' ``id``)."""
    return "scr_" + _hex(sub.id, creator.platform, creator.id)


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
        link_id = _link_id(sub, creator)
        sub.links[link_id] = Link(link_id, creator, source, ctx.now())
        have.add(creator.id)
        added += 1
        total += 1
    return added, skipped, invalid


def _or_404(table: Mapping[str, _T], key: str) -> _T:
    found = table.get(key)
    if found is None:
        raise ApiError(404, NOT_FOUND)
    return found


def _sub_or_404(ctx: Ctx, subscription_id: str) -> Subscription:
    return _or_404(_state(ctx.account).subscriptions, subscription_id)


def _cmp_or_404(ctx: Ctx, campaign_id: str) -> Campaign:
    return _or_404(_state(ctx.account).campaigns, campaign_id)


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
        # not in the contract's subscription shape: the sandbox reports what each one
        # accrued, as a campaign reports its credits_spent (the toolkit reads it when present)
        "credits_spent": float(sub.spent),
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
    _room_for(state, 1)
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
