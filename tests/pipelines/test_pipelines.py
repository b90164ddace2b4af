"""The dlt source against a served sandbox: what it loads, what a re-run pays, increments."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections import Counter
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import dlt
import duckdb
import polars as pl
import pytest
from dlt.pipeline.exceptions import PipelineStepFailed

import toolkit as ic
from toolkit import pipelines
from toolkit.credits import PRICES

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
    before = len(world.sb.charges)
    summary = _run(world, tmp_path, _duckdb(tmp_path / "wh.duckdb"))
    # everything the sandbox took during the run: requests, and the campaign's listening
    # accruals, which the client records in its ledger when it sees them
    charged = sum(c.amount for c in list(world.sb.charges)[before:])
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
    # only the new ones were fetched and loaded (the cursor's own instant is merged again)
    assert new_posts <= third.rows["campaign_content"] < later["campaign_content"]
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
    charged = [c for c in world.paid() if c[0].startswith("enrich")]
    paid_by_killed = [ref for _, ref, _ in charged]
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
        # the killed run's paid calls are in the ledger once, at what the sandbox charged
        enrich = con.execute(
            "SELECT count(*), sum(credits_cost), count(DISTINCT run_id) FROM ic.ledger "
            "WHERE operation = 'enrich_handle_full' AND credits_cost > 0"
        ).fetchone()
        assert enrich == (len(paid_by_killed), pytest.approx(sum(a for *_, a in charged)), 1)
        assert (
            con.execute("SELECT count(*) - count(DISTINCT row_id) FROM ic.ledger").fetchone()[0]
            == 0
        )
        assert (
            con.execute("SELECT count(*) - count(DISTINCT id) FROM ic.campaign_content").fetchone()[
                0
            ]
            == 0
        )


KILLED_MID_RUN = textwrap.dedent(
    """
    import os, signal, sys
    import dlt
    import toolkit as ic
    from toolkit import pipelines

    url, key, store, dest, pdir, campaign, *handles = sys.argv[1:]
    client = ic.Client(api_key=key, base_url=url, store=store)
    record = client.ledger.record

    def record_then_die(**entry):
        # the first listening read after a paid call: the data step is extracting still
        record(**entry)
        paid = any(e["credits_cost"] for e in client.ledger.entries)
        if paid and entry["operation"].startswith("social_listening"):
            os.kill(os.getpid(), signal.SIGKILL)

    client.ledger.record = record_then_die
    pipelines.run(client, destination=dlt.destinations.duckdb(dest), dataset="ic",
                  pipelines_dir=pdir, searches=[{"platform": "instagram", "limit": 8}],
                  handles=handles, campaigns=[campaign])
    """
)


def test_a_run_killed_mid_extraction_keeps_its_paid_calls_in_the_ledger(
    world: World, tmp_path: Path
) -> None:
    dest = tmp_path / "wh.duckdb"
    before = len(world.paid())
    args = [world.url, world.sb.api_key, world.store, str(dest), str(tmp_path / "dlt")]
    env = {**os.environ, "PYTHONPATH": str(Path(ic.__file__).parents[1])}
    proc = subprocess.run(
        [sys.executable, "-c", KILLED_MID_RUN, *args, world.campaign, *world.handles],
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert proc.returncode == -9, proc.stderr.decode()[-2000:]
    killed = world.paid()[before:]
    assert {op for op, _, _ in killed} == {"discovery_search", "enrich_handle_full"}

    kw: dict[str, Any] = {
        "destination": _duckdb(dest),
        "dataset": "ic",
        "pipelines_dir": tmp_path / "dlt",
        "searches": [{"platform": "instagram", "limit": 8}],
        "handles": world.handles,
        "campaigns": [world.campaign],
    }
    again = pipelines.run(world.client, **kw)
    assert again.credits_spent == 0  # the killed run's answers: from the journal and cache
    third = pipelines.run(world.client, **kw)  # and loads none of them again
    assert world.paid()[before:] == killed
    with duckdb.connect(str(dest), read_only=True) as con:
        paid_rows = con.execute(
            "SELECT run_id, operation, credits_cost FROM ic.ledger "
            "WHERE kind = 'call' AND credits_cost > 0 ORDER BY time"
        ).fetchall()
        total = con.execute(
            "SELECT sum(credits_cost) FROM ic.ledger WHERE kind = 'call'"
        ).fetchone()[0]
        assert con.execute("SELECT count(*) FROM ic.creator").fetchone()[0] == len(world.handles)
    # every paid call of the killed run is in the warehouse once, at what the sandbox charged
    assert len({run_id for run_id, _, _ in paid_rows} - {again.run_id}) == 1
    assert sorted((op, cost) for _, op, cost in paid_rows) == sorted(
        (op, amount) for op, _, amount in killed
    )
    assert total == pytest.approx(sum(amount for _, _, amount in killed))
    with duckdb.connect(str(dest), read_only=True) as con:  # and no row twice
        rows, ids = con.execute("SELECT count(*), count(DISTINCT row_id) FROM ic.ledger").fetchone()
        per_run = dict(con.execute("SELECT run_id, count(*) FROM ic.ledger GROUP BY 1").fetchall())
    assert rows == ids
    assert per_run[again.run_id] == again.calls and per_run[third.run_id] == third.calls


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
        before = len(world.paid())
        runs = [pipelines.run(world.client, **kw)]
        charges = len(world.paid())
        with psycopg.connect(url) as conn:
            first = {
                t: conn.execute(f"SELECT count(*) FROM {dataset}.{t}").fetchone()[0]
                for t in DATA_TABLES
            }
        runs.append(pipelines.run(world.client, **kw))
        with psycopg.connect(url) as conn:
            second = {
                t: conn.execute(f"SELECT count(*) FROM {dataset}.{t}").fetchone()[0]
                for t in DATA_TABLES
            }
            ledger = conn.execute(
                "SELECT count(*), count(DISTINCT row_id), "
                f"sum(CASE WHEN kind = 'call' THEN credits_cost END) FROM {dataset}.ledger"
            ).fetchone()
        assert len(world.paid()) == charges
        assert first == second and first["creator"] == len(world.handles)
        calls = sum(r.calls for r in runs)  # each call once, at what the sandbox charged
        paid = sum(amount for *_, amount in world.paid()[before:])
        assert ledger == (calls, calls, pytest.approx(paid))
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {dataset} CASCADE")
            conn.execute(f"DROP SCHEMA IF EXISTS {dataset}_staging CASCADE")


def test_the_command_line_runs_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from toolkit.cli import main
    from toolkit.sandbox import Sandbox

    handles = [c.username for c in Sandbox().world.on("instagram")[:2]]
    csv = tmp_path / "handles.csv"
    csv.write_text("handle\n" + "\n".join([*handles, "nobody_here_zz"]) + "\n")
    search = tmp_path / "search.json"
    search.write_text('{"platform": "instagram", "filters": {}, "limit": 5}')
    code = main(
        [
            "--store",
            str(tmp_path / "store.sqlite3"),
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
            "--handles",
            str(csv),
            "--pipelines-dir",
            str(tmp_path / "dlt"),
            "--no-progress",
        ]
    )
    assert code == 0
    err = capsys.readouterr().err
    assert "nobody_here_zz: not_found" in err and "credits spent" in err
    with duckdb.connect(str(tmp_path / "wh.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM shortlist.creators").fetchone()[0] == 5
        names = con.execute("SELECT username FROM shortlist.creator ORDER BY 1").fetchall()
        assert [n for (n,) in names] == sorted(handles)
        assert con.execute("SELECT count(*) FROM shortlist.ledger").fetchone()[0] >= 3


def test_nothing_to_load_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from toolkit.cli import main

    code = main(
        [
            "--store",
            str(tmp_path / "store.sqlite3"),
            "pipeline",
            "run",
            "--pipelines-dir",
            str(tmp_path / "dlt"),
            "--no-progress",
        ]
    )
    assert code == 2
    assert "--searches" in capsys.readouterr().err


def test_a_campaign_added_later_loads_every_post_and_event(world: World, tmp_path: Path) -> None:
    dest = _duckdb(tmp_path / "wh.duckdb")
    kw: dict[str, Any] = {"destination": dest, "dataset": "ic", "pipelines_dir": tmp_path / "dlt"}
    pipelines.run(world.client, campaigns=[world.campaign], **kw)
    today = world.sb.clock.now().date()
    other = world.client.listening.campaigns.create(
        name="added later",
        platforms=["instagram"],
        start_date=str(today - timedelta(days=6)),
        end_date=str(today + timedelta(days=30)),
        handles={"instagram": world.handles[:2]},
    ).data["id"]
    world.sb.clock.advance(days=2)  # the first campaign's cursor is now past most of these
    pipelines.run(world.client, campaigns=[world.campaign, other], **kw)
    second = World(world.sb, world.url, world.client, world.store, world.handles, other, {})
    with duckdb.connect(str(tmp_path / "wh.duckdb"), read_only=True) as con:
        posts = con.execute(
            "SELECT count(*) FROM ic.campaign_content WHERE campaign_id = ?", [other]
        ).fetchone()[0]
        events = con.execute(
            "SELECT count(*) FROM ic.events WHERE campaign_id = ?", [other]
        ).fetchone()[0]
    assert posts == _all_content(second).height > 0
    assert events == _all_events(second).height > 0


def test_another_mode_is_not_fresh(world: World, tmp_path: Path) -> None:
    kw: dict[str, Any] = {
        "destination": _duckdb(tmp_path / "wh.duckdb"),
        "dataset": "ic",
        "pipelines_dir": tmp_path / "dlt",
        "handles": world.handles[:2],
    }
    pipelines.run(world.client, mode="profile", **kw)
    full = pipelines.run(world.client, mode="full", **kw)
    assert full.skipped_fresh == 0 and full.rows.get("posts", 0) > 0


def test_what_cannot_be_loaded_is_refused_before_paying(world: World) -> None:
    charges = len(world.paid())
    with pytest.raises(ic.ArgumentTypeError, match=r"handles=\['ana'\]"):
        pipelines.source(world.client, handles="ana")
    with pytest.raises(ic.NotFoundError):
        pipelines.source(world.client, handles=world.handles, campaigns=["cmp_typo"])
    with pytest.raises(ic.ArgumentError, match="platform"):
        pipelines.source(world.client, handles=world.handles, platform="myspace")
    with pytest.raises(ic.InfluencersClubError):
        pipelines.source(world.client, searches=[{"platform": "instagram", "sort_by": "nope"}])
    assert len(world.paid()) == charges


def test_the_budget_is_priced_with_the_clients_prices(world: World, tmp_path: Path) -> None:
    client = ic.Client(
        api_key=world.sb.api_key,
        base_url=world.url,
        store=world.store,
        prices=replace(PRICES, enrich_full=2.0),
    )
    summary = pipelines.run(
        client,
        destination=_duckdb(tmp_path / "wh.duckdb"),
        dataset="ic",
        pipelines_dir=tmp_path / "dlt",
        handles=world.handles,
        budget=4.5,
    )
    client.close()
    assert "enough for 2 profiles" in summary.stop_reasons[0]
    assert summary.rows["creator"] == 2


def test_a_failed_run_keeps_its_ledger_and_the_rerun_pays_nothing(
    world: World, tmp_path: Path
) -> None:
    kw: dict[str, Any] = {
        "destination": _duckdb(tmp_path / "wh.duckdb"),
        "dataset": "ic",
        "pipelines_dir": tmp_path / "dlt",
        "handles": world.handles,
        "campaigns": [world.campaign],
    }
    world.sb.faults.add("status", status=500, operations=["social_listening_campaign_content"])
    with pytest.raises(PipelineStepFailed):
        pipelines.run(world.client, **kw)
    paid = sum(amount for _, _, amount in world.paid())
    world.sb.faults.clear()
    again = pipelines.run(world.client, **kw)
    assert again.credits_spent == 0 and sum(a for _, _, a in world.paid()) == paid
    with duckdb.connect(str(tmp_path / "wh.duckdb"), read_only=True) as con:
        enrich_rows, enrich_cost = con.execute(
            "SELECT count(*), sum(credits_cost) FROM ic.ledger "
            "WHERE operation = 'enrich_handle_full'"
        ).fetchone()
        assert con.execute("SELECT count(*) FROM ic.creator").fetchone()[0] == 4
    # the failed run's paid calls are in the warehouse once (the rerun's came from the journal)
    assert enrich_rows == len(world.handles)
    assert enrich_cost == pytest.approx(len(world.handles) * ic.estimate("enrich_handle_full"))
