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
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
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
)
from toolkit.jobs._files import read_values
from toolkit.jobs._inputs import Prepared, prepare
from toolkit.jobs._journal import DEFAULT_TTL, Journal, StoreLike, client_store
from toolkit.jobs._progress import progress_bar
from toolkit.jobs._result import EnrichMany, Outcome

__all__ = ["Run", "run_async", "run_sync"]

MODES = ("full", "profile", "analytics", "raw", "email")
#: Errors after which no further request is sent: the rest would fail the same way.
_STOPPING = (InsufficientCreditsError, BudgetExceededError)

OnResult = Callable[[str, Outcome], None]


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
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    todo: list[str] = field(default_factory=list)
    stop_reason: str | None = None
    fatal: BaseException | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _next: int = 0
    _ok: int = 0
    _bad: int = 0
    bar: Any = None

    # ---------------------------------------------------------------- planning
    def plan(self, progress: bool) -> None:
        """Take journaled answers, check the budget for the rest, open the bar."""
        for value in self.prepared.values:
            entry = self.journal.get(value) if self.journal is not None else None
            if entry is not None:
                self.outcomes[value] = Outcome(
                    value, data=entry.data, credits_cost=0.0, from_journal=True
                )
                self._ok += 1
            elif value not in self.outcomes:
                self.todo.append(value)
                self.outcomes.setdefault(value, Outcome(value, reason="not_attempted"))
        worst = self.price * len(self.todo)
        left = getattr(self.client, "budget_left", None)
        if left is not None and worst > left + 1e-9:
            raise BudgetExceededError(self.operation, worst, max(left, 0.0))
        self.bar = progress_bar(
            len(self.prepared.values), f"enrich {self.mode}", enabled=progress, unit="creator"
        )
        self.bar.update(len(self.prepared.values) - len(self.todo))
        self.bar.set_postfix_str(self._postfix())

    @property
    def operation(self) -> str:
        return "enrich_email" if self.mode == "email" else f"enrich_handle_{self.mode}"

    @property
    def price(self) -> float:
        return float(self.client.prices.per_call()[self.operation])

    def take(self) -> str | None:
        """The next value to fetch, or ``None`` when done or stopping."""
        with self._lock:
            if self.stop_reason is not None or self._next >= len(self.todo):
                return None
            value = self.todo[self._next]
            self._next += 1
            return value

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
        """File a paid answer: journal first, then the outcome and the bar."""
        data = result.data.get("result") if isinstance(result.data, Mapping) else None
        cost = result.credits_cost or 0.0
        if isinstance(data, Mapping) and data:
            if self.journal is not None:
                self.journal.record(value, data, result.credits_cost)
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
            else:
                self._bad += 1
            self.bar.update(1)
            self.bar.set_postfix_str(self._postfix())
        if self.on_result is not None:
            try:
                self.on_result(value, outcome)
            except BaseException as exc:  # a callback that raises stops the run like Ctrl-C
                self.interrupt(exc)

    def _postfix(self) -> str:
        return f"{self._ok} ok, {self._bad} failed"

    def finish(self) -> EnrichMany:
        """Close the bar, raise a fatal error, or build the result frames."""
        self.bar.close()
        if self.fatal is not None:
            raise self.fatal
        return EnrichMany.build(
            self.prepared, self.outcomes, self.platform, self.mode, stop_reason=self.stop_reason
        )


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
) -> Run:
    """Prepare a run: validate arguments and inputs, read the journal, check the budget."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
    if concurrency < 1:
        raise ValueError("concurrency must be >= 1")
    kind = "email" if mode == "email" else "handle"
    prepared = prepare(read_values(values, column=column, kind=kind), platform, kind=kind)
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
    run = Run(client, prepared, platform, mode, dict(options), jr, concurrency, on_result)
    run.plan(progress)
    return run


def run_sync(run: Run) -> EnrichMany:
    """Drive ``run`` with ``run.concurrency`` threads; safe inside a running event loop."""
    send = run.send()

    def worker() -> None:
        while (value := run.take()) is not None:
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
            value = run.take()
            if value is None:
                return
            # shielded: a request already sent is paid for; cancelling it would lose the
            # answer, so a cancel waits for it (at most the client's timeout) and files it
            with anyio.CancelScope(shield=True):
                try:
                    result = await send(value)
                except BaseException as exc:
                    run.failed(value, exc)
                else:
                    run.done(value, result)

    try:
        async with anyio.create_task_group() as tg:
            for _ in range(min(run.concurrency, max(len(run.todo), 1))):
                tg.start_soon(worker)
    except BaseException as exc:
        run.interrupt(exc)
        run.bar.close()
        raise
    return run.finish()
