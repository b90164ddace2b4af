"""The batch workflow: inputs -> checked jobs -> registry -> submit -> poll -> Parquet.

``client.batch.run(source, mode=..., platform=..., out="results/")`` does every step
(docs/jobs.md): read the inputs (a list, a DataFrame column, a CSV), normalise, validate and
de-duplicate them (the API bills duplicate rows), split them into jobs within the upload
limits, record each job in the registry before submitting it, poll every job's status at
``poll_interval`` with one progress bar, stop with :class:`BatchPausedError` on
``paused_insufficient_credits``, and write each finished job's results as Parquet files
under ``out/<table>/`` (a dataset DuckDB, Spark and Dask read as it is). Running the same
call again (after a crash or a kernel restart) finds the same jobs in the registry and
continues them: nothing is submitted twice. :func:`pick_up` continues every unfinished job
of the registry without the original inputs.
"""

from __future__ import annotations

import os
import time
import uuid
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from toolkit._exceptions import (
    MAY_HAVE_BEEN_CHARGED,
    APIConnectionError,
    APIError,
    ArgumentError,
    MalformedResponseError,
    NotFoundError,
    caller_stacklevel,
)
from toolkit.jobs._drive import Flow
from toolkit.jobs._drive import api_call as _api
from toolkit.jobs._errors import BatchFailedError, BatchPausedError, SubmitUnknownError
from toolkit.jobs._files import (
    MAX_UPLOAD_BYTES,
    MAX_UPLOAD_ROWS,
    read_values,
    split_jobs,
    upload_bytes,
)
from toolkit.jobs._inputs import EMAIL_MODES, Prepared, prepare
from toolkit.jobs._journal import StoreLike, client_store
from toolkit.jobs._output import invalid_part, is_written, write_invalid, write_parquet
from toolkit.jobs._progress import PACED_FORMAT, RowRate, progress_bar
from toolkit.jobs._registry import ACTIVE, Job, Registry, job_id, sandbox_instance

__all__ = [
    "DEFAULT_OUT",
    "DEFAULT_POLL_INTERVAL",
    "BatchRun",
    "pick_up_flow",
    "resume_flow",
    "run_flow",
    "scope_of",
    "write_parquet",
]

#: Seconds between status polls: the API asks for 30-60 s (docs/jobs.md, "Polling").
DEFAULT_POLL_INTERVAL = 30.0
#: Where results go unless ``out=`` says otherwise: beside the notebook or the shell.
DEFAULT_OUT = "batch-results"
_SERVER_DONE = {"finished": "finished", "failed": "failed", "paused_insufficient_credits": "paused"}


def scope_of(client: Any) -> str:
    """The registry scope of a client: a fingerprint of server and identity (the
    credential, or an OAuth login's id, which outlives its refreshed tokens)."""
    return str(client.identity_fingerprint)


class BatchRun:
    """The jobs of one workflow run, and where their results went.

    ``jobs``: registry records (``state``, ``batch_id``, counters). ``prepared``: the
    inputs after normalising (``.invalid``, ``.duplicates``). ``out``: the output directory;
    :meth:`read` scans one table of it with polars.
    """

    def __init__(self, jobs: list[Job], out: Path | None, prepared: Prepared | None) -> None:
        self.jobs = jobs
        self.out = out
        self.prepared = prepared

    @property
    def done(self) -> bool:
        return all(j.state == "downloaded" for j in self.jobs)

    def read(self, table: str = "creator") -> Any:
        """This run's parts of one output table as a polars ``DataFrame``.

        Only the parts its own jobs wrote: a folder used before may hold other runs' parts
        (read the whole folder with DuckDB or ``read_dataset`` for those), and mixing them
        in would count a creator once per run.
        """
        import polars as pl

        if self.out is None:
            raise ValueError("this run has no single output directory")
        mine = {f"part-{j.job_id}.parquet" for j in self.jobs}
        mine.add(f"part-{invalid_part(self.jobs)}.parquet")
        parts = sorted(p for p in (self.out / table).glob("*.parquet") if p.name in mine)
        if not parts:
            raise FileNotFoundError(f"no {table!r} part of this run's jobs under {self.out}")
        # parts share the declared columns; extra (undeclared) fields may differ per part
        return pl.concat([pl.read_parquet(p) for p in parts], how="diagonal_relaxed")

    def to_polars(self) -> Any:
        """The jobs as a polars frame (one row per job)."""
        import polars as pl

        cols = [
            "job_id",
            "state",
            "batch_id",
            "api_status",
            "mode",
            "platform",
            "rows",
            "processed_rows",
            "success_count",
            "failed_count",
            "credits_used",
            "output",
        ]
        return pl.DataFrame([{c: getattr(j, c) for c in cols} for j in self.jobs])

    def __repr__(self) -> str:
        states: dict[str, int] = {}
        for j in self.jobs:
            states[j.state] = states.get(j.state, 0) + 1
        summary = ", ".join(f"{n} {s}" for s, n in states.items())
        return f"<BatchRun {len(self.jobs)} jobs: {summary}; out={self.out}>"


