"""What listening costs: the guard on creates that start a recurring cost, and ``spend()``.

A listening create is a free request that starts a cost per creator and day
(``daily_cost``) until the subscription or campaign ends. So before sending one the client
projects it (creators × rate × days to its ``end_date``; the rate from
``ClientConfig.listening_credits_per_creator_day``, else the account's subscriptions, else
on the sandbox the sandbox's rate) and, while a budget is open, refuses a create without an
end date or whose projection does not fit; an admitted projection is held on the budgets
until it accrues (``toolkit._accruals``). Without a budget, an open-ended create warns with
its daily cost. :func:`spend_flow` builds ``client.listening.spend()``'s table.

The flows here are generators of calls, like ``toolkit._reconcile``'s: written once, driven
by either client (``Resource._flow``).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Generator, Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from toolkit import _facts
from toolkit._exceptions import BudgetExceededError, InfluencersClubError, caller_stacklevel
from toolkit._results import Result, next_drf_page
from toolkit.credits import Estimate, recurring

if TYPE_CHECKING:  # pragma: no cover
    from toolkit._call import Call
    from toolkit._core import BaseClient

__all__ = [
    "ListeningCostWarning",
    "ListeningSpend",
    "RecurringCostError",
    "guard_flow",
    "server_now",
    "spend_flow",
]

T = TypeVar("T")
#: A flow: yields the calls to send, is sent their results, returns what it built.
Flow = Generator["Call", Result, T]


class ListeningCostWarning(UserWarning):
    """A listening create starts a cost with no end, or on the sandbox a date past its clock."""


class RecurringCostError(BudgetExceededError):
    """A listening create's recurring cost cannot be held to the open budget; nothing was sent."""

    def __init__(self, operation: str, message: str, estimate: float, remaining: float) -> None:
        InfluencersClubError.__init__(self, f"{operation}: {message}; nothing was sent")
        self.operation = operation
        self.estimate = estimate
        self.remaining = remaining


# ---------------------------------------------------------------------------- lists
def every_row(list_call: Callable[[int], Call]) -> Flow[list[Any]]:
    """Every item of a DRF list, page after page."""
    out: list[Any] = []
    page: int | None = 1
    while page is not None:
        listed = yield list_call(page)
        out += [o for o in (listed.rows or []) if isinstance(o, Mapping)]
        page = next_drf_page(listed, page)
    return out


# ---------------------------------------------------------------------------- time
def server_now(client: BaseClient[Any]) -> datetime:
    """The API's "now": the in-process sandbox's clock, else the wall clock (UTC)."""
    sb = getattr(client, "sandbox", None)
    return sb.clock.now() if sb is not None else datetime.now(UTC)


def _as_date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _end_of(day: date) -> datetime:
    """A campaign runs through its end date: the instant the next day starts (UTC)."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=UTC)


def _when(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None


def warn_dates(client: BaseClient[Any], operation: str, start: Any, end: Any) -> None:
    """On the in-process sandbox (whose "now" moves only when told), warn when a
    ``start_date`` lies past its date: billing starts now, detection only then; or when an
    ``end_date`` has already passed (the campaign completes at once)."""
    sb = getattr(client, "sandbox", None)
    if sb is None:
        return
    now = sb.clock.now()
    day = _as_date(start)
    if day is not None and day > now.date():
        warnings.warn(
            f"{operation}: start_date {day} is {(day - now.date()).days} days after the "
            f"sandbox's date ({now:%Y-%m-%d %H:%M} UTC): creators are billed from now but no "
            "post is detected before the start date; client.sandbox.clock.now() reads the "
            "sandbox's date and client.sandbox.clock.advance(days=...) moves it",
            ListeningCostWarning,
            stacklevel=caller_stacklevel(),
        )
    day = _as_date(end)
    if day is not None and _end_of(day) <= now:
        warnings.warn(
            f"{operation}: end_date {day} is before the sandbox's date ({now:%Y-%m-%d}): "
            "the campaign is completed at once",
            ListeningCostWarning,
            stacklevel=caller_stacklevel(),
        )


# ---------------------------------------------------------------------------- the rate
def observed_rate(subscriptions: Iterable[Any]) -> float | None:
    """Credits per creator and day the account's subscriptions show (the highest), if any."""
    rates = []
    for s in subscriptions:
        if not isinstance(s, Mapping):
            continue
        cost, n = s.get("daily_cost"), s.get("creators_count")
        if isinstance(cost, int | float) and isinstance(n, int) and n > 0:
            rates.append(float(cost) / n)
    return round(max(rates), 6) if rates else None


