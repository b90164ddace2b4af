"""Social listening: campaigns, events, usage, and ``Listening`` over them all.

Paths are the project's seed (authoritative); bodies are this project's contract.
Lists are DRF pages (``{count, next, previous, results}``, ``page`` 1-based,
``page_size`` ≤ 100); each resource's ``iter(...)`` walks every page and yields items.
Subscriptions are in :mod:`toolkit.resources.listening_subscriptions`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Iterator, Mapping, Sequence
from typing import Any

from toolkit._checks import CONTENT_PLATFORMS, check_handles, check_name, check_platform
from toolkit._config import NOT_GIVEN, NotGiven
from toolkit._core import BaseClient, Call
from toolkit._reconcile import Match
from toolkit._results import Result, drf_advance
from toolkit.resources._base import FileInput, R, Resource, arows, jsonable, rows
from toolkit.resources.listening_subscriptions import (
    LISTENING,
    AsyncSubscriptions,
    Subscriptions,
    creators_payload,
)

__all__ = [
    "AsyncCampaigns",
    "AsyncEvents",
    "AsyncListening",
    "AsyncSubscriptions",
    "Campaigns",
    "Events",
    "Listening",
    "Subscriptions",
]

_CMP = LISTENING + "campaign/"
_EVT = LISTENING + "events/"


class _CampaignsBase(Resource[R]):
    def _list_call(
        self,
        *,
        page: int | NotGiven = NOT_GIVEN,
        page_size: int | NotGiven = NOT_GIVEN,
        **filters: str | NotGiven,
    ) -> Call:
        return self._call(
            "social_listening_campaigns_list",
            "GET",
            _CMP,
            query={"page": page, "page_size": page_size, **filters},
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

    def _pages_of(self, page_size: int, **filters: str | NotGiven) -> Any:
        return self._pages(
            lambda page: self._list_call(page=page, page_size=page_size, **filters),
            drf_advance,
            1,
        )

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

        ``handles`` maps platform -> handles; dates may be ``datetime.date`` objects.
        """
        op = "social_listening_campaigns_create"
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
        match = Match(
            list_call=lambda page: self._list_call(page=page, page_size=100, search=name),
            fields={"name": name, "platforms": list(dict.fromkeys(platforms))},
            paged=True,
        )
        return self._create(op, "POST", _CMP, json=body, match=match)

    def get(self, campaign_id: str) -> R:
        """GET /public/v1/social/listening/campaign/{campaign_id}/ — one campaign."""
        return self._op(
            "social_listening_campaigns_get",
            "GET",
            _CMP + "{campaign_id}/",
            path_params={"campaign_id": campaign_id},
        )

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
        return self._op(
            "social_listening_campaigns_update",
            "PATCH",
            _CMP + "{campaign_id}/",
            path_params={"campaign_id": campaign_id},
            json={"status": status, "budget": budget, "content_types": content_types},
        )

    def archive(self, campaign_id: str) -> R:
        """DELETE /public/v1/social/listening/campaign/{campaign_id}/ — soft delete, detection stops."""
        return self._op(
            "social_listening_campaigns_archive",
            "DELETE",
            _CMP + "{campaign_id}/",
            path_params={"campaign_id": campaign_id},
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
        """GET .../campaign/{campaign_id}/creators/ — per-creator posts, views, ER%, EMV, trend."""
        return self._op(
            "social_listening_campaign_creators_list",
            "GET",
            _CMP + "{campaign_id}/creators/",
            path_params={"campaign_id": campaign_id},
            query={
                "page": page,
                "page_size": page_size,
                "search": search,
                "platform": platform,
                "ordering": ordering,
            },
        )

    def add_creators(
        self,
        campaign_id: str,
        *,
        platform: str | NotGiven = NOT_GIVEN,
        handles: Sequence[str] | NotGiven = NOT_GIVEN,
        discovery_list_ids: Sequence[int] | NotGiven = NOT_GIVEN,
        file: FileInput | None = None,
    ) -> R:
        """POST .../campaign/{campaign_id}/creators/ — add creators to one of its platforms."""
        return self._op(
            "social_listening_campaign_creators_add",
            "POST",
            _CMP + "{campaign_id}/creators/",
            path_params={"campaign_id": campaign_id},
            **creators_payload(handles, discovery_list_ids, file, platform),
        )

    def remove_creators(self, campaign_id: str, *, ids: Sequence[Any]) -> R:
        """DELETE .../campaign/{campaign_id}/creators/ — by creator ``id``; unknown ids ignored."""
        return self._op(
            "social_listening_campaign_creators_remove",
            "DELETE",
            _CMP + "{campaign_id}/creators/",
            path_params={"campaign_id": campaign_id},
            json={"ids": list(ids)},
        )

    def overview(self, campaign_id: str, *, platform: str | NotGiven = NOT_GIVEN) -> R:
        """GET .../campaign/{campaign_id}/overview/ — totals, daily trends, per-platform split."""
        return self._op(
            "social_listening_campaign_overview",
            "GET",
            _CMP + "{campaign_id}/overview/",
            path_params={"campaign_id": campaign_id},
            query={"platform": platform},
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
        """GET .../campaign/{campaign_id}/content/ — the detected posts, newest first by default."""
        return self._op(
            "social_listening_campaign_content",
            "GET",
            _CMP + "{campaign_id}/content/",
            path_params={"campaign_id": campaign_id},
            query={
                "page": page,
                "page_size": page_size,
                "platform": platform,
                "ordering": ordering,
            },
        )


class _EventsBase(Resource[R]):
    def _list_call(
        self,
        *,
        page: int | NotGiven = NOT_GIVEN,
        page_size: int | NotGiven = NOT_GIVEN,
        **filters: str | NotGiven,
    ) -> Call:
        return self._call(
            "social_listening_events_list",
            "GET",
            _EVT,
            query={"page": page, "page_size": page_size, **filters},
        )

    def _pages_of(self, page_size: int, **filters: str | NotGiven) -> Any:
        return self._pages(
            lambda page: self._list_call(page=page, page_size=page_size, **filters),
            drf_advance,
            1,
        )

    def list(
        self,
        *,
        page: int | NotGiven = NOT_GIVEN,
        page_size: int | NotGiven = NOT_GIVEN,
        subscription_id: str | NotGiven = NOT_GIVEN,
        type: str | NotGiven = NOT_GIVEN,
        creator: str | NotGiven = NOT_GIVEN,
    ) -> R:
        """GET /public/v1/social/listening/events/ — a page of events (new_post, bio_change, ...)."""
        call = self._list_call(
            page=page,
            page_size=page_size,
            subscription_id=subscription_id,
            type=type,
            creator=creator,
        )
        return self._send(call)

    def get(self, event_id: str) -> R:
        """GET /public/v1/social/listening/events/{event_id}/ — payload and delivery history."""
        return self._op(
            "social_listening_events_get",
            "GET",
            _EVT + "{event_id}/",
            path_params={"event_id": event_id},
        )


class Campaigns(_CampaignsBase[Result]):
    """Campaigns for the sync client."""

    def iter(
        self,
        *,
        page_size: int = 100,
        status: str | NotGiven = NOT_GIVEN,
        search: str | NotGiven = NOT_GIVEN,
    ) -> Iterator[Any]:
        """Every campaign, across pages."""
        return rows(self._pages_of(page_size, status=status, search=search))


class AsyncCampaigns(_CampaignsBase[Awaitable[Result]]):
    """Campaigns for the async client."""

    def iter(
        self,
        *,
        page_size: int = 100,
        status: str | NotGiven = NOT_GIVEN,
        search: str | NotGiven = NOT_GIVEN,
    ) -> AsyncIterator[Any]:
        """Every campaign, across pages (``async for``)."""
        return arows(self._pages_of(page_size, status=status, search=search))


class Events(_EventsBase[Result]):
    """Events for the sync client."""

    def iter(
        self,
        *,
        page_size: int = 100,
        subscription_id: str | NotGiven = NOT_GIVEN,
        type: str | NotGiven = NOT_GIVEN,
        creator: str | NotGiven = NOT_GIVEN,
    ) -> Iterator[Any]:
        """Every event matching the filters, across pages."""
        return rows(
            self._pages_of(page_size, subscription_id=subscription_id, type=type, creator=creator)
        )


class AsyncEvents(_EventsBase[Awaitable[Result]]):
    """Events for the async client."""

    def iter(
        self,
        *,
        page_size: int = 100,
        subscription_id: str | NotGiven = NOT_GIVEN,
        type: str | NotGiven = NOT_GIVEN,
        creator: str | NotGiven = NOT_GIVEN,
    ) -> AsyncIterator[Any]:
        """Every event matching the filters, across pages (``async for``)."""
        return arows(
            self._pages_of(page_size, subscription_id=subscription_id, type=type, creator=creator)
        )


class _ListeningBase(Resource[R]):
    def usage(self) -> R:
        """GET /public/v1/social/listening/usage/ — limits, active counts, what remains."""
        return self._op("social_listening_usage", "GET", LISTENING + "usage/")


class Listening(_ListeningBase[Result]):
    """Social listening for the sync client: ``subscriptions``, ``campaigns``, ``events``."""

    def __init__(self, client: BaseClient[Result]) -> None:
        super().__init__(client)
        self.subscriptions = Subscriptions(client)
        self.campaigns = Campaigns(client)
        self.events = Events(client)


class AsyncListening(_ListeningBase[Awaitable[Result]]):
    """Social listening for the async client."""

    def __init__(self, client: BaseClient[Awaitable[Result]]) -> None:
        super().__init__(client)
        self.subscriptions = AsyncSubscriptions(client)
        self.campaigns = AsyncCampaigns(client)
        self.events = AsyncEvents(client)