def run_flow(
    client: Any,
    source: Any,
    *,
    mode: str,
    platform: str | None = None,
    column: str | None = None,
    sheet: str | int | None = None,
    encoding: str = "utf-8",
    out: str | os.PathLike[str] = DEFAULT_OUT,
    dedupe: bool = True,
    options: Mapping[str, Any] | None = None,
    store: StoreLike | None = None,
    wait: bool = True,
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    timeout: float | None = None,
    progress: bool = True,
    resubmit: bool = False,
    max_rows: int | None = None,
    say: Any = None,
) -> Flow:
    """Run a batch enrichment from ``source`` to Parquet files; see the module docstring.

    A flow: drive it with :func:`~toolkit.jobs._drive.drive` (sync client) or ``adrive``.
    """
    if mode not in ("raw", "full", "basic", "advanced"):
        raise ValueError("mode must be raw or full (handles), basic or advanced (emails)")
    kind = "email" if mode in EMAIL_MODES else "handle"
    if kind == "handle" and not platform:
        raise ValueError(f"mode={mode!r} needs platform=")
    say = say or _quiet
    given = read_values(source, column=column, kind=kind, sheet=sheet, encoding=encoding)
    prepared = prepare(given, platform, kind=kind, dedupe=dedupe)
    say(prepared.summary())
    if not prepared.values:
        raise ValueError(f"nothing to submit: {prepared.summary()}")
    opts = {k: v for k, v in dict(options or {}).items() if v is not None}
    chunks = split_jobs(prepared.values, max_rows=max_rows or MAX_UPLOAD_ROWS, column=kind)
    registry = Registry(store if store is not None else client_store(client))
    scope, run_id = scope_of(client), uuid.uuid4().hex[:12]
    instance = sandbox_instance(client)
    out_dir = Path(out)
    jobs: list[Job] = []
    for part, rows in enumerate(chunks, 1):
        jid = job_id(scope, mode, platform if kind == "handle" else None, opts, rows)
        job = registry.get(jid)
        if (
            job is not None
            and job.orphaned(instance)
            and not (job.state == "downloaded" and is_written(out_dir, jid))
        ):
            say(f"part {part}/{len(chunks)}: {job.describe()}: {_ORPHANED}; submitting it again")
            registry.forget(jid)  # its batch is gone with its sandbox: nothing to pay twice
            job = None
        if job is None or job.state == "create_failed" or resubmit:
            job = Job(
                jid,
                scope,
                client.base_url,
                mode,
                platform,
                len(rows),
                options=opts,
                part=part,
                parts=len(chunks),
                run=run_id,
                inputs=rows,
                output=str(out_dir),
                sandbox=instance,
            )
            jobs.append(job)
            continue
        if job.state in ("submitting", "create_unknown"):
            raise SubmitUnknownError(_unknown_message(job), [job])
        if job.output != str(out_dir) or (
            job.state == "downloaded" and not is_written(out_dir, job.job_id)
        ):
            job.output = str(out_dir)
            if job.state == "downloaded" and not is_written(out_dir, job.job_id):
                job.state = "finished"  # paid for once; downloading it again is free
            registry.save(job)
        say(f"part {part}/{len(chunks)}: already in the registry as {job.describe()}")
        jobs.append(job)
    if prepared.invalid:  # accounted for in the output too, though never sent
        write_invalid(prepared, out_dir, jobs)
    fresh = [j for j in jobs if j.batch_id is None]
    _check_budget(client, mode, sum(j.rows for j in fresh))
    for job in fresh:
        yield from _submit(client, registry, job, kind, resubmit=resubmit)
        say(f"part {job.part}/{job.parts}: submitted as {job.batch_id} ({job.rows} rows)")
    run = BatchRun(jobs, out_dir, prepared)
    if wait:
        yield from _wait(
            client,
            registry,
            jobs,
            poll_interval=poll_interval,
            timeout=timeout,
            progress=progress,
            say=say,
        )
    return run


