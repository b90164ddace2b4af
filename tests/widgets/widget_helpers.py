"""Helpers of the widget tests: a client on the sandbox behind a transport that records
every request the widgets made (the sandbox still answers; nothing is mocked)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

import httpx

from toolkit import Client
from toolkit._config import SANDBOX_BASE_URL
from toolkit.sandbox import Sandbox


@dataclass
class Sent:
    """One request as it left the client."""

    method: str
    path: str
    query: dict[str, list[str]]
    body: Any


@dataclass
class Recorder(httpx.BaseTransport):
    """Forwards to the sandbox's transport and keeps what was sent, oldest first."""

    inner: httpx.BaseTransport
    sent: list[Sent] = field(default_factory=list)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        raw = request.read()
        self.sent.append(
            Sent(
                method=request.method,
                path=request.url.path,
                query=parse_qs(request.url.query.decode()),
                body=json.loads(raw) if raw else None,
            )
        )
        return self.inner.handle_request(request)

    def to(self, path_part: str) -> list[Sent]:
        """The requests whose path contains ``path_part``."""
        return [s for s in self.sent if path_part in s.path]


DISCOVERY = "/public/v1/discovery/"


def searches(recorder: Recorder) -> list[Sent]:
    """The discovery searches sent (not the dictionary or similar calls)."""
    return [s for s in recorder.sent if s.path == DISCOVERY]


def make_client(sb: Sandbox) -> tuple[Client, Recorder]:
    recorder = Recorder(sb.transport())
    # cache off: these tests assert on every request the form sends, repeats included
    client = Client(api_key=sb.api_key, base_url=SANDBOX_BASE_URL, transport=recorder, cache="off")
    return client, recorder
