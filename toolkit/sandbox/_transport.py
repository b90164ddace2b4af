"""httpx transports that answer from a :class:`~toolkit.sandbox.Sandbox` in-process.

No socket is opened, but faults surface as the same httpx errors a client meets on a real
connection: a dropped connection is ``httpx.RemoteProtocolError`` and a response slower
than the request's read timeout is ``httpx.ReadTimeout`` (raised *after* the sandbox
processed, and possibly billed, the call — the outcome-unknown case).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import anyio
import httpx

from ._http import Request, Response

if TYPE_CHECKING:  # pragma: no cover
    from ._app import Sandbox

__all__ = ["AsyncSandboxTransport", "SandboxTransport"]

_DISCONNECTED = "Server disconnected without sending a response."


def to_sandbox_request(request: httpx.Request, body: bytes) -> Request:
    """The sandbox's view of an httpx request (the scheme travels as x-forwarded-proto)."""
    headers = {k.lower(): v for k, v in request.headers.multi_items()}
    headers.setdefault("host", request.url.netloc.decode("ascii"))
    headers["x-forwarded-proto"] = request.url.scheme
    target = request.url.raw_path.decode("ascii")
    return Request.build(request.method, target, headers, body)


def _plan(resp: Response, request: httpx.Request) -> tuple[float, bool]:
    """(seconds to wait, whether the wait ends in a read timeout)."""
    delay = float(getattr(resp, "delay", 0.0) or 0.0)
    timeout = (request.extensions.get("timeout") or {}).get("read")
    if timeout is not None and delay > timeout:
        return float(timeout), True
    return delay, False


def to_httpx_response(resp: Response, request: httpx.Request) -> httpx.Response:
    if getattr(resp, "drop", False):
        raise httpx.RemoteProtocolError(_DISCONNECTED, request=request)
    return httpx.Response(resp.status, headers=resp.headers, content=resp.body, request=request)


class SandboxTransport(httpx.BaseTransport):
    """``httpx.Client(transport=sb.transport(), base_url="https://sandbox.invalid")``."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        resp = self.sandbox.handle(to_sandbox_request(request, request.read()))
        wait, times_out = _plan(resp, request)
        if wait:
            time.sleep(wait)
        if times_out:
            raise httpx.ReadTimeout("timed out", request=request)
        return to_httpx_response(resp, request)


class AsyncSandboxTransport(httpx.AsyncBaseTransport):
    """The async twin; waits with ``anyio.sleep`` so the event loop keeps running.

    The sandbox core is fast and CPU-bound, so it runs inline rather than in a thread.
    """

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        resp = self.sandbox.handle(to_sandbox_request(request, body))
        wait, times_out = _plan(resp, request)
        if wait:
            await anyio.sleep(wait)
        if times_out:
            raise httpx.ReadTimeout("timed out", request=request)
        return to_httpx_response(resp, request)
