"""The sandbox as a real HTTP server on loopback (``sb.serve()``, ``python -m toolkit.sandbox``).

Built on the standard library's ``ThreadingHTTPServer`` rather than a web framework: the
sandbox already routes and answers requests itself (``sb.handle``), so all a server has
to do is move bytes, and the stdlib does that without adding a dependency. One thread
per connection keeps a "slow" fault from blocking other clients.

Faults act on the socket: ``drop`` closes it without answering, ``slow`` sleeps before
writing the (already processed) answer.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING

from ._http import Request

if TYPE_CHECKING:  # pragma: no cover
    from ._app import Sandbox

__all__ = ["SandboxServer", "serve"]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like a real API front end
    server: SandboxServer
    server_version = "InfluencersClubSandbox/1"
    # Headers and body leave in two writes; with Nagle's algorithm on, the second waits
    # for the client's delayed ACK (~40 ms per answer on loopback).
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: object) -> None:
        """Silenced: the sandbox keeps its own request log (never the key)."""

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("transfer-encoding", "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("content-length") or 0)
        return self.rfile.read(length) if length else b""

    def _serve(self) -> None:
        body = self._read_body()
        headers = {k.lower(): v for k, v in self.headers.items()}
        headers["x-forwarded-proto"] = "http"
        resp = self.server.sandbox.handle(Request.build(self.command, self.path, headers, body))
        delay = float(getattr(resp, "delay", 0.0) or 0.0)
        if getattr(resp, "drop", False):
            self.close_connection = True  # the socket closes without a byte written
            return
        if delay:
            time.sleep(delay)
        try:
            self.send_response(resp.status)
            for name, value in resp.headers.items():
                self.send_header(name, value)
            self.send_header("content-length", str(len(resp.body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(resp.body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
            self.close_connection = True

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = do_HEAD = do_OPTIONS = _serve


class SandboxServer(ThreadingHTTPServer):
    """A threading HTTP server bound to one sandbox."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # the stdlib's 5 resets connections under a burst of clients

    def __init__(self, sandbox: Sandbox, host: str = "127.0.0.1", port: int = 0) -> None:
        self.sandbox = sandbox
        super().__init__((host, port), _Handler)

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        if not isinstance(host, str):  # AF_INET gives text; the stubs allow bytes for others
            host = bytes(host).decode()
        return f"http://{host}:{port}"


@contextmanager
def serve(sandbox: Sandbox, port: int = 0, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve ``sandbox`` in a background thread; yields the base URL; stops on exit."""
    server = SandboxServer(sandbox, host, port)
    thread = threading.Thread(target=server.serve_forever, name="sandbox-server", daemon=True)
    thread.start()
    try:
        yield server.base_url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
