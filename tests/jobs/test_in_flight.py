"""A crash's in-flight calls are accounted for.

A child process runs enrich_many (4 at a time) over a real loopback server and is killed
with SIGKILL while 4 requests are in flight: the server charged them, their answers had
not arrived. The journal recorded an intent before each send, so the resume in another
process names those 4 (``InFlightWarning``, ``out.in_flight``, ``outcome_unknown`` in
failures), does not buy them again, and pays for nothing else twice; asked to
(``retry_unknown=True``), it buys exactly those again. Charges come from the sandbox's log.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from toolkit import Client
from toolkit._exceptions import MAY_HAVE_BEEN_CHARGED
from toolkit.jobs._many import InFlightWarning
from toolkit.sandbox import Sandbox
from toolkit.store import STORE_URL_ENV, open_store

from .jobs_support import handles

pytestmark = pytest.mark.loopback

CHILD = """
import json, sys
import toolkit as ic
ic.Client().creators.enrich_many(json.loads(sys.argv[1]), "instagram", mode="raw",
                                 concurrency=4, progress=False)
"""


def _charged(sb: Sandbox) -> Counter[str]:
    return Counter(
        c.reference.split(":", 1)[1]
        for c in sb.charges
        if c.operation == "enrich_handle_raw" and c.reference
    )


def _wait_for(sb: Sandbox, n: int) -> None:
    for _ in range(3000):
        if sum(_charged(sb).values()) >= n:
            return
        time.sleep(0.01)
    raise AssertionError(f"the child never reached {n} charges")


def test_sigkill_with_calls_in_flight_then_resume_names_them(tmp_path: Path) -> None:
    sb = Sandbox(seed=7, creators=300)
    names = handles(sb, 30)
    store_path = str(tmp_path / "shared.sqlite3")
    env = {**os.environ, "INFLUENCERS_CLUB_API_KEY": sb.api_key, STORE_URL_ENV: store_path}
    with sb.serve() as url:
        env["INFLUENCERS_CLUB_BASE_URL"] = url
        with subprocess.Popen(
            [sys.executable, "-c", CHILD, json.dumps(names)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ) as child:
            try:
                _wait_for(sb, 8)
                # from now on the server charges, then holds each answer back: the child's
                # 4 workers each send one request and wait for an answer that never comes
                sb.faults.add("slow", seconds=5, operations=["enrich_handle_raw"])
                before = sum(_charged(sb).values())
                _wait_for(sb, before + 4)
            finally:
                child.kill()  # SIGKILL, to the process this test started
                child.wait(timeout=10)
        sb.faults.clear()
        charged_at_kill = _charged(sb)
        store = open_store(store_path)
        try:
            with Client(api_key=sb.api_key, base_url=url) as client:
                with pytest.warns(InFlightWarning) as said:
                    out = client.creators.enrich_many(
                        names, "instagram", mode="raw", progress=False, store=store
                    )
                after_resume = _charged(sb)
                with pytest.warns(InFlightWarning, match="sent again now"):
                    again = client.creators.enrich_many(
                        names,
                        "instagram",
                        mode="raw",
                        progress=False,
                        store=store,
                        retry_unknown=True,
                    )
        finally:
            store.close()

    journaled = set(out.results.filter(out.results["from_journal"])["value"])
    in_flight = set(out.in_flight)
    # every request the child paid for is journaled or named as in flight, never lost
    assert set(charged_at_kill) == journaled | in_flight and not journaled & in_flight
    assert len(in_flight) >= 4
    message = str(said[0].message)
    assert f"{len(in_flight)} requests were in flight when the run stopped" in message
    assert "may have been charged" in message and "retry_unknown=True" in message
    unknown = out.failures.filter(out.failures["reason"] == "outcome_unknown")
    assert set(unknown["value"]) == in_flight
    assert all(MAY_HAVE_BEEN_CHARGED in m for m in unknown["message"])
    assert out.results.height + unknown.height == len(names)
    # the resume paid for nothing twice, and not for the in-flight ones
    assert max(after_resume.values()) == 1 and set(after_resume) == set(names)
    # asked to, a resume buys exactly those again
    assert again.results.height == len(names) and again.in_flight == sorted(in_flight)
    twice = {v for v, n in _charged(sb).items() if n > 1}
    assert twice == in_flight
