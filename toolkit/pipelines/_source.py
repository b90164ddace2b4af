"""The dlt source: discovery, enrichment, campaigns and the ledger as dlt resources.

Every request goes through the toolkit's client, so the cache, budgets, rate limiter,
ledger and the ``enrich_many`` journal work as they do in a notebook: a run within the
cache's and the refresh window's time pays nothing. Tables leave as Arrow, so the
warehouse gets the same columns and types as ``toolkit.frames``.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import dlt
import polars as pl
import pyarrow as pa
from dlt.extract.source import DltSource

from toolkit._budget import Block
from toolkit._client import Client
from toolkit._exceptions import ArgumentError, BudgetExceededError
from toolkit.credits import estimate
from toolkit.jobs._inputs import InputError, normalise_handle

__all__ = ["DATA_RESOURCES", "Run", "build", "source"]

#: the resources that load data; ``ledger`` is extracted after them (see ``run``)
DATA_RESOURCES = ("creators", "enrichment", "campaign_creators", "campaign_content", "events")
#: the keys each kind of table is merged on
_CREATOR_KEY = ("platform", "user_id")
_PROFILE_KEY = ("platform", "username")
_CAMPAIGN_ROW_KEY = ("campaign_id", "id")
#: rows per page of a campaign's creators, content and events
PAGE_SIZE = 100


@dataclass
class Run:
    """What one source instance did: the budget block it spends under and why it stopped."""

    client: Client
    block: Block | None
    ledger_start: int
    stop_reasons: list[str] = field(default_factory=list)
    skipped_fresh: int = 0
    progress: bool = False
    #: the ``run_id`` column of this run's ledger rows
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex)

    def paid(self, fn: Any, *args: Any, **kw: Any) -> Any:
        """Call ``fn`` under this run's budget (entered per call: dlt interleaves resources)."""
        if self.block is None:
            return fn(*args, **kw)
        with self.block:
            return fn(*args, **kw)

    @property
    def left(self) -> float | None:
        """Credits left in the run's budget (``None``: no budget)."""
        return None if self.block is None else self.block.budget.left


def _search_specs(searches: Sequence[Any]) -> list[dict[str, Any]]:
    """Saved-search files (``DiscoveryForm.save``) or dicts, as ``search`` keyword sets."""
    specs = []
    for s in searches:
        spec = json.loads(Path(s).read_text(encoding="utf-8")) if isinstance(s, str | Path) else s
        if not isinstance(spec, Mapping) or "platform" not in spec:
            raise ArgumentError(
                f"a search is a saved-search file or a dict with 'platform' and 'filters'; "
                f"got {s!r}"
            )
        specs.append(dict(spec))
    return specs


def _arrow(df: pl.DataFrame, keys: Sequence[str]) -> Any:
    """A polars frame as Arrow for dlt: categoricals as plain strings (dlt has no enum
    type), ``keys`` declared non-null as dlt declares merge and primary keys."""
    cats = [c for c, t in df.schema.items() if isinstance(t, pl.Categorical | pl.Enum)]
    if cats:
        df = df.with_columns(pl.col(cats).cast(pl.String))
    missing = df.filter(pl.any_horizontal(pl.col(list(keys)).is_null())).height if keys else 0
    if missing:
        raise ValueError(f"{missing} rows without {', '.join(keys)}: they cannot be merged")
    table = df.to_arrow()
    schema = pa.schema([f.with_nullable(False) if f.name in keys else f for f in table.schema])
    return table.cast(schema)


def source(client: Client, **kw: Any) -> DltSource:
    """A dlt source over ``client`` (docs/pipelines.md); the keywords are :func:`build`'s."""
    return build(client, **kw)[0]


