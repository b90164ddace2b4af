"""Social listening: subscriptions, campaigns, events, usage.

The shapes are this project's contract. Everything that moves is computed from
the synthetic world and the sandbox clock, so numbers change when the clock advances:

* **Events** are derived, not stored: each post ``world.posts(creator, start, now)`` of a
  subscribed creator becomes a ``new_post`` event, detected 2-30 minutes after
  publication (a seed-derived delay) while the subscription is active. Campaign
  subscriptions backfill from the campaign's ``start_date`` and keep only its
  ``content_types``. ``bio_change`` fires on about 3 % of creator-days;
  ``follower_threshold`` fires once, when a creator's followers cross the subscription's
  ``follower_threshold`` from below (followers grow from the world's count at the moment
  the creator was added, by its monthly growth rate); a creator already at or above it
  when added never fires.
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
  sum over its subscriptions. Each subscription also reports its own ``credits_spent`` (a
  field the contract does not list; the toolkit reads it where an answer has it). When the balance runs out active subscriptions pause;
  resuming a campaign needs one day of its cost in the balance (else 402). A campaign
  whose ``end_date`` has passed becomes ``completed``.
* ``discovery_list_ids`` name the account's discovery exclusion lists, the only
  discovery lists the API exposes; their handles are added with source
  ``discovery_list``.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from toolkit._facts import (
    LISTENING_COUNTS,
    LISTENING_EVENT_TYPES,
    LISTENING_RATES,
    SANDBOX_LISTENING_RATE,
)

from .._accounts import Account
from .._accounts import to_credits as _dec
from .._ctx import Ctx
from .._http import iso

if TYPE_CHECKING:  # pragma: no cover
    from .._app import Sandbox

EVENT_TYPES = LISTENING_EVENT_TYPES
CONTENT_TYPES = {
    "instagram": ("post", "reel", "story"),
    "tiktok": ("video",),
    "youtube": ("video", "short"),
}
LIMITS = {"subscriptions": 50, "creators": 5000, "endpoints": 10}
COST_PER_CREATOR_DAY = Decimal(str(SANDBOX_LISTENING_RATE))
EMV_RATES = {"views": 0.01, "likes": 0.10, "comments": 0.50, "shares": 1.00}
NOT_FOUND = {"detail": "Not found."}
#: a post's counters (summed per creator, day and platform) and the rates built on them
COUNTS = LISTENING_COUNTS
RATES = LISTENING_RATES
METRICS = ("posts", *COUNTS, *RATES)


# ============================================================================ state
@dataclass
class Link:
    """A creator followed by a subscription."""

    id: str
    creator: Any  # world Creator
    source: str
    added_at: datetime


@dataclass
class Endpoint:
    id: str
    url: str
    active: bool = True


@dataclass
class Subscription:
    id: str
    name: str
    type: str
    platform: str
    event_types: list[str]
    follower_threshold: int | None
    endpoints: list[Endpoint]
    created_at: datetime
    updated_at: datetime
    campaign_id: str | None = None
    links: dict[str, Link] = field(default_factory=dict)  # by link id, insertion order
    periods: list[list[datetime | None]] = field(default_factory=list)  # active [from, to)
    accrued_at: datetime | None = None
    spent: Decimal = Decimal(0)

    @property
    def status(self) -> str:
        return "active" if self.periods and self.periods[-1][1] is None else "paused"

    @property
    def daily_cost(self) -> Decimal:
        return COST_PER_CREATOR_DAY * len(self.links)

    def pause(self, now: datetime) -> None:
        if self.status == "active":
            self.periods[-1][1] = now

    def activate(self, now: datetime) -> None:
        if self.status == "paused":
            self.periods.append([now, None])
            self.accrued_at = now

    def active_at(self, when: datetime) -> bool:
        return any(s is not None and s <= when and (e is None or when < e) for s, e in self.periods)


@dataclass
class Campaign:
    id: str
    name: str
    status: str
    platforms: list[str]
    content_types: list[str]
    budget: float | None
    start_date: date | None
    end_date: date | None
    created_at: datetime
    updated_at: datetime
    subscription_ids: dict[str, str] = field(default_factory=dict)

    @property
    def window_start(self) -> datetime:
        if self.start_date is None:
            return self.created_at
        return datetime.combine(self.start_date, time(0), tzinfo=UTC)

    @property
    def window_end(self) -> datetime | None:
        if self.end_date is None:
            return None
        return datetime.combine(self.end_date + timedelta(days=1), time(0), tzinfo=UTC)


@dataclass
class Listening:
    subscriptions: dict[str, Subscription] = field(default_factory=dict)
    campaigns: dict[str, Campaign] = field(default_factory=dict)


def install(sb: Sandbox) -> None:
    sb.register_tick(tick)


def _state(account: Account) -> Listening:
    return account.state.setdefault("listening", Listening())


def _hex(*parts: Any, n: int = 12) -> str:
    return hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()[:n]


def _unit(*parts: Any) -> float:
    """A stable number in [0, 1) for the given parts (the sandbox's dice)."""
    return int(_hex(*parts, n=12), 16) / 16**12


# ============================================================================ cost
def tick(sb: Sandbox, account: Account) -> None:
    """Bill active subscriptions up to the clock; pause on empty balance; end campaigns."""
    state = account.state.get("listening")
    if state is None:
        return
    now = sb.clock.now()
    with account.lock:
        for cmp in state.campaigns.values():
            end = cmp.window_end
            if end is not None and now >= end and cmp.status in ("active", "paused"):
                cmp.status = "completed"
                for sub in _campaign_subs(state, cmp):
                    _accrue(account, sub, end)
                    sub.pause(end)
        for sub in state.subscriptions.values():
            if sub.status != "active":
                continue
            if not _accrue(account, sub, now):
                for other in state.subscriptions.values():
                    other.pause(now)
                for cmp in state.campaigns.values():
                    if cmp.status == "active":
                        cmp.status = "paused"
                break


def _accrue(account: Account, sub: Subscription, now: datetime) -> bool:
    """Bill ``sub`` from its last accrual to ``now``; False when the balance ran out."""
    start = sub.accrued_at or now
    if now <= start or sub.status != "active":
        return True
    days = Decimal((now - start).total_seconds()) / Decimal(86400)
    cost = _dec(sub.daily_cost * days)
    sub.accrued_at = now
    if cost <= 0:
        return True
    paid = min(cost, max(account.balance, Decimal(0)))
    account.debit(
        paid, operation="social_listening_subscriptions_create", when=now, reference=sub.id
    )
    sub.spent += paid
    return paid == cost and account.balance > 0


def _campaign_subs(state: Listening, cmp: Campaign) -> list[Subscription]:
    return [
        state.subscriptions[s] for s in cmp.subscription_ids.values() if s in state.subscriptions
    ]


# ============================================================================ events
def _detections(ctx: Ctx, state: Listening, sub: Subscription) -> list[dict[str, Any]]:
    """Every event of ``sub`` up to now (derived from the world; see module docstring)."""
    now = ctx.now()
    if not sub.periods:
        return []
    cmp = state.campaigns.get(sub.campaign_id) if sub.campaign_id else None
    types = set(sub.event_types)
    out: list[dict[str, Any]] = []
    for link in sub.links.values():
        c = link.creator
        if "new_post" in types:
            start = cmp.window_start if cmp else link.added_at
            end = min(now, cmp.window_end) if cmp and cmp.window_end else now
            if start < end:
                for post in ctx.world.posts(c, start, end):
                    if cmp and post.content_type not in cmp.content_types:
                        continue
                    delay = timedelta(minutes=2 + 28 * _unit(post.post_id, "delay"))
                    detected = max(post.published_at + delay, link.added_at)
                    if detected <= now and sub.active_at(detected):
                        out.append(_event(sub, c, "new_post", detected, post=post))
        if "bio_change" in types:
            day = link.added_at.date()
            while datetime.combine(day, time(0), tzinfo=UTC) <= now:
                if _unit(c.platform, c.id, day, "bio") < 0.03:
                    at = datetime.combine(day, time(0), tzinfo=UTC) + timedelta(
                        seconds=int(86400 * _unit(c.id, day, "bio-at"))
                    )
                    if link.added_at <= at <= now and sub.active_at(at):
                        out.append(_event(sub, c, "bio_change", at, day=day))
                day += timedelta(days=1)
        threshold = sub.follower_threshold
        if "follower_threshold" in types and threshold is not None:
            crossed = _crossing(c, link.added_at, threshold)
            if crossed is not None and crossed <= now and sub.active_at(crossed):
                out.append(_event(sub, c, "follower_threshold", crossed, threshold=threshold))
    return out


def _crossing(c: Any, added: datetime, threshold: int) -> datetime | None:
    """When ``c``'s followers, growing at its monthly rate from the moment it was added,
    cross ``threshold`` from below; None if they were already at or above it (no crossing)
    or never reach it (no growth)."""
    start = followers_since(c, added, added)
    if start >= threshold or c.growth_monthly <= 0:
        return None
    months = math.log(threshold / max(start, 1)) / math.log1p(c.growth_monthly / 100)
    return added + timedelta(days=30 * months)


def followers_since(c: Any, added: datetime, when: datetime) -> int:
    """``c``'s followers at ``when`` for a subscription that added it at ``added``: its world
    count then, growing by its monthly growth rate (30-day months)."""
    months = max((when - added).total_seconds(), 0.0) / (30 * 86400)
    return round(c.followers * (1 + c.growth_monthly / 100) ** months)


def _event(
    sub: Subscription,
    c: Any,
    kind: str,
    at: datetime,
    *,
    post: Any = None,
    day: date | None = None,
    threshold: int | None = None,
) -> dict[str, Any]:
    ref = post.post_id if post is not None else (day or threshold)
    return {
        "id": "evt_" + _hex(sub.id, kind, c.id, ref, n=16),
        "type": kind,
        "sub": sub,
        "creator": c,
        "at": at,
        "post": post,
        "day": day,
        "threshold": threshold,
    }


def _all_events(ctx: Ctx) -> list[dict[str, Any]]:
    state = _state(ctx.account)
    events = [e for sub in state.subscriptions.values() for e in _detections(ctx, state, sub)]
    events.sort(key=lambda e: (e["at"], e["id"]), reverse=True)
    return events


def _deliveries(ctx: Ctx, ev: dict[str, Any]) -> list[dict[str, Any]]:
    now = ctx.now()
    out = []
    for ep in ev["sub"].endpoints:
        age = (now - ev["at"]).total_seconds()
        roll = _unit(ev["id"], ep.id, "delivery")
        if age < 60:
            status, attempts, code = "sending", 1, None
        elif roll < 0.05:
            status, attempts, code = "failed", 5, 500
        elif roll < 0.10 and age < 3600:
            status, attempts, code = "retrying", 2, 503
        else:
            status, attempts, code = "sent", 1 if roll >= 0.10 else 3, 200
        last = ev["at"] + timedelta(seconds=min(age, 5 * attempts))
        out.append(
            {
                "endpoint_id": ep.id,
                "url": ep.url,
                "status": status,
                "attempts": attempts,
                "last_attempt_at": iso(last),
                "response_code": code,
            }
        )
    return out


def _delivery_status(ctx: Ctx, ev: dict[str, Any]) -> str:
    statuses = [d["status"] for d in _deliveries(ctx, ev)]
    for status in ("sending", "retrying", "failed", "pending"):
        if status in statuses:
            return status
    return "sent"


def _post_fields(ctx: Ctx, post: Any, followers: int) -> dict[str, Any]:
    m = post.metrics_at(ctx.now())
    engagement = m["likes"] + m["comments"] + m["shares"]
    return {
        "post_id": post.post_id,
        "url": post.url,
        "caption": post.caption,
        "content_type": post.content_type,
        "media": [dict(x) for x in post.media],
        "published_at": iso(post.published_at),
        "metrics": {
            **{k: m[k] for k in ("views", "likes", "comments", "shares")},
            "engagement": engagement,
        },
        "er_percent": round(100 * engagement / max(followers, 1), 4),
        "emv": round(sum(EMV_RATES[k] * m[k] for k in EMV_RATES), 2),
    }


def _event_json(ctx: Ctx, ev: dict[str, Any]) -> dict[str, Any]:
    c, sub = ev["creator"], ev["sub"]
    if ev["type"] == "new_post":
        payload = _post_fields(ctx, ev["post"], c.followers)
    elif ev["type"] == "bio_change":
        payload = {
            "old_bio": f"{c.full_name} | creator",
            "new_bio": f"{c.full_name} | "
            f"collabs: {c.username}@mail (updated {ev['day'].isoformat()})",
        }
    else:
        link_added = next(
            (x.added_at for x in sub.links.values() if x.creator.id == c.id), ev["at"]
        )
        payload = {
            "threshold": ev["threshold"],
            "followers": max(ev["threshold"], followers_since(c, link_added, ev["at"])),
        }
    return {
        "id": ev["id"],
        "type": ev["type"],
        "subscription_id": sub.id,
        "campaign_id": sub.campaign_id,
        "platform": sub.platform,
        "creator": {"id": c.id, "handle": c.username, "full_name": c.full_name},
        "occurred_at": iso(ev["at"]),
        "delivery_status": _delivery_status(ctx, ev),
        "payload": payload,
    }
