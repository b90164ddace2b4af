"""A campaign's creators, posts and events as dlt resources, each campaign with its own cursor.

Listening reads are free, so creators are read whole every run. Posts and events are
loaded from where the last run of *that campaign* (or subscription) stopped: one cursor
per resource would drop a newly added campaign's older posts.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

import dlt
import polars as pl

from ._arrow import arrow

if TYPE_CHECKING:  # pragma: no cover
    from ._source import Run

__all__ = ["CAMPAIGN_ROW_KEY", "PAGE_SIZE", "campaign_content", "campaign_creators", "events"]

#: rows per page of a campaign's creators, content and events
PAGE_SIZE = 100
#: what a campaign's creators and posts are merged on
CAMPAIGN_ROW_KEY = ("campaign_id", "id")


def _pages(fetch: Any) -> Iterator[Any]:
    """Results of ``fetch(page)`` from page 1 while the answer says there is a next page."""
    page = 1
    while True:
        result = fetch(page)
        yield result
        if not (isinstance(result.data, Mapping) and result.data.get("next")):
            return
        page += 1


def _newer(df: pl.DataFrame, column: str, since: str | None) -> pl.DataFrame:
    """Rows at or after ``since`` (the same instant again is merged away on the key)."""
    if since is None or not df.height:
        return df
    return df.filter(pl.col(column) >= datetime.fromisoformat(since))


def _latest(df: pl.DataFrame, column: str, since: str | None) -> str | None:
    """The cursor after loading ``df``: its newest ``column`` value, or ``since``."""
    newest = df[column].max() if df.height else None
    if newest is None:
        return since
    text: str = newest.isoformat()  # type: ignore[union-attr]
    return text if since is None or text > since else since


def campaign_creators(run: Run, campaigns: list[str]) -> Iterator[Any]:
    """Every page of each campaign's creators (merged on campaign and creator)."""
    for cid in campaigns:
        for result in _pages(
            lambda p, cid=cid: run.client.listening.campaigns.creators(
                cid, page=p, page_size=PAGE_SIZE
            )
        ):
            df = result.to_polars().creators
            if df.height:
                yield arrow(df, CAMPAIGN_ROW_KEY)


def campaign_content(run: Run, campaigns: list[str]) -> Iterator[Any]:
    """Each campaign's posts, newest detected first, down to where its last run stopped."""
    cursors: dict[str, str] = dlt.current.resource_state().setdefault("detected_at", {})
    for cid in campaigns:
        since = cursors.get(cid)
        newest = since
        for result in _pages(
            lambda p, cid=cid: run.client.listening.campaigns.content(
                cid, page=p, page_size=PAGE_SIZE, ordering="-detected_at"
            )
        ):
            page = result.to_polars().content
            df = _newer(page, "detected_at", since)
            if df.height:
                newest = _latest(df, "detected_at", newest)
                yield arrow(df, CAMPAIGN_ROW_KEY)
            if df.height < page.height:
                break  # this page reached what an earlier run loaded
        if newest is not None:
            cursors[cid] = newest


def events(run: Run, campaigns: list[str]) -> Iterator[Any]:
    """The events of each campaign's subscriptions, from where each one's last run stopped."""
    from toolkit import frames

    cursors: dict[str, str] = dlt.current.resource_state().setdefault("occurred_at", {})
    for cid in campaigns:
        subs = frames.campaigns(run.client.listening.campaigns.get(cid).data).subscriptions
        for sid in subs["subscription_id"].drop_nulls().unique().sort().to_list():
            rows = list(run.client.listening.events.iter(subscription_id=sid, page_size=PAGE_SIZE))
            df = _newer(frames.events({"results": rows}).events, "occurred_at", cursors.get(sid))
            if df.height:
                newest = _latest(df, "occurred_at", cursors.get(sid))
                if newest is not None:
                    cursors[sid] = newest
                yield arrow(df, ("id",))
