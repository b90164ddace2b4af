"""A call's begin and finish around the sending, I/O-free: the cache, the budgets, the ledger.

The client holds one :class:`Lifecycle` (``client._lifecycle``), made of its cache, budgets
and ledger. Each send loop (``toolkit._client``) reads top to bottom: ``flight =
begin(call)``; then the attempts, which only send, sleep and ask the core
(``toolkit._core``) what each answer means; then ``finish(flight, outcome)``. So the
response cache (:mod:`toolkit.cache`), the budgets (:mod:`toolkit._budget`) and the ledger
are each written here once:

* ``begin``: a fresh cached answer ends the call at once (a ledger entry at cost 0 with the
  credits it saved); a paid cacheable request is claimed in the store first, so processes
  sharing it pay for it once (another holder's answer is waited for: ``begin`` returns a
  :class:`Waiting` and the send loop sleeps and begins again); otherwise the call's worst
  case is reserved on every open budget (refused before sending if it does not fit);
* ``finish``: the reservation is settled to what the API reported (or kept as uncertain if
  the answer was lost), the ledger entry written, a cacheable answer stored, what listening
  accrued recorded (:mod:`toolkit._accruals`);
* ``abandon``: the loop was interrupted; the reservation is released (kept as uncertain
  for a paid call that may have been sent).
"""

from __future__ import annotations

import math
import time
import warnings
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from toolkit._accruals import OBSERVED, observe
from toolkit._budget import Budgets, Reservation
from toolkit._exceptions import (
    CacheWarning,
    InfluencersClubError,
    WaitingWarning,
    caller_stacklevel,
)
from toolkit._results import Result
from toolkit.cache import Cache, CacheMissError
from toolkit.credits import unpriced

if TYPE_CHECKING:  # pragma: no cover
    from toolkit._call import Call
    from toolkit.credits import Ledger

__all__ = ["Flight", "Lifecycle", "Waiting", "uncertain_cost"]

#: The store namespace of claims on paid cacheable requests (``toolkit.store._claims``).
CLAIMS_NAMESPACE = "cache_claims"
_WAIT_STEP = 0.2


@dataclass
class Flight:
    """A call :meth:`Lifecycle.begin` admitted: its reservation, its claim, its attempts."""

    call: Call
    started: datetime
    t0: float
    reservation: Reservation
    cache_key: str | None = None
    claimed: bool = False
    attempts: int = 0
    status: int | None = None
    #: the call's headers, made by the core before its first attempt (one Idempotency-Key
    #: for all its retries)
    headers: dict[str, str] = field(default_factory=dict)
    #: seconds of the call's deadline left on the wire, and when the current attempt began
    #: (``BaseClient._prepare`` sets both; waits between attempts are not counted)
    wire_left: float = math.inf
    sent_at: float = 0.0


@dataclass
class Waiting:
    """Another process (or thread) is paying for this request: sleep ``seconds``, then
    begin again (the answer is then taken from the cache); ``until`` bounds the wait."""

    until: float
    seconds: float = _WAIT_STEP


