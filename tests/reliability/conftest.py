"""Fixtures of the reliability tests."""

from __future__ import annotations

import pytest

from toolkit.sandbox import Sandbox


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def sb() -> Sandbox:
    return Sandbox(seed=11, creators=300)
