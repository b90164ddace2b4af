"""The ``ledger`` resource: every call of a run, kept in the store until it is loaded.

A run whose data step fails has still paid for what it fetched (the journal and the cache
keep those answers, so the next run is free). Its ledger rows wait in the client's store
under ``NAMESPACE`` and load with the next successful ledger step, so the warehouse shows
what the data cost even when the run that paid for it did not load.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import polars as pl

from ._arrow import arrow

if TYPE_CHECKING:  # pragma: no cover
    from ._source import Run

__all__ = ["NAMESPACE", "forget_loaded", "ledger", "stash"]

NAMESPACE = "pipeline_ledger"


def _store(run: Run) -> Any:
    from toolkit.jobs._journal import client_store

    return client_store(run.client)


def _prefix(run: Run) -> str:
    return run.client.identity_fingerprint + "/"


def stash(run: Run) -> None:
    """Keep this run's ledger rows in the store until :func:`forget_loaded` (after a load)."""
    entries = run.client.ledger.entries[run.ledger_start :]
    if entries:
        rows = [{**e, "run_id": run.run_id} for e in entries]
        body = json.dumps(rows, default=str).encode()
        _store(run).put(NAMESPACE, _prefix(run) + run.run_id, body, ttl=None)


def ledger(run: Run) -> Iterator[Any]:
    """This run's calls and those of earlier runs whose ledger never loaded."""
    from toolkit.frames import convert

    rows: list[dict[str, Any]] = []
    for _key, body in _store(run).items(NAMESPACE, prefix=_prefix(run)):
        rows.extend(json.loads(body))
    run.loaded_runs = sorted({r["run_id"] for r in rows})
    if rows:
        table = convert("ledger", [{k: v for k, v in r.items() if k != "run_id"} for r in rows])
        assert isinstance(table, pl.DataFrame)  # the ledger is one flat table
        ids = pl.Series("run_id", [r["run_id"] for r in rows], dtype=pl.String)
        yield arrow(table.with_columns(ids), ())


def forget_loaded(run: Run) -> None:
    """Drop the stashed rows that the last ledger step loaded."""
    store = _store(run)
    for run_id in run.loaded_runs:
        store.delete(NAMESPACE, _prefix(run) + run_id)
