"""What calls cost: the price table, worst-case estimates, and the ledger of every call.

Every paid call of the Influencers Club API spends credits, charged
only when data comes back. :func:`estimate` gives a call's *worst case* before it is sent
(a discovery page of ``limit`` creators costs at most ``limit × 0.01``), which is what a
client ``budget=`` checks. :class:`Ledger` records what actually happened.

>>> from toolkit.credits import estimate
>>> estimate("discovery_search", limit=50)
0.5
>>> estimate("enrich_handle_full")
1.0
>>> estimate("batch_create", enrichment_mode="raw", rows=1000)
30.0
>>> estimate("batch_create", enrichment_mode="raw", rows=["a", "A", "@a", "b"])  # 2 after de-dup
0.06
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from toolkit import _facts, _operations
from toolkit._format import number
from toolkit._prices import PRICES, Prices

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    import polars as pl

_log = logging.getLogger("toolkit")

__all__ = [
    "OPERATIONS",
    "PRICES",
    "RECURRING",
    "Estimate",
    "Ledger",
    "Prices",
    "estimate",
    "unpriced",
]


#: Operations that are charged per creator returned (page paging).
PER_CREATOR = frozenset(op.name for op in _operations.BY_NAME.values() if op.price == "per_creator")

#: Every operation name :func:`estimate` knows: the table's (``toolkit._operations``).
OPERATIONS = frozenset(_operations.OPERATIONS)


def estimate(operation: str, *, prices: Prices = PRICES, **params: Any) -> float:
    """Worst-case credits of ``operation`` (a name from docs/api.md): of the call, and for a
    listening create (free itself) of the recurring cost it starts (:func:`recurring`).

    >>> estimate("social_listening_campaigns_create", creators=6, days=28)
    1.68 credits (6 creators × 0.01 credits per creator-day × 28 days; rate: the sandbox's ...)
    """
    if operation in RECURRING:
        _check_names(operation, params)
        return recurring(operation, **params)
    return request_cost(operation, prices=prices, **params)


def request_cost(operation: str, *, prices: Prices = PRICES, **params: Any) -> float:
    """Worst-case credits of one call of ``operation`` (a name from docs/api.md).

    Parameters used: ``limit`` (or ``paging={"limit": n}``) for one discovery/similar
    page, ``max_results`` for a crawl of them (``search_all``); ``rows`` (a count, or the
    handles/emails themselves: counted after the same de-duplication the batch upload
    does; ``handles=``/``emails=`` as ``batch.create`` names them), ``enrichment_mode`` and
    optionally ``platform`` for ``batch_create``.
    Free operations cost 0; a name that is no operation raises ``ValueError`` (a typo must
    not read as "free"), and so does a batch with no rows or mode.
    """
    if operation not in OPERATIONS:
        import difflib

        close = difflib.get_close_matches(operation, sorted(OPERATIONS), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else " (see docs/api.md)"
        raise ValueError(f"unknown operation {operation!r}{hint}")
    _check_names(operation, params)
    if operation in PER_CREATOR:
        paging = params.get("paging")
        limit = params.get("limit")
        if limit is None and isinstance(paging, Mapping):
            limit = paging.get("limit")
        limit = int(limit if limit is not None else _facts.DISCOVERY_MAX_LIMIT)
        crawl = params.get("max_results")
        if crawl is not None:  # a crawl's worst case: every creator its pages may hold
            limit = crawl_reach(limit, int(crawl))
        return round(prices.per_creator * limit, 4)
    if operation == "batch_create":
        mode = params.get("enrichment_mode")
        if mode not in BATCH_MODES:
            got = "no enrichment_mode" if mode is None else f"enrichment_mode={mode!r}"
            raise ValueError(
                f"batch_create: {got}; the price depends on it, give one of "
                f"{', '.join(BATCH_MODES)}"
            )
        given = [k for k in ("rows", "handles", "emails") if params.get(k) is not None]
        if not given:
            hint = (
                " (estimate counts rows, it does not read files: toolkit.jobs.read_csv(path)"
                ".values gives them)"
                if "file" in params
                else ""
            )
            raise ValueError(f"batch_create: rows= is needed, a count or the handles{hint}")
        rows = _row_count(params[given[0]], mode, params.get("platform"))
        return round(rows * prices.batch_row(mode), 4)
    return float(prices.per_call().get(operation, 0.0))


def crawl_page_size(limit: int, max_results: int) -> int:
    """Page size of a crawl for ``max_results``: pages as full as ``limit`` allows,
    overshooting as little as possible (the size cannot change mid-crawl: pages are
    offsets)."""
    pages = -(-max_results // limit)
    return -(-max_results // pages)


def crawl_reach(limit: int, max_results: int) -> int:
    """Creators a crawl's pages may hold at most (what it may be charged for): a whole
    last page, so up to one creator a page past ``max_results``; never past the 10,000
    discovery reaches."""
    size = crawl_page_size(limit, max_results)
    return min(-(-max_results // size) * size, _facts.MAX_REACHABLE)


#: Creates that start a recurring cost: the request is free, the listening it starts accrues
#: each subscription's ``daily_cost`` until it ends (docs/api.md, "Recurring costs").
RECURRING = _operations.operations(
    "social_listening_subscriptions_create", "social_listening_campaigns_create"
)


class Estimate(float):
    """A worst case in credits that says what it assumed (``.assumed``) and, for recurring
    costs, what they cost a day (``.daily``); ``inf`` for a cost with no end."""

    assumed: str
    daily: float

    def __new__(cls, value: float, *, daily: float, assumed: str) -> Estimate:
        self = super().__new__(cls, value)
        self.daily, self.assumed = daily, assumed
        return self

    def __repr__(self) -> str:
        return f"{float(self):.4g} credits ({self.assumed})"


def creators_in(handles: Any) -> int:
    """Creators a listening create watches: handles (a list, or platform -> list, as a
    campaign takes them) counted once per platform, ``@`` and case ignored."""
    if handles is None:
        return 0
    if isinstance(handles, str):
        handles = [handles]
    groups = handles.values() if isinstance(handles, Mapping) else [handles]
    return sum(
        len({str(h).strip().lstrip("@").casefold() for h in g if str(h).strip()}) for g in groups
    )


def days_until(end_date: Any, now: datetime | None = None) -> float:
    """Days (fractional) from ``now`` (default: the wall clock, UTC) to the end of
    ``end_date`` (a ``date`` or ISO string; a campaign runs through its end date)."""
    from datetime import UTC, date, time, timedelta

    end = date.fromisoformat(end_date) if isinstance(end_date, str) else end_date
    if isinstance(end, datetime):
        end = end.date()
    if not isinstance(end, date):
        raise TypeError(f"end_date must be a date or 'YYYY-MM-DD', not {type(end_date).__name__}")
    stop = datetime.combine(end + timedelta(days=1), time(0), tzinfo=UTC)
    return max((stop - (now or datetime.now(UTC))).total_seconds() / 86400, 0.0)


def recurring(
    operation: str,
    *,
    handles: Any = None,
    creators: int | None = None,
    end_date: Any = None,
    days: float | None = None,
    now: datetime | None = None,
    rate: float | None = None,
    rate_source: str | None = None,
    **_ignored: Any,
) -> Estimate:
    """What a listening create will cost until it ends: creators × rate × days.

    ``creators`` (or the ``handles`` themselves), ``end_date`` (billing runs from creation,
    now, through the end date) or ``days``; ``rate`` in credits per creator-day, by default
    the sandbox's (the API documents none: a client reads it from the account's
    subscriptions). With no end the worst case is unbounded: ``inf``, with ``.daily`` set.
    """
    n = creators if creators is not None else creators_in(handles)
    if creators is None and handles is None:
        raise ValueError(
            f"{operation}: the request is free but starts a recurring cost per creator and "
            "day; give handles= (or creators=) and end_date= (or days=) to price it"
        )
    if rate is None:
        rate = _facts.SANDBOX_LISTENING_RATE
        rate_source = rate_source or (
            "the sandbox's rate; the API documents none, so pass rate= the daily_cost / "
            "creators_count your subscriptions show"
        )
    daily = round(n * rate, 6)
    how = f"{n} creator{'s' if n != 1 else ''} × {rate:g} credits per creator-day"
    why = f"; rate: {rate_source}" if rate_source else ""
    if days is None and end_date is None:
        return Estimate(
            float("inf"), daily=daily, assumed=f"open-ended: {how} = {daily:g} a day{why}"
        )
    span = float(days) if days is not None else days_until(end_date, now)
    return Estimate(round(daily * span, 4), daily=daily, assumed=f"{how} × {span:.4g} days{why}")


#: The enrichment modes of a batch job, in the order the batch docs list them.
BATCH_MODES = ("raw", "full", "basic", "advanced")
#: The parameters :func:`estimate` reads; another name close to one of them is a typo.
_READ = (
    "limit",
    "paging",
    "max_results",
    "rows",
    "handles",
    "emails",
    "enrichment_mode",
    "platform",
    "creators",
    "end_date",
    "days",
    "now",
    "rate",
)


def _check_names(operation: str, params: Mapping[str, Any]) -> None:
    """Refuse a misspelt parameter (``limt=5``): ignored, it would price the default."""
    import difflib

    for name in params:
        if name in _READ:
            continue
        close = difflib.get_close_matches(name, _READ, n=1, cutoff=0.75)
        if close:
            raise TypeError(
                f"estimate({operation!r}): unknown parameter {name!r}; did you mean {close[0]!r}?"
            )


def _row_count(rows: Any, mode: str, platform: str | None) -> int:
    """A row count as given, or how many rows the batch workflow would upload for these
    handles/emails: the same normalising and de-duplication (``toolkit.jobs.prepare``),
    invalid ones left out."""
    if rows is None or isinstance(rows, int | float):
        return int(rows or 0)
    if isinstance(rows, str | bytes):
        raise TypeError("rows= is a count or a list of handles/emails, not one string")
    from toolkit.jobs._inputs import EMAIL_MODES, prepare  # jobs build on credits, not back

    kind = "email" if mode in EMAIL_MODES else "handle"
    return len(prepare(rows, platform, kind=kind, any_platform=True).values)


#: The keys of a ledger entry (the frames converter "ledger" reads exactly these).
LEDGER_KEYS = (
    "time",
    "operation",
    "method",
    "path",
    "status",
    "credits_cost",
    "credits_left",
    "attempts",
    "duration_s",
    "cached",
    "credits_saved",
    "kind",
    "uncertain_cost",
)


def unpriced(paid: bool, estimate: float, outcome: object) -> float:
    """The client's price of a paid operation whose answer named no ``credits_cost``: the
    ledger keeps 0.0 as its cost (only the API says what it charged) and this as
    ``uncertain_cost``, so no paid call reads as free. 0.0 for free operations, errors, cache
    hits and answers that name their cost (0 included: the API said so)."""
    from toolkit._results import Result  # an error is no answer: it charged nothing

    if not paid or not isinstance(outcome, Result) or outcome.cached:
        return 0.0
    return estimate if outcome.credits_cost is None else 0.0


#: Called with each new ledger entry's position and a copy of it (:meth:`Ledger.subscribe`).
LedgerListener = Callable[[int, dict[str, Any]], None]


class Ledger:
    """Every call a client made: when, what, how it ended and what it cost.

    One entry per call (retries counted in ``attempts``), failures included (``status``
    is the last HTTP status, or ``None`` when no answer arrived). Recurring costs
    (listening subscriptions and campaigns accrue ``daily_cost``) are entries of
    ``kind="accrual"``, written when the toolkit observes them (docs/api.md, "Recurring
    costs"), so ``total_spent`` covers them too. A call answered by the
    response cache is an entry too: ``cached=True``, ``credits_cost`` 0 and
    ``credits_saved`` what the original answer cost. ``credits_cost`` is never missing: a
    call the API charged nothing for (free operations, errors) is 0.0; a call whose answer
    was lost after it may have been charged is 0.0 with its worst case in
    ``uncertain_cost``, and so is a paid call whose answer named no cost (the client's price
    there: priced by the client, not reported; see :func:`unpriced`). Thread-safe.
    """

    def __init__(self) -> None:
        self._entries: list[dict[str, Any]] = []
        self._uncertain = 0.0
        self._lock = threading.Lock()
        self._listeners: list[LedgerListener] = []

    def subscribe(self, listener: LedgerListener) -> Callable[[], None]:
        """Call ``listener(position, entry)`` with every entry recorded from now on, in the
        recording thread; returns the function that stops it.

        For keeping entries somewhere durable as they happen: a pipeline run writes each one
        to the store, so a run killed mid-way has not lost what its calls cost. A listener
        that raises is reported as a warning: the call it records has happened (and may have
        been paid for), so its answer must still reach the caller.
        """
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def record(
        self,
        *,
        time: datetime,
        operation: str,
        method: str,
        path: str,
        status: int | None,
        credits_cost: float | None,
        credits_left: float | None,
        attempts: int,
        duration_s: float,
        uncertain_cost: float = 0.0,
        cached: bool = False,
        credits_saved: float = 0.0,
        kind: str = "call",
    ) -> None:
        """Add one entry; ``uncertain_cost`` is the worst case of a call whose outcome was lost.

        ``kind``: ``"call"`` for a request, ``"accrual"`` for a recurring cost (listening)
        the toolkit observed (``toolkit.resources.listening_costs``).
        ``credits_cost=None`` (the answer named no cost) is recorded as 0.0, never null; for a
        paid operation the caller puts the client's price in ``uncertain_cost``
        (:func:`unpriced`).
        """
        entry = {
            "time": time,
            "operation": operation,
            "method": method,
            "path": path,
            "status": status,
            "credits_cost": 0.0 if credits_cost is None else credits_cost,
            "credits_left": credits_left,
            "attempts": attempts,
            "duration_s": round(duration_s, 6),
            "cached": cached,
            "credits_saved": round(credits_saved, 4),
            "kind": kind,
            "uncertain_cost": round(uncertain_cost, 4),
        }
        with self._lock:
            position = len(self._entries)
            self._entries.append(entry)
            self._uncertain += uncertain_cost
            listeners = tuple(self._listeners)
        for listener in listeners:
            try:
                listener(position, dict(entry))
            except Exception as exc:  # logged, never raised: the call may be paid already,
                # and its answer must reach the caller whatever a listener does (a warning
                # would raise where warnings are errors)
                _log.warning(
                    "a ledger listener failed (%s); the entry is in the ledger all the same",
                    type(exc).__name__,
                )

    @property
    def entries(self) -> list[dict[str, Any]]:
        """A copy of the entries, oldest first (dicts with the keys of ``LEDGER_KEYS``)."""
        with self._lock:
            return [dict(e) for e in self._entries]

    @property
    def total_spent(self) -> float:
        """Credits the API reported as spent (``credits_cost`` summed)."""
        with self._lock:
            return round(sum(e["credits_cost"] or 0.0 for e in self._entries), 4)

    @property
    def total_accrued(self) -> float:
        """Credits of recurring costs (listening) observed, the ``kind="accrual"`` entries;
        part of :attr:`total_spent`."""
        with self._lock:
            return round(
                sum(e["credits_cost"] or 0.0 for e in self._entries if e["kind"] == "accrual"), 4
            )

    @property
    def total_saved(self) -> float:
        """Credits the response cache saved (``credits_saved`` summed over cache hits)."""
        with self._lock:
            return round(sum(float(e["credits_saved"]) for e in self._entries), 4)

    @property
    def uncertain(self) -> float:
        """Credits the API did not report but may have charged: the worst case of calls whose
        answer was lost, and the client's price of paid answers that named no cost."""
        return round(self._uncertain, 4)

    @property
    def credits_left(self) -> float | None:
        """The most recent balance the API reported, if any."""
        with self._lock:
            for e in reversed(self._entries):
                if e["credits_left"] is not None:
                    return float(e["credits_left"])
        return None

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        saved = self.total_saved
        extra = f", total_saved={number(saved)}" if saved else ""
        return f"Ledger(calls={number(len(self))}, total_spent={number(self.total_spent)}{extra})"

    def to_polars(self) -> pl.DataFrame:
        """The ledger as a polars DataFrame (``toolkit.frames.convert("ledger", ...)``)."""
        from toolkit.frames import convert

        return cast("pl.DataFrame", convert("ledger", self.entries))  # the ledger is one table

    def to_pandas(self) -> pd.DataFrame:
        """The ledger as a pandas DataFrame, derived from :meth:`to_polars`."""
        from toolkit.frames import to_pandas

        return cast("pd.DataFrame", to_pandas(self.to_polars()))  # the ledger is one table