def build(
    client: Client,
    *,
    searches: Sequence[Any] = (),
    handles: Sequence[str] = (),
    platform: str = "instagram",
    mode: str = "full",
    campaigns: Sequence[str] = (),
    refresh_after: timedelta = timedelta(days=30),
    budget: float | None = None,
    progress: bool = False,
) -> tuple[DltSource, Run]:
    """A dlt source over ``client`` and the :class:`Run` that records what it spends.

    ``searches``: saved-search files or dicts (``platform``, ``filters``, ``limit``,
    ``sort_by``, ``sort_order``; ``max_results`` crawls pages). ``handles`` are enriched on
    ``platform`` in ``mode`` and re-enriched only once older than ``refresh_after``.
    ``campaigns``: listening campaign ids, loaded incrementally. ``budget`` caps the credits
    of the run; a refusal stops the resource cleanly (what was paid is loaded).
    ``progress`` shows ``enrich_many``'s bar.
    """
    if mode not in ("full", "profile", "analytics", "raw"):
        raise ArgumentError(f"mode={mode!r}: one of 'full', 'profile', 'analytics', 'raw'")
    specs = _search_specs(searches)
    run = Run(
        client,
        client.budget(budget) if budget is not None else None,
        len(client.ledger),
        progress=progress,
    )

    @dlt.source(name="influencers_club")
    def influencers_club() -> Any:
        return [
            dlt.resource(
                _creators(run, specs),
                name="creators",
                write_disposition="merge",
                primary_key=_CREATOR_KEY,
            ),
            dlt.resource(
                _enrichment(run, list(handles), platform, mode, refresh_after),
                name="enrichment",
                write_disposition={"disposition": "merge", "strategy": "delete-insert"},
                merge_key=_PROFILE_KEY,
            ),
            dlt.resource(
                _campaign_creators(run, list(campaigns)),
                name="campaign_creators",
                write_disposition="merge",
                primary_key=_CAMPAIGN_ROW_KEY,
            ),
            campaign_content(run, list(campaigns)),
            events(run, list(campaigns)),
            dlt.resource(_ledger(run), name="ledger", write_disposition="append"),
        ]

    return influencers_club(), run


def _creators(run: Run, specs: list[dict[str, Any]]) -> Iterator[Any]:
    for spec in specs:
        kw = {k: spec[k] for k in ("filters", "sort_by", "sort_order") if spec.get(k) is not None}
        try:
            if spec.get("max_results") is not None:
                page = run.paid(
                    run.client.discovery.search_all,
                    spec["platform"],
                    max_results=int(spec["max_results"]),
                    limit=int(spec.get("limit") or 50),
                    confirm=True,  # the run's budget is the guard here
                    **kw,
                )
            else:
                page = run.paid(
                    run.client.discovery.search,
                    spec["platform"],
                    limit=int(spec.get("limit") or 25),
                    **kw,
                )
        except BudgetExceededError as exc:
            run.stop_reasons.append(f"creators: {exc}")
            return
        df = page.to_polars()
        if "platform" not in df.columns:
            df = df.with_columns(pl.lit(spec["platform"]).alias("platform"))
        if df.height:
            yield _arrow(df, _CREATOR_KEY)


def _due(
    state: dict[str, Any], handles: list[str], platform: str, refresh_after: timedelta
) -> tuple[list[str], int]:
    """The canonical handles not enriched within ``refresh_after``, and how many were fresh."""
    done = state.setdefault("enriched_at", {})
    now = datetime.now(UTC)
    due: list[str] = []
    fresh = 0
    for h in handles:
        try:
            value = normalise_handle(str(h), platform)
        except InputError:
            due.append(str(h))  # enrich_many files it under failures, with the reason
            continue
        at = done.get(f"{platform}:{value}")
        if at and now - datetime.fromisoformat(at) < refresh_after:
            fresh += 1
        elif value not in due:
            due.append(value)
    return due, fresh