def _quiet(message: str) -> None:
    """The default ``say``: nothing (the progress bar shows what matters)."""


def _check_budget(client: Any, mode: str, rows: int) -> None:
    from toolkit._exceptions import BudgetExceededError

    worst = round(rows * client.prices.batch_row(mode), 4)
    left = getattr(client, "budget_left", None)
    if left is not None and worst > left + 1e-9:
        raise BudgetExceededError("batch_create", worst, max(left, 0.0))


def _submit(client: Any, registry: Registry, job: Job, kind: str, *, resubmit: bool) -> Flow:
    """Record the attempt, then create; the record says what happened either way."""
    job.state, job.error = "submitting", None
    if not registry.claim(job):
        old = registry.get(job.job_id)
        if old is not None and old.state != "create_failed" and not resubmit:
            raise SubmitUnknownError(  # another process claimed it a moment ago
                f"{old.job_id} is already being submitted ({old.describe()}); not sent again",
                [old],
            )
        registry.save(job)
    content = upload_bytes(job.inputs, kind)
    if len(content) > MAX_UPLOAD_BYTES:  # split_jobs keeps parts below this; a guard only
        raise ValueError(f"part {job.part} is {len(content)} bytes, over the 10 MB limit")
    try:
        # the workflow already de-duplicated (or the caller chose to pay for duplicates)
        result = yield from _api(
            "create",
            content,
            enrichment_mode=job.mode,
            allow_duplicates=True,
            **_create_fields(job),
        )
    except (MalformedResponseError, APIConnectionError) as exc:
        charged = getattr(exc, "credits_may_have_been_charged", True)
        job.state = "create_unknown" if charged else "create_failed"
        job.error = f"{type(exc).__name__}: {exc}"
        registry.save(job)
        if charged:
            raise SubmitUnknownError(_unknown_message(job), [job]) from exc
        raise
    except APIError as exc:
        job.state, job.error = "create_failed", f"{type(exc).__name__}: {exc}"
        registry.save(job)
        raise
    data = result.data if isinstance(result.data, Mapping) else {}
    job.batch_id, job.api_status = data.get("batch_id"), data.get("status")
    job.state = "submitted" if job.batch_id else "create_unknown"
    registry.save(job)
    if job.batch_id is None:
        raise SubmitUnknownError(_unknown_message(job), [job])


def _create_fields(job: Job) -> dict[str, Any]:
    fields = dict(job.options)
    if job.mode in ("raw", "full"):
        fields["platform"] = job.platform
    return fields


def _unknown_message(job: Job) -> str:
    if job.state == "submitting":  # recorded before sending: a stop may have come before it
        what = (
            "the run stopped after recording this job and before recording its create "
            "answer, so the create request may or may not have been sent"
        )
    else:
        what = (
            "the create request was sent but its answer was lost "
            f"({job.error or 'the process stopped before recording it'})"
        )
    return (
        f"{job.job_id} (part {job.part}/{job.parts}, {job.rows} rows): {what}."
        f" The batch may exist and be billing rows: {MAY_HAVE_BEEN_CHARGED}. Check the dashboard or "
        "`influencers-club jobs list`; nothing was re-submitted. To submit it again anyway: "
        "client.batch.run(..., resubmit=True) or `influencers-club enrich ... --resubmit` "
        "(docs/jobs.md, 'When a create answer is lost')."
    )


def _wait(
    client: Any,
    registry: Registry,
    jobs: list[Job],
    *,
    poll_interval: float,
    timeout: float | None,
    progress: bool,
    say: Any,
) -> Flow:
    """Poll every active job until each is downloaded, or stop on a pause or a failure."""
    total = sum(j.rows for j in jobs)
    bar = progress_bar(total, "batch", enabled=progress, unit="row", bar_format=PACED_FORMAT)
    waited, started, pace = 0.0, time.monotonic(), RowRate()
    try:
        while True:
            for job in jobs:
                if job.state == "submitted":
                    yield from poll_flow(client, registry, job)
                if job.state == "finished":
                    yield from download_flow(client, registry, job)
                    say(f"part {job.part}/{job.parts}: results written to {job.output}")
            done = sum(_done_rows(j) for j in jobs)
            pace.observe(done)
            bar.update(done - bar.n)
            spent = sum(j.credits_used or 0.0 for j in jobs)
            left = pace.describe(total - done)
            bar.set_postfix_str(f"{job_states(jobs)}, {spent:g} credits" + (left and f", {left}"))
            paused = [j for j in jobs if j.state == "paused"]
            if paused:
                raise BatchPausedError(_paused_message(paused), paused)
            failed = [j for j in jobs if j.state in ("failed", "lost")]
            if failed:
                raise BatchFailedError(
                    "; ".join(f"{j.describe()}: {j.status_message or j.error}" for j in failed),
                    failed,
                )
            if all(j.state == "downloaded" for j in jobs):
                return
            if timeout is not None and waited >= timeout:
                left = pace.describe(total - done) if pace.rate is not None else ""
                raise TimeoutError(timeout_message(client, waited, jobs, started, left))
            # the last wait ends at the deadline (one more poll there), not a poll beyond it
            step = poll_interval if timeout is None else min(poll_interval, timeout - waited)
            slept = time.monotonic()
            yield from _api("sleep", step)
            pace.waited(step, time.monotonic() - slept)
            waited += step
    finally:
        bar.close()


