"""Helpers of the jobs tests: a sandbox whose clock moves with the client's waits, a store.

Charges are read from the sandbox's own books (``sb.log`` per request, the account's
``used`` total for batch rows), never from what the client believes it paid.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from toolkit import AsyncClient, Client
from toolkit._config import SANDBOX_BASE_URL
from toolkit.sandbox import Sandbox
from toolkit.store import open_store


def handles(sb: Sandbox, n: int, platform: str = "instagram") -> list[str]:
    """``n`` usernames that exist in the sandbox world (read from the world: free)."""
    return [c.username for c in sb.world.on(platform)[:n]]


def make_client(sb: Sandbox, **kw: Any) -> Client:
    """A sync client on ``sb`` in-process; its waits advance the sandbox clock."""
    return Client(
        api_key=sb.api_key,
        base_url=SANDBOX_BASE_URL,
        transport=sb.transport(),
        sleep=lambda s: sb.clock.advance(seconds=s),
        **kw,
    )


def make_async_client(sb: Sandbox, **kw: Any) -> AsyncClient:
    async def sleep(seconds: float) -> None:
        sb.clock.advance(seconds=seconds)

    return AsyncClient(
        api_key=sb.api_key,
        base_url=SANDBOX_BASE_URL,
        transport=sb.async_transport(),
        sleep=sleep,
        **kw,
    )


def paid_calls(sb: Sandbox, operation: str) -> int:
    """How many requests of ``operation`` the sandbox charged for."""
    return sum(1 for e in sb.log if e.operation == operation and e.charged > 0)


def calls(sb: Sandbox, operation: str) -> int:
    return sum(1 for e in sb.log if e.operation == operation)


@contextmanager
def memory_store() -> Iterator[Any]:
    store = open_store("memory:")
    try:
        yield store
    finally:
        store.close()
