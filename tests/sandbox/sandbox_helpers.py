"""Helpers shared by the sandbox tests (a uniquely named module: ``conftest`` is ambiguous
when several test directories each have one)."""

from __future__ import annotations

from typing import Any

import httpx

from toolkit.sandbox import Sandbox
from toolkit.sandbox._ctx import Ctx
from toolkit.sandbox._http import Request

PAID = "/test/paid/"


def client_for(sb: Sandbox, key: str | None = None) -> httpx.Client:
    """A plain httpx client (not the toolkit's) authenticated with ``key``."""
    headers = {"Authorization": f"Bearer {key or sb.api_key}"}
    return httpx.Client(transport=sb.transport(), base_url="https://sandbox.test", headers=headers)


def add_paid_route(sb: Sandbox, price: float = 0.5) -> None:
    """A paid operation like the real ones: charges only when it has data to return."""

    @sb.router.route("POST", PAID, name="test_paid")
    def paid(ctx: Ctx, req: Request) -> dict[str, Any]:
        if req.json().get("empty"):
            return {"result": None, "credits_cost": 0}
        ctx.charge(price)
        return {"result": {"ok": True}, **ctx.envelope(price)}
