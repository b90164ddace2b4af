"""Social listening campaigns: create (its recurring cost guarded), ensure, read, every post.

Paths are the project's seed (authoritative); bodies are this project's contract. Lists
are DRF pages (``{count, next, previous, results}``, ``page`` 1-based, ``page_size`` ≤ 100);
``iter``, ``iter_content`` and ``iter_creators`` walk every page. A create is free but
starts a cost per creator and day (``toolkit.resources.listening_costs``); ``ensure``
returns the live campaign of that name instead of creating a second one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Mapping, Sequence
from typing import Any

from toolkit._call import Call
from toolkit._checks import (
    CONTENT_PLATFORMS,
    check_choice,
    check_handles,
    check_name,
    check_platform,
)
from toolkit._config import NOT_GIVEN, NotGiven
from toolkit._facts import (
    LISTENING_CAMPAIGN_STATUSES,
    LISTENING_CONTENT_ORDERING,
    LISTENING_CREATOR_ORDERING,
)
from toolkit._reconcile import Match, create_flow
from toolkit._results import Result
from toolkit.credits import creators_in
from toolkit.resources._base import FileInput, R, csv_upload, jsonable
from toolkit.resources._rows import AsyncRows, Rows
from toolkit.resources._same import (
    differences,
    pick_live,
    warn_differences,
    warn_not_running,
)
from toolkit.resources.listening_costs import (
    Flow,
    RecurringCostError,
    commit,
    every_row,
    guard_flow,
)
from toolkit.resources.listening_subscriptions import ListeningResource, creators_payload

__all__ = ["AsyncCampaigns", "Campaigns"]

_OP_CREATE = "social_listening_campaigns_create"


class _CampaignsBase(ListeningResource[R]):
    def _list_call(
        self,
        *,
        page: int | NotGiven = NOT_GIVEN,
        page_size: int | NotGiven = NOT_GIVEN,
        status: str | NotGiven = NOT_GIVEN,
        search: str | NotGiven = NOT_GIVEN,
    ) -> Call:
        if not isinstance(status, NotGiven):
            status = check_choice(
                status,
                LISTENING_CAMPAIGN_STATUSES,
                operation="social_listening_campaigns_list",
                argument="status",
            )
        return self._call(
            "social_listening_campaigns_list",
            query={"page": page, "page_size": page_size, "status": status, "search": search},
        )

    def _subs_call(self, page: int) -> Call:
        return self._call(
            "social_listening_subscriptions_list", query={"page": page, "page_size": 100}
        )

    def list(
        self,
        *,
        page: int | NotGiven = NOT_GIVEN,
        page_size: int | NotGiven = NOT_GIVEN,
        status: str | NotGiven = NOT_GIVEN,
        search: str | NotGiven = NOT_GIVEN,
    ) -> R:
        """GET /public/v1/social/listening/campaign/ — a page of campaigns plus ``status_counts``."""
        call = self._list_call(page=page, page_size=page_size, status=status, search=search)
        return self._send(call)

    def _create_flow(
        self,
        *,
        name: str,
        platforms: Sequence[str],
        content_types: Sequence[str] | NotGiven,
        budget: float | NotGiven | None,
        start_date: Any,
        end_date: Any,
        handles: Mapping[str, Sequence[str]] | NotGiven,
    ) -> Flow[Result]:
        op = _OP_CREATE
        name = check_name(name, op)
        if isinstance(platforms, str):
            platforms = [platforms]
        platforms = [check_platform(p, CONTENT_PLATFORMS, operation=op) for p in platforms]
        if not isinstance(handles, NotGiven):
            handles = {
                check_platform(p, platforms, operation=op, argument="handles"): check_handles(
                    hs, operation=op, argument=f"handles[{p!r}]"
                )
                for p, hs in handles.items()
            }
        body = {
            "name": name,
            "platforms": list(platforms),
            "content_types": content_types,
            "budget": budget,
            "start_date": jsonable(start_date),
            "end_date": jsonable(end_date),
            "handles": handles,
        }
        end = None if isinstance(end_date, NotGiven) else end_date
        projection = yield from guard_flow(
            self._client,
            op,
            creators=creators_in(None if isinstance(handles, NotGiven) else handles),
            end_date=end,
            start_date=None if isinstance(start_date, NotGiven) else start_date,
            list_subs=self._subs_call,
        )
        match = Match(
            list_call=lambda page: self._list_call(page=page, page_size=100, search=name),
            fields={"name": name, "platforms": list(dict.fromkeys(platforms))},
            paged=True,
        )
        call = self._call(op, json=body)
        result = yield from create_flow(call, match)
        commit(self._client, result, projection)
        return result

    def create(
        self,
        *,
        name: str,
        platforms: Sequence[str],
        content_types: Sequence[str] | NotGiven = NOT_GIVEN,
        budget: float | NotGiven | None = NOT_GIVEN,
        start_date: Any | NotGiven = NOT_GIVEN,
        end_date: Any | NotGiven = NOT_GIVEN,
        handles: Mapping[str, Sequence[str]] | NotGiven = NOT_GIVEN,
    ) -> R:
        """POST /public/v1/social/listening/campaign/ — a campaign and its per-platform subscriptions.

        ``handles`` maps platform -> handles; dates may be ``datetime.date`` objects. Free,
        but it starts a cost per creator and day until ``end_date``: under a budget it is
        refused without an end date or when its projection does not fit; without one, an
        open-ended campaign warns with its daily cost (docs/api.md, "Recurring costs").
        ``budget`` is the campaign's own field (credits); the API does not say it stops
        the campaign, so ``listening.spend()`` flags a campaign that passed it.
        """
        flow = self._create_flow(
            name=name,
            platforms=platforms,
            content_types=content_types,
            budget=budget,
            start_date=start_date,
            end_date=end_date,
            handles=handles,
        )
        return self._flow(flow)

    def ensure(
        self,
        name: str,
        *,
        platforms: Sequence[str],
        content_types: Sequence[str] | NotGiven = NOT_GIVEN,
        budget: float | NotGiven | None = NOT_GIVEN,
        start_date: Any | NotGiven = NOT_GIVEN,
        end_date: Any | NotGiven = NOT_GIVEN,
        handles: Mapping[str, Sequence[str]] | NotGiven = NOT_GIVEN,
    ) -> R:
        """The live (not archived) campaign named ``name``, else a new one (:meth:`create`).

        Safe to re-run: an existing campaign is returned as it is, with a warning naming
        each setting (platforms, dates, budget, content types, creators) that differs from
        the arguments; nothing is changed. Several of that name: the newest, with a warning.
        A paused or completed one is returned too, with a warning naming its status.
        """
        flow = self._ensure_flow(
            name,
            platforms=platforms,
            content_types=content_types,
            budget=budget,
            start_date=start_date,
            end_date=end_date,
            handles=handles,
        )
        return self._flow(flow)

    def _ensure_flow(
        self,
        name: str,
        *,
        platforms: Sequence[str],
        content_types: Sequence[str] | NotGiven,
        budget: float | NotGiven | None,
        start_date: Any,
        end_date: Any,
        handles: Mapping[str, Sequence[str]] | NotGiven,
    ) -> Flow[Result]:
        wanted = check_name(name, _OP_CREATE)
        listed = yield from every_row(
            lambda page: self._list_call(page=page, page_size=100, search=wanted)
        )
        same = [
            c
            for c in listed
            if str(c.get("name", "")).strip().casefold() == wanted.casefold()
            and c.get("status") != "archived"
        ]
        found = pick_live("campaign", wanted, same)
        if found is None:
            return (
                yield from self._create_flow(
                    name=wanted,
                    platforms=platforms,
                    content_types=content_types,
                    budget=budget,
                    start_date=start_date,
                    end_date=end_date,
                    handles=handles,
                )
            )
        asked = {
            "platforms": [platforms] if isinstance(platforms, str) else list(platforms),
            "content_types": content_types,
            "budget": budget,
            "start_date": NOT_GIVEN if isinstance(start_date, NotGiven) else jsonable(start_date),
            "end_date": NOT_GIVEN if isinstance(end_date, NotGiven) else jsonable(end_date),
        }
        diffs = differences(found, asked)
        if not isinstance(handles, NotGiven):
            cid = str(found["id"])
            creators = yield from every_row(
                lambda page: self._creators_call(cid, page=page, page_size=100)
            )
            for platform, hs in handles.items():
                have = [c.get("handle") for c in creators if c.get("platform") == platform]
                diffs += differences(
                    {f"handles[{platform!r}]": have}, {f"handles[{platform!r}]": list(hs)}
                )
        warn_differences("campaign", found, diffs)
        resume = f"client.listening.campaigns.update({str(found['id'])!r}, status='active')"
        warn_not_running("campaign", found, resume)
        return (yield self._get_call(str(found["id"])))

    def _get_call(self, campaign_id: str) -> Call:
        return self._call(
            "social_listening_campaigns_get", path_params={"campaign_id": campaign_id}
        )

    def get(self, campaign_id: str) -> R:
        """GET /public/v1/social/listening/campaign/{campaign_id}/ — one campaign."""
        return self._send(self._get_call(campaign_id))

    def update(
        self,
        campaign_id: str,
        *,
        status: str | NotGiven = NOT_GIVEN,
        budget: float | NotGiven | None = NOT_GIVEN,
        content_types: Sequence[str] | NotGiven = NOT_GIVEN,
    ) -> R:
        """PATCH /public/v1/social/listening/campaign/{campaign_id}/ — pause/resume, budget, types.

        Resuming runs a credit check (402 when short); archived/completed campaigns refuse edits.
        """
        if not isinstance(status, NotGiven):
            status = check_choice(
                status,
                ("active", "paused"),
                operation="social_listening_campaigns_update",
                argument="status",
            )
        return self._op(
            "social_listening_campaigns_update",
            path_params={"campaign_id": campaign_id},
            json={"status": status, "budget": budget, "content_types": content_types},
        )

    def archive(self, campaign_id: str) -> R:
        """DELETE /public/v1/social/listening/campaign/{campaign_id}/ — soft delete, detection stops."""
        return self._op(
            "social_listening_campaigns_archive", path_params={"campaign_id": campaign_id}
        )

    def _campaign_list_call(
        self,
        op: str,
        campaign_id: str,
        orderings: Sequence[str],
        ordering: str | NotGiven,
        **query: int | str | NotGiven,
    ) -> Call:
        """One page of a campaign's list ``op`` (its creators, its posts): ``ordering`` one
        of ``orderings`` ('-' first for descending), checked before sending."""
        if not isinstance(ordering, NotGiven):
            ordering = check_choice(
                ordering, orderings, operation=op, argument="ordering", signed=True
            )
        return self._call(
            op,
            path_params={"campaign_id": campaign_id},
            query={**query, "ordering": ordering},
        )

    def _creators_call(
        self,
        campaign_id: str,
        *,
        page: int | NotGiven = NOT_GIVEN,
        page_size: int | NotGiven = NOT_GIVEN,
        search: str | NotGiven = NOT_GIVEN,
        platform: str | NotGiven = NOT_GIVEN,
        ordering: str | NotGiven = NOT_GIVEN,
    ) -> Call:
        return self._campaign_list_call(
            "social_listening_campaign_creators_list",
            campaign_id,
            LISTENING_CREATOR_ORDERING,
            ordering,
            page=page,
            page_size=page_size,
            search=search,
            platform=platform,
        )

    def creators(
        self,
        campaign_id: str,
        *,
        page: int | NotGiven = NOT_GIVEN,
        page_size: int | NotGiven = NOT_GIVEN,
        search: str | NotGiven = NOT_GIVEN,
        platform: str | NotGiven = NOT_GIVEN,
        ordering: str | NotGiven = NOT_GIVEN,
    ) -> R:
        """GET .../campaign/{campaign_id}/creators/ — a page of per-creator posts, views, ER%,
        EMV and 7-day trend (``iter_creators`` walks every page)."""
        call = self._creators_call(
            campaign_id,
            page=page,
            page_size=page_size,
            search=search,
            platform=platform,
            ordering=ordering,
        )
        return self._send(call)

    def add_creators(
        self,
        campaign_id: str,
        *,
        platform: str | NotGiven = NOT_GIVEN,
        handles: Sequence[str] | NotGiven = NOT_GIVEN,
        discovery_list_ids: Sequence[int] | NotGiven = NOT_GIVEN,
        file: FileInput | None = None,
    ) -> R:
        """POST .../campaign/{campaign_id}/creators/ — add creators to one of its platforms.

        Each adds to the campaign's daily cost: while a budget is open, the added creators'
        cost to the campaign's end date is projected first (the campaign is read) and the
        add refused, nothing sent, when it does not fit (docs/api.md, "Recurring costs").
        """
        call = self._call(
            "social_listening_campaign_creators_add",
            path_params={"campaign_id": campaign_id},
            **creators_payload(handles, discovery_list_ids, file, platform),
        )
        if not self._client._budgets.open:
            return self._send(call)
        return self._flow(self._guarded_add(campaign_id, call, handles, discovery_list_ids, file))

    def _guarded_add(
        self,
        campaign_id: str,
        call: Call,
        handles: Sequence[str] | NotGiven,
        discovery_list_ids: Sequence[int] | NotGiven,
        file: FileInput | None,
    ) -> Flow[Result]:
        op = call.operation
        if not isinstance(discovery_list_ids, NotGiven) and discovery_list_ids:
            raise RecurringCostError(
                op,
                "under a budget the added creators must be priced, and a discovery list's "
                "size is not known before sending; add its handles instead",
                0.0,
                max(self._client._budgets.left or 0.0, 0.0),
            )
        added = creators_in(None if isinstance(handles, NotGiven) else handles)
        if file is not None:
            added += csv_upload(file, "handle")[2]
        campaign = yield self._get_call(campaign_id)
        data = campaign.data if isinstance(campaign.data, Mapping) else {}
        projection = yield from guard_flow(
            self._client,
            op,
            creators=added,
            end_date=data.get("end_date"),
            list_subs=self._subs_call,
        )
        result = yield call
        if projection is not None:
            self._client._budgets.commit(campaign_id, float(projection))
        return result

    def remove_creators(self, campaign_id: str, *, ids: Sequence[Any]) -> R:
        """DELETE .../campaign/{campaign_id}/creators/ — by creator ``id``; unknown ids ignored."""
        return self._op(
            "social_listening_campaign_creators_remove",
            path_params={"campaign_id": campaign_id},
            json={"ids": list(ids)},
        )

    def overview(self, campaign_id: str, *, platform: str | NotGiven = NOT_GIVEN) -> R:
        """GET .../campaign/{campaign_id}/overview/ — totals, daily trends, per-platform split."""
        return self._op(
            "social_listening_campaign_overview",
            path_params={"campaign_id": campaign_id},
            query={"platform": platform},
        )

    def _content_call(
        self,
        campaign_id: str,
        *,
        page: int | NotGiven = NOT_GIVEN,
        page_size: int | NotGiven = NOT_GIVEN,
        platform: str | NotGiven = NOT_GIVEN,
        ordering: str | NotGiven = NOT_GIVEN,
    ) -> Call:
        return self._campaign_list_call(
            "social_listening_campaign_content",
            campaign_id,
            LISTENING_CONTENT_ORDERING,
            ordering,
            page=page,
            page_size=page_size,
            platform=platform,
        )

    def content(
        self,
        campaign_id: str,
        *,
        page: int | NotGiven = NOT_GIVEN,
        page_size: int | NotGiven = NOT_GIVEN,
        platform: str | NotGiven = NOT_GIVEN,
        ordering: str | NotGiven = NOT_GIVEN,
    ) -> R:
        """GET .../campaign/{campaign_id}/content/ — ONE page of the detected posts (20 unless
        ``page_size``, newest first); ``iter_content`` walks every page."""
        call = self._content_call(
            campaign_id, page=page, page_size=page_size, platform=platform, ordering=ordering
        )
        return self._send(call)


class Campaigns(_CampaignsBase[Result]):
    """Campaigns for the sync client."""

    def iter(
        self,
        *,
        page_size: int = 100,
        status: str | NotGiven = NOT_GIVEN,
        search: str | NotGiven = NOT_GIVEN,
    ) -> Rows:
        """Every campaign, across pages (``.to_polars()`` converts them all)."""
        return Rows(self._drf_pages(self._list_call, page_size, status=status, search=search))

    def iter_content(
        self,
        campaign_id: str,
        *,
        page_size: int = 100,
        platform: str | NotGiven = NOT_GIVEN,
        ordering: str | NotGiven = NOT_GIVEN,
    ) -> Rows:
        """Every post the campaign detected, across pages; ``.to_polars().content`` is the
        complete table ``charts.top_content`` ranks."""
        return Rows(
            self._drf_pages(
                self._content_call, page_size, campaign_id, platform=platform, ordering=ordering
            )
        )

    def iter_creators(
        self,
        campaign_id: str,
        *,
        page_size: int = 100,
        search: str | NotGiven = NOT_GIVEN,
        platform: str | NotGiven = NOT_GIVEN,
        ordering: str | NotGiven = NOT_GIVEN,
    ) -> Rows:
        """Every creator of the campaign with their totals, across pages."""
        return Rows(
            self._drf_pages(
                self._creators_call,
                page_size,
                campaign_id,
                search=search,
                platform=platform,
                ordering=ordering,
            )
        )


class AsyncCampaigns(_CampaignsBase[Awaitable[Result]]):
    """Campaigns for the async client (methods are awaitable; ``iter*`` are ``async for``)."""

    def iter(
        self,
        *,
        page_size: int = 100,
        status: str | NotGiven = NOT_GIVEN,
        search: str | NotGiven = NOT_GIVEN,
    ) -> AsyncRows:
        """Every campaign, across pages (``async for``; ``await .to_polars()``)."""
        return AsyncRows(self._drf_pages(self._list_call, page_size, status=status, search=search))

    def iter_content(
        self,
        campaign_id: str,
        *,
        page_size: int = 100,
        platform: str | NotGiven = NOT_GIVEN,
        ordering: str | NotGiven = NOT_GIVEN,
    ) -> AsyncRows:
        """Every post the campaign detected, across pages (``async for``)."""
        return AsyncRows(
            self._drf_pages(
                self._content_call, page_size, campaign_id, platform=platform, ordering=ordering
            )
        )

    def iter_creators(
        self,
        campaign_id: str,
        *,
        page_size: int = 100,
        search: str | NotGiven = NOT_GIVEN,
        platform: str | NotGiven = NOT_GIVEN,
        ordering: str | NotGiven = NOT_GIVEN,
    ) -> AsyncRows:
        """Every creator of the campaign, across pages (``async for``)."""
        return AsyncRows(
            self._drf_pages(
                self._creators_call,
                page_size,
                campaign_id,
                search=search,
                platform=platform,
                ordering=ordering,
            )
        )
