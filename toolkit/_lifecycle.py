"""The call lifecycle around the sending, I/O-free: begin (cache, budget, headers) and finish.

Both send loops (``toolkit._client``) are ``flight = _begin(call)``; then attempts that only
send and sleep; then ``_finish(flight, outcome)``. So the response cache
(:mod:`toolkit.cache`), the budgets (:mod:`toolkit._budget`) and the ledger each live here
once:

* ``_begin``: a fresh cached answer ends the call at once (a ledger entry at cost 0 with the
  credits it saved); a paid cacheable request is claimed in the store first, so processes
  sharing it pay for it once (another holder's answer is waited for: ``_begin`` returns a
  :class:`Waiting` and the send loop sleeps and begins again); otherwise the call's worst
  case is reserved on every open budget (refused before sending if it does not fit) and
  its headers are built;
* ``_finish``: the reservation is settled to what the API reported (or kept as uncertain if
  the answer was lost), the ledger entry written, a cacheable answer stored;
* ``_abandon``: the loop was interrupted; the reservation is released (kept as uncertain
  for a paid call that may have been sent).
"""

from __future__ import annotations

import math
import time
import warnings
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import httpx

from toolkit._accruals import OBSERVED, observe
from toolkit._budget import Block, Budgets, Reservation
from toolkit._config import credential_fingerprint
from toolkit._exceptions import InfluencersClubError, caller_stacklevel
from toolkit._results import Result
from toolkit.cache import Cache, CacheMissError
from toolkit.credits import unpriced

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Mapping

    from toolkit._call import Call
    from toolkit.credits import Ledger

__all__ = ["CacheWarning", "Flight", "Lifecycle", "Waiting", "WaitingWarning", "uncertain_cost"]

#: The store namespace of claims on paid cacheable requests (``toolkit.store._claims``).
CLAIMS_NAMESPACE = "cache_claims"
_WAIT_STEP = 0.2


@dataclass
class Flight:
    """A call admitted by :meth:`BaseClient._begin`: its headers, reservation and attempts."""

    call: Call
    headers: dict[str, str]
    started: datetime
    t0: float
    reservation: Reservation
    cache_key: str | None = None
    attempts: int = 0
    status: int | None = None
    claimed: bool = False
    #: seconds of the call's deadline left on the wire, and when the current attempt began
    #: (``BaseClient._arm`` sets both; waits between attempts are not counted)
    wire_left: float = math.inf
    sent_at: float = 0.0


@dataclass
class Waiting:
    """Another process (or thread) is paying for this request: sleep ``seconds``, then
    begin again (the answer is then taken from the cache); ``until`` bounds the wait."""

    until: float
    seconds: float = _WAIT_STEP


class CacheWarning(UserWarning):
    """The response cache's store failed; the call went on without it."""


class WaitingWarning(CacheWarning):
    """A call waits for the answer another process is paying for (it is not paid twice)."""


