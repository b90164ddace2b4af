"""Helpers of the client tests: a recording transport in front of the sandbox, clients.

The recording transport keeps every ``httpx.Request`` the client sent and forwards it to
the sandbox, which still answers: tests assert on what went over the wire (method, path,
query, headers, body) without any mock that echoes what the test set.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from toolkit import AsyncClient, Client
from toolkit._config import SANDBOX_BASE_URL
from toolkit.sandbox import Sandbox
from toolkit.sandbox._http import Request as SandboxRequest


@dataclass
class Sent:
    """One request as it left the client."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: httpx.Headers
    body: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0]

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None

    def fields(self) -> dict[str, Any]:
        """Top-level body fields, whatever the encoding (JSON, urlencoded, multipart)."""
        if self.content_type == "application/json":
            data = self.json()
            return data if isinstance(data, dict) else {}
        if not self.body:
            return {}
        req = SandboxRequest.build(self.method, self.path, dict(self.headers), self.body)
        return req.form()


@dataclass
class Recorder:
    """Everything a client sent, oldest first."""

    sent: list[Sent] = field(default_factory=list)

    def add(self, request: httpx.Request, body: bytes) -> None:
        from urllib.parse import parse_qs

        self.sent.append(
            Sent(
                method=request.method,
                path=request.url.path,
                query=parse_qs(request.url.query.decode(), keep_blank_values=True),
                headers=request.headers,
                body=body,
            )
        )

    @property
    def last(self) -> Sent:
        return self.sent[-1]

    def clear(self) -> None:
        self.sent.clear()


class RecordingTransport(httpx.BaseTransport):
    def __init__(self, inner: httpx.BaseTransport, recorder: Recorder) -> None:
        self.inner, self.recorder = inner, recorder

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.recorder.add(request, request.read())
        return self.inner.handle_request(request)


class AsyncRecordingTransport(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport, recorder: Recorder) -> None:
        self.inner, self.recorder = inner, recorder

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.recorder.add(request, await request.aread())
        return await self.inner.handle_async_request(request)


class Sleeps(list[float]):
    """An injected sleeper that only records how long the client wanted to wait."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)

    async def asleep(self, seconds: float) -> None:
        self.append(seconds)


def make_client(sb: Sandbox, recorder: Recorder, sleeps: Sleeps, **kw: Any) -> Client:
    return Client(
        api_key=kw.pop("api_key", sb.api_key),
        base_url=SANDBOX_BASE_URL,
        transport=RecordingTransport(sb.transport(), recorder),
        sleep=sleeps,
        **kw,
    )


def make_async_client(sb: Sandbox, recorder: Recorder, sleeps: Sleeps, **kw: Any) -> AsyncClient:
    return AsyncClient(
        api_key=kw.pop("api_key", sb.api_key),
        base_url=SANDBOX_BASE_URL,
        transport=AsyncRecordingTransport(sb.async_transport(), recorder),
        sleep=sleeps.asleep,
        **kw,
    )


def requires(sb: Sandbox, *operations: str) -> None:
    """Fail when the sandbox does not route an operation (a broken or missing route module)."""
    missing = [op for op in operations if op not in sb.operation_names()]
    if missing:
        pytest.fail(f"sandbox does not route {', '.join(missing)} ({sb.missing_modules})")


def top_creator(sb: Sandbox, platform: str, **need: bool) -> Any:
    """The sandbox world's biggest creator on ``platform`` (with an email / connections)."""
    world = sb.world
    for c in sorted(world.on(platform), key=lambda c: -c.followers):
        if need.get("email") and not c.email:
            continue
        if need.get("connected") and not world.connected(c):
            continue
        return c
    raise AssertionError(f"no {platform} creator fits {need}")


def handles(sb: Sandbox, platform: str, n: int) -> list[str]:
    return [c.username for c in sorted(sb.world.on(platform), key=lambda c: -c.followers)[:n]]
