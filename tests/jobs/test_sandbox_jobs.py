"""Long jobs on the in-process sandbox ``toolkit.connect()`` makes without a key.

Its waits move the sandbox clock instead of sleeping (so ``pick_up`` finishes), its batches
end with it (so a later process submits again instead of polling a 404), and what a
``timeout=`` stop advises is what works there. Against a server another process can
reach, a 404 on a known batch is reported with the next steps and never re-submitted.
"""

from __future__ import annotations

import functools
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

import toolkit as ic
from toolkit.cli import EXIT, main
from toolkit.jobs import BatchFailedError
from toolkit.sandbox import Sandbox

from .jobs_support import calls, handles, make_client, memory_store

WORLD = {"seed": 7, "creators": 300}


@pytest.fixture(autouse=True)
def _no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INFLUENCERS_CLUB_API_KEY", raising=False)


def _connect(store: Any, **kw: Any) -> Any:
    return ic.connect(quiet=True, sandbox=WORLD, store=store, **kw)


@functools.cache
def _names() -> list[str]:
    return handles(Sandbox(**WORLD), 5)  # every sandbox of this seed has the same world


def _run(client: Any, out: Path, **kw: Any) -> Any:
    """The README's batch of five creators, on whatever server ``client`` talks to."""
    return client.batch.run(_names(), mode="raw", platform="instagram", out=out, **kw)


def test_pick_up_after_a_timeout_finishes_by_moving_the_sandbox_clock(store, tmp_path) -> None:
    with _connect(store) as client:
        sb = client.sandbox
        with pytest.raises(TimeoutError):
            _run(client, tmp_path, store=store, timeout=0, progress=False)
        before, polls = sb.clock.now(), calls(sb, "batch_status")
        # a poll every 30 s; a real sleep would leave the pinned clock where it is and stop
        # here with a TimeoutError after 90 s of wall time
        run = client.batch.pick_up(store=store, progress=False, timeout=90)
        assert run.done and run.read("creator").height == 5
        waits = calls(sb, "batch_status") - polls - 1  # a wait between two polls
        assert waits >= 1 and sb.clock.now() - before == timedelta(seconds=30 * waits)


@pytest.mark.anyio
async def test_the_async_sandbox_client_waits_on_the_sandbox_clock_too(store, tmp_path) -> None:
    async with _connect(store, asynchronous=True) as aclient:
        with pytest.raises(TimeoutError):
            await aclient.batch.run(
                _names(),
                mode="raw",
                platform="instagram",
                out=tmp_path,
                store=store,
                timeout=0,
                progress=False,
            )
        before = aclient.sandbox.clock.now()
        run = await aclient.batch.pick_up(store=store, progress=False, timeout=90)
        assert run.done and aclient.sandbox.clock.now() - before >= timedelta(seconds=30)
    # the limiter waits on that clock too (on real time alone it would spin or sleep)
    async with _connect(store, asynchronous=True, rate_limit_per_minute=2) as paced:
        before = paced.sandbox.clock.now()
        for _ in range(3):  # 2 a minute: paced 30 s apart
            await paced.account.credits()
        assert paced.sandbox.clock.now() - before >= timedelta(seconds=30)
        assert paced.rate_limiter.total_waited >= 30


def test_a_new_process_with_its_own_sandbox_submits_again_instead_of_failing(
    store, tmp_path
) -> None:
    with _connect(store) as first, pytest.raises(TimeoutError):
        _run(first, tmp_path, store=store, timeout=0, progress=False)
    # a new process: a new sandbox (the same world), the same persistent store
    with _connect(store) as second:
        assert second.batch.jobs(unfinished=True, store=store)[0].state == "submitted"
        run = _run(second, tmp_path, store=store, progress=False)
        assert run.done and run.read("creator").height == 5
        assert calls(second.sandbox, "batch_create") == 1  # submitted anew, on this sandbox
    # a third: the job is downloaded into this folder, so nothing is sent at all
    with _connect(store) as third:
        again = _run(third, tmp_path, store=store, progress=False)
        assert again.done and len(third.sandbox.log) == 0
        assert again.read("creator").height == 5  # one part, not one per process


def test_pick_up_or_resume_in_a_new_process_marks_the_old_sandbox_jobs_lost(
    store, tmp_path
) -> None:
    def timed_out_in_a_process() -> None:
        with _connect(store) as earlier, pytest.raises(TimeoutError):
            _run(earlier, tmp_path, store=store, timeout=0, progress=False)

    timed_out_in_a_process()
    with _connect(store) as later:
        job = later.batch.jobs(unfinished=True, store=store)[0]
        with pytest.raises(BatchFailedError, match="another in-process sandbox"):
            later.batch.resume_job(job.job_id, store=store, progress=False)
        assert later.batch.jobs(unfinished=True, store=store) == []
        assert len(later.sandbox.log) == 0  # no 404 polled
    timed_out_in_a_process()
    with _connect(store) as later:
        with pytest.warns(UserWarning, match="another in-process sandbox") as seen:
            run = later.batch.pick_up(store=store, progress=False)
        assert seen[0].filename == __file__  # the warning names the analyst's line
        assert run.jobs == [] and len(later.sandbox.log) == 0
        assert later.batch.jobs(unfinished=True, store=store) == []
        assert _run(later, tmp_path, store=store, progress=False).done  # the same run again


