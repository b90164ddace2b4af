"""Accounts, their API keys and money: every credit that leaves a balance is in the charge log.

Balances are :class:`~decimal.Decimal` rounded to 0.0001 credit, so sums of many small
prices (0.01 per discovery row, 0.03 per raw batch row) stay exact. Every debit goes
through :meth:`Account.debit`, which appends a :class:`Charge` to the sandbox's
:class:`ChargeLog` (``sb.charges``): paid requests, batch rows billed as the job runs, and
social-listening accruals alike, so ``sum(charges) == account.used`` always holds.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

__all__ = ["Account", "ApiKey", "Charge", "ChargeLog", "credits_json", "to_credits"]

CENT = Decimal("0.0001")


def to_credits(amount: float | Decimal | str) -> Decimal:
    """``amount`` as an exact credit figure (0.0001 resolution, half up)."""
    return Decimal(str(amount)).quantize(CENT, rounding=ROUND_HALF_UP)


def credits_json(value: Decimal) -> float | int:
    """A JSON number for a balance: ``5.23``, never ``5.2299999``."""
    return float(value.quantize(CENT).normalize()) if value else 0.0


@dataclass(frozen=True)
class Charge:
    """One debit: who paid, for what (an operation name), and for which item (``reference``)."""

    time: datetime
    account_id: str
    operation: str
    amount: float
    #: what was paid for: ``"<batch id>:<row>"`` for a batch row, the subscription id for
    #: a listening accrual, ``"<platform>:<username>"`` or the email for an enrichment;
    #: None for other paid requests
    reference: str | None = None


class ChargeLog:
    """Every credit taken from any account, oldest first (``sb.charges``)."""

    def __init__(self, maxlen: int = 100_000) -> None:
        self._entries: deque[Charge] = deque(maxlen=maxlen)
        self._lock = threading.Lock()

    def append(self, charge: Charge) -> None:
        with self._lock:
            self._entries.append(charge)

    def __iter__(self) -> Iterator[Charge]:
        with self._lock:
            return iter(list(self._entries))

    def __len__(self) -> int:
        return len(self._entries)

    def __getitem__(self, index: int) -> Charge:
        with self._lock:
            return list(self._entries)[index]

    def total(self, account_id: str | None = None, operation: str | None = None) -> float:
        """Credits charged, optionally for one account and/or one operation."""
        picked = (
            c.amount
            for c in self
            if (account_id is None or c.account_id == account_id)
            and (operation is None or c.operation == operation)
        )
        return float(sum((to_credits(a) for a in picked), Decimal(0)))

    def to_dicts(self) -> list[dict[str, Any]]:
        return [
            {
                "time": c.time.isoformat(),
                "account_id": c.account_id,
                "operation": c.operation,
                "amount": c.amount,
                "reference": c.reference,
            }
            for c in self
        ]


@dataclass
class ApiKey:
    """An API key of an account. The token never shows in a repr."""

    id: int
    name: str
    token: str = field(repr=False)
    created_at: datetime
    scopes: list[str] = field(default_factory=lambda: ["all"])
    active: bool = True
    expires_at: datetime | None = None
    last_used_at: datetime | None = None

    def usable(self, now: datetime) -> bool:
        return self.active and (self.expires_at is None or now < self.expires_at)


@dataclass
class Account:
    """One customer account: balance, credentials and everything it owns."""

    id: str
    name: str
    balance: Decimal
    trial: bool = False
    used: Decimal = Decimal(0)
    trial_searches_left: int = 0
    api_keys: list[ApiKey] = field(default_factory=list)
    #: exclusion lists by id; the discovery handlers read these.
    exclusion_lists: dict[int, Any] = field(default_factory=dict)
    #: per-area state (batches, listening, ...), created on first use.
    state: dict[str, Any] = field(default_factory=dict, repr=False)
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False, compare=False)
    #: the key the sandbox handed out when it made the account
    primary_key: ApiKey | None = field(default=None, repr=False)
    #: where debits are recorded (the sandbox's ``sb.charges``)
    charges: ChargeLog = field(default_factory=ChargeLog, repr=False, compare=False)

    @property
    def api_key(self) -> str:
        """The token of the key the sandbox handed out (``sb.api_key``)."""
        key = self.primary_key or self.api_keys[0]
        return key.token

    def debit(
        self, amount: Decimal, *, operation: str, when: datetime, reference: str | None = None
    ) -> None:
        """Take ``amount`` off the balance unconditionally (callers check first) and log it."""
        with self.lock:
            self.balance -= amount
            self.used += amount
        self.charges.append(Charge(when, self.id, operation, float(amount), reference))
