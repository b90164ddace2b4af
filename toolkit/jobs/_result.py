"""What ``enrich_many`` returns: every input in exactly one of ``results`` and ``failures``."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from toolkit._format import number
from toolkit.jobs._inputs import Prepared

__all__ = ["FAILURE_REASONS", "EnrichMany", "Outcome"]

#: Why an input is in ``failures`` (docs/jobs.md): fixed words, for filtering.
FAILURE_REASONS = (
    "invalid",  # refused before sending (empty, whitespace, URL of another platform ...)
    "not_found",  # the API found no creator (0 credits)
    "no_data",  # the API charged (credits_cost) but sent no creator object
    "refused",  # the API answered 400/422 for this value
    "insufficient_credits",  # 402: the account ran out; the run stopped
    "budget",  # the client's budget would be overrun; the run stopped
    "outcome_unknown",  # sent, answer lost: credits may have been charged (see message)
    "error",  # another API or connection error
    "not_attempted",  # the run stopped before this one was sent
    "interrupted",  # a stop while this one was being handled
)

_RESULTS = {
    "input": pl.String,
    "value": pl.String,
    "platform": pl.String,
    "mode": pl.String,
    "credits_cost": pl.Float64,
    "from_journal": pl.Boolean,
    "duplicate": pl.Boolean,
}
_FAILURES = {
    "input": pl.String,
    "value": pl.String,
    "reason": pl.String,
    "error": pl.String,
    "message": pl.String,
    "credits_cost": pl.Float64,  # what the API reported charging (no_data), else 0
}


@dataclass
class Outcome:
    """What happened to one canonical value: its answer, or why there is none."""

    value: str
    data: Any = None
    credits_cost: float = 0.0
    from_journal: bool = False
    credits_saved: float = 0.0  # a journaled answer: what it cost when it was bought
    reason: str | None = None
    error: str | None = None
    message: str | None = None

    @property
    def ok(self) -> bool:
        return self.reason is None


class EnrichMany:
    """The answer of ``enrich_many``.

    ``results``: one row per input that got a profile (``input`` as given, canonical
    ``value``, ``credits_cost`` paid by this run: 0 when it came from the journal or
    repeats an earlier input). ``failures``: one row per other input, with ``reason``
    (one of ``FAILURE_REASONS``), the error type and message. ``data``: the ``result``
    object per canonical value; :meth:`tables` converts them into the same tidy tables as
    a single enrichment. ``stop_reason`` says why the run stopped early, if it did.
    ``in_flight``: canonical values whose request was in flight when an earlier run stopped
    (a crash): they may have been charged; without ``retry_unknown=True`` they are in
    ``failures`` as ``outcome_unknown`` and were not sent again.
    """

    def __init__(
        self,
        results: pl.DataFrame,
        failures: pl.DataFrame,
        data: dict[str, Any],
        *,
        platform: str | None,
        mode: str,
        merged: int,
        stop_reason: str | None,
        credits_saved_by_journal: float = 0.0,
        in_flight: list[str] | None = None,
    ) -> None:
        self.results = results
        self.failures = failures
        self.data = data
        self.platform = platform
        self.mode = mode
        self.merged = merged
        self.stop_reason = stop_reason
        #: what the answers taken from the journal cost when they were bought
        self.credits_saved_by_journal = credits_saved_by_journal
        self.in_flight = list(in_flight or [])

    @classmethod
    def build(
        cls,
        prepared: Prepared,
        outcomes: Mapping[str, Outcome],
        platform: str | None,
        mode: str,
        *,
        stop_reason: str | None = None,
        in_flight: list[str] | None = None,
    ) -> EnrichMany:
        """Account for every input of ``prepared`` from the outcomes of its canonical values."""
        ok: list[dict[str, Any]] = []
        bad: list[dict[str, Any]] = []
        invalid = {i.index: i.reason for i in prepared.invalid}
        seen: set[str] = set()
        for index, (given, value) in enumerate(prepared.inputs):
            if value is None:
                bad.append(_fail(given, None, "invalid", None, invalid.get(index)))
                continue
            o = outcomes.get(value) or Outcome(value, reason="not_attempted")
            first = value not in seen
            seen.add(value)
            if o.ok:
                ok.append(
                    {
                        "input": given,
                        "value": value,
                        "platform": platform,
                        "mode": mode,
                        "credits_cost": o.credits_cost if first else 0.0,
                        "from_journal": o.from_journal,
                        "duplicate": not first,
                    }
                )
            else:
                cost = o.credits_cost if first else 0.0
                bad.append(_fail(given, value, o.reason, o.error, o.message, cost))
        data = {v: o.data for v, o in outcomes.items() if o.ok}
        return cls(
            pl.DataFrame(ok, schema=_RESULTS),
            pl.DataFrame(bad, schema=_FAILURES),
            data,
            platform=platform,
            mode=mode,
            merged=prepared.duplicates,
            stop_reason=stop_reason,
            credits_saved_by_journal=round(
                sum(o.credits_saved for o in outcomes.values() if o.ok and o.from_journal), 4
            ),
            in_flight=in_flight,
        )

    @property
    def credits_spent(self) -> float:
        """Credits this run paid (journaled answers from earlier runs are free), answers
        without data that the API charged for (``no_data`` failures) included."""
        paid = float(self.results["credits_cost"].sum() or 0.0)
        return paid + float(self.failures["credits_cost"].sum() or 0.0)

    def tables(self) -> Any:
        """The profiles as tidy tables (``toolkit.frames``): ``creator``, ``posts``, ...

        Email lookups give one ``email_match`` table.
        """
        from toolkit import frames

        if self.mode == "email":
            parts = [frames.email_match({"result": d}, {"email": e}) for e, d in self.data.items()]
            return pl.concat(parts, how="diagonal_relaxed") if parts else frames.email_match({})
        rows = [
            {"input_value": v, "status": "success", "enrichment_data": d}
            for v, d in self.data.items()
        ]
        return frames.batch_results(rows, self.platform, mode=self.mode)

    def failure_table(self) -> pl.DataFrame:
        """``failures`` in the batch workflow's ``failures`` columns (row, input_value, ...)."""
        from toolkit import frames

        rows = [
            {"row": i, "input_value": r["input"], "status": r["reason"], "reason": r["message"]}
            for i, r in enumerate(self.failures.iter_rows(named=True))
        ]
        empty = frames.TABLES["batch.failures"].empty()
        return pl.DataFrame(rows, schema=empty.schema) if rows else empty

    def write_parquet(self, out: str | Path) -> list[Path]:
        """Write the tables, the failures and the raw answers under ``out`` (docs/jobs.md).

        The same layout as the batch workflow, so either way of enriching feeds the same
        queries; the part name is derived from the inputs, so writing again replaces it.
        """
        from toolkit.jobs._output import write_raw, write_tables

        out = Path(out)
        inputs = sorted(self.results["input"].to_list() + self.failures["input"].to_list())
        digest = hashlib.sha256(
            json.dumps([self.mode, self.platform, inputs]).encode()
        ).hexdigest()[:12]
        part = f"many-{digest}"
        write_raw(self.data, out, part)
        return write_tables(self.all_tables(), out, part)

    def all_tables(self) -> Any:
        """:meth:`tables` and the failures (the batch workflow's columns), as one ``Tables``."""
        from toolkit.frames import Tables

        tables = self.tables()
        named = dict(tables.items()) if hasattr(tables, "items") else {"email_match": tables}
        named["failures"] = self.failure_table()
        return Tables(named)

    def to_excel(self, path: str | Path) -> Path:
        """Write one sheet per non-empty table, failures included, to an ``.xlsx`` workbook
        (``Tables.to_excel``: times in UTC without the zone, nested values as JSON text)."""
        written: Path = self.all_tables().to_excel(path)
        return written

    def to_csv(self, folder: str | Path) -> list[Path]:
        """Write ``folder/<table>.csv`` per non-empty table, failures included."""
        written: list[Path] = self.all_tables().to_csv(folder)
        return written

    def to_pandas(self) -> tuple[Any, Any]:
        """``(results, failures)`` as pandas DataFrames."""
        return self.results.to_pandas(), self.failures.to_pandas()

    def __len__(self) -> int:
        return self.results.height + self.failures.height

    def __repr__(self) -> str:
        stop = f", stopped: {self.stop_reason}" if self.stop_reason else ""
        if self.in_flight:
            stop += f", {number(len(self.in_flight))} in flight when an earlier run stopped"
        return (
            f"<EnrichMany {self.mode}: {number(self.results.height)} enriched, "
            f"{number(self.failures.height)} failed, {number(self.merged)} duplicates merged, "
            f"{number(self.credits_spent)} credits{stop}>"
        )

    def _repr_html_(self) -> str:
        head = repr(self).strip("<>")
        return f"<p>{head}</p>" + self.failures.head(10)._repr_html_()


def _fail(
    given: str,
    value: str | None,
    reason: str | None,
    error: str | None,
    message: str | None,
    credits_cost: float = 0.0,
) -> dict[str, Any]:
    return {
        "input": given,
        "value": value,
        "reason": reason,
        "error": error,
        "message": message,
        "credits_cost": credits_cost,
    }
