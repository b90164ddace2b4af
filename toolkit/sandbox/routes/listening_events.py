"""``/public/v1/social/listening/events/...`` and ``.../usage/``: derived
events with their deliveries, and the account's listening usage."""

from __future__ import annotations

from typing import Any

from .._ctx import Ctx
from .._http import ApiError, Request, Router, field_error
from ._listening_common import (
    _paginate,
)
from ._listening_state import (
    EVENT_TYPES,
    LIMITS,
    NOT_FOUND,
    _all_events,
    _deliveries,
    _event_json,
    _state,
)

router = Router()


@router.op("social_listening_events_list")
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
        handle = (req.arg("creator") or "").lstrip("@").lower()
        events = [e for e in events if e["creator"].username.lower() == handle]
    page = _paginate(ctx, events)
    page["results"] = [_event_json(ctx, e) for e in page["results"]]
    return page


@router.op("social_listening_events_get")
def events_get(ctx: Ctx, req: Request, event_id: str) -> dict[str, Any]:
    for ev in _all_events(ctx):
        if ev["id"] == event_id:
            out = _event_json(ctx, ev)
            out["deliveries"] = _deliveries(ctx, ev)
            return out
    raise ApiError(404, NOT_FOUND)


@router.op("social_listening_usage")
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
