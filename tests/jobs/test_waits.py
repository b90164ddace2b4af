"""enrich_many says when it waits on another process, even without a progress bar.

A child process enriches four creators over a sandbox served on loopback whose answers
are held back 3 s; it claims all four in a SQLite store shared with this process. This
process then asks for the same four with ``progress=False``: it waits for the child's
answers, says so in exactly one ``WaitingWarning`` naming the four and the child, and
pays for nothing (the sandbox's charge log shows each creator charged once).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import warnings
from collections import Counter
from pathlib import Path

import pytest

from toolkit import Client, WaitingWarning
from toolkit.jobs._journal import CLAIMS, NAMESPACE
from toolkit.sandbox import Sandbox
from toolkit.store import STORE_URL_ENV, open_store

from .jobs_support import handles, make_async_client, paid_calls

pytestmark = pytest.mark.loopback

CHILD = """
import json, sys
import toolkit as ic
ic.Client().creators.enrich_many(json.loads(sys.argv[1]), "instagram", mode="raw",
                                 concurrency=4, progress=False)
"""


def _wait_for_claims(store_path: str, n: int, child: subprocess.Popen[bytes]) -> None:
    store = open_store(store_path)
    try:
        for _ in range(3000):
            if child.poll() is not None:
                raise AssertionError(f"the child ended ({child.returncode}) before claiming")
            if len(list(store.items(CLAIMS))) >= n:
                return
            time.sleep(0.01)
    finally:
        store.close()
    raise AssertionError(f"the child never held {n} claims")


def test_a_run_waiting_on_another_process_says_so_once_without_a_bar(tmp_path: Path) -> None:
    sb = Sandbox(seed=7, creators=300)
    names = handles(sb, 4)
    store_path = str(tmp_path / "shared.sqlite3")
    env = {**os.environ, "INFLUENCERS_CLUB_API_KEY": sb.api_key, STORE_URL_ENV: store_path}
    sb.faults.add("slow", seconds=3, operations=["enrich_handle_raw"])  # answers held 3 s
    with sb.serve() as url:
        env["INFLUENCERS_CLUB_BASE_URL"] = url
        with subprocess.Popen(
            [sys.executable, "-c", CHILD, json.dumps(names)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        ) as child:
            try:
                _wait_for_claims(store_path, len(names), child)
                store = open_store(store_path)
                try:
                    with (
                        Client(api_key=sb.api_key, base_url=url, store=store) as client,
                        warnings.catch_warnings(record=True) as caught,
                    ):
                        warnings.simplefilter("always")  # every warning counted, none folded
                        out = client.creators.enrich_many(
                            names, "instagram", mode="raw", progress=False
                        )
                finally:
                    store.close()
                assert child.wait(timeout=30) == 0, child.stderr and child.stderr.read()
            finally:
                if child.poll() is None:
                    child.kill()  # the process this test started
                    child.wait(timeout=10)
    waits = [w for w in caught if issubclass(w.category, WaitingWarning)]
    assert len(waits) == 1, [str(w.message) for w in caught]  # once, not once per creator
    text = str(waits[0].message)
    assert text.startswith("enrich_many: waiting for 4 creators that another process (")
    assert f"pid {child.pid})" in text and "nothing is paid twice" in text
    assert Path(waits[0].filename) == Path(__file__)  # names this line, not a worker's
    assert out.results.height == 4 and out.results["from_journal"].all()
    charged = Counter(c.reference for c in sb.charges if c.operation == "enrich_handle_raw")
    assert len(charged) == 4 and max(charged.values()) == 1


@pytest.mark.anyio
async def test_an_async_run_says_so_once_too(sb: Sandbox, tmp_path: Path) -> None:
    first, other = handles(sb, 2)
    store = open_store(str(tmp_path / "s.sqlite3"))
    try:
        async with make_async_client(sb, store=store, cache="off") as client:
            await client.creators.enrich_many([first], "instagram", mode="raw", progress=False)
            [(first_key, _)] = list(store.items(NAMESPACE))
            key = first_key.rsplit("/", 1)[0] + "/" + other.lower()
            far = {"host": "another-machine", "pid": 4242, "token": "x"}  # paying for `other`
            store.put(CLAIMS, key, json.dumps(far).encode(), ttl=1)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                out = await client.creators.enrich_many(
                    [first, other], "instagram", mode="raw", progress=False
                )
    finally:
        store.close()
    waits = [w for w in caught if issubclass(w.category, WaitingWarning)]
    assert len(waits) == 1, [str(w.message) for w in caught]
    text = str(waits[0].message)
    assert text.startswith("enrich_many: waiting for 1 creator that another process ")
    assert "(another-machine pid 4242)" in text and f"({other.lower()})" in text
    assert Path(waits[0].filename) == Path(__file__)
    # the claim expired unanswered (its owner presumed gone): bought here, once
    assert out.results.height == 2 and paid_calls(sb, "enrich_handle_raw") == 2
