"""A process killed mid-run (no cleanup at all, like a kernel restart) loses no paid answer.

The child enriches over a real loopback server and ``os._exit``\\s right after its 12th
answer was journaled; the parent then makes the same call with the same store and the
sandbox's log must show every creator charged exactly once. A batch workflow killed while
its create request is in flight leaves the attempt in the registry, and nothing sends it
again.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from toolkit import Client
from toolkit.sandbox import Sandbox
from toolkit.store import STORE_URL_ENV, open_store

from .jobs_support import handles, paid_calls

pytestmark = pytest.mark.loopback

CHILD = """
import json, os, sys
import toolkit as ic
names = json.loads(sys.argv[1])
count = 0
def die_after_12(value, outcome):
    global count
    count += 1
    if count == 12:
        os._exit(9)   # no finally, no atexit, no store close
client = ic.Client()
client.creators.enrich_many(names, "instagram", mode="raw", concurrency=1, progress=False,
                            on_result=die_after_12)
os._exit(0)
"""


def test_killed_midway_then_rerun_pays_each_creator_once(tmp_path: Path) -> None:
    sb = Sandbox(seed=7, creators=300)
    names = handles(sb, 30)
    store_path = str(tmp_path / "shared.sqlite3")  # the SQLite file both processes use
    env = {**os.environ, "INFLUENCERS_CLUB_API_KEY": sb.api_key, STORE_URL_ENV: store_path}
    with sb.serve() as url:
        env["INFLUENCERS_CLUB_BASE_URL"] = url
        child = subprocess.run(
            [sys.executable, "-c", CHILD, json.dumps(names)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert child.returncode == 9, child.stderr
        assert paid_calls(sb, "enrich_handle_raw") == 12
        store = open_store(store_path)
        try:
            with Client(api_key=sb.api_key, base_url=url) as client:
                out = client.creators.enrich_many(
                    names, "instagram", mode="raw", progress=False, store=store
                )
        finally:
            store.close()
    assert out.results.height == 30 and out.failures.height == 0
    assert out.results["from_journal"].sum() == 12
    assert paid_calls(sb, "enrich_handle_raw") == 30


CREATE_CHILD = """
import json, sys
import toolkit as ic
client = ic.Client()
client.batch.run(json.loads(sys.argv[1]), mode="raw", platform="instagram", out=sys.argv[2],
                 progress=False, poll_interval=0.2)
"""


def test_killed_while_a_create_is_in_flight_the_attempt_is_kept_and_not_resent(
    tmp_path: Path,
) -> None:
    from toolkit.jobs import Registry, SubmitUnknownError

    sb = Sandbox(seed=7, creators=300)
    names = handles(sb, 5)
    # the server creates the batch, then takes 15 s to answer: the child dies meanwhile
    sb.faults.add("slow", seconds=15, operations=["batch_create"], times=1)
    store_path = str(tmp_path / "shared.sqlite3")
    env = {**os.environ, "INFLUENCERS_CLUB_API_KEY": sb.api_key, STORE_URL_ENV: store_path}
    with sb.serve() as url:
        env["INFLUENCERS_CLUB_BASE_URL"] = url
        with subprocess.Popen(
            [sys.executable, "-c", CREATE_CHILD, json.dumps(names), str(tmp_path / "out")],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ) as child:
            try:
                for _ in range(600):  # until the server has created the batch
                    if any(e.operation == "batch_create" for e in sb.log):
                        break
                    time.sleep(0.05)
            finally:
                child.kill()  # the process this test started, by its own handle
                child.wait(timeout=10)
        store = open_store(store_path)
        try:
            jobs = Registry(store).jobs()
            assert [j.state for j in jobs] == ["submitting"]  # the attempt was recorded first
            with Client(api_key=sb.api_key, base_url=url) as client:
                with pytest.raises(SubmitUnknownError, match="may exist"):
                    client.batch.run(
                        names,
                        mode="raw",
                        platform="instagram",
                        out=tmp_path / "out",
                        store=store,
                        progress=False,
                    )
                assert [j.state for j in client.batch.jobs(unfinished=True, store=store)] == [
                    "submitting"
                ]
        finally:
            store.close()
    assert sum(1 for e in sb.log if e.operation == "batch_create") == 1  # never re-sent
