"""Claims (``toolkit.store._claims``): one owner at a time, on every backend; a claim whose
owner died on this machine is taken over at once, one of another machine when it expires.
Threads or tasks of one client asking for the same paid answer at once pay for it once."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from toolkit import AsyncClient, Client
from toolkit._config import SANDBOX_BASE_URL
from toolkit._exceptions import CacheWarning, WaitingWarning
from toolkit._lifecycle import CLAIMS_NAMESPACE
from toolkit.cache import NAMESPACE as CACHE_NAMESPACE
from toolkit.sandbox import Sandbox
from toolkit.store import Store
from toolkit.store._claims import _ACTIVE, Claims, owner


def _dead_pid() -> int:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    return int(done.stdout)


def test_one_owner_at_a_time(store: Store) -> None:
    claims = Claims(store, "t_claims")
    assert claims.take("k") is True
    assert claims.take("k") is False  # held by this process (another thread would wait)
    assert claims.holder("k") == owner()
    claims.release("k")
    assert claims.holder("k") is None
    assert claims.take("k") is True
    claims.release("k")


def test_a_dead_local_owner_is_taken_over_once(store: Store) -> None:
    dead = {**owner(), "pid": _dead_pid(), "token": "gone"}
    store.put("t_claims", "k", json.dumps(dead).encode(), ttl=300)
    claims = Claims(store, "t_claims")
    assert claims.holder("k") is None  # its owner no longer runs
    assert claims.take("k") is True
    assert claims.holder("k") == owner()
    claims.release("k")


def test_an_owner_on_another_machine_holds_until_expiry(store: Store) -> None:
    far = {"host": "another-machine", "pid": 1, "token": "x"}
    store.put("t_claims", "k", json.dumps(far).encode(), ttl=0.5)
    claims = Claims(store, "t_claims")
    assert claims.take("k") is False and claims.holder("k") == far
    time.sleep(0.6)  # the claim expires: its owner is presumed gone
    assert claims.take("k") is True
    claims.release("k")


def test_an_interrupted_claim_of_this_process_is_stale(store: Store) -> None:
    claims = Claims(store, "t_claims")
    assert claims.take("k") is True
    claims.forget("k")  # as if the call holding it had died without releasing
    assert claims.holder("k") is None
    assert claims.take("k") is True
    claims.release("k")


def _slow_sandbox() -> tuple[Sandbox, str]:
    sb = Sandbox(seed=4, creators=60)
    sb.faults.add("slow", seconds=0.5, operations=["enrich_handle_raw"])  # answers take 0.5 s
    return sb, sb.world.on("instagram")[0].username


def test_threads_asking_for_one_paid_answer_pay_once(tmp_path: Path) -> None:
    sb, name = _slow_sandbox()
    with (
        Client(
            api_key=sb.api_key,
            base_url=SANDBOX_BASE_URL,
            transport=sb.transport(),
            store=str(tmp_path / "s.sqlite3"),
        ) as client,
        ThreadPoolExecutor(4) as pool,
    ):
        results = list(
            pool.map(
                lambda _: client.creators.enrich_handle(name, "instagram", mode="raw"), range(4)
            )
        )
    assert len({json.dumps(r.data, sort_keys=True) for r in results}) == 1
    assert sorted(r.cached for r in results) == [False, True, True, True]
    assert sum(1 for c in sb.charges if c.operation == "enrich_handle_raw") == 1


@pytest.mark.anyio
async def test_tasks_asking_for_one_paid_answer_pay_once(tmp_path: Path) -> None:
    sb, name = _slow_sandbox()
    async with AsyncClient(
        api_key=sb.api_key,
        base_url=SANDBOX_BASE_URL,
        transport=sb.async_transport(),
        store=str(tmp_path / "s.sqlite3"),
    ) as client:
        results = await asyncio.gather(
            *(client.creators.enrich_handle(name, "instagram", mode="raw") for _ in range(4))
        )
    assert sorted(r.cached for r in results) == [False, True, True, True]
    assert sum(1 for c in sb.charges if c.operation == "enrich_handle_raw") == 1


def _sandbox_client(tmp_path: Path) -> tuple[Sandbox, Client, str]:
    sb = Sandbox(seed=4, creators=60)
    client = Client(
        api_key=sb.api_key,
        base_url=SANDBOX_BASE_URL,
        transport=sb.transport(),
        store=str(tmp_path / "s.sqlite3"),
    )
    return sb, client, sb.world.on("instagram")[0].username


def test_a_damaged_cache_entry_leaves_no_claim_behind(tmp_path: Path) -> None:
    sb, client, name = _sandbox_client(tmp_path)
    with client:
        client.creators.enrich_handle(name, "instagram", mode="raw")
        store = client.cache.store
        [(key, _)] = list(store.items(CACHE_NAMESPACE))
        store.put(CACHE_NAMESPACE, key, b"not a cache entry")  # damaged on disk
        with pytest.warns(CacheWarning, match="unreadable"):
            again = client.creators.enrich_handle(name, "instagram", mode="raw")
        assert again.cached is False  # paid again: the entry could not be read
        assert store.count(CLAIMS_NAMESPACE) == 0  # released: nobody waits on it
        assert (CLAIMS_NAMESPACE, key) not in _ACTIVE
        assert client.creators.enrich_handle(name, "instagram", mode="raw").cached is True
    assert sum(1 for c in sb.charges if c.operation == "enrich_handle_raw") == 2


def test_ctrl_c_while_reading_the_store_after_claiming_releases_the_claim(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sb, client, name = _sandbox_client(tmp_path)
    with client:
        lookup = client.cache.lookup

        def interrupted(call: Any, key: str, *, count: bool = True) -> Any:
            if not count:  # the second look, made after the claim was taken
                raise KeyboardInterrupt
            return lookup(call, key, count=count)

        monkeypatch.setattr(client.cache, "lookup", interrupted)
        with pytest.raises(KeyboardInterrupt):
            client.creators.enrich_handle(name, "instagram", mode="raw")
        assert client.cache.store.count(CLAIMS_NAMESPACE) == 0
        assert not any(ns == CLAIMS_NAMESPACE for ns, _ in _ACTIVE)
        monkeypatch.setattr(client.cache, "lookup", lookup)
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no wait on its own stale claim, no warning
            assert client.creators.enrich_handle(name, "instagram", mode="raw").cached is False
    assert sum(1 for c in sb.charges if c.operation == "enrich_handle_raw") == 1


def test_a_call_waiting_for_another_process_says_so_once(tmp_path: Path) -> None:
    sb, client, name = _sandbox_client(tmp_path)
    with client:
        client.creators.enrich_handle(name, "instagram", mode="raw")
        store = client.cache.store
        [(key, _)] = list(store.items(CACHE_NAMESPACE))
        client.cache.clear()
        far = {"host": "another-machine", "pid": 4242, "token": "x"}  # paying for it now
        store.put(CLAIMS_NAMESPACE, key, json.dumps(far).encode(), ttl=0.6)
        with pytest.warns(WaitingWarning) as caught:
            again = client.creators.enrich_handle(name, "instagram", mode="raw")
        waits = [w for w in caught if issubclass(w.category, WaitingWarning)]
        assert len(waits) == 1  # once, when the wait starts, not at every look
        text = str(waits[0].message)
        assert text.startswith("waiting for enrich_handle_raw: another process")
        assert "another-machine pid 4242" in text and "up to 300 s" in text
        assert again.cached is False  # the claim expired unanswered: bought here
    assert sum(1 for c in sb.charges if c.operation == "enrich_handle_raw") == 2
