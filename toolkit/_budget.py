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
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from toolkit._exceptions import BudgetExceededError

__all__ = ["Budget", "Budgets", "Reservation"]

_EPS = 1e-9


@dataclass
class Budget:
    """One cap: ``limit`` credits, of which ``spent``, ``uncertain`` and ``reserved`` are used."""

    limit: float
    spent: float = 0.0
    uncertain: float = 0.0
    reserved: float = 0.0
    calls: int = 0

    @property
    def left(self) -> float:
        """What a new call may still use: the limit minus spent, uncertain and reserved."""
        return round(self.limit - self.spent - self.uncertain - self.reserved, 6)

    def __repr__(self) -> str:
        return (
            f"Budget(limit={self.limit:g}, spent={self.spent:g}, left={max(self.left, 0):g}"
            f"{f', in flight={self.reserved:g}' if self.reserved else ''}"
            f"{f', uncertain={self.uncertain:g}' if self.uncertain else ''})"
        )


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

    @contextmanager
    def block(self, limit: float) -> Iterator[Budget]:
        """Open a budget of ``limit`` credits for the calls made until the block closes."""
        if limit < 0:
            raise ValueError("a budget cannot be negative")
        budget = Budget(float(limit))
        with self._lock:
            self._blocks.append(budget)
        try:
            yield budget
        finally:
            with self._lock:
                self._blocks.remove(budget)

    @staticmethod
    def _refuse_if_over(operation: str, amount: float, open_: list[Budget]) -> None:
        if amount <= 0:
            return
        for b in open_:
            if amount > b.left + _EPS:
                raise BudgetExceededError(operation, amount, max(b.left, 0.0))
