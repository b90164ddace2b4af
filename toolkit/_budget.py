"""Budgets: caps on credits that refuse a call *before* it is sent.

A budget counts what was spent, what may have been spent (calls whose answer was lost,
at their worst case) and what is *reserved*: the worst case of every call in flight. A
call is admitted only if its worst case fits what is left after all three, and its
reservation is taken in the same locked step, so ten threads or tasks racing for the last
credit cannot all get through. When the answer arrives the reservation becomes the cost
the API reported (or, if the answer was lost, stays as uncertain).

A client has at most one budget for its whole life (``Client(budget=...)``) and any number
of blocks (``with client.budget(5): ...``) open at a time; a call must fit all of them.
A block covers every call the client makes while it is open, from any thread or task.
"""

from __future__ import annotations

import threading
import warnings
import weakref
from dataclasses import dataclass, field

from toolkit._exceptions import BudgetExceededError, caller_stacklevel

__all__ = ["Block", "Budget", "Budgets", "Reservation"]

_EPS = 1e-9


@dataclass
class Budget:
    """One cap: ``limit`` credits, of which ``spent``, ``uncertain`` and ``reserved`` are used."""

    limit: float
    spent: float = 0.0
    uncertain: float = 0.0
    reserved: float = 0.0
    calls: int = 0
    #: recurring costs admitted and not yet accrued: object id -> projected credits left
    committed: dict[str, float] = field(default_factory=dict)

    @property
    def left(self) -> float:
        """What a new call may still use: the limit minus spent, uncertain, reserved and
        committed (the rest of the recurring costs it admitted)."""
        held = self.spent + self.uncertain + self.reserved + sum(self.committed.values())
        return round(self.limit - held, 6)

    def __repr__(self) -> str:
        return (
            f"Budget(limit={self.limit:g}, spent={self.spent:g}, left={max(self.left, 0):g}"
            f"{f', in flight={self.reserved:g}' if self.reserved else ''}"
            f"{f', uncertain={self.uncertain:g}' if self.uncertain else ''}"
            f"{f', committed={sum(self.committed.values()):g}' if any(self.committed.values()) else ''})"
        )


class Block:
    """``with client.budget(5) as b:``: the budget ``b`` caps every call made inside."""

    def __init__(self, owner: Budgets, budget: Budget) -> None:
        self._owner = owner
        self.budget = budget

    def __enter__(self) -> Budget:
        owner = self._owner
        with owner._lock:
            if any(b is self.budget for b in owner._blocks):
                raise RuntimeError(
                    "this budget is already open; one block covers the calls of every "
                    "thread and task while it is open, so enter it once"
                )
            owner._unentered.discard(self)
            owner._blocks.append(self.budget)
        return self.budget

    def __exit__(self, *exc: object) -> None:
        with self._owner._lock:
            self._owner._blocks.remove(self.budget)

    async def __aenter__(self) -> Budget:
        return self.__enter__()

    async def __aexit__(self, *exc: object) -> None:
        self.__exit__()

    def __repr__(self) -> str:
        return f"<client.budget({self.budget.limit:g}): use it as `with client.budget(...):`>"


@dataclass
class Reservation:
    """The worst case of one admitted call, held on every budget that was open for it."""

    amount: float
    budgets: tuple[Budget, ...] = field(default_factory=tuple)


class Budgets:
    """The budgets of one client; every change happens under one lock."""

    def __init__(self, limit: float | None) -> None:
        self._lock = threading.Lock()
        self.client_budget = Budget(limit) if limit is not None else None
        self._blocks: list[Budget] = []
        # blocks made by client.budget() and not (yet) entered; weak: one dropped unused
        # (a typo's result) must not warn forever
        self._unentered: weakref.WeakSet[Block] = weakref.WeakSet()

    def _open(self) -> list[Budget]:
        return ([self.client_budget] if self.client_budget else []) + self._blocks

    @property
    def left(self) -> float | None:
        """The smallest amount left over the open budgets (None when there is none)."""
        with self._lock:
            open_ = self._open()
            return min(b.left for b in open_) if open_ else None

    def check(self, operation: str, amount: float) -> None:
        """Raise :class:`BudgetExceededError` if ``amount`` does not fit (reserves nothing)."""
        with self._lock:
            self._refuse_if_over(operation, amount, self._open())

    def reserve(self, operation: str, amount: float) -> Reservation:
        """Admit a call of worst case ``amount`` and hold it, or raise before it is sent."""
        if self._unentered and amount > 0:
            self._warn_unentered()
        with self._lock:
            open_ = self._open()
            self._refuse_if_over(operation, amount, open_)
            for b in open_:
                b.reserved += amount
                b.calls += 1
            return Reservation(amount, tuple(open_))

    def settle(self, reservation: Reservation, *, cost: float, uncertain: float = 0.0) -> None:
        """Replace the reservation by what the call cost (and what it may have cost)."""
        with self._lock:
            for b in reservation.budgets:
                b.reserved = max(0.0, round(b.reserved - reservation.amount, 6))
                b.spent = round(b.spent + cost, 6)
                b.uncertain = round(b.uncertain + uncertain, 6)

    def commit(self, key: str, amount: float) -> None:
        """Hold the projected cost of a recurring cost admitted under the open budgets (the
        create was checked with :meth:`check` first); its accruals draw it down."""
        with self._lock:
            for b in self._open():
                b.committed[key] = round(b.committed.get(key, 0.0) + amount, 6)

    def accrue(self, key: str, amount: float) -> None:
        """A recurring cost accrued ``amount``: spent on every open budget (it is spent,
        fitting or not), and taken off what was committed for ``key``."""
        with self._lock:
            for b in self._open():
                b.spent = round(b.spent + amount, 6)
                if key in b.committed:
                    b.committed[key] = max(0.0, round(b.committed[key] - amount, 6))

    @property
    def open(self) -> bool:
        """True when any budget caps the client right now."""
        with self._lock:
            return bool(self._open())

    def block(self, limit: float) -> Block:
        """A budget of ``limit`` credits for the calls made inside ``with`` (see :class:`Block`)."""
        if limit < 0:
            raise ValueError("a budget cannot be negative")
        block = Block(self, Budget(float(limit)))
        with self._lock:
            self._unentered.add(block)
        return block

    def _warn_unentered(self) -> None:
        """``b = client.budget(5)`` without ``with`` caps nothing: say so at the next paid call
        (once per such block), rather than let the analyst believe the calls are capped."""
        with self._lock:
            blocks = list(self._unentered)
            self._unentered.clear()
        for block in blocks:
            warnings.warn(
                f"client.budget({block.budget.limit:g}) was never entered, so it caps "
                "nothing: write `with client.budget(...):` around the calls, or give the "
                "client one for its whole life with Client(budget=...)",
                UserWarning,
                stacklevel=caller_stacklevel(),
            )

    @staticmethod
    def _refuse_if_over(operation: str, amount: float, open_: list[Budget]) -> None:
        if amount <= 0:
            return
        for b in open_:
            if amount > b.left + _EPS:
                raise BudgetExceededError(operation, amount, max(b.left, 0.0))
