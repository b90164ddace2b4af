"""The ledger says what every call cost: free calls and failures 0.0, never null (a null read
as <NA> in pandas and dropped out of sums), a lost answer's worst case in uncertain_cost."""

from __future__ import annotations

import json

import httpx
import pytest

from toolkit import Client, charts
from toolkit._config import SANDBOX_BASE_URL
from toolkit._exceptions import ServerError
from toolkit.sandbox import Sandbox


def test_the_ledger_has_no_null_cost() -> None:
    sb = Sandbox(seed=7, creators=60)
    client = Client(
        api_key=sb.api_key,
        base_url=SANDBOX_BASE_URL,
        transport=sb.transport(),
        store="memory:",
        max_retries=0,
    )
    handle = sb.world.on("instagram")[0].username
    client.account.credits()  # free
    client.creators.enrich_handle(handle, "instagram")  # paid
    client.creators.enrich_handle(handle, "instagram")  # from the cache
    sb.faults.add("status", status=502)
    with pytest.raises(ServerError):
        client.account.credits()  # failed: nothing charged
    ledger = client.ledger.to_polars()
    assert ledger.height == 4
    assert ledger["credits_cost"].null_count() == 0
    assert ledger["credits_cost"].to_list()[0] == 0.0 and ledger["credits_cost"][1] > 0
    assert ledger["cached"].to_list()[2] and ledger["credits_cost"][2] == 0.0
    assert ledger["uncertain_cost"].to_list() == [0.0] * 4
    assert not client.ledger.to_pandas()["credits_cost"].isna().any()


class _NoCostNamed(httpx.BaseTransport):
    """The sandbox's answers with ``credits_cost`` taken out of the body, as an answer that
    does not name its cost would come."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        got = self.inner.handle_request(request)
        got.read()
        body = json.loads(got.content) if got.content else None
        if not isinstance(body, dict) or "credits_cost" not in body:
            return got
        body.pop("credits_cost")
        headers = {k: v for k, v in got.headers.items() if k.lower() != "content-length"}
        return httpx.Response(got.status_code, headers=headers, json=body)


def test_a_paid_answer_without_its_cost_is_priced_by_the_client_not_free() -> None:
    sb = Sandbox(seed=7, creators=60)
    client = Client(
        api_key=sb.api_key,
        base_url=SANDBOX_BASE_URL,
        transport=_NoCostNamed(sb.transport()),
        store="memory:",
    )
    handle = sb.world.on("instagram")[0].username
    client.account.credits()  # free: no cost, none uncertain
    client.creators.enrich_handle(handle, "instagram", mode="full")  # paid, cost not named
    client.creators.enrich_handle(handle, "instagram", mode="full")  # from the cache
    ledger = client.ledger.to_polars()
    assert ledger["credits_cost"].null_count() == 0
    assert ledger["credits_cost"].to_list() == [0.0, 0.0, 0.0]  # only the API says "charged"
    assert ledger["uncertain_cost"].to_list() == [0.0, client.prices.enrich_full, 0.0]
    assert client.ledger.uncertain == client.prices.enrich_full
    assert "up to 1 more not reported by the API" in charts.spend(ledger).layout.title.subtitle.text
