"""``enrich_many``: enrich a list of creators concurrently, journaled, under the rate limit.

The work is described once (:class:`Run`: what to ask, what the journal already holds,
how each answer or error is filed) and driven two ways, like every loop of the toolkit:

* :func:`run_sync` for :class:`~toolkit.Client`: a small thread pool. No ``asyncio.run``,
  so it works inside a running Jupyter kernel; the client's rate limiter is thread-safe.
* :func:`run_async` for :class:`~toolkit.AsyncClient`: an anyio task group.

Money rules (docs/jobs.md): every answer is journaled before its worker sends the next
request; a stop (Ctrl-C, kernel interrupt, an error) lets requests already sent finish
and journals them, then re-raises, because those answers are paid for. Inputs that fail
(not found, refused) are not journaled and are tried again on the next run; they cost
nothing. Every input ends up in exactly one of ``results`` and ``failures``.

Before each paid send the value is claimed in the store (processes sharing it never pay
twice: a value claimed elsewhere is put back and taken from the journal once its owner
stored it) and an intent is recorded (a crash leaves it, and the next run lists it as in
flight instead of buying it again unless ``retry_unknown``). A store that fails mid-run
stops the sending, keeps every paid answer (in ``results``; if the store refused it, held
in memory and in a spill file for the next run) and ends in one ``StoreError``.
"""

from __future__ import annotations

import threading
import time
import warnings
from collections import deque
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import wait as wait_for
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
import anyio.lowlevel

from toolkit._exceptions import (
    MAY_HAVE_BEEN_CHARGED,
    APIError,
    AuthenticationError,
    BadRequestError,
    BudgetExceededError,
    InfluencersClubError,
    InsufficientCreditsError,
    MalformedResponseError,
    NotFoundError,
    OutcomeUnknownError,
    ValidationError,
    WaitingWarning,
    caller_stacklevel,
)
from toolkit.jobs._files import read_values
from toolkit.jobs._inputs import Prepared, prepare
from toolkit.jobs._journal import DEFAULT_TTL, Journal, StoreLike, client_store
from toolkit.jobs._progress import progress_bar, time_left
from toolkit.jobs._result import EnrichMany, Outcome
from toolkit.store import StoreError
from toolkit.store._errors import translate

__all__ = ["InFlightWarning", "Run", "run_async", "run_sync"]

MODES = ("full", "profile", "analytics", "raw", "email")
#: Errors after which no further request is sent: the rest would fail the same way.
_STOPPING = (InsufficientCreditsError, BudgetExceededError)

OnResult = Callable[[str, Outcome], None]
#: Seconds between two looks at a value another process is paying for.
_WAIT_STEP = 0.2


class InFlightWarning(UserWarning):
    """A resumed enrich_many found requests that were in flight when a run stopped."""


