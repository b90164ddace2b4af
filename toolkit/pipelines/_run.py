"""One pipeline run: the data resources, then the ledger of the calls they made."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dlt

from toolkit._format import number

from ._ledger import forget_loaded, stash
from ._source import DATA_RESOURCES, Run, build

__all__ = ["RunSummary", "run"]

#: destinations that cannot merge: every run appends (dlt's filesystem writes plain files)
APPEND_ONLY = ("filesystem",)


@dataclass
class RunSummary:
    """What a run loaded and cost: rows per table, credits spent and saved, what failed."""

    dataset: str
    destination: str
    rows: dict[str, int]
    credits_spent: float
    credits_saved: float
    calls: int
    skipped_fresh: int
    #: the ``run_id`` of this run's rows in the ``ledger`` table
    run_id: str
    stop_reasons: list[str] = field(default_factory=list)
    #: inputs that got no profile: (input, reason, message)
    failures: list[tuple[str, str, str]] = field(default_factory=list)
    #: what calls may have cost beyond ``credits_spent``: paid answers that named no cost
    #: (priced by the client) and lost answers' worst cases (the ledger's ``uncertain_cost``)
    credits_uncertain: float = 0.0

    def __str__(self) -> str:
        lines = [f"loaded into {self.destination} dataset {self.dataset!r}:"]
        for table, n in sorted(self.rows.items()):
            lines.append(f"  {table:<32} {number(n):>10} rows")
        if not self.rows:
            lines.append("  (no new rows)")
        if self.destination in APPEND_ONLY:
            lines.append(
                "  (filesystem tables are appended, not merged: a run writes its rows again; "
                "read the latest run_id / _dlt_load_id, or load DuckDB or PostgreSQL)"
            )
        lines.append(
            f"{number(self.calls)} calls; {self.credits_spent:g} credits spent, "
            f"{self.credits_saved:g} saved by the cache; "
            f"{number(self.skipped_fresh)} profiles fresh enough to skip"
        )
        if self.credits_uncertain:
            lines.append(
                f"and up to {self.credits_uncertain:g} credits more that the API did not "
                "report (answers without a cost, or lost; the uncertain_cost column of the ledger)"
            )
        if self.failures:
            lines.append(f"{number(len(self.failures))} inputs got no profile:")
            for given, reason, message in self.failures[:10]:
                lines.append(f"  {given}: {reason}" + (f" ({message})" if message else ""))
            if len(self.failures) > 10:
                lines.append(f"  ... and {len(self.failures) - 10} more")
        lines.extend(f"stopped early: {r}" for r in self.stop_reasons)
        return "\n".join(lines)


def _load(pipeline: Any, data: Any) -> dict[str, int]:
    """Run ``data`` through ``pipeline``; the rows normalized per table (dlt's own skipped)."""
    if pipeline.destination.destination_name == "postgres":
        # PostgreSQL's preferred Arrow path is CSV, which has no lists (trend_7d,
        # platforms, ...): INSERT statements carry them as JSON instead
        pipeline.run(data, loader_file_format="insert_values")
    else:
        pipeline.run(data)
    trace = pipeline.last_trace
    normalized = trace.last_normalize_info if trace is not None else None
    counts = normalized.row_counts if normalized is not None else {}
    return {t: n for t, n in counts.items() if not t.startswith("_dlt")}


def run(
    client: Any,
    *,
    destination: Any = "duckdb",
    dataset: str = "influencers_club",
    pipeline_name: str = "influencers_club",
    pipelines_dir: str | Path | None = None,
    **source_kw: Any,
) -> RunSummary:
    """Load ``source(client, **source_kw)`` into ``destination`` and say what it did.

    The data resources load first and the ``ledger`` after them, so the ledger table holds
    every call of the run (cache hits at cost 0). If the data step fails, what it extracted
    is dropped (the journal and the cache keep every paid answer: the next run is free) and
    the ledger still loads, or waits in the store for the next run, before the error is
    raised again.
    """
    src, info = build(client, **source_kw)
    rows: dict[str, int] = {}
    try:
        if pipelines_dir is None:
            pipeline = dlt.pipeline(pipeline_name, destination=destination, dataset_name=dataset)
        else:
            pipeline = dlt.pipeline(
                pipeline_name, str(pipelines_dir), destination=destination, dataset_name=dataset
            )
        try:
            rows.update(_load(pipeline, src.with_resources(*DATA_RESOURCES)))
        except BaseException:
            _abort(pipeline)  # its state too: fresh marks and cursors stay as they were
            _load_ledger(pipeline, src, info, rows)
            raise
        _load_ledger(pipeline, src, info, rows)
    finally:
        if info.stop_following is not None:  # later calls of the client are no part of it
            info.stop_following()
            info.stop_following = None
    entries = client.ledger.entries[info.ledger_start :]
    return RunSummary(
        dataset=dataset,
        destination=str(pipeline.destination.destination_name),
        rows=rows,
        credits_spent=round(sum(e["credits_cost"] or 0.0 for e in entries), 4),
        credits_saved=round(sum(float(e["credits_saved"] or 0.0) for e in entries), 4),
        credits_uncertain=round(sum(float(e["uncertain_cost"] or 0.0) for e in entries), 4),
        calls=len(entries),
        skipped_fresh=info.skipped_fresh,
        run_id=info.run_id,
        stop_reasons=info.stop_reasons,
        failures=info.failures,
    )


def _abort(pipeline: Any) -> None:
    """Drop what a failed step left pending (dlt would load it before any new data)."""
    abort = getattr(pipeline, "abort_packages", None)  # dlt >= 1.30; older: drop_pending_...
    (abort or pipeline.drop_pending_packages)()


def _load_ledger(pipeline: Any, src: Any, info: Run, rows: dict[str, int]) -> None:
    """Load the ledger (this run's calls and any an earlier run could not load)."""
    stash(info)  # rows the store refused while they were recorded, if it did
    try:
        for table, n in _load(pipeline, src.with_resources("ledger")).items():
            rows[table] = rows.get(table, 0) + n
    except Exception:
        _abort(pipeline)  # the rows wait in the store for the next run
        raise
    forget_loaded(info)
