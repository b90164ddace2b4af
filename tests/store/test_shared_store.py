"""Processes sharing one store never pay twice for one request.

Four real processes on one store (a SQLite file, or PostgreSQL), started together against
one sandbox served on loopback, each crawl the same three search pages and enrich 24 of
the same 48 creators. Every paid request is claimed in the store first; the others wait
for its answer and read it back. The sandbox's charge log must show each creator and each
page paid once.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from toolkit.sandbox import Sandbox
from toolkit.store import STORE_URL_ENV

pytestmark = pytest.mark.loopback

PROCESSES, EACH, STEP = 4, 24, 8

CHILD = """
import json, os, sys, time
import toolkit as ic
names, go = json.loads(sys.argv[1]), sys.argv[2]
print("ready", flush=True)
while not os.path.exists(go):
    time.sleep(0.01)
client = ic.Client()
page = client.discovery.search_all("instagram", max_results=30, limit=10, confirm=True)
out = client.creators.enrich_many(names, "instagram", mode="raw", concurrency=4, progress=False)
print(json.dumps({"enriched": out.results.height, "failed": out.failures.height,
                  "from_journal": int(out.results["from_journal"].sum()),
                  "found": len(page.data.get("accounts") or [])}))
"""


@pytest.fixture(params=["sqlite", "postgresql"])
def shared_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "team.sqlite3")
    return str(request.getfixturevalue("pg_url"))


def test_four_processes_on_one_store_pay_each_creator_and_page_once(
    shared_url: str, tmp_path: Path
) -> None:
    sb = Sandbox(seed=21, creators=300)
    names = [c.username for c in sb.world.on("instagram")[: STEP * (PROCESSES - 1) + EACH]]
    assert len(names) == STEP * (PROCESSES - 1) + EACH
    go = tmp_path / "go"
    env = {**os.environ, "INFLUENCERS_CLUB_API_KEY": sb.api_key, STORE_URL_ENV: shared_url}
    with sb.serve() as url:
        env["INFLUENCERS_CLUB_BASE_URL"] = url
        children = [
            subprocess.Popen(
                [sys.executable, "-c", CHILD, json.dumps(names[i * STEP : i * STEP + EACH]), go],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for i in range(PROCESSES)
        ]
        try:
            for child in children:  # all imported and waiting: start them together
                assert child.stdout is not None and child.stdout.readline().strip() == "ready"
            go.touch()
            reports = []
            for child in children:
                stdout, stderr = child.communicate(timeout=120)
                assert child.returncode == 0, stderr
                reports.append(json.loads(stdout.splitlines()[-1]))
        finally:
            for child in children:  # the processes this test started, by their own handles
                if child.poll() is None:
                    child.kill()
                    child.wait(timeout=10)
    assert all(r["enriched"] == EACH and r["failed"] == 0 for r in reports), reports
    creators = Counter(
        c.reference for c in sb.charges if c.operation == "enrich_handle_raw" and c.reference
    )
    assert len(creators) == len(names)
    assert max(creators.values()) == 1, {k: n for k, n in creators.items() if n > 1}
    pages = [c for c in sb.charges if c.operation == "discovery_search"]
    assert len(pages) == 3  # three pages, paid once each by whichever process claimed it
    # what one process did not pay for, it read from the store
    assert sum(r["from_journal"] for r in reports) == PROCESSES * EACH - len(names)