class Lifecycle:
    """Begin and finish of every call, around the sending: the response cache, the
    budgets and the ledger the client holds (:class:`toolkit._core.BaseClient` makes one
    and each send loop calls :meth:`begin`, then :meth:`finish` or :meth:`abandon`)."""

    def __init__(self, *, cache: Cache, budgets: Budgets, ledger: Ledger) -> None:
        self.cache = cache
        self.budgets = budgets
        self.ledger = ledger

    def begin(self, call: Call, waiting: Waiting | None = None) -> Result | Flight | Waiting:
        """Before sending: a fresh cached answer (a ledger entry at cost 0), a
        :class:`Waiting` while another holder of the claim pays for the same request, or
        the call admitted (claimed, its worst case reserved on every open budget).

        Raises :class:`~toolkit.BudgetExceededError` or, offline,
        :class:`~toolkit.cache.CacheMissError`; either way nothing was sent.
        """
        started, t0 = datetime.now(UTC), time.monotonic()
        mode = self.cache.current_mode
        key = None
        claimed = False
        if mode != "off" and self.cache.cacheable(call):
            key = self.cache.key(call)
            if mode != "refresh":
                hit = self._cache_lookup(call, key, count=waiting is None)
                if hit is not None:
                    self._record_hit(call, hit, started, t0)
                    return hit
            if mode == "use" and call.paid:
                got = self._claim(call, key, waiting)
                if isinstance(got, Result):
                    self._record_hit(call, got, started, t0)
                    return got
                if isinstance(got, Waiting):
                    return got
                claimed = got
        if mode == "only-cache":
            raise CacheMissError(call.operation)
        try:
            return self._admit(call, key, claimed, started, t0)
        except BaseException:  # refused or failed before sending: let waiting callers go on
            if claimed and key is not None:
                self._unclaim(key)
            raise

    def _admit(
        self, call: Call, key: str | None, claimed: bool, started: datetime, t0: float
    ) -> Flight:
        """Reserve the call's worst case on every open budget (which may refuse it)."""
        try:
            reservation = self.budgets.reserve(call.operation, call.estimate)
        except InfluencersClubError as err:  # BudgetExceededError: name the refused request
            raise err.at(call.method, call.path) from None
        return Flight(call, started, t0, reservation, key, claimed=claimed)

    def _claim(self, call: Call, key: str, waiting: Waiting | None) -> Result | Waiting | bool:
        """Claim a paid request before paying: True (claimed), False (the store failed:
        send unclaimed), the answer another holder stored, or a :class:`Waiting`."""
        from toolkit.store._claims import CLAIM_TTL, Claims

        try:
            took = Claims(self.cache.store, CLAIMS_NAMESPACE).take(key)
        except Exception as exc:  # a broken store must not stop the call (it only costs)
            warnings.warn(
                f"{call.operation}: could not claim the request in the store "
                f"({type(exc).__name__}); sending",
                CacheWarning,
                stacklevel=caller_stacklevel(),
            )
            return False
        if took:
            try:
                return self._claimed(call, key)
            except BaseException:  # Ctrl-C, or a warning made an error: never leave a claim
                self._unclaim(key)  # held that others (and this process) would wait on
                raise
        now = time.monotonic()
        if waiting is None:
            self._warn_waiting(call, key)
            return Waiting(until=now + CLAIM_TTL)
        if now < waiting.until:
            return waiting
        warnings.warn(
            f"{call.operation}: another process has been paying for the same request for "
            f"{CLAIM_TTL:g} s without storing its answer; sending it (it may be paid twice)",
            CacheWarning,
            stacklevel=caller_stacklevel(),
        )
        return False

    def _claimed(self, call: Call, key: str) -> Result | bool:
        """Just claimed: the answer stored meanwhile (claim released), else True (pay)."""
        try:
            hit = self.cache.lookup(call, key, count=False)  # stored meanwhile
        except Exception as exc:  # unreadable entry or a store blip: pay, still claimed
            warnings.warn(
                f"{call.operation}: response cache unreadable ({type(exc).__name__}); sending",
                CacheWarning,
                stacklevel=caller_stacklevel(),
            )
            return True  # the caller releases the claim once the call is over
        if hit is not None:
            self._unclaim(key)
            return hit
        return True

    def _warn_waiting(self, call: Call, key: str) -> None:
        """Say once that a call waits for another process's answer (silent for a call of
        this same process: a thread or task of it pays and the wait is that call's)."""
        from toolkit.store._claims import CLAIM_TTL, Claims, owner

        try:
            holder = Claims(self.cache.store, CLAIMS_NAMESPACE).holder(key)
        except Exception:  # the store failed between two reads: the wait still bounds it
            holder = None
        if holder is None or holder.get("token") == owner()["token"]:
            return
        warnings.warn(
            f"waiting for {call.operation}: another process ({holder.get('host')} pid "
            f"{holder.get('pid')}) is paying for the same request; its answer is taken from "
            f"the store when it arrives (up to {CLAIM_TTL:g} s)",
            WaitingWarning,
            stacklevel=caller_stacklevel(),
        )

    def _unclaim(self, key: str) -> None:
        from toolkit.store._claims import Claims

        claims = Claims(self.cache.store, CLAIMS_NAMESPACE)
        try:
            claims.release(key)
        except Exception:  # the claim then expires by itself (CLAIM_TTL)
            claims.forget(key)

    def finish(self, flight: Flight, outcome: Result | Exception) -> Result:
        """After the last attempt: settle the reservation, write the ledger entry, keep a
        cacheable answer; return the result or raise the error."""
        call = flight.call
        uncertain = uncertain_cost(call, outcome)  # once: the budgets and the ledger agree
        cost = outcome.credits_cost if isinstance(outcome, Result) else None
        self.budgets.settle(flight.reservation, cost=cost or 0.0, uncertain=uncertain)
        try:  # the answer is kept and the claim let go whatever happens while recording it
            if (
                isinstance(outcome, Result)
                and flight.cache_key is not None
                and 200 <= outcome.status_code < 300
            ):
                self._cache_save(call, flight.cache_key, outcome)
            self._record(flight, outcome, uncertain)
            if isinstance(outcome, Exception):
                raise outcome
            if call.operation in OBSERVED:  # what listening accrued since last seen: the ledger
                observe(outcome, budgets=self.budgets, ledger=self.ledger, cache=self.cache)
            return outcome
        finally:
            if flight.claimed and flight.cache_key is not None:
                self._unclaim(flight.cache_key)

    def abandon(self, flight: Flight) -> None:
        """The send loop was interrupted (Ctrl-C, a cancelled task): release the
        reservation, keeping a paid call's worst case as uncertain if it may have been sent."""
        call = flight.call
        uncertain = call.estimate if call.paid and flight.attempts else 0.0
        self.budgets.settle(flight.reservation, cost=0.0, uncertain=uncertain)
        if flight.claimed and flight.cache_key is not None:
            self._unclaim(flight.cache_key)
        self._record(flight, None, uncertain)

    def _cache_lookup(self, call: Call, key: str, *, count: bool = True) -> Result | None:
        try:
            return self.cache.lookup(call, key, count=count)
        except Exception as exc:  # a broken store must not stop the call (it only costs)
            warnings.warn(
                f"{call.operation}: response cache unreadable ({type(exc).__name__}); sending",
                CacheWarning,
                stacklevel=4,
            )
            return None

    def _cache_save(self, call: Call, key: str, result: Result) -> None:
        try:
            self.cache.save(call, key, result)
        except Exception as exc:  # the paid answer is returned whatever the store says
            warnings.warn(
                f"{call.operation}: answer not cached ({type(exc).__name__})",
                CacheWarning,
                stacklevel=4,
            )

    def _record(self, flight: Flight, outcome: Result | Exception | None, uncertain: float) -> None:
        """The ledger entry of a call that finished (``outcome``) or was abandoned (None: no
        status, whatever an attempt saw): what the API says it cost, and what it may have
        cost beyond that (``uncertain``, as settled on the budgets)."""
        call = flight.call
        cost = left = None
        if isinstance(outcome, Result):
            cost, left = outcome.credits_cost, outcome.credits_left
        self.ledger.record(
            time=flight.started,
            operation=call.operation,
            method=call.method,
            path=call.path,
            status=None if outcome is None else flight.status,
            credits_cost=cost,
            credits_left=left,
            attempts=flight.attempts,
            duration_s=time.monotonic() - flight.t0,
            uncertain_cost=uncertain,
        )

    def _record_hit(self, call: Call, hit: Result, started: datetime, t0: float) -> None:
        self.ledger.record(
            time=started,
            operation=call.operation,
            method=call.method,
            path=call.path,
            status=hit.status_code,
            credits_cost=0.0,
            credits_left=None,
            attempts=0,
            duration_s=time.monotonic() - t0,
            cached=True,
            credits_saved=hit.credits_saved,
        )


def uncertain_cost(call: Call, outcome: Result | Exception) -> float:
    """The worst case of a call whose answer was lost after it may have been charged, or the
    client's price of a paid answer that named no cost (``toolkit.credits.unpriced``)."""
    if getattr(outcome, "credits_may_have_been_charged", False):
        return call.estimate
    return unpriced(call.paid, call.estimate, outcome)
