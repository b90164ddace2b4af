"""The ``ledger`` table: every call once, at what it cost, whoever loads it and whenever."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import dlt
import duckdb
import polars as pl
import pytest

from toolkit import pipelines
from toolkit.frames import convert
from toolkit.jobs._journal import client_store
from toolkit.pipelines._arrow import arrow
from toolkit.pipelines._ledger import NAMESPACE

from .conftest import World


def _stored(world: World) -> set[str]:
    """The row ids waiting in the store."""
    prefix = world.client.identity_fingerprint + "/"
    return {k[len(prefix) :] for k, _ in client_store(world.client).items(NAMESPACE, prefix)}


def test_a_source_run_by_hand_loads_each_call_once(world: World, tmp_path: Path) -> None:
    before, start = len(world.paid()), len(world.client.ledger)
    dest = dlt.destinations.duckdb(str(tmp_path / "wh.duckdb"))
    pipeline = dlt.pipeline("by_hand", str(tmp_path / "dlt"), destination=dest, dataset_name="ic")
    kw: dict[str, Any] = {"handles": world.handles, "searches": [world.search]}
    pipeline.run(pipelines.source(world.client, **kw))
    pipeline.run(pipelines.source(world.client, **kw))  # free; loads the first's later calls
    paid = world.paid()[before:]
    assert paid and world.paid()[before:] == paid
    with duckdb.connect(str(tmp_path / "wh.duckdb"), read_only=True) as con:
        loaded = [r[0] for r in con.execute("SELECT row_id FROM ic.ledger").fetchall()]
        spent = con.execute("SELECT sum(credits_cost) FROM ic.ledger").fetchone()[0]
    assert len(loaded) == len(set(loaded))
    assert spent == pytest.approx(sum(amount for *_, amount in paid))
    # every call since the first source is loaded or waits in the store for the next run
    assert len(set(loaded) | _stored(world)) == len(world.client.ledger) - start


def test_a_ledger_an_earlier_version_appended_takes_the_new_rows(
    world: World, tmp_path: Path
) -> None:
    kw: dict[str, Any] = {
        "destination": dlt.destinations.duckdb(str(tmp_path / "wh.duckdb")),
        "dataset": "ic",
        "pipelines_dir": tmp_path / "dlt",
        "handles": world.handles,
    }
    old = [{**e, "run_id": "old"} for e in world.client.ledger.entries]  # the fixture's calls
    earlier = dlt.pipeline(
        "influencers_club", str(tmp_path / "dlt"), destination=kw["destination"], dataset_name="ic"
    )
    # as an earlier version loaded it: Arrow, appended, without a row_id column
    table = convert("ledger", [world.client.ledger.entries[0]])
    assert isinstance(table, pl.DataFrame)
    rows = arrow(table.with_columns(run_id=pl.lit("old")), ())
    earlier.run(rows, table_name="ledger", write_disposition="append")
    # and rows an earlier version left waiting in the store: one entry per run, a list
    waiting = json.dumps([{**e, "run_id": "waiting"} for e in old[1:]], default=str)
    key = world.client.identity_fingerprint + "/waiting"
    client_store(world.client).put(NAMESPACE, key, waiting.encode())
    first = pipelines.run(world.client, **kw)
    second = pipelines.run(world.client, **kw)
    with duckdb.connect(str(tmp_path / "wh.duckdb"), read_only=True) as con:
        per_run = dict(con.execute("SELECT run_id, count(*) FROM ic.ledger GROUP BY 1").fetchall())
        nulls = con.execute("SELECT count(*) FROM ic.ledger WHERE row_id IS NULL").fetchone()[0]
    expected = {"old": 1, "waiting": len(old) - 1, first.run_id: first.calls}
    assert first.calls and not second.calls  # the second run: nothing due, no call made
    assert per_run == expected
    assert nulls == 1 and not _stored(world)


def test_a_failing_listener_does_not_lose_the_answer(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """A listener that raises is logged, never raised (warnings are errors in these tests,
    as they may be in a user's): the paid answer is returned, cached, and its claim let go."""
    seen: list[int] = []

    def broken(position: int, entry: dict[str, Any]) -> None:
        seen.append(position)
        raise OSError("disk full")

    before = len(world.paid())
    stop = world.client.ledger.subscribe(broken)
    with caplog.at_level(logging.WARNING, logger="toolkit"):
        page = world.client.discovery.search("instagram", limit=3)
    assert page.to_polars().height == 3 and seen == [len(world.client.ledger) - 1]
    assert "ledger listener failed (OSError)" in caplog.text
    again = world.client.discovery.search("instagram", limit=3)  # from the cache, no wait
    assert again.to_polars().height == 3 and world.client.ledger.entries[-1]["cached"]
    assert len(world.paid()) == before + 1  # paid once
    stop()
    world.client.discovery.search("instagram", limit=2)
    assert seen == [len(world.client.ledger) - 3, len(world.client.ledger) - 2]


def test_a_source_that_never_runs_writes_nothing_to_the_ledger(
    world: World, tmp_path: Path
) -> None:
    """Building a source follows nothing until dlt extracts it: the notebook's own calls
    made meanwhile never pass for pipeline spend in the warehouse."""
    pipelines.source(world.client, searches=[world.search])  # looked at, never run
    stored = _stored(world)
    for n in (2, 4, 6):
        world.client.discovery.search("instagram", limit=n)  # the analyst's own calls
    assert _stored(world) == stored
    summary = pipelines.run(
        world.client,
        destination=dlt.destinations.duckdb(str(tmp_path / "wh.duckdb")),
        dataset="ic",
        pipelines_dir=tmp_path / "dlt",
        searches=[world.search],
    )
    with duckdb.connect(str(tmp_path / "wh.duckdb"), read_only=True) as con:
        runs = {r[0] for r in con.execute("SELECT DISTINCT run_id FROM ic.ledger").fetchall()}
        calls = con.execute("SELECT count(*) FROM ic.ledger").fetchone()[0]
    assert runs == {summary.run_id} and calls == summary.calls


def test_a_lost_answer_is_counted_as_uncertain_in_the_summary(world: World, tmp_path: Path) -> None:
    """An answer lost after sending may have been charged: the summary says how much more
    the run may have cost, instead of only what the API reported."""
    world.sb.faults.add("drop", times=1, operations={"enrich_handle_full"})
    summary = pipelines.run(
        world.client,
        destination=dlt.destinations.duckdb(str(tmp_path / "wh.duckdb")),
        dataset="ic",
        pipelines_dir=tmp_path / "dlt",
        handles=world.handles,
    )
    entries = world.client.ledger.entries[-summary.calls :]
    uncertain = sum(e["uncertain_cost"] for e in entries)
    assert uncertain > 0 and summary.credits_uncertain == pytest.approx(uncertain)
    assert f"up to {summary.credits_uncertain:g} credits more" in str(summary)
