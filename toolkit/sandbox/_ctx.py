"""What a handler sees of the sandbox (:class:`Ctx`) and how it bills."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from ._accounts import Account, credits_json, to_credits
from ._http import ApiError, Request

if TYPE_CHECKING:  # pragma: no cover
    from ._app import Sandbox

__all__ = ["Ctx"]


class Ctx:
    """What a handler sees: the world, the clock, the settings and the caller's account."""

    def __init__(
        self, sandbox: Sandbox, account: Account | None, req: Request, operation: str = ""
    ) -> None:
        self.sandbox = sandbox
        self.clock = sandbox.clock
        self.settings = sandbox.settings
        self.account: Account = account  # type: ignore[assignment]  # None on open routes
        self.request = req
        self.operation = operation
        self.charged = Decimal(0)
        self._searches_taken = 0

    @property
    def world(self) -> Any:
        """The synthetic world (built on first use, see :attr:`Sandbox.world`)."""
        return self.sandbox.world

    @property
    def base_url(self) -> str:
        """``scheme://host`` the caller used, for absolute URLs (download links, paging)."""
        proto = self.request.headers.get("x-forwarded-proto", "http")
        host = self.request.headers.get("host", "sandbox.invalid")
        return f"{proto}://{host}"

    def now(self) -> datetime:
        return self.clock.now()

    def charge(self, amount: float, *, reference: str | None = None) -> None:
        """Bill the account ``amount`` credits; 402 and nothing billed when it is short.

        ``reference`` names what was paid for in the charge log (the creator enriched)."""
        cost = to_credits(amount)
        if cost <= 0:
            return
        acct = self.account
        with acct.lock:
            if acct.trial and acct.trial_searches_left - self._searches_taken <= 0:
                raise ApiError(
                    402, {"detail": "Insufficient credits. The trial's searches are used up."}
                )
            if acct.balance < cost:
                raise ApiError(
                    402,
                    {
                        "detail": f"Insufficient credits. This request needs {float(cost)} "
                        f"credits and {float(acct.balance)} are left."
                    },
                )
            acct.debit(cost, operation=self.operation, when=self.clock.now(), reference=reference)
            self.charged += cost
            if acct.trial and self._searches_taken == 0:
                self._searches_taken = 1
                acct.trial_searches_left -= 1

    def envelope(self, cost: float) -> dict[str, Any]:
        """``credits_cost``/``credits_left`` (+ ``trial_searches_left``) after a charge."""
        left = self.account.balance
        out: dict[str, Any] = {
            "credits_cost": cost,
            "credits_left": f"{left:.2f}"
            if self.settings.credits_left_as_string
            else credits_json(left),
        }
        if self.account.trial:
            out["trial_searches_left"] = self.account.trial_searches_left
        return out

    def page_url(self, page: int | None) -> str | None:
        """This request's absolute URL with ``page`` replaced (DRF ``next``/``previous``)."""
        if page is None:
            return None
        query = {k: v[0] for k, v in self.request.query.items() if k != "page"}
        query["page"] = str(page)
        return f"{self.base_url}{self.request.path}?{urlencode(query)}"
