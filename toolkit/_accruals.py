"""Recurring costs as ledger entries: what listening subscriptions and campaigns accrued.

Listening is billed per creator and day while a subscription runs (each reports its
``daily_cost``; a campaign reports its ``credits_spent``), with no request to pin the charge
on. So whenever an answer shows what an object has spent so far (a campaign's
``credits_spent``, a subscription's where the answer has one), the client compares it with
what it last saw of that object and writes the difference to the ledger as an entry of
``kind="accrual"``, and spends it on every open budget.

"Last seen" lives in the store (namespace ``"listening_accruals"``, filed under the cache's
scope: server and credential, never the credential; each object by its id and
``created_at``, and a ``credits_spent`` lower than the one remembered starts a new
baseline, since a fresh sandbox reuses ids), so no difference is counted twice, by
this process or another sharing the store; a short claim keeps two processes from writing
the same difference at once (the loser simply leaves it to the winner). The first sighting
of an object only sets its baseline: what it accrued before the toolkit saw it (created
elsewhere, or before this store) is not put in a ledger, and ``listening.spend()`` still
shows it. Campaign-backed subscriptions are counted through their campaign, never twice.
"""

from __future__ import annotations

import json
import threading
import warnings
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from toolkit._operations import operation
from toolkit._results import rows_of

if TYPE_CHECKING:  # pragma: no cover
    from toolkit._budget import Budgets
    from toolkit._results import Result
    from toolkit.cache import Cache
    from toolkit.credits import Ledger

__all__ = ["NAMESPACE", "OBSERVED", "observe", "observe_objects"]

NAMESPACE = "listening_accruals"
#: The answers that show what listening objects spent so far.
OBSERVED = frozenset(
    {
        "social_listening_campaigns_list",
        "social_listening_campaigns_create",
        "social_listening_campaigns_get",
        "social_listening_campaigns_update",
        "social_listening_subscriptions_list",
        "social_listening_subscriptions_create",
        "social_listening_subscriptions_get",
        "social_listening_subscriptions_update",
    }
)
_memory: dict[str, float] = {}  # when the store fails: last seen, for this process only
_memory_lock = threading.Lock()


def observe(result: Result, *, budgets: Budgets, ledger: Ledger, cache: Cache) -> None:
    """Write what the objects in ``result`` accrued since last seen (see the module doc) to
    the client's ``ledger`` and ``budgets``, remembering what was seen in ``cache``'s store."""
    if result.operation not in OBSERVED:
        return
    data = result.data
    objects = rows_of(data) if result.operation.endswith("_list") else [data]
    observe_objects(objects or [], budgets=budgets, ledger=ledger, cache=cache)


def observe_objects(
    objects: Iterable[Any], *, budgets: Budgets, ledger: Ledger, cache: Cache
) -> float:
    """Record the accruals of these campaign / subscription objects; the credits recorded."""
    total = 0.0
    for obj in objects:
        spent = _spent(obj)
        if spent is None:
            continue
        kind = "campaign" if "platforms" in obj else "subscription"
        path = operation(f"social_listening_{kind}s_get").path.format(**{f"{kind}_id": obj["id"]})
        delta = _claim(cache, _identity(obj), spent)
        if delta > 0:
            budgets.accrue(str(obj["id"]), delta)
            ledger.record(
                time=datetime.now(UTC),
                operation=f"listening_{kind}_accrual",
                method="ACCRUAL",
                path=path,
                status=None,
                credits_cost=delta,
                credits_left=None,
                attempts=0,
                duration_s=0.0,
                kind="accrual",
            )
            total += delta
    return round(total, 4)


def _spent(obj: Any) -> float | None:
    """What a campaign or a stand-alone subscription reports as spent so far, else None
    (a campaign-backed subscription counts through its campaign)."""
    if not isinstance(obj, Mapping) or obj.get("id") is None:
        return None
    if obj.get("campaign_id") is not None and "platforms" not in obj:
        return None
    value = obj.get("credits_spent")
    try:
        return None if value is None or isinstance(value, bool) else float(value)
    except (TypeError, ValueError):
        return None


def _identity(obj: Mapping[str, Any]) -> str:
    """An object's id and creation time: ids repeat across fresh sandboxes (and could on a
    server reset), and a baseline kept for another object would hide this one's accruals."""
    created = obj.get("created_at")
    return f"{obj['id']}@{created}" if created else str(obj["id"])


def _claim(cache: Cache, object_id: str, spent: float) -> float:
    """The part of ``spent`` not yet recorded for ``object_id`` (0 on a first sighting),
    remembered so it is never recorded again. A ``spent`` below the one remembered is
    another object under the same identity (spend never goes down): its baseline restarts."""
    key = f"{cache.scope}/{object_id}"
    try:
        store = cache.store
        if not store.add(NAMESPACE, key + "#claim", b"1", ttl=30):
            return 0.0  # another process is recording this object right now
        try:
            raw = store.get(NAMESPACE, key)
            last = float(json.loads(raw)["spent"]) if raw else None
            if last is not None and spent < last - 1e-9:
                last = None  # not the object remembered: a new baseline
            if last is None or spent > last + 1e-9:
                store.put(NAMESPACE, key, json.dumps({"spent": spent}).encode())
        finally:
            store.delete(NAMESPACE, key + "#claim")
    except Exception as exc:  # a broken store must not lose the accrual: this process keeps it
        warnings.warn(
            f"listening accruals: the store failed ({type(exc).__name__}); what was seen is "
            "kept for this process only",
            UserWarning,
            stacklevel=3,
        )
        with _memory_lock:
            last = _memory.get(key)
            if last is not None and spent < last - 1e-9:
                last = None
            if last is None or spent > last:
                _memory[key] = spent
    if last is None:
        return 0.0
    return round(max(spent - last, 0.0), 6)
