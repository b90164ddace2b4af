"""Batch enrichment: job status objects and the downloaded JSON results."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from typing import Any

import polars as pl

from ._batchfile import open_batch
from ._coerce import build
from ._common import csv_frame, items, one_row, param
from ._enrichment import MODES, Collector
from ._gcpause import paused_gc
from ._registry import declare
from ._tables import Tables

__all__ = ["batch_job", "batch_results"]

_STATUS = pl.Categorical
JOB = declare(
    "batch.job",
    "one batch job: create/status/resume/download responses share this table",
    [
        ("batch_id", pl.String),
        ("status", _STATUS),
        ("enrichment_mode", pl.Categorical),
        ("platform", pl.Categorical),
        ("created_at", pl.Datetime("us", "UTC")),
        ("started_at", pl.Datetime("us", "UTC")),
        ("total_rows", pl.Int64),
        ("processed_rows", pl.Int64),
        ("success_count", pl.Int64),
        ("failed_count", pl.Int64),
        ("credits_used", pl.Float64),
        ("estimated_completion", pl.Datetime("us", "UTC")),
        ("status_message", pl.String),
        ("og_input_number", pl.Int64),
        ("type_report", pl.String),
        ("message", pl.String),
        ("download_url", pl.String),
        ("filename", pl.String),
        ("expires_in", pl.Int64),
        ("expires_at", pl.Datetime("us", "UTC")),
        ("total_results", pl.Int64),
        ("invalid_records", pl.Int64),
        ("metadata", pl.String),
    ],
)
FAILURES = declare(
    "batch.failures",
    "one input row of a batch that returned no data, and why",
    [
        ("row", pl.Int64),
        ("input_value", pl.String),
        ("status", pl.Categorical),
        ("reason", pl.String),
    ],
)
RESULTS_CSV = declare(
    "batch.results_csv",
    "one row of a batch's CSV results (format=csv): columns as the file has them, as text",
    [],
)
# Row statuses that mean "no data".
_FAILED = {"not_found", "failed", "error", "invalid", "skipped", "no_data", "insufficient_credits"}


def batch_job(body: Any, params: Mapping[str, Any] | None = None) -> pl.DataFrame:
    """A batch create/status/resume/download response as a one-row ``batch.job`` frame.

    ``metadata`` (the caller's object) is kept as JSON text; ``credits_used`` arrives as a
    string and becomes a number.
    """
    if type(body) is dict and body.get("metadata") is not None:
        body = {**body, "metadata": json.dumps(body["metadata"], ensure_ascii=False, default=str)}
    add = {}
    if type(body) is dict and body.get("batch_id") is None and param(params, "batch_id"):
        add["batch_id"] = param(params, "batch_id")
    return one_row(JOB, body, **add)


CHUNK = 256
"""Records converted per chunk at most: their Python rows become typed frames, then are freed."""
CHUNK_CHARS = 1 << 22
"""... and at most this much of the file (4 M characters), so large records make small chunks."""

BatchSource = str | bytes | bytearray | memoryview | os.PathLike[str] | list[Any] | dict[str, Any]


def batch_results(
    rows: BatchSource,
    platform: str | None = None,
    *,
    mode: str = "full",
    params: Mapping[str, Any] | None = None,
) -> Tables[pl.DataFrame] | pl.DataFrame:
    """A batch's results (``[{input_value, status, enrichment_data}]``) as tables.

    ``rows`` is the file as it comes: a path, its bytes or text, or the parsed list. JSON
    or CSV is told apart by content (``[``/``{`` first); a JSON array is read and converted
    a chunk of records at a time, so memory stays bounded by the tables, not the file.
    The same tables as a single enrichment of ``mode`` for all creators together, plus
    ``failures`` (rows with no data: their input, status and reason). ``platform`` keys
    the tables; without it each row's richest platform block is taken as its platform.
    A CSV file (format=csv) is returned as one text frame.

    Example:
        >>> t = batch_results([{"input_value": "x", "status": "not_found"}], "instagram")
        >>> t.failures["status"].to_list()
        ['not_found']
    """
    if not isinstance(rows, str | bytes | bytearray | memoryview | os.PathLike):
        records: Iterable[tuple[Any, int]] = ((r, 0) for r in items(rows, "results", "data"))
    else:
        source = open_batch(rows)
        if source.kind == "csv":
            return csv_frame(RESULTS_CSV, source.text)
        records = source.sized_records()
    platform = platform or param(params, "platform")
    mode = param(params, "enrichment_mode", "mode") or mode
    if mode not in MODES:
        mode = "full"
    with paused_gc():
        return _convert(records, platform, mode)


def _convert(records: Iterable[tuple[Any, int]], platform: Any, mode: str) -> Tables[pl.DataFrame]:
    c = Collector()
    failures = []
    count = chars = 0
    for i, (r, size) in enumerate(records):
        count, chars = count + 1, chars + size
        if count > CHUNK or chars > CHUNK_CHARS:
            c.flush()
            count, chars = 1, size
        if type(r) is not dict:
            failures.append(
                {
                    "row": i,
                    "input_value": None,
                    "status": "invalid",
                    "reason": f"not an object: {type(r).__name__}",
                }
            )
            continue
        data = r.get("enrichment_data")
        status = r.get("status")
        if type(data) is dict and data and str(status).lower() not in _FAILED:
            c.creator(data, platform=platform, handle=r.get("input_value"), mode=mode)
            continue
        reason = r.get("error") or r.get("reason") or r.get("message")
        if reason is None and not data:
            reason = "no enrichment_data"
        extra = {
            k: v for k, v in r.items() if k not in ("enrichment_data", "error", "reason", "message")
        }
        failures.append({"row": i, **extra, "reason": reason})
    tables = dict(c.tables(MODES[mode]))
    tables["failures"] = build(FAILURES, failures)
    return Tables(tables)