@dataclass
class Run:
    """One enrich_many call: inputs, journal, outcomes so far. Thread-safe to update."""

    client: Any
    prepared: Prepared
    platform: str | None
    mode: str
    options: dict[str, Any]
    journal: Journal | None
    concurrency: int
    on_result: OnResult | None = None
    retry_unknown: bool = False
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    todo: list[str] = field(default_factory=list)
    stop_reason: str | None = None
    fatal: BaseException | None = None
    store_error: StoreError | None = None
    #: values whose request was in flight when an earlier run stopped -> when it was sent
    in_flight: dict[str, float] = field(default_factory=dict)
    #: (value, not before): values another process is paying for, looked at again later
    deferred: deque[tuple[str, float]] = field(default_factory=deque)
    #: values waited for now: another process holds their claim (the bar counts them)
    waiting: set[str] = field(default_factory=set)
    #: whether the wait was announced (a WaitingWarning, once per run: say_waiting)
    said_waiting: bool = False
    unstored: list[str] = field(default_factory=list)  # paid, refused by the store, held
    unspilled: int = 0  # of those, how many the spill file could not take either
    spill: Path | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _next: int = 0
    _ok: int = 0
    _bad: int = 0
    _spent: float = 0.0
    bar: Any = None

    # ---------------------------------------------------------------- planning
    def plan(self, progress: bool) -> None:
        """Take journaled answers, list earlier in-flight calls, check the budget, open the bar."""
        try:
            self._read_journal()
        except StoreError as err:
            held = len(self.journal.held()) if self.journal is not None else 0
            kept = (
                f" {held} paid answers of an earlier run are still held (in memory or the "
                "spill file) and are written first once the store works."
                if held
                else ""
            )
            raise err.keeping(f"enrich_many sent nothing.{kept}") from None
        worst = self.price * len(self.todo)
        left = getattr(self.client, "budget_left", None)
        if left is not None and worst > left + 1e-9:
            raise BudgetExceededError(self.operation, worst, max(left, 0.0))
        if self.in_flight:
            self._warn_in_flight()
        self.bar = progress_bar(
            len(self.prepared.values), f"enrich {self.mode}", enabled=progress, unit="creator"
        )
        self.bar.update(len(self.prepared.values) - len(self.todo))
        self.bar.set_postfix_str(self._postfix())

    def _read_journal(self) -> None:
        jr = self.journal
        intents: dict[str, float] = {}
        if jr is not None:
            jr.flush()  # answers an earlier run could not store (held, or in the spill file)
            intents = jr.intents()
        for value in self.prepared.values:
            entry = jr.get(value) if jr is not None else None
            if entry is not None:
                self._journaled(value, entry)
                if jr is not None and value in intents and not jr.held_elsewhere(value):
                    jr.settle(value)  # answered, then stopped before closing the intent
                continue
            if value in self.outcomes:
                continue
            if jr is not None and value in intents and not jr.held_elsewhere(value):
                # Its holder may have delivered it between the reads above: an owner
                # journals the answer and closes the intent before releasing its claim.
                entry = jr.get(value)
                if entry is not None:
                    self._journaled(value, entry)
                    continue
                at = jr.intent_at(value)  # None: closed meanwhile without an answer
                if at is not None:
                    self.in_flight[value] = at
                    if not self.retry_unknown:
                        self.outcomes[value] = _in_flight_outcome(value, at)
                        self._bad += 1
                        continue
            self.todo.append(value)
            self.outcomes.setdefault(value, Outcome(value, reason="not_attempted"))

    def _journaled(self, value: str, entry: Any) -> None:
        """File an answer read from the journal (paid earlier, free now)."""
        self.outcomes[value] = Outcome(
            value,
            data=entry.data,
            credits_cost=0.0,
            from_journal=True,
            credits_saved=entry.credits_cost or 0.0,
        )
        self._ok += 1

    def _warn_in_flight(self) -> None:
        n = len(self.in_flight)
        sample = ", ".join(sorted(self.in_flight)[:5]) + (", ..." if n > 5 else "")
        then = (
            "they are sent again now (retry_unknown=True)"
            if self.retry_unknown
            else "they are in failures as outcome_unknown and not sent again; "
            "retry_unknown=True buys them again"
        )
        warnings.warn(
            f"{n} request{'s were' if n != 1 else ' was'} in flight when the run stopped; "
            f"{'they' if n != 1 else 'it'} may have been charged ({sample}): {then}",
            InFlightWarning,
            stacklevel=caller_stacklevel(),
        )

    @property
    def operation(self) -> str:
        return "enrich_email" if self.mode == "email" else f"enrich_handle_{self.mode}"

    @property
    def price(self) -> float:
        return float(self.client.prices.per_call()[self.operation])

    def take(self) -> tuple[str, float] | None:
        """The next value to fetch and how long to wait first, or ``None`` when done or
        stopping. Values another process is paying for come last, after a short wait."""
        with self._lock:
            if self.stop_reason is not None:
                return None
            if self._next < len(self.todo):
                value = self.todo[self._next]
                self._next += 1
                return value, 0.0
            if self.deferred:
                value, not_before = self.deferred.popleft()
                return value, max(0.0, not_before - time.monotonic())
            return None

    def admit(self, value: str) -> bool:
        """Claim ``value`` and record the intent to pay for it: True to send it now.

        False when it is filed already (another process stored its answer meanwhile), put
        back for later (another process is paying for it), or the store failed (the run
        stops; nothing was sent for it).
        """
        jr = self.journal
        with self._lock:
            if self.stop_reason is not None:  # stopped while this value waited its turn
                return False
        if jr is None:
            return True
        claimed = False
        try:
            claimed = jr.claim(value)
            with self._lock:
                if not claimed:
                    self.deferred.append((value, time.monotonic() + _WAIT_STEP))
                    if value not in self.waiting:  # a new wait: the bar says so
                        self.waiting.add(value)
                        if self.bar is not None:
                            self.bar.set_postfix_str(self._postfix())
                    return False
                self.waiting.discard(value)
            entry = jr.get(value)
            if entry is not None:  # paid for by another process while this one waited
                jr.release(value)
                self._file(
                    value, Outcome(value, data=entry.data, credits_cost=0.0, from_journal=True)
                )
                return False
            at = None if self.retry_unknown else jr.intent_at(value)
            if at is not None:  # its owner lost the answer (or died) meanwhile: unknown
                jr.release(value)
                with self._lock:
                    self.in_flight[value] = at
                self._file(value, _in_flight_outcome(value, at))
                return False
            jr.intend(value)
            return True
        except Exception as exc:  # the store's, whatever it raised: nothing sent for it
            if claimed:
                jr.claims.forget(jr.key(value))
            self.store_failed(translate(jr.where, exc))
            return False

    def store_failed(self, err: StoreError) -> None:
        """The store failed: send nothing more; the run ends in a StoreError (finish)."""
        with self._lock:
            if self.store_error is None:
                self.store_error = err
                self.stop_reason = self.stop_reason or f"StoreError: {err.problem}"

    def _close(self, value: str, *, settled: bool = True) -> None:
        """The value's outcome is filed: drop its intent (unless still unknown), its claim."""
        jr = self.journal
        if jr is None:
            return
        try:
            if settled:
                jr.settle(value)
            jr.release(value)
        except Exception as exc:
            jr.claims.forget(jr.key(value))
            self.store_failed(translate(jr.where, exc))

    def send(self) -> Callable[[str], Any]:
        """The resource method for one value: a Result, or an awaitable of one (async)."""
        creators = self.client.creators
        if self.mode == "email":
            by_email: Callable[[str], Any] = creators.enrich_email
            return by_email
        opts = self.options

        def one(value: str) -> Any:
            return creators.enrich_handle(value, self.platform, mode=self.mode, **opts)

        return one

    # ---------------------------------------------------------------- filing
    def done(self, value: str, result: Any) -> None:
        """File a paid answer: journal first (held and spilled if the store refuses it),
        then the outcome and the bar; then drop its intent and claim."""
        data = result.data.get("result") if isinstance(result.data, Mapping) else None
        cost = result.credits_cost or 0.0
        jr = self.journal
        if jr is not None and isinstance(data, Mapping) and data:
            raw = jr.document(data, result.credits_cost)
            try:
                jr.write(value, raw)
            except Exception as exc:  # paid: never lost; kept for the next run
                spilled = jr.hold(value, raw)
                with self._lock:
                    self.unstored.append(value)
                    if spilled is None:
                        self.unspilled += 1
                    else:
                        self.spill = spilled
                self.store_failed(translate(jr.where, exc))
        if isinstance(data, Mapping) and data:
            outcome = Outcome(value, data=data, credits_cost=cost)
        elif not data and cost <= 0:  # an empty result that cost nothing: no creator
            outcome = Outcome(value, reason="not_found", message="no data returned")
        else:  # charged without a creator object ({"result": "x"}, or empty at a price)
            kind = type(data).__name__ if data else "empty"
            charged = f"charged {cost:g} credits" if cost else MAY_HAVE_BEEN_CHARGED
            outcome = Outcome(
                value,
                reason="no_data",
                credits_cost=cost,
                message=f"the answer holds no creator (its result is {kind}); {charged}",
            )
        self._file(value, outcome)
        self._close(value)

    def failed(self, value: str, exc: BaseException) -> None:
        """File an error; stop sending on errors that every later request would repeat."""
        reason = _reason(exc)
        outcome = Outcome(value, reason=reason, error=type(exc).__name__, message=str(exc))
        with self._lock:
            if isinstance(exc, _STOPPING) and self.stop_reason is None:
                self.stop_reason = f"{type(exc).__name__}: {exc}"
            elif not isinstance(exc, InfluencersClubError) or isinstance(exc, AuthenticationError):
                self.stop_reason = self.stop_reason or f"{type(exc).__name__}: {exc}"
                self.fatal = self.fatal or exc
        self._file(value, outcome)
        # an answer that may have been charged stays an open intent: the next run lists it
        unknown = reason in ("outcome_unknown", "interrupted")
        self._close(value, settled=not unknown)

    def interrupt(self, exc: BaseException) -> None:
        """Ctrl-C or a cancel: send nothing more; what is in flight still gets filed."""
        with self._lock:
            self.stop_reason = self.stop_reason or f"interrupted ({type(exc).__name__})"
            self.fatal = self.fatal or exc

    def _file(self, value: str, outcome: Outcome) -> None:
        with self._lock:
            self.outcomes[value] = outcome
            if outcome.ok:
                self._ok += 1
                self._spent += outcome.credits_cost
            else:
                self._bad += 1
            self.bar.update(1)
            self.bar.set_postfix_str(self._postfix())
        if self.on_result is not None:
            try:
                self.on_result(value, outcome)
            except BaseException as exc:  # a callback that raises stops the run like Ctrl-C
                self.interrupt(exc)

    def say_waiting(self) -> None:
        """Warn once per run (a :class:`~toolkit.WaitingWarning`, with or without a bar)
        when the run has nothing left but values another process is paying for.

        Called by the thread or task that drives the run, so the warning names the
        analyst's line. Said once every value was tried, so the count is the whole wait.
        """
        with self._lock:
            if self.said_waiting or not self.waiting or self._next < len(self.todo):
                return
            self.said_waiting = True
            held = sorted(self.waiting)
        from toolkit.store._claims import CLAIM_TTL

        n = len(held)
        warnings.warn(
            f"enrich_many: waiting for {n} creator{'s' if n != 1 else ''} that "
            f"{self._holders(held)} sharing this store {'is' if n == 1 else 'are'} paying for "
            f"({', '.join(held[:5])}{', ...' if n > 5 else ''}): "
            f"{'their answers are' if n != 1 else 'its answer is'} taken from the store on "
            f"arrival, so nothing is paid twice (a claim left unanswered for {CLAIM_TTL:g} s "
            "is bought here)",
            WaitingWarning,
            stacklevel=caller_stacklevel(),
        )

    def _holders(self, values: list[str]) -> str:
        """Who holds the claims of ``values`` (the first few looked up): "another process
        (host pid 123)", "another run of this process", or "other processes (...)"."""
        from toolkit.store._claims import owner

        jr, names = self.journal, []
        for value in values[:3]:
            try:
                doc = jr.claims.holder(jr.key(value)) if jr is not None else None
            except Exception:  # the store failed between two reads: say less
                doc = None
            if doc is None:
                continue
            mine = doc.get("token") == owner()["token"]
            name = "this process" if mine else f"{doc.get('host')} pid {doc.get('pid')}"
            if name not in names:
                names.append(name)
        if names == ["this process"]:
            return "another run of this process"
        if len(names) > 1:
            return f"other processes ({', '.join(names)})"
        return f"another process ({names[0]})" if names else "another process"

    def _postfix(self) -> str:
        """``ok, failed, credits spent so far``, the time the rest takes at the rate limit
        and how many values wait for another process paying for them."""
        spent = sum(o.credits_cost for o in self.outcomes.values() if o.ok)
        left = time_left(self.client, len(self.todo) - self._next)
        held = len(self.waiting)
        return (
            f"{self._ok} ok, {self._bad} failed, {spent:g} credits"
            + (f", {left}" if left else "")
            + (f", waiting for {held} held elsewhere" if held else "")
        )

    def finish(self) -> EnrichMany:
        """Close the bar, raise a fatal error or the store's, or build the result frames."""
        self.bar.close()
        if self.fatal is not None:
            raise self.fatal
        out = EnrichMany.build(
            self.prepared,
            self.outcomes,
            self.platform,
            self.mode,
            stop_reason=self.stop_reason,
            in_flight=sorted(self.in_flight),
        )
        if self.store_error is not None:
            raise self._store_error(out)
        return out

    def _store_error(self, out: EnrichMany) -> StoreError:
        """The one error of a run the store stopped: what was kept and how to resume."""
        assert self.store_error is not None
        paid = int((out.results["credits_cost"] > 0).sum())
        missing = int((out.failures["reason"] == "not_attempted").sum())
        held = len(self.unstored)
        kept = (
            f"enrich_many stopped sending at the first store failure and kept every paid "
            f"answer: {out.results.height} enriched ({paid} paid in this run) are in "
            f"err.partial.results"
            + (f", {held} of them refused by the store and held" if held else "")
            + f"; {missing} inputs were not sent."
        )
        if not held:
            resume = ": journaled answers are read back and only what is missing is paid."
        elif not self.unspilled and self.spill is not None:
            resume = (
                f", in any process of yours on this machine: the held answers (also "
                f"written to {self.spill}) are "
                "written to the store first, so nothing delivered is paid again."
            )
        else:
            resume = (
                " in this process (kernel): the held answers are written to the store first, "
                "so nothing delivered is paid again (a new process cannot read "
                f"{self.unspilled} of them: it lists them as in flight and buys them again "
                "only with retry_unknown=True; save err.partial first, e.g. "
                "err.partial.write_parquet(...))."
            )
        fix = f"{self.store_error.fix} Then run the same call again{resume}"
        err = self.store_error.keeping(kept, fix)
        err.partial = out
        return err


