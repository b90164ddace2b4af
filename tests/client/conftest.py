"""Fixtures of the client tests: a sandbox, a recording transport in front of it, clients."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from toolkit import Client
from toolkit.sandbox import Sandbox

from .client_support import Recorder, Sleeps, make_async_client, make_client


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def sb() -> Sandbox:
    return Sandbox(seed=7, creators=400)


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def client(sb: Sandbox, recorder: Recorder, sleeps: Sleeps) -> Iterator[Client]:
    with make_client(sb, recorder, sleeps) as c:
        yield c


@pytest.fixture
async def aclient(sb: Sandbox, recorder: Recorder, sleeps: Sleeps) -> Any:
    async with make_async_client(sb, recorder, sleeps) as c:
        yield c