#: Why a job of an earlier in-process sandbox cannot be continued.
_ORPHANED = (
    "made on another in-process sandbox (an earlier kernel, process or connect()), whose "
    "batches this one does not have"
)


def _mark_orphaned(registry: Registry, job: Job) -> str:
    """Record a job of an earlier in-process sandbox as lost; what to tell the user."""
    job.state, job.error = "lost", f"{_ORPHANED}; the same run again submits it anew"
    registry.save(job)
    return f"{job.describe()}: {job.error}"


def timeout_message(
    client: Any, waited: float, jobs: list[Job], started: float | None = None, left: str = ""
) -> str:
    """What a ``timeout=`` stop says: how long it waited (on the sandbox, on its clock and in
    real time), where the jobs are, the time ``left`` at the observed rate (the bar's), and
    how to continue them."""
    states = job_states(jobs) + (f"; {left}" if left else "")
    head = f"batch still running after {waited:g} s of waiting ({states})"
    if not waited:
        head = f"batch still running ({states}): timeout=0 stops after the first poll"
    elif sandbox_instance(client) is not None and started is not None:
        real = time.monotonic() - started
        head = (
            f"batch still running after {waited:g} s on the sandbox's clock, which moves with "
            f"each poll ({real:.1f} s of real time; {states})"
        )
    head += "; the jobs are in the registry"
    if sandbox_instance(client) is not None:
        return (
            f"{head}: continue them with client.batch.pick_up() in this process (quick: the "
            "sandbox clock moves with each poll). The in-process sandbox ends with the process, "
            "so a restarted kernel or the `influencers-club` command has its own, without these "
            "batches"
        )
    return (
        f"{head}: pick them up later with client.batch.pick_up() or "
        "`influencers-club jobs resume --all`"
    )


def _done_rows(job: Job) -> int:
    return job.rows if job.state == "downloaded" else int(job.processed_rows or 0)


def job_states(jobs: list[Job]) -> str:
    """How many jobs are in each state: ``"2 submitted, 1 downloaded"``."""
    counts: dict[str, int] = {}
    for j in jobs:
        counts[j.state] = counts.get(j.state, 0) + 1
    return ", ".join(f"{n} {s}" for s, n in counts.items())


def _paused_message(paused: list[Job]) -> str:
    first = paused[0]
    return (
        f"{len(paused)} job(s) paused by the server for lack of credits "
        f"({first.status_message or 'paused_insufficient_credits'}). Rows already processed "
        "are kept and not billed again. Add credits, then resume: client.batch.resume_job("
        f"{first.job_id!r}) or `influencers-club jobs resume {first.job_id}`."
    )


def poll_flow(client: Any, registry: Registry, job: Job) -> Flow:
    """One status call (free); maps the server's status onto the job's state (a flow:
    run it with :func:`~toolkit.jobs.drive`)."""
    try:
        data = (yield from _api("status", job.batch_id)).data or {}
    except NotFoundError as exc:
        job.state, job.error = "lost", _lost_message(job, exc)
        registry.save(job)
        return
    job.api_status = data.get("status")
    for name in ("processed_rows", "success_count", "failed_count", "status_message"):
        if data.get(name) is not None:
            setattr(job, name, data[name])
    if data.get("credits_used") is not None:
        job.credits_used = float(data["credits_used"])
    job.state = _SERVER_DONE.get(str(job.api_status), "submitted")
    registry.save(job)