def _in_flight_outcome(value: str, at: float) -> Outcome:
    """The failure of a value whose request was in flight when a run stopped."""
    return Outcome(
        value,
        reason="outcome_unknown",
        error="InFlightWhenStopped",
        message=(
            f"in flight when an earlier run stopped ({_when(at)}): {MAY_HAVE_BEEN_CHARGED}; "
            "not sent again (retry_unknown=True buys it again)"
        ),
    )


def _when(epoch: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(epoch)) if epoch else "unknown"


def _reason(exc: BaseException) -> str:
    if isinstance(exc, NotFoundError):
        return "not_found"
    if isinstance(exc, ValidationError | BadRequestError):
        return "refused"
    if isinstance(exc, InsufficientCreditsError):
        return "insufficient_credits"
    if isinstance(exc, BudgetExceededError):
        return "budget"
    if isinstance(exc, OutcomeUnknownError | MalformedResponseError):
        return "outcome_unknown"
    if isinstance(exc, APIError | InfluencersClubError):
        return "error"
    return "interrupted"


def start(
    client: Any,
    values: Any,
    platform: str | None,
    *,
    mode: str,
    options: Mapping[str, Any],
    concurrency: int,
    progress: bool,
    store: StoreLike | None,
    journal: bool,
    journal_ttl: float | None,
    on_result: OnResult | None,
    column: str | None = None,
    sheet: str | int | None = None,
    encoding: str = "utf-8",
    retry_unknown: bool = False,
) -> Run:
    """Prepare a run: validate arguments and inputs, read the journal, check the budget."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
    if concurrency < 1:
        raise ValueError("concurrency must be >= 1")
    kind = "email" if mode == "email" else "handle"
    given = read_values(values, column=column, kind=kind, sheet=sheet, encoding=encoding)
    prepared = prepare(given, platform, kind=kind)
    jr = None
    if journal:
        if store is None:
            store = client_store(client)
        operation = "enrich_email" if mode == "email" else f"enrich_handle_{mode}"
        scope = client.identity_fingerprint
        jr = Journal(
            store,
            scope=scope,
            operation=operation,
            platform=platform if kind == "handle" else None,
            options=options,
            ttl=journal_ttl if journal_ttl is not None else DEFAULT_TTL,
        )
    run = Run(
        client, prepared, platform, mode, dict(options), jr, concurrency, on_result, retry_unknown
    )
    run.plan(progress)
    return run


def run_sync(run: Run) -> EnrichMany:
    """Drive ``run`` with ``run.concurrency`` threads; safe inside a running event loop."""
    send = run.send()

    def worker() -> None:
        while (taken := run.take()) is not None:
            value, wait = taken
            if wait:
                time.sleep(wait)
            if not run.admit(value):
                continue
            try:
                result = send(value)
            except BaseException as exc:
                run.failed(value, exc)
            else:
                run.done(value, result)

    workers = min(run.concurrency, max(len(run.todo), 1))
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="enrich_many")
    futures = [pool.submit(worker) for _ in range(workers)]
    try:
        pending = set(futures)
        while pending:  # this thread says what the workers wait for (say_waiting)
            pending = wait_for(pending, timeout=_WAIT_STEP).not_done
            run.say_waiting()
        for f in futures:
            f.result()
    except BaseException as exc:  # Ctrl-C in the waiting thread: let in-flight calls land
        run.interrupt(exc)
        pool.shutdown(wait=True)
        run.bar.close()
        raise
    pool.shutdown(wait=True)
    return run.finish()


async def run_async(run: Run) -> EnrichMany:
    """Drive ``run`` with ``run.concurrency`` tasks of one anyio task group."""
    send = run.send()

    async def worker() -> None:
        while True:
            await anyio.lowlevel.checkpoint()  # a cancel lands here, between requests
            taken = run.take()
            if taken is None:
                return
            value, wait = taken
            if wait:
                await anyio.sleep(wait)
            if not run.admit(value):
                continue
            # shielded: a request already sent is paid for; cancelling it would lose the
            # answer, so a cancel waits for it (at most the client's timeout) and files it
            with anyio.CancelScope(shield=True):
                try:
                    result = await send(value)
                except BaseException as exc:
                    run.failed(value, exc)
                else:
                    run.done(value, result)

    workers = min(run.concurrency, max(len(run.todo), 1))
    running, finished = [workers], anyio.Event()

    async def counted() -> None:
        try:
            await worker()
        finally:
            running[0] -= 1
            if not running[0]:
                finished.set()

    try:
        async with anyio.create_task_group() as tg:
            for _ in range(workers):
                tg.start_soon(counted)
            while not finished.is_set():  # this task says what the workers wait for
                with anyio.move_on_after(_WAIT_STEP):
                    await finished.wait()
                run.say_waiting()
    except BaseException as exc:
        run.interrupt(exc)
        run.bar.close()
        raise
    return run.finish()
