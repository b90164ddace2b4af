"""Batch enrichment: upload a CSV of handles or emails, poll, fetch the results.

Paid per successfully enriched row at the single-call rate; status, resume, download and
results are free. Polling only (no webhooks): :meth:`Batch.wait` polls ``status`` with a
progress bar until the batch finishes, fails or pauses for credits.

:meth:`Batch.run` is the whole workflow (inputs checked, de-duplicated and split, every job
in the local registry, polled, written as Parquet; docs/jobs.md); :meth:`Batch.jobs`,
:meth:`Batch.pick_up` and :meth:`Batch.resume_job` work on that registry.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Mapping
from typing import TYPE_CHECKING, Any, Literal

from toolkit import _facts
from toolkit._checks import (
    DISCOVERY_PLATFORMS,
    check_email,
    check_handle,
    check_id,
    check_platform,
    same_creator,
)
from toolkit._config import NOT_GIVEN, NotGiven
from toolkit._exceptions import ArgumentError, ArgumentTypeError, PollTimeoutError
from toolkit._results import Result
from toolkit.resources._base import FileInput, R, Resource, csv_upload

if TYPE_CHECKING:  # pragma: no cover
    from toolkit.jobs._registry import Job

__all__ = ["TERMINAL", "AsyncBatch", "Batch"]

#: Statuses after which polling stops; a paused batch needs ``resume`` after a top-up.
TERMINAL = frozenset({"finished", "failed", "paused_insufficient_credits"})
_EMAIL_MODES = ("basic", "advanced")


class _BatchBase(Resource[R]):
    def create(
        self,
        file: FileInput | None = None,
        *,
        enrichment_mode: Literal["raw", "full", "basic", "advanced"],
        platform: str | NotGiven = NOT_GIVEN,
        handles: list[str] | None = None,
        emails: list[str] | None = None,
        metadata: Mapping[str, Any] | NotGiven | None = NOT_GIVEN,
        email_required: str | NotGiven = NOT_GIVEN,
        include_lookalikes: bool | NotGiven = NOT_GIVEN,
        include_audience_data: bool | NotGiven = NOT_GIVEN,
        exclude_platforms: str | NotGiven = NOT_GIVEN,
        min_followers: int | NotGiven = NOT_GIVEN,
        dedupe: bool = False,
        allow_duplicates: bool = False,
    ) -> R:
        """POST /public/v1/enrichment/batch/ (multipart) — start enriching many creators.

        Give the rows as ``file`` (a CSV path or bytes with one ``handle`` or ``email``
        column, or a list of values) or as ``handles=`` / ``emails=`` lists, which are
        written as that CSV. ``platform`` is required for raw/full. The worst case
        (rows × the mode's price) is checked against the client's budget first.

        The file is checked before uploading (UTF-8, one ``handle``/``email`` column, rows,
        at most 10 MB). Every row is billed, duplicates too: they are refused unless
        ``dedupe=True`` (send each once) or ``allow_duplicates=True`` (pay for each).
        """
        op = "batch_create"
        if enrichment_mode not in ("raw", "full", *_EMAIL_MODES):
            raise ArgumentError(
                "enrichment_mode must be 'raw' or 'full' (handles) or 'basic' or 'advanced' "
                f"(emails), got {enrichment_mode!r}",
                operation=op,
                argument="enrichment_mode",
            )
        column = "email" if enrichment_mode in _EMAIL_MODES else "handle"
        sources = [s for s in (file, handles, emails) if s is not None]
        if len(sources) != 1:
            raise ArgumentTypeError("pass exactly one of file=, handles= or emails=")
        if column == "email" and handles is not None:
            raise ArgumentError(
                f"enrichment_mode={enrichment_mode!r} enriches emails: pass emails=, or use "
                "'raw'/'full' for handles",
                operation=op,
                argument="handles",
            )
        if column == "handle" and emails is not None:
            raise ArgumentError(
                f"enrichment_mode={enrichment_mode!r} enriches handles: pass handles=, or use "
                "'basic'/'advanced' for emails",
                operation=op,
                argument="emails",
            )
        if column == "handle":
            platform = check_platform(platform, DISCOVERY_PLATFORMS, operation=op)
        if handles is not None:
            handles = [check_handle(h, operation=op, argument="handles[]") for h in handles]
        if emails is not None:
            emails = [check_email(e, operation=op, argument="emails[]") for e in emails]
        source = next(s for s in (file, handles, emails) if s is not None)
        filename, content, _ = csv_upload(source, column, filename=f"{column}s.csv")
        where = platform if isinstance(platform, str) else None
        values = _check_csv(
            content,
            column,
            allow_duplicates=allow_duplicates or dedupe,
            operation=op,
            platform=where,
        )
        if dedupe:
            values = _deduplicated(values, column, where)
        # what was read is what is sent: one clean column (a workbook or a ';' file as CSV)
        from toolkit.jobs._files import upload_bytes  # jobs imports polars: on first use only

        content, rows = upload_bytes(values, column), len(values)
        filename = os.path.splitext(filename)[0] + ".csv"
        form = {
            "enrichment_mode": enrichment_mode,
            "platform": platform,
            "metadata": metadata,
            "email_required": email_required,
            "include_lookalikes": include_lookalikes,
            "include_audience_data": include_audience_data,
            "exclude_platforms": exclude_platforms,
            "min_followers": min_followers,
        }
        if form["metadata"] is None:
            form["metadata"] = NOT_GIVEN

        _check_upload(len(content), rows)
        # never sent twice: rows are billed as the job runs, and the API cannot list jobs,
        # so a lost or 5xx answer is reported with what to check (toolkit._reconcile)
        return self._create(
            "batch_create",
            match=None,
            form=form,
            files={"file": (filename, content, "text/csv")},
            extra_params={"rows": rows},
            estimate_params={"rows": rows, "enrichment_mode": enrichment_mode},
        )

    def status(self, batch_id: str) -> R:
        """GET /public/v1/enrichment/batch/{batch_id}/status/ — progress counters (free)."""
        batch_id = check_id(batch_id, "batch_id", operation="batch_status")
        return self._op("batch_status", path_params={"batch_id": batch_id})

    def resume(self, batch_id: str) -> R:
        """POST /public/v1/enrichment/batch/{batch_id}/resume/ — continue a batch paused for credits."""
        batch_id = check_id(batch_id, "batch_id", operation="batch_resume")
        return self._op("batch_resume", path_params={"batch_id": batch_id}, json={})

    def download_url(self, batch_id: str) -> R:
        """GET /public/v1/enrichment/batch/{batch_id}/download/ — a temporary CSV link (finished only)."""
        batch_id = check_id(batch_id, "batch_id", operation="batch_download")
        return self._op("batch_download", path_params={"batch_id": batch_id})

    def results(self, batch_id: str, *, format: Literal["json", "csv"] = "json") -> R:
        """GET /public/v1/enrichment/batch/{batch_id}/?format= — the rows (JSON list or CSV text).

        JSON is the default here although the API defaults to CSV: the official MCP saw the
        CSV variant answer 404 in practice.
        """
        batch_id = check_id(batch_id, "batch_id", operation="batch_results")
        if format not in ("json", "csv"):
            raise ArgumentError("format must be 'json' or 'csv'")
        return self._op(
            "batch_results",
            path_params={"batch_id": batch_id},
            query={"format": format},
            expect="text" if format == "csv" else "json",
        )

    def run(
        self,
        source: Any,
        *,
        mode: Literal["raw", "full", "basic", "advanced"],
        platform: str | None = None,
        column: str | None = None,
        sheet: str | int | None = None,
        encoding: str = "utf-8",
        out: str | os.PathLike[str] = "batch-results",
        dedupe: bool = True,
        poll_interval: float = 30.0,
        timeout: float | None = None,
        progress: bool = True,
        wait: bool = True,
        resubmit: bool = False,
        job_rows: int = _facts.MAX_UPLOAD_ROWS,
        store: Any = None,
        **options: Any,
    ) -> Any:
        """The whole batch workflow, from inputs to Parquet files (docs/jobs.md).

        ``source``: a list, a pandas/polars column or frame (``column=``), or the path of a
        CSV or ``.xlsx`` file (``sheet=``: a workbook's sheet, the first by default).
        Inputs are normalised, validated and de-duplicated (``dedupe=False`` keeps
        duplicates, which the API bills again), split into jobs of at most ``job_rows``
        rows and 10 MB, recorded in the local registry (``store=``, default: the
        client's store, the one its cache uses) and submitted; then polled every ``poll_interval``
        s with a progress bar and each finished job written under
        ``out/<table>/part-<job>.parquet``. Raises
        ``BatchPausedError`` when the server pauses for credits (``resume_job`` after a
        top-up) and ``SubmitUnknownError`` when a create answer was lost: that job is not
        re-submitted unless ``resubmit=True``. The same call again continues its jobs.
        ``options``: ``email_required``, ``include_lookalikes``, ``metadata``, ...
        """
        from toolkit.jobs._batch import run_flow

        return self._drive(
            run_flow,
            source,
            mode=mode,
            platform=platform,
            column=column,
            sheet=sheet,
            encoding=encoding,
            out=out,
            dedupe=dedupe,
            options=options,
            store=store,
            wait=wait,
            poll_interval=poll_interval,
            timeout=timeout,
            progress=progress,
            resubmit=resubmit,
            max_rows=job_rows,
        )

    def jobs(self, *, unfinished: bool = False, store: Any = None) -> list[Job]:
        """The local registry's jobs for this client's server and credential, oldest first.

        Local (no API call), so not awaited on the async client either.
        """
        from toolkit.jobs._batch import scope_of
        from toolkit.jobs._journal import client_store
        from toolkit.jobs._registry import Registry

        registry = Registry(store if store is not None else client_store(self._client))
        return registry.jobs(unfinished=unfinished, scope=scope_of(self._client))

    def pick_up(self, *, resume: bool = False, store: Any = None, **wait: Any) -> Any:
        """Continue every unfinished job of the registry (e.g. after a kernel restart).

        Paused jobs are resumed only with ``resume=True``; jobs whose create answer was
        lost are reported (``SubmitUnknownError``), never re-submitted. ``wait``:
        ``out=``, ``poll_interval=``, ``timeout=``, ``progress=``. On the in-process
        sandbox, jobs live as long as the Python process: a later one marks them lost
        (``batch.run`` with the same rows submits them again, for play credits).
        """
        from toolkit.jobs._batch import pick_up_flow

        return self._drive(pick_up_flow, store=store, resume=resume, **wait)

    def resume_job(self, job: str, *, store: Any = None, **wait: Any) -> Any:
        """Resume one paused job (by job id, prefix or batch id) after a top-up, and wait."""
        from toolkit.jobs._batch import resume_flow

        return self._drive(resume_flow, job, store=store, **wait)

    def _drive(self, flow: Any, *args: Any, **kw: Any) -> Any:
        """Run a workflow generator (``toolkit.jobs._drive``) with this client."""
        raise NotImplementedError  # pragma: no cover

    # shared by both wait loops
    @staticmethod
    def _progress_bar(enabled: bool, batch_id: str) -> Any:
        if not enabled:
            return None
        from tqdm.auto import tqdm

        return tqdm(desc=f"batch {batch_id}", unit="row", total=None)

    @staticmethod
    def _update_bar(bar: Any, data: Mapping[str, Any]) -> None:
        if bar is None:
            return
        total, done = data.get("total_rows"), data.get("processed_rows")
        if isinstance(total, int) and bar.total != total:
            bar.total = total
            bar.refresh()
        if isinstance(done, int) and done >= bar.n:
            bar.update(done - bar.n)
        bar.set_postfix_str(str(data.get("status", "")))


def _check_upload(size: int, rows: int) -> None:
    """Refuse, before uploading, a file the API would refuse (docs/jobs.md, "Limits")."""
    from toolkit.jobs import MAX_UPLOAD_BYTES, MAX_UPLOAD_ROWS

    if size > MAX_UPLOAD_BYTES:
        raise ArgumentError(
            f"batch_create: the file is {size / 1048576:.1f} MB, over the API's 10 MB limit; "
            "nothing was uploaded. client.batch.run(...) splits inputs into jobs that fit."
        )
    if rows > MAX_UPLOAD_ROWS:
        raise ArgumentError(
            f"batch_create: {rows} rows, over the {MAX_UPLOAD_ROWS} a batch holds; nothing was "
            "uploaded. client.batch.run(...) splits inputs into jobs that fit."
        )


def _timed_out(batch_id: str, timeout: float) -> PollTimeoutError:
    return PollTimeoutError(
        f"batch_status: {batch_id} still running after {timeout:g} s; "
        "call wait() again later (polling is free)"
    )


def _check_csv(
    content: bytes,
    column: str,
    *,
    allow_duplicates: bool = False,
    operation: str | None = None,
    argument: str = "file",
    platform: str | None = None,
) -> list[str]:
    """The values of an upload, read by the one input reader (``toolkit.jobs._read``) in the
    API's format: one ``column`` header, rows, <= 10 MB; a workbook is read too. (Here, not
    in ``toolkit._checks``: the reader is part of ``toolkit.jobs``, which the checks are below.)

    Duplicate rows are each billed, so they are refused unless
    ``allow_duplicates=True``; the message offers the de-duplicated alternative.
    """
    from toolkit.jobs._read import read_csv  # jobs imports polars: on first use only

    where = {"operation": operation, "argument": argument}
    if len(content) > _facts.MAX_UPLOAD_BYTES:
        raise ArgumentError(
            f"the file is {len(content) / 2**20:.1f} MB; the API takes at most "
            f"{_facts.MAX_UPLOAD_BYTES // 2**20} MB per batch: split the rows over several batches",
            **where,
        )
    values = read_csv(content, kind=column, strict=True, operation=operation).values
    if not allow_duplicates:
        distinct = len({same_creator(v, column, platform) for v in values})
        if distinct < len(values):
            raise ArgumentError(
                f"{len(values) - distinct} of {len(values)} rows are duplicates and each "
                f"would be billed; pass dedupe=True to send each {column} once "
                "(or allow_duplicates=True to pay for every row)",
                **where,
            )
    return values


def _deduplicated(values: list[str], kind: str, platform: str | None) -> list[str]:
    """Each creator once (first row kept; ``@``, case and profile URLs read as long jobs do)."""
    seen: set[str] = set()
    kept = []
    for value in values:
        key = same_creator(value, kind, platform)
        if key not in seen:
            seen.add(key)
            kept.append(value)
    return kept


class Batch(_BatchBase[Result]):
    """Batch enrichment for the sync client."""

    def _drive(self, flow: Any, *args: Any, **kw: Any) -> Any:
        from toolkit.jobs._drive import drive

        return drive(self._client, flow(self._client, *args, **kw))

    def wait(
        self,
        batch_id: str,
        *,
        poll_interval: float = 30.0,
        timeout: float | None = None,
        progress: bool = True,
    ) -> Result:
        """Poll ``status`` every ``poll_interval`` s until finished, failed or paused for credits.

        Returns the last status result (check ``.data["status"]``); raises ``TimeoutError``
        after ``timeout`` seconds of waiting. The API's documentation suggests polling every 30-60 s.
        """
        bar = self._progress_bar(progress, batch_id)
        waited = 0.0
        try:
            while True:
                result = self.status(batch_id)
                data = result.data or {}
                self._update_bar(bar, data)
                if data.get("status") in TERMINAL:
                    return result
                if timeout is not None and waited + poll_interval > timeout:
                    raise _timed_out(batch_id, timeout)
                self._client._sleep(poll_interval)
                waited += poll_interval
        finally:
            if bar is not None:
                bar.close()


class AsyncBatch(_BatchBase[Awaitable[Result]]):
    """Batch enrichment for the async client (methods are awaitable)."""

    def _drive(self, flow: Any, *args: Any, **kw: Any) -> Any:
        from toolkit.jobs._drive import adrive

        return adrive(self._client, flow(self._client, *args, **kw))

    async def wait(
        self,
        batch_id: str,
        *,
        poll_interval: float = 30.0,
        timeout: float | None = None,
        progress: bool = True,
    ) -> Result:
        """Await the end of a batch: see ``Batch.wait``."""
        bar = self._progress_bar(progress, batch_id)
        waited = 0.0
        try:
            while True:
                result = await self.status(batch_id)
                data = result.data or {}
                self._update_bar(bar, data)
                if data.get("status") in TERMINAL:
                    return result
                if timeout is not None and waited + poll_interval > timeout:
                    raise _timed_out(batch_id, timeout)
                await self._client._sleep(poll_interval)
                waited += poll_interval
        finally:
            if bar is not None:
                bar.close()
