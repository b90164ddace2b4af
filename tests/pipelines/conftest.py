"""A served sandbox with a campaign of three creators, and a client on it with its own store."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

import toolkit as ic
from toolkit.sandbox import Sandbox

pytest.importorskip("dlt", reason="the pipelines extra (dlt) is part of the dev install")


@dataclass
class World:
    sb: Sandbox
    url: str
    client: ic.Client
    store: str
    handles: list[str]
    campaign: str
    search: dict[str, object]

    def paid(self) -> list[tuple[str, str | None, float]]:
        """The charges of requests (operation, what was paid for, amount), oldest first.

        Listening subscriptions accrue a daily cost on the sandbox's clock, whoever asks:
        those are left out, they are no request of the pipeline's.
        """
        return [
            (c.operation, c.reference, c.amount)
            for c in self.sb.charges
            if not c.operation.startswith("social_listening")
        ]


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    sb = Sandbox()
    with sb.serve() as url:
        store = str(tmp_path / "store.sqlite3")
        client = ic.Client(api_key=sb.api_key, base_url=url, store=store)
        search = {"platform": "instagram", "filters": {}, "limit": 8}
        handles = client.discovery.search("instagram", limit=4).to_polars()["username"].to_list()
        today = sb.clock.now().date()
        campaign = client.listening.campaigns.create(
            name="pipeline test",
            platforms=["instagram"],
            start_date=str(today - timedelta(days=3)),
            end_date=str(today + timedelta(days=40)),
        ).data["id"]
        client.listening.campaigns.add_creators(campaign, platform="instagram", handles=handles)
        sb.clock.advance(days=5)
        yield World(sb, url, client, store, handles, campaign, search)
        client.close()
