"""Budgets: ``with client.budget(n)`` refuses, before sending, the call that could overrun
it, also when calls run at the same time (an in-flight call holds its worst case)."""

from __future__ import annotations

import threading
from typing import Any

import anyio
import httpx
import pytest

from toolkit import AsyncClient, BudgetExceededError, Client
from toolkit._config import SANDBOX_BASE_URL
from toolkit.sandbox import Sandbox

from .client_support import Recorder, Sleeps, handles, make_client, top_creator


def test_block_refuses_before_sending(client: Client, sb: Sandbox, recorder: Recorder) -> None:
    names = handles(sb, "instagram", 3)
    with client.budget(2.5) as b:
        client.creators.enrich_handle(names[0], "instagram")
        client.creators.enrich_handle(names[1], "instagram")
        with pytest.raises(BudgetExceededError, match=r"worst case 1 credits but only 0\.5"):
            client.creators.enrich_handle(names[2], "instagram")
        assert (b.spent, b.left, b.calls) == (2.0, 0.5, 2)
    assert len(recorder.sent) == 2
    client.creators.enrich_handle(names[2], "instagram")  # the block is closed: no limit
    assert client.budget_left is None


def test_a_budget_never_entered_says_it_caps_nothing(client: Client, sb: Sandbox) -> None:
    names = handles(sb, "instagram", 2)
    b = client.budget(0.5)  # forgot `with`: the next paid call says so instead of paying quietly
    with pytest.warns(UserWarning, match=r"client.budget\(0.5\) was never entered") as seen:
        client.creators.enrich_handle(names[0], "instagram")
    assert seen[0].filename == __file__  # the warning names the analyst's line
    assert client.budget_left is None and "with client.budget" in repr(b)
    with client.budget(1) as entered:  # entered blocks never warn
        client.creators.enrich_handle(names[1], "instagram")
    assert entered.spent == 1.0


def test_a_budget_block_is_entered_once(client: Client, sb: Sandbox) -> None:
    block = client.budget(2)
    with block, pytest.raises(RuntimeError, match="already open"), block:
        pass  # re-entering would count every call twice
    with block as b:  # closed again: it may be opened anew
        client.creators.enrich_handle(handles(sb, "instagram", 1)[0], "instagram")
    assert b.spent == 1.0


@pytest.mark.anyio
async def test_async_with_opens_a_budget_too(sb: Sandbox, recorder: Recorder, sleeps) -> None:
    from .client_support import make_async_client

    async with make_async_client(sb, recorder, sleeps) as ac, ac.budget(0.5) as b:
        with pytest.raises(BudgetExceededError):
            await ac.creators.enrich_handle(handles(sb, "instagram", 1)[0], "instagram")
    assert b.spent == 0 and recorder.sent == []


def test_discovery_worst_case_is_the_page_size(
    client: Client, sb: Sandbox, recorder: Recorder
) -> None:
    with client.budget(0.3):
        with pytest.raises(BudgetExceededError):
            client.discovery.search("instagram", limit=40)  # could cost 0.4
        client.discovery.search("instagram", limit=30)
    assert len(recorder.sent) == 1


def test_cache_hits_pass_any_budget(client: Client, sb: Sandbox, recorder: Recorder) -> None:
    name = top_creator(sb, "instagram").username
    client.creators.enrich_handle(name, "instagram")
    with client.budget(0):
        assert client.creators.enrich_handle(name, "instagram").cached
        client.account.credits()  # free calls always fit
        with pytest.raises(BudgetExceededError):
            client.creators.enrich_raw(name, "instagram")
    assert len(recorder.sent) == 2


def test_nested_blocks_and_client_budget_all_apply(
    sb: Sandbox, recorder: Recorder, sleeps: Sleeps
) -> None:
    names = handles(sb, "instagram", 4)
    with make_client(sb, recorder, sleeps, budget=3.0) as c:
        with c.budget(10) as outer:
            with c.budget(1.5) as inner:
                c.creators.enrich_handle(names[0], "instagram")
                with pytest.raises(BudgetExceededError):
                    c.creators.enrich_handle(names[1], "instagram")
            c.creators.enrich_handle(names[1], "instagram")
            c.creators.enrich_handle(names[2], "instagram")
            with pytest.raises(BudgetExceededError):  # the client's 3 credits are used up
                c.creators.enrich_handle(names[3], "instagram")
        assert (inner.spent, outer.spent, c.budget_left) == (1.0, 3.0, 0.0)


def test_a_failed_call_gives_its_reservation_back(client: Client, sb: Sandbox) -> None:
    with client.budget(1) as b:
        with pytest.raises(Exception, match="enrich_handle_full"):
            client.creators.enrich_handle("no_such_creator_zz", "instagram")  # 404: not charged
        assert (b.reserved, b.spent, b.left) == (0.0, 0.0, 1.0)
        client.creators.enrich_handle(top_creator(sb, "instagram").username, "instagram")


