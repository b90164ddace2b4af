"""The dlt source: discovery, enrichment, campaigns and the ledger as dlt resources.

Every request goes through the toolkit's client, so the cache, budgets, rate limiter,
ledger and the ``enrich_many`` journal work as they do in a notebook: a run within the
cache's and the refresh window's time pays nothing. Tables leave as Arrow, so the
warehouse gets the columns of ``toolkit.frames``.
"""

from __future__ import annotations

import hashlib
import json
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import dlt
import polars as pl
from dlt.extract.source import DltSource

from toolkit import _facts
from toolkit._budget import Block
from toolkit._checks import check_platform
from toolkit._client import Client
from toolkit._config import NOT_GIVEN
from toolkit._exceptions import ArgumentError, ArgumentTypeError, BudgetExceededError
from toolkit.credits import estimate
from toolkit.jobs import InputError, normalise_handle

from ._arrow import arrow
from ._campaigns import CAMPAIGN_ROW_KEY, campaign_content, campaign_creators, events
from ._ledger import follow, ledger

__all__ = ["DATA_RESOURCES", "MODES", "Run", "build", "source"]

#: the resources that load data; ``ledger`` is extracted after them (see ``run``)
DATA_RESOURCES = ("creators", "enrichment", "campaign_creators", "campaign_content", "events")
#: the enrichment tiers a pipeline loads (e-mail lookups have their own table shape)
MODES = ("full", "profile", "analytics", "raw")
#: what discovery rows and profile rows are merged on
_CREATOR_KEY = ("search", "platform", "user_id")
_PROFILE_KEY = ("platform", "username")


@dataclass
class Run:
    """What one source instance did: its budget, why it stopped, what it could not load."""

    client: Client
    block: Block | None
    ledger_start: int
    stop_reasons: list[str] = field(default_factory=list)
    #: inputs ``enrich_many`` filed under failures: (input, reason, message)
    failures: list[tuple[str, str, str]] = field(default_factory=list)
    skipped_fresh: int = 0
    progress: bool = False
    #: the ``run_id`` column of this run's ledger rows
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    #: the ledger rows (store keys under the account) the ledger step read
    loaded_rows: list[str] = field(default_factory=list)
    #: stops writing the client's calls to the store (``pipelines.run`` calls it at the end)
    stop_following: Callable[[], None] | None = None

    def paid(self, fn: Any, *args: Any, **kw: Any) -> Any:
        """Call ``fn`` under this run's budget (entered per call: dlt interleaves resources)."""
        if self.block is None:
            return fn(*args, **kw)
        with self.block:
            return fn(*args, **kw)

    @property
    def left(self) -> float | None:
        """Credits left: the least of the run's budget and the client's open ones."""
        known = [x for x in (self.client.budget_left,) if x is not None]
        if self.block is not None:
            known.append(self.block.budget.left)
        return min(known) if known else None


def _search_name(given: Any, spec: Mapping[str, Any]) -> str:
    """What the ``search`` column says: a saved search's file name, else a digest of it."""
    if isinstance(given, str | Path):
        return Path(given).stem
    text = json.dumps(spec, sort_keys=True, default=str)
    return "search-" + hashlib.sha256(text.encode()).hexdigest()[:10]


def _search_specs(client: Client, searches: Sequence[Any]) -> list[dict[str, Any]]:
    """Saved-search files (``DiscoveryForm.save``) or dicts, checked as the client checks
    a search (platform, filters, sort) before anything of the run is paid for."""
    specs = []
    for s in searches:
        spec = json.loads(Path(s).read_text(encoding="utf-8")) if isinstance(s, str | Path) else s
        if not isinstance(spec, Mapping) or "platform" not in spec:
            raise ArgumentError(
                f"a search is a saved-search file or a dict with 'platform' and 'filters'; "
                f"got {s!r}"
            )
        spec = {**spec, "search": _search_name(s, spec)}
        client.discovery._search_call(  # builds (and so checks) the request; sends nothing
            spec["platform"],
            spec.get("filters"),
            spec.get("sort_by", NOT_GIVEN),
            spec.get("sort_order", NOT_GIVEN),
            int(spec.get("limit") or _facts.DISCOVERY_MAX_LIMIT),
            None,
        )
        specs.append(spec)
    return specs


