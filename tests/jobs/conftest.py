"""Fixtures of the jobs tests: a sandbox, a client on it, a fresh memory store."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from toolkit import Client
from toolkit.sandbox import Sandbox

from .jobs_support import make_client, memory_store


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def sb() -> Sandbox:
    return Sandbox(seed=7, creators=300)


@pytest.fixture
def client(sb: Sandbox) -> Iterator[Client]:
    with make_client(sb) as c:
        yield c


@pytest.fixture
def store() -> Iterator[Any]:
    with memory_store() as s:
        yield s
