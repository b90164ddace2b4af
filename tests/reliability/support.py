"""Helpers of the reliability tests: a sandbox and toolkit clients on it, sync and async."""

from __future__ import annotations

from typing import Any

from toolkit import AsyncClient, Client
from toolkit._config import SANDBOX_BASE_URL
from toolkit.sandbox import Sandbox


class Sleeps(list[float]):
    """An injected sleeper that records how long the client wanted to wait, and returns."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)

    async def asleep(self, seconds: float) -> None:
        self.append(seconds)


def client_on(sb: Sandbox, sleeps: Sleeps | None = None, **kw: Any) -> Client:
    """A sync toolkit client on the in-process sandbox that never really sleeps."""
    return Client(
        api_key=kw.pop("api_key", sb.api_key),
        base_url=SANDBOX_BASE_URL,
        transport=sb.transport(),
        sleep=sleeps if sleeps is not None else Sleeps(),
        **kw,
    )


def async_client_on(sb: Sandbox, sleeps: Sleeps | None = None, **kw: Any) -> AsyncClient:
    """The async twin of :func:`client_on`."""
    return AsyncClient(
        api_key=kw.pop("api_key", sb.api_key),
        base_url=SANDBOX_BASE_URL,
        transport=sb.async_transport(),
        sleep=(sleeps if sleeps is not None else Sleeps()).asleep,
        **kw,
    )


def paid_requests(sb: Sandbox) -> list[Any]:
    """Log entries of the sandbox that charged credits."""
    return [e for e in sb.log if e.charged > 0]
