"""AsyncClient parity: the same surface, awaitable, with the same retry and money rules."""

from __future__ import annotations

import inspect

import pytest

from toolkit import AsyncClient, Client, OutcomeUnknownError
from toolkit.sandbox import Sandbox

from .client_support import Recorder, Sleeps, handles, make_async_client, requires, top_creator

pytestmark = pytest.mark.anyio

PAIRS = [
    ("discovery",),
    ("dictionary",),
    ("creators",),
    ("batch",),
    ("exclusion_lists",),
    ("listening",),
    ("listening", "subscriptions"),
    ("listening", "campaigns"),
    ("listening", "events"),
    ("account",),
    ("account", "api_keys"),
    ("oauth",),
]


def _public(obj: object) -> set[str]:
    return {n for n in dir(obj) if not n.startswith("_") and callable(getattr(obj, n))}


def _walk(obj: object, path: tuple[str, ...]) -> object:
    for part in path:
        obj = getattr(obj, part)
    return obj


async def test_same_surface_as_the_sync_client(client: Client, aclient: AsyncClient) -> None:
    for path in PAIRS:
        sync, asyn = _walk(client, path), _walk(aclient, path)
        assert _public(sync) == _public(asyn), path
        for name in _public(sync):
            a = inspect.signature(getattr(sync, name)).parameters
            b = inspect.signature(getattr(asyn, name)).parameters
            assert list(a) == list(b), (path, name)


async def test_calls_are_awaitable_and_equal(client: Client, aclient: AsyncClient) -> None:
    sync = client.dictionary.languages()
    asyn = await aclient.dictionary.languages()
    assert asyn.data == sync.data and asyn.operation == "dictionary_languages"
    assert aclient.ledger.entries[-1]["operation"] == "dictionary_languages"


async def test_retries_use_the_async_sleeper(
    aclient: AsyncClient, sb: Sandbox, sleeps: Sleeps
) -> None:
    sb.faults.add("status", status=503, times=2)
    result = await aclient.account.credits()
    assert result.attempts == 3 and len(sleeps) == 2


async def test_lost_paid_answer_is_not_retried(
    sb: Sandbox, recorder: Recorder, sleeps: Sleeps
) -> None:
    sb.faults.add("slow", seconds=2.0, operations=["batch_create"])
    async with make_async_client(sb, recorder, sleeps, timeout=0.05) as ac:
        with pytest.raises(OutcomeUnknownError):
            await ac.batch.create(
                handles=handles(sb, "instagram", 2), enrichment_mode="raw", platform="instagram"
            )
    assert len(recorder.sent) == 1 and sleeps == []


async def test_async_iterators(aclient: AsyncClient, sb: Sandbox) -> None:
    requires(sb, "discovery_search", "content_posts")
    pages = [p async for p in aclient.discovery.iter_pages("instagram", max_results=60)]
    assert sum(len(p.data["accounts"]) for p in pages) == 60
    merged = await aclient.discovery.search_all("instagram", max_results=30)
    assert len(merged.data["accounts"]) == 30
    handle = top_creator(sb, "tiktok").username
    posts = [p async for p in aclient.creators.iter_posts(handle, "tiktok", count=5, max_pages=2)]
    assert 1 <= len(posts) <= 2


async def test_async_batch_wait_and_listening_iter(
    aclient: AsyncClient, sb: Sandbox, sleeps: Sleeps
) -> None:
    created = await aclient.batch.create(
        handles=handles(sb, "instagram", 3), enrichment_mode="raw", platform="instagram"
    )

    async def advancing_sleep(seconds: float) -> None:
        sleeps.append(seconds)
        sb.clock.advance(seconds=seconds)

    aclient._sleep = advancing_sleep
    final = await aclient.batch.wait(created.data["batch_id"], poll_interval=5, progress=False)
    assert final.data["status"] in {"finished", "failed"}
    await aclient.listening.subscriptions.create(
        name="w", platform="instagram", handles=handles(sb, "instagram", 2)
    )
    subs = [s async for s in aclient.listening.subscriptions.iter(page_size=1)]
    assert len(subs) == 1


async def test_sync_client_works_inside_a_running_event_loop(client: Client) -> None:
    """What a Jupyter kernel looks like to the sync client: a loop is already running."""
    assert client.account.credits().status_code == 200
