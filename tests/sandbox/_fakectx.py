"""A small stand-in for the sandbox app's ``Ctx``, so the world's handlers can be tested
on their own: world, clock, settings, an account with a balance, and ``charge`` /
``envelope`` with the documented behaviour (402 and nothing billed when short)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from toolkit.sandbox._clock import Clock
from toolkit.sandbox._http import ApiError, Request, Response, Router
from toolkit.sandbox.routes import audience, classifier, content, discovery, enrich, socials
from toolkit.sandbox.world import World

#: the creator-data routes, which need only the world, the clock and a balance
router = Router()
for _module in (discovery, classifier, enrich, socials, audience, content):
    router.routes.extend(_module.router.routes)


@dataclass(frozen=True)
class FakeSettings:
    page_base: int = 0
    credits_left_as_string: bool = False
    rate_limit_per_minute: int = 300
    max_results: int = 10000
    email_price: float = 0.05
    posts_price: float = 0.03
    retry_after_header: bool = True


@dataclass
class FakeList:
    id: int
    name: str
    platform: str
    is_default: bool = False
    handles: set[str] = field(default_factory=set)


@dataclass
class FakeAccount:
    id: str = "acct_1"
    balance: float = 1000.0
    trial: bool = False
    trial_searches_left: int = 0
    exclusion_lists: dict[int, FakeList] = field(default_factory=dict)
    state: dict[str, Any] = field(default_factory=dict)


@dataclass
class FakeCtx:
    world: World
    clock: Clock = field(default_factory=Clock.fixed)
    settings: FakeSettings = field(default_factory=FakeSettings)
    account: FakeAccount = field(default_factory=FakeAccount)
    charges: list[float] = field(default_factory=list)

    def charge(self, amount: float, *, reference: str | None = None) -> None:
        if amount > self.account.balance + 1e-9:
            raise ApiError(402, {"detail": "Insufficient credits."})
        self.account.balance = round(self.account.balance - amount, 4)
        self.charges.append(amount)

    def envelope(self, cost: float) -> dict[str, Any]:
        left = self.account.balance
        out: dict[str, Any] = {
            "credits_cost": cost,
            "credits_left": f"{left:.2f}" if self.settings.credits_left_as_string else left,
        }
        if self.account.trial:
            out["trial_searches_left"] = self.account.trial_searches_left
        return out


def call(
    ctx: FakeCtx, method: str, path: str, body: Any = None, query: str = ""
) -> tuple[int, Any, bytes]:
    """Route ``method path`` through the creators router: ``(status, json, raw bytes)``."""
    target = path + (f"?{query}" if query else "")
    payload = b"" if body is None else json.dumps(body).encode()
    req = Request.build(method, target, {"content-type": "application/json"}, payload)
    found = router.match(req.method, req.path)
    assert found is not None, f"no route for {method} {path}"
    route, params = found
    try:
        out = route.handler(ctx, req, **params)
    except ApiError as exc:
        resp = exc.to_response()
    else:
        resp = out if isinstance(out, Response) else Response.json(out)
    return resp.status, json.loads(resp.body), resp.body