def _sequence(value: Any, name: str) -> list[str]:
    """A list of strings from ``value``; one string alone is refused (it is not a list)."""
    if isinstance(value, str):
        raise ArgumentTypeError(f"{name}= takes a list; did you mean {name}=[{value!r}]?")
    return [str(v) for v in value]


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
    ``progress`` shows ``enrich_many``'s bar. Every argument, search and campaign id is
    checked here, before the run pays for anything.
    """
    ledger_start = len(client.ledger)  # the checks below are calls of the run too
    if mode not in MODES:
        raise ArgumentError(f"mode={mode!r}: one of {', '.join(map(repr, MODES))}")
    handle_list = _sequence(handles, "handles")
    campaign_ids = _sequence(campaigns, "campaigns")
    if handle_list:
        platform = check_platform(
            platform, _facts.ENRICH_PLATFORMS, operation=f"enrich_handle_{mode}"
        )
    specs = _search_specs(client, searches)
    for cid in campaign_ids:
        client.listening.campaigns.get(cid)  # free; an unknown id raises NotFoundError now
    run = Run(
        client,
        client.budget(budget) if budget is not None else None,
        ledger_start,
        progress=progress,
    )

    @dlt.source(name="influencers_club")
    def influencers_club() -> Any:
        return [
            dlt.resource(
                _following(run, _creators(run, specs)),
                name="creators",
                write_disposition="merge",
                primary_key=_CREATOR_KEY,
            ),
            dlt.resource(
                _following(run, _enrichment(run, handle_list, platform, mode, refresh_after)),
                name="enrichment",
                write_disposition={"disposition": "merge", "strategy": "delete-insert"},
                merge_key=_PROFILE_KEY,
            ),
            dlt.resource(
                _following(run, campaign_creators(run, campaign_ids)),
                name="campaign_creators",
                write_disposition="merge",
                primary_key=CAMPAIGN_ROW_KEY,
            ),
            dlt.resource(
                _following(run, campaign_content(run, campaign_ids)),
                name="campaign_content",
                write_disposition="merge",
                primary_key=CAMPAIGN_ROW_KEY,
            ),
            dlt.resource(
                _following(run, events(run, campaign_ids)),
                name="events",
                write_disposition="merge",
                primary_key="id",
            ),
            dlt.resource(
                _following(run, ledger(run)),
                name="ledger",
                # a row loaded twice (its run killed between load and clean-up) replaces itself;
                # nullable: a ledger table an earlier version appended has rows without one
                write_disposition={"disposition": "merge", "strategy": "delete-insert"},
                merge_key="row_id",
                columns={"row_id": {"data_type": "text", "nullable": True}},
            ),
        ]

    return influencers_club(), run


_FOLLOW_LOCK = threading.Lock()


def _following(run: Run, rows: Iterator[Any]) -> Iterator[Any]:
    """``rows``, once dlt starts extracting them: from then on each call of the client
    reaches the store as it is recorded (:func:`follow`), so a killed run's calls still
    load. A source that is built but never run follows nothing, so the notebook's own
    later calls never pass for a pipeline's spend."""
    with _FOLLOW_LOCK:
        if run.stop_following is None:
            run.stop_following = follow(run)
    yield from rows


def _creators(run: Run, specs: list[dict[str, Any]]) -> Iterator[Any]:
    for spec in specs:
        kw = {k: spec[k] for k in ("filters", "sort_by", "sort_order") if spec.get(k) is not None}
        try:
            if spec.get("max_results") is not None:
                page = run.paid(
                    run.client.discovery.search_all,
                    spec["platform"],
                    max_results=int(spec["max_results"]),
                    limit=int(spec.get("limit") or _facts.DISCOVERY_MAX_LIMIT),
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
        assert isinstance(df, pl.DataFrame)  # a discovery page is one table
        if "platform" not in df.columns:
            df = df.with_columns(pl.lit(spec["platform"]).alias("platform"))
        if df.height:
            yield arrow(df.with_columns(search=pl.lit(spec["search"])), _CREATOR_KEY)


def _due(
    state: dict[str, Any], handles: list[str], key: str, platform: str, refresh_after: timedelta
) -> tuple[list[str], int]:
    """The canonical handles not enriched (under ``key``: platform and mode) within
    ``refresh_after``, and how many were fresh."""
    done = state.setdefault("enriched_at", {})
    now = datetime.now(UTC)
    due: list[str] = []
    fresh = 0
    for h in handles:
        try:
            value = normalise_handle(h, platform)
        except InputError:
            due.append(h)  # enrich_many files it under failures, with the reason
            continue
        at = done.get(f"{key}:{value}")
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
    key = f"{platform}:{mode}"
    due, run.skipped_fresh = _due(state, handles, key, platform, refresh_after)
    price = estimate(f"enrich_handle_{mode}", prices=run.client.prices)
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
    # an answer from the journal may be as old as refresh_after already: not marked fresh,
    # so the next run asks the journal again (free) until the journal lets it go
    for value in out.results.filter(~pl.col("from_journal"))["value"].to_list():
        state["enriched_at"][f"{key}:{value}"] = now
    run.failures.extend(
        (r["input"], r["reason"], r["message"] or "") for r in out.failures.iter_rows(named=True)
    )
    if out.stop_reason:
        run.stop_reasons.append(f"enrichment: {out.stop_reason}")
    if out.results.height:
        for name, df in out.tables().items():
            if name != "failures" and df.height:
                yield dlt.mark.with_table_name(arrow(df, _PROFILE_KEY), name)
