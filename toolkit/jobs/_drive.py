"""Workflows as generators that both clients drive (STYLE: flows as generators, like httpx auth).

A flow yields what it needs from the API as ``(method, args, kwargs)`` of
``client.batch`` (``"create"``, ``"status"``, ``"results"``, ``"resume"``) or ``("sleep",
(seconds,), {})``, and is sent back the result (or has the exception thrown into it). The
workflow is written once; :func:`drive` runs it with a :class:`~toolkit.Client`,
:func:`adrive` with an :class:`~toolkit.AsyncClient`.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

__all__ = ["Flow", "adrive", "api_call", "drive"]

Op = tuple[str, tuple[Any, ...], dict[str, Any]]
Flow = Generator[Op, Any, Any]


def api_call(name: str, *args: Any, **kwargs: Any) -> Flow:
    """``result = yield from api_call("status", batch_id)`` inside a flow."""
    return (yield (name, args, kwargs))


def _target(client: Any, name: str) -> Any:
    return client._sleep if name == "sleep" else getattr(client.batch, name)


def drive(client: Any, flow: Flow) -> Any:
    """Run ``flow`` with a sync client; returns what the flow returns."""
    try:
        name, args, kwargs = next(flow)
        while True:
            try:
                value = _target(client, name)(*args, **kwargs)
            except Exception as exc:
                name, args, kwargs = flow.throw(exc)
            else:
                name, args, kwargs = flow.send(value)
    except StopIteration as stop:
        return stop.value


async def adrive(client: Any, flow: Flow) -> Any:
    """Run ``flow`` with an async client (the same steps, awaited)."""
    try:
        name, args, kwargs = next(flow)
        while True:
            try:
                value = await _target(client, name)(*args, **kwargs)
            except Exception as exc:
                name, args, kwargs = flow.throw(exc)
            else:
                name, args, kwargs = flow.send(value)
    except StopIteration as stop:
        return stop.value
