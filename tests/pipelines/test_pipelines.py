"""The dlt source against a served sandbox: what it loads, what a re-run pays, increments."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import dlt
import duckdb
import polars as pl
import pytest

import toolkit as ic
from toolkit import pipelines

from .conftest import World

DATA_TABLES = ("creators", "creator", "posts", "audience_ages", "campaign_content", "events")


def _duckdb(path: Path) -> Any:
    return dlt.destinations.duckdb(str(path))


def _run(world: World, tmp_path: Path, destination: Any, **kw: Any) -> pipelines.RunSummary:
    return pipelines.run(
        world.client,
        destination=destination,
        dataset="ic",
        pipelines_dir=tmp_path / "dlt",
        searches=[world.search],
        handles=world.handles,
        campaigns=[world.campaign],
        **kw,
    )


def _counts(con: Any, schema: str = "ic") -> dict[str, int]:
    tables = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = ?", [schema]
        ).fetchall()
        if not r[0].startswith("_dlt")
    ]
    return {t: con.execute(f'SELECT count(*) FROM {schema}."{t}"').fetchone()[0] for t in tables}


def _all_content(world: World) -> pl.DataFrame:
    pages = []
    page = 1
    while True:
        r = world.client.listening.campaigns.content(world.campaign, page=page, page_size=100)
        pages.append(r.to_polars().content)
        if not r.data.get("next"):
            return pl.concat(pages)
        page += 1


def _all_events(world: World) -> pl.DataFrame:
    subs = world.client.listening.campaigns.get(world.campaign).to_polars().subscriptions
    rows = [
        e
        for sid in subs["subscription_id"].to_list()
        for e in world.client.listening.events.iter(subscription_id=sid)
    ]
    return ic.frames.events({"results": rows}).events


def test_a_run_loads_what_the_frames_give(world: World, tmp_path: Path) -> None:
    before = len(world.paid())
    summary = _run(world, tmp_path, _duckdb(tmp_path / "wh.duckdb"))
    charged = sum(amount for _, _, amount in world.paid()[before:])
    con = duckdb.connect(str(tmp_path / "wh.duckdb"), read_only=True)
    counts = _counts(con)
    # the same answers, as frames: discovery and enrichment come back free (cache, journal)
    page = world.client.discovery.search("instagram", limit=8).to_polars()
    many = world.client.creators.enrich_many(world.handles, "instagram", progress=False)
    assert many.credits_spent == 0
    tables = many.tables()
    assert counts["creators"] == page.height
    for name, df in tables.items():
        if name != "failures":
            assert counts.get(name, 0) == df.height, name
    loaded = con.execute("SELECT username, followers FROM ic.creator ORDER BY 1").fetchall()
    assert loaded == tables.creator.select("username", "followers").sort("username").rows()
    assert counts["campaign_content"] == _all_content(world).height > 0
    assert counts["events"] == _all_events(world).height > 0
    assert counts["campaign_creators"] == len(world.handles)
    # the ledger table holds every call of the run with its cost
    spent = con.execute("SELECT sum(credits_cost), count(*) FROM ic.ledger").fetchone()
    assert spent == (pytest.approx(summary.credits_spent), summary.calls)
    assert summary.credits_spent == pytest.approx(charged)


def test_a_second_run_pays_nothing_and_a_week_later_loads_only_the_new(
    world: World, tmp_path: Path
) -> None:
    dest = _duckdb(tmp_path / "wh.duckdb")
    _run(world, tmp_path, dest)
    charges = len(world.paid())
    with duckdb.connect(str(tmp_path / "wh.duckdb"), read_only=True) as con:
        first = _counts(con)

    second = _run(world, tmp_path, dest)
    assert len(world.paid()) == charges  # nothing paid: cache, journal, refresh window
    assert second.credits_spent == 0 and second.skipped_fresh == len(world.handles)
    with duckdb.connect(str(tmp_path / "wh.duckdb"), read_only=True) as con:
        again = _counts(con)
        ledger_costs = con.execute(
            "SELECT credits_cost FROM ic.ledger WHERE run_id = ?", [second.run_id]
        ).fetchall()
    assert {t: n for t, n in again.items() if t != "ledger"} == {
        t: n for t, n in first.items() if t != "ledger"
    }
    assert again["ledger"] == first["ledger"] + second.calls  # appended, every one free
    assert len(ledger_costs) == second.calls and all((c or 0) == 0 for (c,) in ledger_costs)

    before_posts, before_events = first["campaign_content"], first["events"]
    world.sb.clock.advance(days=7)
    third = _run(world, tmp_path, dest)
    with duckdb.connect(str(tmp_path / "wh.duckdb"), read_only=True) as con:
        later = _counts(con)
        dupes = con.execute(
            "SELECT count(*) - count(DISTINCT id) FROM ic.campaign_content"
        ).fetchone()[0]
    new_posts = _all_content(world).height - before_posts
    new_events = _all_events(world).height - before_events
    assert new_posts > 0 and new_events > 0
    assert later["campaign_content"] == before_posts + new_posts
    assert later["events"] == before_events + new_events
    assert third.rows["campaign_content"] == new_posts  # only the new ones were loaded
    assert dupes == 0
    assert len(world.paid()) == charges


def test_a_budget_stops_cleanly_and_the_next_run_buys_only_the_rest(
    world: World, tmp_path: Path
) -> None:
    dest = _duckdb(tmp_path / "wh.duckdb")
    price = ic.estimate("enrich_handle_full")
    first = _run(world, tmp_path, dest, budget=0.08 + 2 * price)  # the search and 2 profiles
    assert first.stop_reasons and "enrichment" in first.stop_reasons[0]
    with duckdb.connect(str(tmp_path / "wh.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM ic.creator").fetchone()[0] == 2
    second = _run(world, tmp_path, dest)
    assert not second.stop_reasons
    with duckdb.connect(str(tmp_path / "wh.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM ic.creator").fetchone()[0] == len(world.handles)
    paid = Counter(ref for op, ref, _ in world.paid() if op.startswith("enrich"))
    assert set(paid.values()) == {1}  # every creator paid exactly once over both runs


KILLED_RUN = textwrap.dedent(
    """
    import os, signal, sys
    import dlt
    import toolkit as ic
    from toolkit.pipelines._source import build

    url, key, store, dest, pdir, campaign, *handles = sys.argv[1:]
    client = ic.Client(api_key=key, base_url=url, store=store)
    src, _ = build(client, handles=handles, campaigns=[campaign])
    pipeline = dlt.pipeline("influencers_club", pdir, destination=dlt.destinations.duckdb(dest),
                            dataset_name="ic")
    pipeline.extract(src)       # every paid call made and journaled
    pipeline.normalize()
    os.kill(os.getpid(), signal.SIGKILL)   # killed before anything is loaded
    """
)


def test_a_run_killed_before_loading_loses_nothing_and_pays_nothing_twice(
    world: World, tmp_path: Path
) -> None:
    dest = tmp_path / "wh.duckdb"
    args = [world.url, world.sb.api_key, world.store, str(dest), str(tmp_path / "dlt")]
    env = {**os.environ, "PYTHONPATH": str(Path(ic.__file__).parents[1])}
    proc = subprocess.run(
        [sys.executable, "-c", KILLED_RUN, *args, world.campaign, *world.handles],
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert proc.returncode == -9, proc.stderr.decode()[-2000:]
    paid_by_killed = [ref for op, ref, _ in world.paid() if op.startswith("enrich")]
    assert len(paid_by_killed) == len(world.handles)

    again = pipelines.run(
        world.client,
        destination=_duckdb(dest),
        dataset="ic",
        pipelines_dir=tmp_path / "dlt",
        handles=world.handles,
        campaigns=[world.campaign],
    )
    assert again.credits_spent == 0
    paid = Counter(ref for op, ref, _ in world.paid() if op.startswith("enrich"))
    assert set(paid.values()) == {1}
    with duckdb.connect(str(dest), read_only=True) as con:
        assert con.execute("SELECT count(DISTINCT username) FROM ic.creator").fetchone()[0] == 4
        assert (
            con.execute("SELECT count(*) - count(DISTINCT id) FROM ic.campaign_content").fetchone()[
                0
            ]
            == 0
        )


def test_postgres_destination(world: World, tmp_path: Path) -> None:
    url = os.environ.get("INFLUENCERS_CLUB_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("INFLUENCERS_CLUB_TEST_POSTGRES_URL is not set (.ci/run starts a server)")
    import psycopg

    dataset = f"ic_{os.getpid()}_{id(world) % 100_000}"
    # dlt insists on a password; the test server trusts loopback, so any will do
    parts = urlsplit(url)
    if parts.password is None:
        url = urlunsplit(parts._replace(netloc=parts.netloc.replace("@", ":unused@", 1)))
    dest = dlt.destinations.postgres(credentials=url)
    try:
        kw: dict[str, Any] = {
            "destination": dest,
            "dataset": dataset,
            "pipelines_dir": tmp_path / "dlt",
            "searches": [world.search],
            "handles": world.handles,
            "campaigns": [world.campaign],
        }
        pipelines.run(world.client, **kw)
        charges = len(world.paid())
        with psycopg.connect(url) as conn:
            first = {
                t: conn.execute(f"SELECT count(*) FROM {dataset}.{t}").fetchone()[0]
                for t in DATA_TABLES
            }
        pipelines.run(world.client, **kw)
        with psycopg.connect(url) as conn:
            second = {
                t: conn.execute(f"SELECT count(*) FROM {dataset}.{t}").fetchone()[0]
                for t in DATA_TABLES
            }
        assert len(world.paid()) == charges
        assert first == second and first["creator"] == len(world.handles)
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {dataset} CASCADE")
            conn.execute(f"DROP SCHEMA IF EXISTS {dataset}_staging CASCADE")


def test_the_command_line_runs_it(tmp_path: Path) -> None:
    from toolkit.cli import main

    csv = tmp_path / "handles.csv"
    sb_handles = ["fitness_anna", "travelwithtom"]
    csv.write_text("handle\n" + "\n".join(sb_handles) + "\n")
    search = tmp_path / "search.json"
    search.write_text('{"platform": "instagram", "filters": {}, "limit": 5}')
    code = main(
        [
            "pipeline",
            "run",
            "--destination",
            "duckdb",
            "--to",
            str(tmp_path / "wh.duckdb"),
            "--dataset",
            "shortlist",
            "--searches",
            str(search),
            "--pipelines-dir",
            str(tmp_path / "dlt"),
            "--no-progress",
        ]
    )
    assert code == 0
    with duckdb.connect(str(tmp_path / "wh.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM shortlist.creators").fetchone()[0] == 5
        assert con.execute("SELECT count(*) FROM shortlist.ledger").fetchone()[0] >= 1


def test_nothing_to_load_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from toolkit.cli import main

    code = main(["pipeline", "run", "--pipelines-dir", str(tmp_path / "dlt"), "--no-progress"])
    assert code == 2
    assert "--searches" in capsys.readouterr().err