def _lost_message(job: Job, exc: Exception) -> str:
    """A 404 on a known batch: what it means and the two ways on (never taken for you)."""
    return (
        f"the server does not know {job.batch_id} ({exc}). Nothing was submitted again: if "
        "that batch ran, its rows were billed. To submit it again (billed again): "
        "client.batch.run(..., resubmit=True) or `influencers-club enrich ... --resubmit`; "
        f"to drop it from the registry: `influencers-club jobs forget {job.job_id}` "
        "(docs/jobs.md, 'Job states')"
    )


def download_flow(client: Any, registry: Registry, job: Job) -> Flow:
    """Fetch a finished job's rows (free) and write them; kept raw too, as paid data (a
    flow: run it with :func:`~toolkit.jobs.drive`)."""
    try:
        rows = (yield from _api("results", job.batch_id, format="json")).data
    except NotFoundError as exc:
        job.state, job.error = (
            "lost",
            (
                f"the server no longer has the results of {job.batch_id} ({exc}). They were paid "
                "for and, if this job was downloaded before, written to the folder it ran with; "
                "to buy them again, run with resubmit=True"
            ),
        )
        registry.save(job)
        return
    if job.output is not None:
        write_parquet(rows, Path(job.output), job)
    job.state = "downloaded"
    registry.save(job)


def own_job(client: Any, registry: Registry, key: str, operation: str) -> Job:
    """The job ``key`` of the registry, refused untouched if another server or account
    submitted it: this client's 404 for it would say nothing about that job (a notebook
    started without the key, on the sandbox, must not judge a real-server job lost)."""
    job = registry.find(key)
    if job.scope != scope_of(client):
        raise ArgumentError(
            f"{job.describe()} was submitted to {job.base_url} with another credential or "
            f"login; this client talks to {client.base_url} as someone else. Use a client "
            "of that account (nothing was sent, the job is kept as it was)",
            operation=operation,
        )
    return job


def resume_flow(client: Any, key: str, *, store: StoreLike | None = None, **wait: Any) -> Flow:
    """Resume one paused job after a top-up (``POST .../resume/``, free), then wait for it."""
    registry = Registry(store if store is not None else client_store(client))
    job = own_job(client, registry, key, "batch_resume")
    if job.orphaned(sandbox_instance(client)):
        raise BatchFailedError(_mark_orphaned(registry, job), [job])
    if job.batch_id is None:
        raise SubmitUnknownError(_unknown_message(job), [job])
    if job.state == "paused":
        yield from _api("resume", job.batch_id)
        job.state = "submitted"
        registry.save(job)
    return (yield from _continue(client, registry, [job], **wait))


def pick_up_flow(
    client: Any, *, store: StoreLike | None = None, resume: bool = False, **wait: Any
) -> Flow:
    """Continue every unfinished job of this client's scope (after a restart, say).

    Jobs whose create answer was lost are listed in the error, not re-submitted. Paused
    jobs are resumed only with ``resume=True`` (after adding credits). Jobs of another
    in-process sandbox (gone with its process) are marked ``lost`` with a warning.
    """
    registry = Registry(store if store is not None else client_store(client))
    jobs = registry.jobs(unfinished=True, scope=scope_of(client))
    instance = sandbox_instance(client)
    for job in [j for j in jobs if j.orphaned(instance)]:
        warnings.warn(_mark_orphaned(registry, job), stacklevel=caller_stacklevel())
    jobs = [j for j in jobs if not j.orphaned(instance)]
    unknown = [j for j in jobs if j.state in ("submitting", "create_unknown")]
    for job in jobs:
        if job.state == "paused" and resume:
            yield from _api("resume", job.batch_id)
            job.state = "submitted"
            registry.save(job)
    active = [j for j in jobs if j.state in ACTIVE]
    run = BatchRun([], None, None)
    if active:
        run = yield from _continue(client, registry, active, **wait)
    if unknown:
        raise SubmitUnknownError(" ".join(_unknown_message(j) for j in unknown), unknown)
    return run


def _continue(
    client: Any,
    registry: Registry,
    jobs: list[Job],
    *,
    out: Any = None,
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    timeout: float | None = None,
    progress: bool = True,
    say: Any = None,
) -> Flow:
    for job in jobs:
        if out is not None:
            job.output = str(out)
    outs = {j.output for j in jobs if j.output}
    yield from _wait(
        client,
        registry,
        jobs,
        poll_interval=poll_interval,
        timeout=timeout,
        progress=progress,
        say=say or _quiet,
    )
    return BatchRun(jobs, Path(outs.pop()) if len(outs) == 1 else None, None)
