"""One pipeline run: the data resources, then the ledger of the calls they made."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dlt

from toolkit._client import Client
from toolkit._format import number

from ._source import DATA_RESOURCES, build

__all__ = ["RunSummary", "run"]


@dataclass
class RunSummary:
    """What a run loaded and cost: rows per table, credits spent and saved, why it stopped."""

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

    def __str__(self) -> str:
        lines = [f"loaded into {self.destination} dataset {self.dataset!r}:"]
        for table, n in sorted(self.rows.items()):
            lines.append(f"  {table:<32} {number(n):>10} rows")
        if not self.rows:
            lines.append("  (no new rows)")
        lines.append(
            f"{number(self.calls)} calls; {self.credits_spent:g} credits spent, "
            f"{self.credits_saved:g} saved by the cache; "
            f"{number(self.skipped_fresh)} creators fresh enough to skip"
        )
        lines.extend(f"stopped early: {r}" for r in self.stop_reasons)
        return "\n".join(lines)


def run(
    client: Client,
    *,
    destination: Any = "duckdb",
    dataset: str = "influencers_club",
    pipeline_name: str = "influencers_club",
    pipelines_dir: str | Path | None = None,
    **source_kw: Any,
) -> RunSummary:
    """Load ``source(client, **source_kw)`` into ``destination`` and say what it did.

    The data resources load first and the ``ledger`` resource after them, so the ledger
    table holds every call of the run (cache hits included, at cost 0).
    """
    src, info = build(client, **source_kw)
    if pipelines_dir is None:
        pipeline = dlt.pipeline(pipeline_name, destination=destination, dataset_name=dataset)
    else:
        pipeline = dlt.pipeline(
            pipeline_name, str(pipelines_dir), destination=destination, dataset_name=dataset
        )
    # PostgreSQL's preferred Arrow path is CSV, which has no lists (trend_7d, platforms, ...):
    # INSERT statements carry them as JSON instead
    postgres = pipeline.destination.destination_name == "postgres"
    rows: dict[str, int] = {}
    for selected in (DATA_RESOURCES, ("ledger",)):
        data = src.with_resources(*selected)
        if postgres:
            pipeline.run(data, loader_file_format="insert_values")
        else:
            pipeline.run(data)
        trace = pipeline.last_trace
        normalized = trace.last_normalize_info if trace is not None else None
        counts = normalized.row_counts if normalized is not None else {}
        for table, n in counts.items():
            if not table.startswith("_dlt"):
                rows[table] = rows.get(table, 0) + n
    entries = client.ledger.entries[info.ledger_start :]
    return RunSummary(
        dataset=dataset,
        destination=str(pipeline.destination.destination_name),
        rows=rows,
        credits_spent=round(sum(e["credits_cost"] or 0.0 for e in entries), 4),
        credits_saved=round(sum(float(e["credits_saved"] or 0.0) for e in entries), 4),
        calls=len(entries),
        skipped_fresh=info.skipped_fresh,
        run_id=info.run_id,
        stop_reasons=info.stop_reasons,
    )