def test_a_lost_answer_counts_its_worst_case(client: Client, sb: Sandbox) -> None:
    sb.faults.add("drop", times=1, operations=["enrich_handle_full"])
    with client.budget(1.5) as b:
        with pytest.raises(Exception, match="credits may have been charged"):
            client.creators.enrich_handle(top_creator(sb, "instagram").username, "instagram")
        assert b.uncertain == 1.0 and b.left == 0.5


# ----------------------------------------------------------------- concurrency
class _Gate:
    """Holds every request that reaches the wire until the test opens it, so calls are
    truly in flight together; counts arrivals and refusals so the test knows when."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.entered = self.refused = 0
        self.open = threading.Event()

    def arrive(self) -> None:
        with self.cond:
            self.entered += 1
            self.cond.notify_all()

    def refuse(self) -> None:
        with self.cond:
            self.refused += 1
            self.cond.notify_all()

    def wait_for(self, entered: int, refused: int) -> None:
        with self.cond:
            assert self.cond.wait_for(
                lambda: self.entered >= entered and self.refused >= refused, timeout=30
            ), (self.entered, self.refused)


class _GatedTransport(httpx.BaseTransport):
    def __init__(self, inner: httpx.BaseTransport, gate: _Gate) -> None:
        self.inner, self.gate = inner, gate

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.gate.arrive()
        self.gate.open.wait(30)
        return self.inner.handle_request(request)


class _AsyncGatedTransport(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport, gate: _Gate, opened: Any) -> None:
        self.inner, self.gate, self.opened = inner, gate, opened

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.gate.arrive()
        await self.opened.wait()
        return await self.inner.handle_async_request(request)


def test_threads_cannot_jointly_overrun_a_budget(sb: Sandbox) -> None:
    gate = _Gate()
    names = handles(sb, "instagram", 6)
    outcomes: list[str] = []
    with Client(
        api_key=sb.api_key,
        base_url=SANDBOX_BASE_URL,
        transport=_GatedTransport(sb.transport(), gate),
    ) as c:

        def work(name: str) -> None:
            try:
                c.creators.enrich_handle(name, "instagram")
                outcomes.append("paid")
            except BudgetExceededError:
                gate.refuse()
                outcomes.append("refused")

        with c.budget(2.5) as b:
            threads = [threading.Thread(target=work, args=(n,)) for n in names]
            for t in threads:
                t.start()
            gate.wait_for(entered=2, refused=4)  # two in flight hold 2 of 2.5 credits
            assert b.reserved == 2.0 and b.spent == 0.0
            gate.open.set()
            for t in threads:
                t.join()
        assert sorted(outcomes) == ["paid"] * 2 + ["refused"] * 4
        assert (b.spent, b.reserved) == (2.0, 0.0)
    assert sb.log.total_charged == pytest.approx(2.0)


@pytest.mark.anyio
async def test_async_tasks_cannot_jointly_overrun_a_budget(sb: Sandbox) -> None:
    gate, opened = _Gate(), anyio.Event()
    names = handles(sb, "instagram", 6)
    outcomes: list[str] = []
    transport = _AsyncGatedTransport(sb.async_transport(), gate, opened)
    async with AsyncClient(api_key=sb.api_key, base_url=SANDBOX_BASE_URL, transport=transport) as c:

        async def work(name: str) -> None:
            try:
                await c.creators.enrich_handle(name, "instagram")
                outcomes.append("paid")
            except BudgetExceededError:
                gate.refuse()
                outcomes.append("refused")

        with c.budget(2.5) as b:
            async with anyio.create_task_group() as tg:
                for n in names:
                    tg.start_soon(work, n)
                with anyio.fail_after(30):  # a failure, never a hang, if reservations break
                    while not (gate.entered >= 2 and gate.refused >= 4):
                        await anyio.sleep(0)
                assert b.reserved == 2.0
                opened.set()
        assert sorted(outcomes) == ["paid"] * 2 + ["refused"] * 4
    assert sb.log.total_charged == pytest.approx(2.0)


@pytest.mark.anyio
async def test_a_cancelled_task_releases_a_call_that_was_never_sent(sb: Sandbox) -> None:
    gate, opened = _Gate(), anyio.Event()
    transport = _AsyncGatedTransport(sb.async_transport(), gate, opened)
    async with AsyncClient(api_key=sb.api_key, base_url=SANDBOX_BASE_URL, transport=transport) as c:
        with c.budget(5) as b:
            async with anyio.create_task_group() as tg:
                tg.start_soon(
                    c.creators.enrich_handle, top_creator(sb, "instagram").username, "instagram"
                )
                with anyio.fail_after(30):
                    while gate.entered < 1:
                        await anyio.sleep(0)
                tg.cancel_scope.cancel()
            # it reached the wire: a paid call that may have been charged stays uncertain
            assert (b.reserved, b.uncertain) == (0.0, 1.0)
        assert c.ledger.uncertain == 1.0
        (entry,) = c.ledger.entries  # the abandoned call's entry: no answer, its worst case
        assert (entry["status"], entry["credits_cost"], entry["credits_left"]) == (None, 0.0, None)
        assert (entry["attempts"], entry["uncertain_cost"], entry["cached"]) == (1, 1.0, False)
