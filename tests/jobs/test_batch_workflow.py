"""The batch workflow: inputs to Parquet, registry, pause and resume, restarts, lost answers.

Billing is read from the sandbox account (``used``): each batch row is billed there when the
server processes it, so "no row paid twice" is the server's word, not the client's.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import pytest

from toolkit import Client
from toolkit.jobs import BatchPausedError, SubmitUnknownError
from toolkit.sandbox import Sandbox

from .jobs_support import calls, handles, make_client


def test_a_list_becomes_parquet_tables_duckdb_reads(
    client: Client, sb: Sandbox, store, tmp_path: Path
) -> None:
    names = handles(sb, 25)
    inputs = [*names, "@" + names[0].upper(), "nobody_at_all_xyz", "bad handle"]
    run = client.batch.run(
        inputs,
        mode="raw",
        platform="instagram",
        out=tmp_path / "out",
        job_rows=10,
        store=store,
        progress=False,
    )
    assert run.done and len(run.jobs) == 3  # 26 unique valid rows in jobs of 10
    assert [j.rows for j in run.jobs] == [10, 10, 6]
    assert run.prepared.duplicates == 1 and len(run.prepared.invalid) == 1
    assert calls(sb, "batch_create") == 3
    assert float(sb.account.used) == pytest.approx(25 * 0.03)  # not_found rows cost nothing
    out = (tmp_path / "out").as_posix()
    n = duckdb.sql(f"SELECT count(*) FROM read_parquet('{out}/creator/*.parquet')").fetchall()
    assert n == [(25,)]
    failed = duckdb.sql(
        f"SELECT input_value, status FROM read_parquet('{out}/failures/*.parquet') ORDER BY 1"
    ).fetchall()
    # every input is in the output: found, not found by the API, or refused before upload
    assert failed == [("bad handle", "invalid"), ("nobody_at_all_xyz", "not_found")]
    assert sorted(run.read("creator")["username"].to_list()) == sorted(names)
    assert len(list((tmp_path / "out" / "_raw").glob("*.json"))) == 3


def test_the_same_run_again_submits_nothing(
    client: Client, sb: Sandbox, store, tmp_path: Path
) -> None:
    names = handles(sb, 12)
    kw = {
        "mode": "raw",
        "platform": "instagram",
        "out": tmp_path,
        "store": store,
        "progress": False,
    }
    first = client.batch.run(names, **kw)
    used = float(sb.account.used)
    again = client.batch.run(list(reversed(names))[::-1], **kw)
    assert calls(sb, "batch_create") == 1
    assert float(sb.account.used) == used
    assert [j.job_id for j in again.jobs] == [j.job_id for j in first.jobs]


def test_a_finished_job_run_into_a_new_folder_is_written_there_without_paying_again(
    client: Client, sb: Sandbox, store, tmp_path: Path
) -> None:
    names = handles(sb, 8)
    kw = {"mode": "raw", "platform": "instagram", "store": store, "progress": False}
    client.batch.run(names, out=tmp_path / "first", **kw)
    used, downloads = float(sb.account.used), calls(sb, "batch_results")
    again = client.batch.run(names, out=tmp_path / "second", **kw)
    assert calls(sb, "batch_create") == 1 and float(sb.account.used) == used
    assert calls(sb, "batch_results") == downloads + 1  # fetched again (free), not re-bought
    assert sorted(again.read("creator")["username"].to_list()) == sorted(names)
    # deleted output is written again too; an intact folder is left alone
    for part in (tmp_path / "second").rglob("*.parquet"):
        part.unlink()
    client.batch.run(names, out=tmp_path / "second", **kw)
    client.batch.run(names, out=tmp_path / "second", **kw)
    assert calls(sb, "batch_results") == downloads + 2
    assert sorted(again.read("creator")["username"].to_list()) == sorted(names)


def test_a_dataframe_column_and_a_csv_are_sources(
    client: Client, sb: Sandbox, store, tmp_path: Path
) -> None:
    names = handles(sb, 4)
    frame = pl.DataFrame({"name": ["x"] * 4, "handle": names})
    a = client.batch.run(
        frame,
        column="handle",
        mode="raw",
        platform="instagram",
        out=tmp_path / "a",
        store=store,
        progress=False,
    )
    csv = tmp_path / "in.csv"
    csv.write_text("name,handle\n" + "".join(f"x,@{h}\n" for h in names), encoding="utf-8")
    b = client.batch.run(
        csv, mode="raw", platform="instagram", out=tmp_path / "b", store=store, progress=False
    )
    assert a.jobs[0].job_id == b.jobs[0].job_id  # same rows after normalising: same job
    assert calls(sb, "batch_create") == 1


def test_keeping_duplicates_uploads_them(client: Client, sb: Sandbox, store, tmp_path) -> None:
    names = handles(sb, 3)
    run = client.batch.run(
        [*names, names[0]],
        mode="raw",
        platform="instagram",
        out=tmp_path,
        store=store,
        dedupe=False,
        progress=False,
    )
    assert run.jobs[0].rows == 4
    assert float(sb.account.used) == pytest.approx(4 * 0.03)  # the duplicate was billed


def test_a_pause_for_credits_stops_then_resume_finishes_without_rebilling(
    store, tmp_path: Path
) -> None:
    sb = Sandbox(seed=7, creators=300, credits=10)
    names = handles(sb, 20)
    with make_client(sb) as client:
        with pytest.raises(BatchPausedError, match="Add credits, then resume") as err:
            client.batch.run(
                names, mode="full", platform="instagram", out=tmp_path, store=store, progress=False
            )
        job = err.value.jobs[0]
        assert job.state == "paused" and job.processed_rows == 10
        assert [j.state for j in client.batch.jobs(unfinished=True, store=store)] == ["paused"]
        sb.add_credits(50)
        run = client.batch.resume_job(job.job_id, store=store, progress=False)
        assert run.done
        assert float(sb.account.used) == pytest.approx(20.0)  # 20 rows at 1 credit, once each
        assert run.read("creator").height == 20
        assert client.batch.jobs(unfinished=True, store=store) == []


def test_after_a_restart_the_registry_lists_and_picks_up_every_unfinished_job(
    sb: Sandbox, store, tmp_path: Path
) -> None:
    names = handles(sb, 30)
    with make_client(sb) as before:
        before.batch.run(
            names,
            mode="raw",
            platform="instagram",
            out=tmp_path,
            job_rows=10,
            store=store,
            wait=False,
            progress=False,
        )
    # the kernel restarts: a new client, the same store
    with make_client(sb) as after:
        unfinished = after.batch.jobs(unfinished=True, store=store)
        assert [j.state for j in unfinished] == ["submitted"] * 3
        run = after.batch.pick_up(store=store, progress=False)
        assert run.done and len(run.jobs) == 3
        assert run.read("creator").height == 30
    assert calls(sb, "batch_create") == 3


def test_a_lost_create_answer_is_kept_and_never_resubmitted_silently(
    client: Client, sb: Sandbox, store, tmp_path: Path
) -> None:
    names = handles(sb, 5)
    sb.faults.add("drop", operations=["batch_create"], times=1)
    kw = {
        "mode": "raw",
        "platform": "instagram",
        "out": tmp_path,
        "store": store,
        "progress": False,
    }
    with pytest.raises(SubmitUnknownError, match="answer was lost") as err:
        client.batch.run(names, **kw)
    assert err.value.jobs[0].state == "create_unknown"
    assert err.value.credits_may_have_been_charged and "credits may have been charged" in str(
        err.value
    )
    listed = client.batch.jobs(unfinished=True, store=store)
    assert [j.state for j in listed] == ["create_unknown"]
    with pytest.raises(SubmitUnknownError, match="nothing was re-submitted"):
        client.batch.run(names, **kw)  # the same call again: refused, nothing sent
    with pytest.raises(SubmitUnknownError):
        client.batch.pick_up(store=store, progress=False)
    assert calls(sb, "batch_create") == 1
    run = client.batch.run(names, resubmit=True, **kw)  # the user decides
    assert run.done and calls(sb, "batch_create") == 2


def test_a_job_answered_5xx_is_sent_again_only_when_asked(
    client: Client, sb: Sandbox, store, tmp_path: Path
) -> None:
    """A gateway's 5xx may come after the batch was made (its rows then bill as it runs):
    the job is left "may exist", a re-run refuses to upload it again, and resubmit=True
    (after checking) sends it once more."""
    sb.faults.add("status", status=503, operations=["batch_create"], times=1)
    kw = {"mode": "raw", "platform": "instagram", "out": tmp_path, "store": store}
    with pytest.raises(SubmitUnknownError, match="503"):
        client.batch.run(handles(sb, 3), progress=False, **kw)
    assert [j.state for j in client.batch.jobs(store=store)] == ["create_unknown"]
    with pytest.raises(SubmitUnknownError):
        client.batch.run(handles(sb, 3), progress=False, **kw)
    assert [e.operation for e in sb.log].count("batch_create") == 1
    run = client.batch.run(handles(sb, 3), progress=False, resubmit=True, **kw)
    assert run.done
    assert [e.operation for e in sb.log].count("batch_create") == 2


@pytest.mark.anyio
async def test_the_async_client_drives_the_same_workflow(store, tmp_path) -> None:
    from .jobs_support import make_async_client

    sb = Sandbox(seed=7, creators=300, credits=8)  # enough for 8 of 12 full rows
    names = handles(sb, 12)
    async with make_async_client(sb) as aclient:
        with pytest.raises(BatchPausedError) as err:
            await aclient.batch.run(
                names, mode="full", platform="instagram", out=tmp_path, store=store, progress=False
            )
        assert aclient.batch.jobs(unfinished=True, store=store)[0].state == "paused"
        sb.add_credits(20)
        run = await aclient.batch.pick_up(resume=True, store=store, progress=False)
        assert run.done and run.read("creator").height == 12
    assert err.value.jobs[0].processed_rows == 8
    assert float(sb.account.used) == pytest.approx(12.0)


def test_the_duckdb_query_in_the_docs_runs_on_the_output(
    client: Client, sb: Sandbox, store, tmp_path: Path, monkeypatch
) -> None:
    import re

    doc = (Path(__file__).resolve().parents[2] / "docs" / "jobs.md").read_text(encoding="utf-8")
    query = re.search(r"```sql\n-- duckdb\n(.*?)```", doc, re.S).group(1)  # type: ignore[union-attr]
    names = handles(sb, 6)
    client.batch.run(
        names,
        mode="full",
        platform="instagram",
        out=tmp_path / "results",
        job_rows=4,
        store=store,
        progress=False,
    )
    monkeypatch.chdir(tmp_path)
    rows = duckdb.sql(query).fetchall()
    assert sorted(r[0] for r in rows) == sorted(names)
    assert all(r[2] > 0 for r in rows)  # every creator has posts
    followers = [r[1] for r in rows]
    assert followers == sorted(followers, reverse=True)


def test_emails_give_an_email_match_table_and_invalid_inputs_are_in_failures(
    client: Client, sb: Sandbox, store, tmp_path: Path
) -> None:
    emails = list(dict.fromkeys(c.email.lower() for c in sb.world.creators if c.email))[:4]
    run = client.batch.run(
        [*emails, emails[1].upper(), "not-an-email"],
        mode="basic",
        out=tmp_path,
        store=store,
        progress=False,
    )
    assert run.done and run.jobs[0].rows == 4
    matches = run.read("email_match")
    assert sorted(matches["email"].to_list()) == sorted(emails)
    failures = run.read("failures")
    assert failures.filter(failures["status"] == "invalid")["input_value"].to_list() == [
        "not-an-email"
    ]


def test_results_the_server_no_longer_has_say_so_instead_of_failing_bare(
    client: Client, sb: Sandbox, store, tmp_path: Path
) -> None:
    """A finished job re-run into a new folder is downloaded again (free); when the server
    has forgotten it (a restarted sandbox, expired results), the error says what happened
    and how to pay for the rows again, and nothing is re-submitted by itself."""
    from toolkit.jobs import BatchFailedError

    names = handles(sb, 5)
    kw = {"mode": "raw", "platform": "instagram", "store": store, "progress": False}
    client.batch.run(names, out=tmp_path / "first", **kw)
    sb.account.state["batches"].clear()  # the server forgets every batch it ran
    with pytest.raises(BatchFailedError, match="no longer has the results") as err:
        client.batch.run(names, out=tmp_path / "second", **kw)
    assert "resubmit=True" in str(err.value)
    assert calls(sb, "batch_create") == 1


def test_read_gives_this_runs_parts_only_in_a_folder_used_before(
    client: Client, sb: Sandbox, store, tmp_path: Path
) -> None:
    """A folder used before holds another job's parts (a job of the same creators submitted
    from another store or machine): reading this run back must not count them again."""
    import shutil

    names = handles(sb, 6)
    kw = {"mode": "raw", "platform": "instagram", "out": tmp_path / "out", "progress": False}
    run = client.batch.run([*names, "nobody_at_all_xyz"], store=store, **kw)
    for table in ("creator", "failures"):
        (part,) = (tmp_path / "out" / table).glob("part-*.parquet")
        shutil.copy(part, part.with_name("part-job_of_an_earlier_run.parquet"))
    assert run.read("creator").height == 6
    assert run.read("failures")["input_value"].to_list() == ["nobody_at_all_xyz"]
