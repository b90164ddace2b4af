"""Shared fixtures of the sandbox tests: a small sandbox and a plain httpx client on it."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from sandbox_helpers import client_for

from toolkit.sandbox import Sandbox


@pytest.fixture
def sb() -> Sandbox:
    """A small, fresh sandbox with a fixed clock (the default)."""
    return Sandbox(seed=7, creators=600)


@pytest.fixture
def http(sb: Sandbox) -> Iterator[httpx.Client]:
    with client_for(sb) as client:
        yield client


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
