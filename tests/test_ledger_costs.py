"""The ledger says what every call cost: free calls and failures 0.0, never null (a null read
as <NA> in pandas and dropped out of sums), a lost answer's worst case in uncertain_cost."""

from __future__ import annotations

import pytest

from toolkit import Client
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
