"""Team scale: two analysts on one store (SQLite file or PostgreSQL) never pay twice."""

from __future__ import annotations

import pytest

from toolkit import Client
from toolkit._config import SANDBOX_BASE_URL
from toolkit.sandbox import Sandbox


def test_two_analysts_pay_once(store_url: str) -> None:
    if store_url == "memory:":
        pytest.skip("an in-memory store is private to its handle")
    sb = Sandbox(seed=3, creators=200)
    colleague = sb.add_account("Colleague", credits=100)
    name = max(sb.world.on("instagram"), key=lambda c: c.followers).username
    kw = {"base_url": SANDBOX_BASE_URL, "store": store_url, "cache_scope": "growth-team"}
    with Client(api_key=sb.api_key, transport=sb.transport(), **kw) as ana:
        first = ana.creators.enrich_handle(name, "instagram")
    with Client(api_key=colleague.api_key, transport=sb.transport(), **kw) as ben:
        second = ben.creators.enrich_handle(name, "instagram")
    assert (first.cached, second.cached) == (False, True)
    assert second.data == first.data
    assert [e.operation for e in sb.log if e.charged > 0] == ["enrich_handle_full"]