def test_a_batch_a_reachable_server_forgot_is_reported_with_next_steps_never_resent(
    store, tmp_path
) -> None:
    sb = Sandbox(**WORLD)  # a client without client.sandbox: as for the real API
    with make_client(sb) as client:
        job = _run(client, tmp_path, store=store, wait=False, progress=False).jobs[0]
        sb.account.state["batches"].clear()  # the server no longer knows the batch
        with pytest.raises(BatchFailedError) as err:
            _run(client, tmp_path, store=store, progress=False)
        message = str(err.value)
        assert f"the server does not know {job.batch_id}" in message
        assert "resubmit=True" in message and f"jobs forget {job.job_id}" in message
        assert calls(sb, "batch_create") == 1  # not re-submitted by itself
        assert _run(client, tmp_path, store=store, progress=False, resubmit=True).done
        assert calls(sb, "batch_create") == 2


def test_the_timeout_advice_fits_where_the_jobs_can_be_continued(store, tmp_path) -> None:
    with _connect(store) as client, pytest.raises(TimeoutError) as on_sandbox:
        _run(client, tmp_path, store=store, timeout=0, progress=False)
    assert "client.batch.pick_up()" in str(on_sandbox.value)
    assert "jobs resume" not in str(on_sandbox.value)
    with (
        memory_store() as other,
        make_client(Sandbox(**WORLD)) as served_like,
        pytest.raises(TimeoutError) as elsewhere,
    ):
        _run(served_like, tmp_path / "b", store=other, timeout=0, progress=False)
    assert "`influencers-club jobs resume --all`" in str(elsewhere.value)


def test_the_command_on_its_own_sandbox_keeps_its_jobs_for_jobs_resume(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The command's built-in sandbox is kept in the store, so `jobs resume` finds its
    batches (a memory store keeps nothing: then it advises running again instead)."""
    monkeypatch.setenv("INFLUENCERS_CLUB_STORE_URL", str(tmp_path / "store.sqlite"))
    src = tmp_path / "creators.csv"
    src.write_text("handle\n" + "".join(f"{h}\n" for h in _names()))
    argv = ["enrich", str(src), "--platform", "instagram", "--mode", "raw"]
    argv += ["--out", str(tmp_path / "out"), "--no-progress"]
    assert main([*argv, "--timeout", "0"]) == EXIT["timeout"]
    err = capsys.readouterr().err
    assert "1 submitted" in err and "jobs resume --all" in err
    assert main(["jobs", "resume", "--all", "--no-progress"]) == EXIT["ok"]  # the advice works
    assert (tmp_path / "out" / "creator").is_dir()
    memory = ["--store", "memory:", *argv[:-3], "--out", str(tmp_path / "m"), "--no-progress"]
    assert main([*memory, "--timeout", "0"]) == EXIT["timeout"]
    err = capsys.readouterr().err
    assert "without --timeout" in err and "jobs resume --all" not in err


def test_a_job_of_another_server_is_left_alone_by_a_sandbox_client(store, tmp_path) -> None:
    """A notebook started without the key (the sandbox) must not judge, and lose, a job
    submitted to a real server with the same store: it refuses, and the job stays."""
    sb = Sandbox(**WORLD)
    with sb.serve() as url:
        real = ic.Client(api_key=sb.api_key, base_url=url, store=store)
        with real, pytest.raises(TimeoutError):
            _run(real, tmp_path, store=store, timeout=0, progress=False)
        job = real.batch.jobs(unfinished=True, store=store)[0]
        with _connect(store) as sandboxed:
            with pytest.raises(ic.ArgumentError, match="another credential"):
                sandboxed.batch.resume_job(job.job_id, store=store, progress=False)
            assert len(sandboxed.sandbox.log) == 0
        with ic.Client(api_key=sb.api_key, base_url=url, store=store) as again:
            assert [j.job_id for j in again.batch.jobs(unfinished=True, store=store)] == [
                job.job_id
            ]
            sb.clock.advance(minutes=5)
            assert again.batch.pick_up(store=store, progress=False).done


def test_the_command_without_a_key_leaves_a_real_server_job_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`jobs status --refresh` and `jobs download` on the sandbox (no key) must not poll,
    and so mark lost, a job that a real server holds, found in the same store."""
    from toolkit.store import open_store

    path = str(tmp_path / "store.sqlite")
    sb = Sandbox(**WORLD)
    store = open_store(path)
    with sb.serve() as url, ic.Client(api_key=sb.api_key, base_url=url, store=store) as real:
        with pytest.raises(TimeoutError):
            _run(real, tmp_path / "out", store=store, timeout=0, progress=False)
        job = real.batch.jobs(unfinished=True, store=store)[0]
    store.close()
    for command in (["status", job.job_id, "--refresh"], ["download", job.job_id]):
        extra = ["--out", str(tmp_path / "elsewhere")] if command[0] == "download" else []
        assert main(["--store", path, "jobs", *command, *extra]) == EXIT["usage"]
        assert "another credential" in capsys.readouterr().err
    from toolkit.jobs._registry import Registry

    store = open_store(path)
    kept = Registry(store).get(job.job_id)
    store.close()
    assert kept is not None and kept.state == job.state == "submitted"
