"""Chart fixtures: one sandbox session whose answers every chart test draws, and kaleido
pointed at the system Chromium (choreographer reads ``BROWSER_PATH``)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from toolkit import Client
from toolkit._config import SANDBOX_BASE_URL
from toolkit.sandbox import Sandbox


@pytest.fixture(scope="session")
def kaleido_server() -> Iterator[Any]:
    found = os.environ.get("BROWSER_PATH") or shutil.which("chromium")
    if not found:
        pytest.skip("no system Chromium for kaleido")
    os.environ["BROWSER_PATH"] = found
    import kaleido

    kaleido.start_sync_server(silence_warnings=True)
    yield kaleido
    kaleido.stop_sync_server(silence_warnings=True)


@pytest.fixture(scope="session")
def world() -> dict[str, Any]:
    sb = Sandbox(seed=7, creators=400)
    client = Client(api_key=sb.api_key, base_url=SANDBOX_BASE_URL, transport=sb.transport())
    ig = [c.username for c in sorted(sb.world.on("instagram"), key=lambda c: -c.followers)[:6]]
    tt = [c.username for c in sorted(sb.world.on("tiktok"), key=lambda c: -c.followers)[:2]]
    out: dict[str, Any] = {"sb": sb, "client": client, "ig": ig}
    out["overlap3"] = client.creators.overlap("instagram", ig[:3])
    out["overlap2"] = client.creators.overlap("instagram", ig[:2])
    out["matrix"] = client.creators.overlap_matrix("instagram", ig[:4], confirm=True)
    out["plan"] = client.creators.plan_reach("instagram", ig, 3, budget=30, confirm=True)
    out["page"] = client.discovery.search("instagram", limit=30)
    out["full"] = client.creators.enrich_handle(ig[0], "instagram", mode="full")
    camp = client.listening.campaigns.create(
        name="Launch",
        platforms=["instagram", "tiktok"],
        start_date=sb.clock.now().date(),
        handles={"instagram": ig[:3], "tiktok": tt},
    )
    sb.clock.advance(days=20)
    cid = camp.data["id"]
    out["overview"] = client.listening.campaigns.overview(cid)
    out["by_platform"] = {
        p: client.listening.campaigns.overview(cid, platform=p) for p in ("instagram", "tiktok")
    }
    out["creators"] = client.listening.campaigns.creators(cid)
    out["content"] = client.listening.campaigns.iter_content(cid)  # every post, every page
    out["baseline"] = [out["full"], client.creators.enrich_handle(ig[1], "instagram")]
    return out