def _enrichment(
    run: Run, handles: list[str], platform: str, mode: str, refresh_after: timedelta
) -> Iterator[Any]:
    if not handles:
        return
    state = dlt.current.resource_state()
    due, run.skipped_fresh = _due(state, handles, platform, refresh_after)
    price = estimate(f"enrich_handle_{mode}")
    left = run.left
    fits = len(due) if left is None or not price else int((left + 1e-9) // price)
    if fits < len(due):  # priced at the worst case: journaled answers would cost nothing
        run.stop_reasons.append(
            f"enrichment: the budget has {left:g} credits left, enough for {max(fits, 0)} "
            f"profiles; {len(due) - max(fits, 0)} handles wait for the next run"
        )
        due = due[: max(fits, 0)]
    if not due:
        return
    try:
        out = run.paid(
            run.client.creators.enrich_many,
            due,
            platform,
            mode=mode,
            progress=run.progress,
            journal_ttl=refresh_after.total_seconds(),
        )
    except BudgetExceededError as exc:
        run.stop_reasons.append(f"enrichment: {exc}")
        return
    now = datetime.now(UTC).isoformat()
    for value in out.results["value"].to_list():
        state["enriched_at"][f"{platform}:{value}"] = now
    if out.stop_reason:
        run.stop_reasons.append(f"enrichment: {out.stop_reason}")
    if out.results.height:
        for name, df in out.tables().items():
            if name != "failures" and df.height:
                yield dlt.mark.with_table_name(_arrow(df, _PROFILE_KEY), name)


def _pages(fetch: Any) -> Iterator[Any]:
    """Results of ``fetch(page)`` from page 1 while the answer says there is a next page."""
    page = 1
    while True:
        result = fetch(page)
        yield result
        if not (isinstance(result.data, Mapping) and result.data.get("next")):
            return
        page += 1


def _campaign_creators(run: Run, campaigns: list[str]) -> Iterator[Any]:
    for cid in campaigns:
        for result in _pages(
            lambda p, cid=cid: run.client.listening.campaigns.creators(
                cid, page=p, page_size=PAGE_SIZE
            )
        ):
            df = result.to_polars().creators
            if df.height:
                yield _arrow(df, _CAMPAIGN_ROW_KEY)


@dlt.resource(name="campaign_content", write_disposition="merge", primary_key=_CAMPAIGN_ROW_KEY)
def campaign_content(
    run: Run,
    campaigns: list[str],
    detected_at: Any = dlt.sources.incremental("detected_at"),  # noqa: B008 (dlt's idiom)
) -> Iterator[Any]:
    """Each campaign's posts, newest detected first, until the ones loaded before."""
    since = detected_at.last_value
    for cid in campaigns:
        for result in _pages(
            lambda p, cid=cid: run.client.listening.campaigns.content(
                cid, page=p, page_size=PAGE_SIZE, ordering="-detected_at"
            )
        ):
            df = result.to_polars().content
            if df.height:
                yield _arrow(df, _CAMPAIGN_ROW_KEY)
            if since is not None and df.height and df["detected_at"].min() < since:
                break  # older pages were loaded by an earlier run


@dlt.resource(name="events", write_disposition="merge", primary_key="id")
def events(
    run: Run,
    campaigns: list[str],
    occurred_at: Any = dlt.sources.incremental("occurred_at"),  # noqa: B008 (dlt's idiom)
) -> Iterator[Any]:
    """The events of each campaign's subscriptions (one per platform)."""
    from toolkit import frames

    for cid in campaigns:
        subs = frames.campaigns(run.client.listening.campaigns.get(cid).data).subscriptions
        for sid in subs["subscription_id"].drop_nulls().unique().sort().to_list():
            rows = list(run.client.listening.events.iter(subscription_id=sid, page_size=PAGE_SIZE))
            df = frames.events({"results": rows}).events
            if df.height:
                yield _arrow(df, ("id",))


def _ledger(run: Run) -> Iterator[Any]:
    entries = run.client.ledger.entries[run.ledger_start :]  # this run's calls only
    if entries:
        from toolkit.frames import convert

        ledger = convert("ledger", entries)
        assert isinstance(ledger, pl.DataFrame)  # the ledger is one flat table
        yield _arrow(ledger.with_columns(run_id=pl.lit(run.run_id)), ())