def known_rate(client: BaseClient[Any]) -> tuple[float | None, str]:
    """The rate without asking the API: the setting, or on the sandbox its rate."""
    setting = client.config.listening_credits_per_creator_day
    if setting is not None:
        return float(setting), "ClientConfig.listening_credits_per_creator_day"
    if client.is_sandbox:
        return _facts.SANDBOX_LISTENING_RATE, "the sandbox's rate"
    return None, "at the account's rate per creator and day (each subscription's daily_cost)"


def rate_flow(
    client: BaseClient[Any], list_subs: Callable[[int], Call]
) -> Flow[tuple[float | None, str]]:
    """The listening rate and where it came from (the module doc says in which order)."""
    setting = client.config.listening_credits_per_creator_day
    if setting is not None:
        return float(setting), "ClientConfig.listening_credits_per_creator_day"
    listed = yield list_subs(1)
    rate = observed_rate(listed.rows or [])
    if rate is not None:
        return rate, "the highest daily_cost / creators_count of the account's subscriptions"
    if client.is_sandbox:
        return _facts.SANDBOX_LISTENING_RATE, "the sandbox's rate"
    return None, (
        "unknown: the account has no subscription to read a daily_cost from; set "
        "ClientConfig(listening_credits_per_creator_day=...)"
    )


# ---------------------------------------------------------------------------- the guard
def guard_flow(
    client: BaseClient[Any],
    operation: str,
    *,
    creators: int,
    end_date: Any,
    start_date: Any = None,
    more: str = "",
    list_subs: Callable[[int], Call],
) -> Flow[Estimate | None]:
    """Check a create that starts a recurring cost before it is sent (module doc).

    Returns the projection to hold on the open budgets once created (None when none is
    open or nothing recurs yet). ``more``: creators the count leaves out (discovery lists).
    """
    warn_dates(client, operation, start_date, end_date)
    budgets = client._budgets
    capped = budgets.open
    if creators == 0 and not more:
        return None  # nothing is watched yet: adding creators later starts the cost
    if not capped and end_date is not None:
        return None
    if capped:
        rate, source = yield from rate_flow(client, list_subs)
    else:  # only a warning to word: no request for it (a create stays one request)
        rate, source = known_rate(client)
    what = f"{creators} creator{'s' if creators != 1 else ''}{more}"
    if end_date is None:
        daily = f"{creators * rate:g} credits a day ({source})" if rate is not None else source
        if not capped and rate is None:
            daily = f"credits every day {source}"
        if capped:
            raise RecurringCostError(
                operation,
                f"it starts a recurring cost ({what}: {daily}) with no end date, which no "
                "budget can hold; give end_date= (campaigns), or create it outside the budget",
                float("inf"),
                max(budgets.left or 0.0, 0.0),
            )
        warnings.warn(
            f"{operation}: {what} accrue {daily} until you pause, archive or delete it "
            "(no end date); client.listening.spend() shows what it has cost",
            ListeningCostWarning,
            stacklevel=caller_stacklevel(),
        )
        return None
    if rate is None:
        raise RecurringCostError(
            operation, f"its recurring cost cannot be priced: rate {source}", 0.0, 0.0
        )
    est = recurring(
        operation,
        creators=creators,
        end_date=_as_date(end_date),
        now=server_now(client),
        rate=rate,
        rate_source=source,
    )
    left = budgets.left
    if left is not None and float(est) > left + 1e-9:
        raise RecurringCostError(
            operation,
            f"projected {float(est):g} credits to its end date ({est.assumed}) but only "
            f"{max(left, 0):g} left of the budget; shorten it, watch fewer creators or "
            "raise the budget",
            float(est),
            max(left, 0.0),
        )
    return est


def commit(client: BaseClient[Any], result: Result, projection: Estimate | None) -> None:
    """Hold an admitted create's projection on the open budgets until it accrues."""
    data = result.data
    if projection is not None and isinstance(data, Mapping) and data.get("id") is not None:
        client._budgets.commit(str(data["id"]), float(projection))


