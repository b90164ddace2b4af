"""Fixtures of the contract suite: the contract's operations and a sandbox reached two ways."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from contract import operations as contract_operations
from toolkit.sandbox import Sandbox


@pytest.fixture(scope="session")
def operations() -> list[dict[str, Any]]:
    return contract_operations()


@pytest.fixture(scope="module", params=["in-process", "loopback"])
def wire(request: pytest.FixtureRequest) -> Iterator[tuple[Sandbox, httpx.Client]]:
    """A fresh sandbox and a plain httpx client reaching it in-process or over loopback."""
    sb = Sandbox(seed=7, creators=2000)
    if request.param == "in-process":
        with httpx.Client(transport=sb.transport(), base_url="http://sandbox.test") as http:
            yield sb, http
    else:
        with sb.serve() as url, httpx.Client(base_url=url, timeout=30) as http:
            yield sb, http
