"""A tiny hostile HTTP server on loopback: every way an answer can go wrong on the wire.

The sandbox answers like the API; this one answers like a broken proxy or a hostile peer,
which the sandbox cannot (it always sends a well-formed, whole answer). An enrichment's
behaviour is picked by its handle (``trickle``, ``bad_gzip`` ...), any other request's by
``server.mode``; every handle outside :data:`KINDS` is answered normally, 0.03 credits.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

#: What the server can do to an answer (a handle or ``server.mode``).
KINDS = (
    "trickle",  # 200 whose body comes one byte every 0.5 s
    "bad_gzip",  # 200 marked gzip whose body is not gzip
    "deep",  # 200 of JSON nested 200,000 deep
    "huge",  # 200 of 6 MB (tests cap answers at 1 MB)
    "bomb",  # 200 of 150 KB gzip that inflates to 150 MB
    "retry_inf",  # 429 with Retry-After: inf
    "retry_nan",
    "retry_negative",
    "retry_huge",  # 1e300 seconds
    "retry_overflow",  # 1e400: inf once parsed
    "retry_far_date",  # a date in the year 9999
    "echo_html",  # 200 HTML page echoing the Authorization header, cut
    "echo_error",  # 500 HTML page echoing the Authorization header whole
)
#: Well-formed answers that hold no creator: ``{"result": "x"}`` and empty results,
#: charged or not (handles only).
ODD_ANSWERS = {
    "result_str": {"result": "x", "credits_cost": 0.03},
    "empty_charged": {"result": {}, "credits_cost": 1},
    "empty_free": {"result": {}, "credits_cost": 0},
}
_RETRY = {
    "retry_inf": "inf",
    "retry_nan": "nan",
    "retry_negative": "-5",
    "retry_huge": "1e300",
    "retry_overflow": "1e400",
    "retry_far_date": "Fri, 31 Dec 9999 23:59:59 GMT",
}
HUGE = 6 * 2**20
BOMB = 150 * 2**20


def _bomb() -> bytes:
    """gzip of ``BOMB`` zero bytes, built a megabyte at a time (about 150 KB)."""
    z = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(2**20)
    return b"".join([*(z.compress(block) for _ in range(BOMB // len(block))), z.flush()])


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: HostileServer

    def log_message(self, format: str, *args: object) -> None:
        """Silent."""

    def handle(self) -> None:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # client hung up
            super().handle()

    def _send(self, status: int, body: bytes, ctype: str, **headers: str) -> None:
        self.send_response(status)
        self.send_header("content-type", ctype)
        self.send_header("content-length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _serve(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            handle = json.loads(raw).get("handle") if raw else None
        except ValueError:
            handle = None
        known = handle in KINDS or handle in ODD_ANSWERS
        kind = handle if known else self.server.mode if handle is None else "ok"
        self.server.seen.append(kind)
        auth = self.headers.get("authorization", "")
        if kind == "trickle":
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", "1000")
            self.end_headers()
            try:
                for _ in range(1000):  # ends when the client hangs up
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.5)
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True
        elif kind == "bad_gzip":
            self._send(
                200, b"this is not gzip at all" * 10, "application/json", content_encoding="gzip"
            )
        elif kind == "deep":
            self._send(200, b"[" * 200_000 + b"]" * 200_000, "application/json")
        elif kind == "huge":
            self._send(200, b'{"result": "' + b"x" * HUGE + b'"}', "application/json")
        elif kind == "bomb":
            self._send(200, self.server.bomb, "application/json", content_encoding="gzip")
        elif kind in _RETRY:
            body = b'{"detail": "Request was throttled."}'
            self._send(429, body, "application/json", retry_after=_RETRY[kind])
        elif kind == "echo_html":
            secret = auth.removeprefix("Bearer ")
            page = f"<html>{secret[:30]}</html> <p>{auth}</p>".encode()
            self._send(200, page, "text/html")
        elif kind == "echo_error":
            page = f"<html><body><pre>Authorization: {auth}\nx-key: {auth[7:]}</pre></body></html>"
            self._send(500, page.encode(), "text/html")
        elif kind in ODD_ANSWERS:
            self._send(200, json.dumps(ODD_ANSWERS[kind]).encode(), "application/json")
        else:
            body = {"result": {"username": handle or "x", "followers": 1}, "credits_cost": 0.03}
            self._send(200, json.dumps(body).encode(), "application/json")

    do_GET = do_POST = _serve


class HostileServer(ThreadingHTTPServer):
    """``mode`` answers requests that name no handle; ``seen`` lists what was answered."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.mode = "ok"
        self.seen: list[str] = []
        self.bomb = _bomb()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@contextmanager
def hostile_server() -> Iterator[HostileServer]:
    """Serve in a background thread; stop on exit."""
    server = HostileServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