class Lifecycle:
    """The begin/finish half of :class:`toolkit._core.BaseClient` (a mixin of it)."""

    ledger: Ledger
    base_url: str
    _credential: str
    _identity: str

    # ----------------------------------------------------------------- what the core provides
    # The decisions themselves live in toolkit._core.BaseClient, which overrides these.
    @staticmethod
    def _now() -> datetime:
        raise NotImplementedError

    def _headers_for(self, call: Call) -> dict[str, str]:
        raise NotImplementedError

    def _outcome(self, call: Call, response: httpx.Response, attempts: int) -> Result | Exception:
        raise NotImplementedError

    def _transport_error(self, call: Call, exc: httpx.TransportError) -> Exception:
        raise NotImplementedError

    def _retry_delay(self, call: Call, attempts: int, error: Exception) -> float | None:
        raise NotImplementedError

    def _record(
        self,
        call: Call,
        *,
        started: datetime,
        t0: float,
        attempts: int,
        status: int | None,
        outcome: Result | Exception,
    ) -> None:
        raise NotImplementedError

    def _init_lifecycle(
        self,
        budget: float | None,
        cache: str | bool,
        cache_ttl: Mapping[str, float | None] | None,
        cache_scope: str | None,
        store: Any,
        transport: Any,
    ) -> None:
        self._budgets = Budgets(budget)
        self.cache = Cache(
            _cache_scope(self.base_url, self._identity, cache_scope, transport),
            mode="off" if cache is False else "use" if cache is True else cache,
            ttl=cache_ttl,
            store=_open(store),
            owns_store=isinstance(store, str),
        )

    @property
    def budget_left(self) -> float | None:
        """What the tightest open budget has left after spent, lost-answer worst cases and
        calls in flight; ``None`` without a budget."""
        left = self._budgets.left
        return None if left is None else round(left, 4)

    def budget(self, credits: float) -> Block:
        """``with client.budget(5): ...`` (or ``async with``) refuses, before sending, any
        call made while the block is open (from any thread or task) whose worst case would
        overrun 5 credits.

        Calls in flight hold their worst case until they settle, so concurrent calls can
        never jointly overrun it. Cache hits cost nothing and always pass. The block yields
        the :class:`~toolkit.Budget` (``.spent``, ``.left``).

        >>> with client.budget(2) as b:                                  # doctest: +SKIP
        ...     client.creators.enrich_handle("nike", "instagram")       # 1 credit: fits
        ...     client.creators.enrich_handle("adidas", "instagram")     # fits (2 in all)
        ...     client.creators.enrich_handle("puma", "instagram")       # BudgetExceededError
        """
        return self._budgets.block(credits)

    def _begin(self, call: Call, waiting: Waiting | None = None) -> Result | Flight | Waiting:
        """Before sending: a fresh cached answer (a ledger entry at cost 0), a
        :class:`Waiting` while another holder of the claim pays for the same request, or
        the call admitted (claimed, its worst case reserved on every open budget, its
        headers built).

        Raises :class:`~toolkit.BudgetExceededError` or, offline,
        :class:`~toolkit.cache.CacheMissError`; either way nothing was sent.
        """
        started, t0 = self._now(), time.monotonic()
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
        """Reserve the call's worst case and build its headers (both may refuse it)."""
        try:
            reservation = self._budgets.reserve(call.operation, call.estimate)
        except InfluencersClubError as err:  # BudgetExceededError: name the refused request
            raise err.at(call.method, call.path) from None
        try:
            headers = self._headers_for(call)
        except BaseException:
            self._budgets.settle(reservation, cost=0.0, uncertain=0.0)
            raise
        flight = Flight(call, headers, started, t0, reservation, key)
        flight.claimed = claimed
        return flight

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

    def _answered(self, flight: Flight, response: httpx.Response) -> Result | Exception:
        """One attempt's answer: the result or the error it stands for."""
        flight.status = response.status_code
        return self._outcome(flight.call, response, flight.attempts)

    def _failed(self, flight: Flight, exc: httpx.TransportError) -> Exception:
        """One attempt that got no answer."""
        flight.status = None
        return self._transport_error(flight.call, exc)

    def _next_delay(self, flight: Flight, outcome: Result | Exception) -> float | None:
        """Seconds to wait before trying again, or ``None`` when the call is over."""
        if isinstance(outcome, Result):
            return None
        return self._retry_delay(flight.call, flight.attempts, outcome)

    def _finish(self, flight: Flight, outcome: Result | Exception) -> Result:
        """After the last attempt: settle the reservation, write the ledger entry, keep a
        cacheable answer; return the result or raise the error."""
        call = flight.call
        uncertain = uncertain_cost(call, outcome)
        cost = outcome.credits_cost if isinstance(outcome, Result) else None
        self._budgets.settle(flight.reservation, cost=cost or 0.0, uncertain=uncertain)
        self._record(
            call,
            started=flight.started,
            t0=flight.t0,
            attempts=flight.attempts,
            status=flight.status,
            outcome=outcome,
        )
        try:
            if isinstance(outcome, Exception):
                raise outcome
            if flight.cache_key is not None and 200 <= outcome.status_code < 300:
                self._cache_save(call, flight.cache_key, outcome)
            if call.operation in OBSERVED:  # what listening accrued since last seen: the ledger
                observe(self, outcome)  # type: ignore[arg-type]
            return outcome
        finally:
            if flight.claimed and flight.cache_key is not None:
                self._unclaim(flight.cache_key)

    def _abandon(self, flight: Flight) -> None:
        """The send loop was interrupted (Ctrl-C, a cancelled task): release the
        reservation, keeping a paid call's worst case as uncertain if it may have been sent."""
        call = flight.call
        uncertain = call.estimate if call.paid and flight.attempts else 0.0
        self._budgets.settle(flight.reservation, cost=0.0, uncertain=uncertain)
        if flight.claimed and flight.cache_key is not None:
            self._unclaim(flight.cache_key)
        self.ledger.record(
            time=flight.started,
            operation=call.operation,
            method=call.method,
            path=call.path,
            status=None,
            credits_cost=None,
            credits_left=None,
            attempts=flight.attempts,
            duration_s=time.monotonic() - flight.t0,
            uncertain_cost=uncertain,
        )

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


def _open(store: Any) -> Any:
    """``store=``: a Store, a URL for ``toolkit.store.open_store``, or None (opened lazily)."""
    if isinstance(store, str):
        from toolkit.store import open_store

        return open_store(store)
    return store


def _cache_scope(base_url: str, credential: str, scope: str | None, transport: Any) -> str:
    """Whose answers a cache entry holds: a hash of server and credential (never the
    credential), or of an explicit team ``scope``. The sandbox adds its world's identity,
    so two sandboxes with different seeds or sizes never share answers."""
    if scope is not None:
        return credential_fingerprint(base_url, f"scope:{scope}")
    sb = getattr(transport, "sandbox", None)
    if sb is not None:
        world = f"{getattr(sb, 'seed', '')}:{len(getattr(sb.world, 'creators', []))}"
        credential = f"{credential}\0sandbox:{world}:{getattr(sb, 'settings', '')!r}"
    return credential_fingerprint(base_url, credential)
