"""Fixtures of the widget tests: a small sandbox and a recording client on it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from widget_helpers import Recorder, make_client

from toolkit import Client
from toolkit.sandbox import Sandbox


@pytest.fixture
def sb() -> Sandbox:
    return Sandbox(seed=7, creators=1500)


@pytest.fixture
def wired(sb: Sandbox) -> Iterator[tuple[Client, Recorder]]:
    client, recorder = make_client(sb)
    with client:
        yield client, recorder