# ---------------------------------------------------------------------------- spend()
class ListeningSpend:
    """``client.listening.spend()``: one row per campaign and stand-alone subscription.

    Columns: daily cost, days running, ``accrued`` so far (``accrued_basis`` says whether the
    API reported it or it is daily cost × days), ``ends`` (its end date, or
    ``"open-ended"``) and ``projected`` to that end (null when open-ended), the campaign's
    ``budget`` and whether spending passed it. ``total`` is everything accrued;
    ``projected_total`` None while something is open-ended.
    """

    def __init__(self, rows: list[dict[str, Any]], now: datetime) -> None:
        self.rows = rows
        self.now = now

    @property
    def total(self) -> float:
        """Credits accrued so far, every row."""
        return round(sum(r["accrued"] or 0.0 for r in self.rows), 4)

    @property
    def daily(self) -> float:
        """Credits a day of what is running now."""
        return round(sum(r["daily_cost"] or 0.0 for r in self.rows if r["status"] == "active"), 4)

    @property
    def projected_total(self) -> float | None:
        """Accrued plus what runs until its end date; None while a row is open-ended."""
        if any(r["projected"] is None for r in self.rows):
            return None
        return round(sum(float(r["projected"]) for r in self.rows), 4)

    def to_polars(self) -> Any:
        """The rows as a polars DataFrame (the declared table ``listening.spend``)."""
        from toolkit.frames._listening_campaigns import spend

        return spend(self.rows)

    def to_pandas(self) -> Any:
        """The rows as a pandas DataFrame, derived from :meth:`to_polars`."""
        from toolkit.frames import to_pandas

        return to_pandas(self.to_polars())

    def __len__(self) -> int:
        return len(self.rows)

    def __repr__(self) -> str:
        ahead = self.projected_total
        end = f"{ahead:g} by their end dates" if ahead is not None else "open-ended"
        return (
            f"ListeningSpend({len(self.rows)} rows, accrued {self.total:g} credits, "
            f"{self.daily:g} a day now, projected {end}; as of {self.now:%Y-%m-%d %H:%M} UTC)"
        )

    def _repr_html_(self) -> str:
        html = str(self.to_pandas()._repr_html_())
        return f"<p>{self!r}</p>{html}"


def spend_flow(
    client: BaseClient[Any],
    list_campaigns: Callable[[int], Call],
    list_subs: Callable[[int], Call],
) -> Flow[ListeningSpend]:
    """List every campaign and subscription (their accruals reach the ledger on the way)."""
    campaigns = yield from every_row(list_campaigns)
    subs = yield from every_row(list_subs)
    now = server_now(client)
    daily_of: dict[str, float] = {}
    for s in subs:
        if s.get("campaign_id") is not None:
            cid = str(s["campaign_id"])
            daily_of[cid] = daily_of.get(cid, 0.0) + float(s.get("daily_cost") or 0.0)
    rows = [_row("campaign", c, daily_of.get(str(c.get("id")), 0.0), now) for c in campaigns]
    rows += [
        _row("subscription", s, float(s.get("daily_cost") or 0.0), now)
        for s in subs
        if s.get("campaign_id") is None
    ]
    return ListeningSpend(rows, now)


def _row(kind: str, obj: Mapping[str, Any], daily: float, now: datetime) -> dict[str, Any]:
    started = _when(obj.get("created_at"))
    end_day = _as_date(obj.get("end_date"))
    end = _end_of(end_day) if end_day is not None else None
    status = str(obj.get("status") or "")
    running = status == "active"
    # a paused or archived one stopped when last updated; a completed one at its end date
    stop = now if running or status == "completed" else (_when(obj.get("updated_at")) or now)
    if end is not None:
        stop = min(stop, end)
    days = max((stop - started).total_seconds() / 86400, 0.0) if started else None
    spent = obj.get("credits_spent")
    reported = isinstance(spent, int | float) and not isinstance(spent, bool)
    accrued = float(spent) if reported and spent is not None else round(daily * (days or 0.0), 4)
    left = max((end - now).total_seconds() / 86400, 0.0) if end is not None and running else 0.0
    open_ended = running and end is None
    budget = obj.get("budget")
    platforms = obj.get("platforms") if kind == "campaign" else [obj.get("platform")]
    return {
        "kind": kind,
        "id": obj.get("id"),
        "name": obj.get("name"),
        "platforms": ", ".join(str(p) for p in platforms or [] if p),
        "status": status,
        "creators": obj.get("creators_count"),
        "daily_cost": round(daily, 6),
        "started_at": started,
        "days_running": None if days is None else round(days, 3),
        "accrued": round(accrued, 4),
        "accrued_basis": "reported" if reported else "estimated",
        "ends": "open-ended" if open_ended else (str(end_day) if end_day else status),
        "days_left": None if open_ended else round(left, 3),
        "projected": None if open_ended else round(accrued + daily * left, 4),
        "budget": budget if isinstance(budget, int | float) else None,
        "over_budget": bool(isinstance(budget, int | float) and accrued > budget),
    }
