"""Social listening: subscriptions, campaigns, events and usage (REFERENCE.md §14).

Paths are the project's seed (authoritative); bodies are this project's contract (§14.2).
Lists are DRF pages (``{count, next, previous, results}``, ``page`` 1-based,
``page_size`` ≤ 100); each resource's ``iter(...)`` walks every page and yields items.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Iterator, Mapping, Sequence
from typing import Any

from toolkit._checks import CONTENT_PLATFORMS, check_handles, check_platform
from toolkit._config import NOT_GIVEN
from toolkit._exceptions import ArgumentError
from toolkit._reconcile import Match, guarded_create
from toolkit._results import Result, drf_advance
from toolkit.resources._base import FileInput, R, Resource, csv_upload, jsonable

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

_P = "/public/v1/social/listening/"
_SUB = _P + "subscription/"
_CMP = _P + "campaign/"
_EVT = _P + "events/"
_NG: Any = NOT_GIVEN


def _creators_payload(
    handles: Any, discovery_list_ids: Any, file: FileInput | None, platform: Any = _NG
) -> dict[str, Any]:
    """JSON ``{handles, discovery_list_ids}``, or multipart with a ``file`` (handle column)."""
    if file is None:
        return {
            "json": {
                "platform": platform,
                "handles": handles,
                "discovery_list_ids": discovery_list_ids,
            }
        }
    name, content, _ = csv_upload(file, "handle", filename="handles.csv")
    form = {"platform": platform, "handles": handles, "discovery_list_ids": discovery_list_ids}
    return {"form": form, "files": {"file": (name, content, "text/csv")}}


def _name(name: object, operation: str) -> str:
    if not isinstance(name, str) or not name.strip():
        raise ArgumentError(
            f"name must be a non-empty string, got {name!r}", operation=operation, argument="name"
        )
    return name.strip()


class _SubscriptionsBase(Resource[R]):
    def list(
        self,
        *,
        page: int = _NG,
        page_size: int = _NG,
        type: str = _NG,
    ) -> R:
        """GET /public/v1/social/listening/subscription/ — a page of subscriptions plus ``summary``."""
        return self._op(
            "social_listening_subscriptions_list",
            "GET",
            _SUB,
            query={"page": page, "page_size": page_size, "type": type},
        )

    def create(
        self,
        *,
        name: str,
        platform: str,
        handles: Sequence[str] = _NG,
        discovery_list_ids: Sequence[int] = _NG,
        endpoints: Sequence[Mapping[str, Any]] = _NG,
        event_types: Sequence[str] = _NG,
        follower_threshold: int | None = _NG,
    ) -> R:
        """POST /public/v1/social/listening/subscription/ — watch creators (handles and/or lists)."""
        op = "social_listening_subscriptions_create"
        name = _name(name, op)
        platform = check_platform(platform, CONTENT_PLATFORMS, operation=op)
        if handles is not _NG:
            handles = check_handles(handles, operation=op)
        body = {
            "name": name,
            "platform": platform,
            "handles": handles,
            "discovery_list_ids": discovery_list_ids,
            "endpoints": endpoints,
            "event_types": event_types,
            "follower_threshold": follower_threshold,
        }
        client = self._client
        match = Match(
            list_call=lambda page: client.make_call(
                "social_listening_subscriptions_list",
                "GET",
                _SUB,
                query={"page": page, "page_size": 100},
            ),
            fields={"name": name, "platform": platform},
            paged=True,
            exclude=lambda obj: obj.get("campaign_id") is not None,
        )
        return guarded_create(  # type: ignore[no-any-return]
            client, "social_listening_subscriptions_create", "POST", _SUB, json=body, match=match
        )

    def get(self, subscription_id: str) -> R:
        """GET /public/v1/social/listening/subscription/{subscription_id}/ — full detail."""
        return self._op(
            "social_listening_subscriptions_get",
            "GET",
            _SUB + "{subscription_id}/",
            path_params={"subscription_id": subscription_id},
        )

    def update(
        self,
        subscription_id: str,
        *,
        name: str = _NG,
        endpoints: Sequence[Mapping[str, Any]] = _NG,
        handles: Sequence[str] = _NG,
        status: str = _NG,
    ) -> R:
        """PATCH /public/v1/social/listening/subscription/{subscription_id}/ — partial update.

        A status change on a campaign-backed subscription is refused (400): update the campaign.
        """
        body = {"name": name, "endpoints": endpoints, "handles": handles, "status": status}
        return self._op(
            "social_listening_subscriptions_update",
            "PATCH",
            _SUB + "{subscription_id}/",
            path_params={"subscription_id": subscription_id},
            json=body,
        )

    def delete(self, subscription_id: str) -> R:
        """DELETE /public/v1/social/listening/subscription/{subscription_id}/ — stop and remove it."""
        return self._op(
            "social_listening_subscriptions_delete",
            "DELETE",
            _SUB + "{subscription_id}/",
            path_params={"subscription_id": subscription_id},
        )

    def creators(
        self,
        subscription_id: str,
        *,
        page: int = _NG,
        page_size: int = _NG,
        search: str = _NG,
    ) -> R:
        """GET .../subscription/{subscription_id}/creators/ — a page of watched creators."""
        return self._op(
            "social_listening_subscription_creators_list",
            "GET",
            _SUB + "{subscription_id}/creators/",
            path_params={"subscription_id": subscription_id},
            query={"page": page, "page_size": page_size, "search": search},
        )

    def add_creators(
        self,
        subscription_id: str,
        *,
        handles: Sequence[str] = _NG,
        discovery_list_ids: Sequence[int] = _NG,
        file: FileInput | None = None,
    ) -> R:
        """POST .../subscription/{subscription_id}/creators/ — add handles, lists or a CSV file."""
        return self._op(
            "social_listening_subscription_creators_add",
            "POST",
            _SUB + "{subscription_id}/creators/",
            path_params={"subscription_id": subscription_id},
            **_creators_payload(handles, discovery_list_ids, file),
        )

    def details(self, subscription_id: str) -> R:
        """GET .../subscription/{subscription_id}/details/ — delivery stats (totals, daily)."""
        return self._op(
            "social_listening_subscription_details",
            "GET",
            _SUB + "{subscription_id}/details/",
            path_params={"subscription_id": subscription_id},
        )

    def export(self, subscription_id: str) -> R:
        """GET .../subscription/{subscription_id}/details/export/ — the same stats as CSV text."""
        return self._op(
            "social_listening_subscription_details_export",
            "GET",
            _SUB + "{subscription_id}/details/export/",
            path_params={"subscription_id": subscription_id},
            expect="text",
        )


class _CampaignsBase(Resource[R]):
    def list(
        self, *, page: int = _NG, page_size: int = _NG, status: str = _NG, search: str = _NG
    ) -> R:
        """GET /public/v1/social/listening/campaign/ — a page of campaigns plus ``status_counts``."""
        return self._op(
            "social_listening_campaigns_list",
            "GET",
            _CMP,
            query={"page": page, "page_size": page_size, "status": status, "search": search},
        )

    def create(
        self,
        *,
        name: str,
        platforms: Sequence[str],
        content_types: Sequence[str] = _NG,
        budget: float | None = _NG,
        start_date: Any = _NG,
        end_date: Any = _NG,
        handles: Mapping[str, Sequence[str]] = _NG,
    ) -> R:
        """POST /public/v1/social/listening/campaign/ — a campaign and its per-platform subscriptions.

        ``handles`` maps platform -> handles; dates may be ``datetime.date`` objects.
        """
        op = "social_listening_campaigns_create"
        name = _name(name, op)
        if isinstance(platforms, str):
            platforms = [platforms]
        platforms = [check_platform(p, CONTENT_PLATFORMS, operation=op) for p in platforms]
        if handles is not _NG:
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
        client = self._client
        match = Match(
            list_call=lambda page: client.make_call(
                "social_listening_campaigns_list",
                "GET",
                _CMP,
                query={"page": page, "page_size": 100, "search": name},
            ),
            fields={"name": name, "platforms": list(dict.fromkeys(platforms))},
            paged=True,
        )
        return guarded_create(  # type: ignore[no-any-return]
            client, "social_listening_campaigns_create", "POST", _CMP, json=body, match=match
        )

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
        status: str = _NG,
        budget: float | None = _NG,
        content_types: Sequence[str] = _NG,
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
        page: int = _NG,
        page_size: int = _NG,
        search: str = _NG,
        platform: str = _NG,
        ordering: str = _NG,
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
        platform: str = _NG,
        handles: Sequence[str] = _NG,
        discovery_list_ids: Sequence[int] = _NG,
        file: FileInput | None = None,
    ) -> R:
        """POST .../campaign/{campaign_id}/creators/ — add creators to one of its platforms."""
        return self._op(
            "social_listening_campaign_creators_add",
            "POST",
            _CMP + "{campaign_id}/creators/",
            path_params={"campaign_id": campaign_id},
            **_creators_payload(handles, discovery_list_ids, file, platform),
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

    def overview(self, campaign_id: str, *, platform: str = _NG) -> R:
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
        page: int = _NG,
        page_size: int = _NG,
        platform: str = _NG,
        ordering: str = _NG,
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
    def list(
        self,
        *,
        page: int = _NG,
        page_size: int = _NG,
        subscription_id: str = _NG,
        type: str = _NG,
        creator: str = _NG,
    ) -> R:
        """GET /public/v1/social/listening/events/ — a page of events (new_post, bio_change, ...)."""
        return self._op(
            "social_listening_events_list",
            "GET",
            _EVT,
            query={
                "page": page,
                "page_size": page_size,
                "subscription_id": subscription_id,
                "type": type,
                "creator": creator,
            },
        )

    def get(self, event_id: str) -> R:
        """GET /public/v1/social/listening/events/{event_id}/ — payload and delivery history."""
        return self._op(
            "social_listening_events_get",
            "GET",
            _EVT + "{event_id}/",
            path_params={"event_id": event_id},
        )


# ----------------------------------------------------------------- DRF list crawls
def _drf_pages(resource: Resource[Any], page_size: Any, filters: dict[str, Any]) -> Any:
    """Every page of ``resource.list(...)`` (pages 1, 2, ...), as the client drives them."""
    calls = resource._calls()
    return resource._pages(
        lambda page: calls.list(page=page, page_size=page_size, **filters), drf_advance, 1
    )


def _walk(resource: Resource[Any], page_size: Any, filters: dict[str, Any]) -> Iterator[Any]:
    for page in _drf_pages(resource, page_size, filters):
        yield from page.rows or []


async def _awalk(
    resource: Resource[Any], page_size: Any, filters: dict[str, Any]
) -> AsyncIterator[Any]:
    async for page in _drf_pages(resource, page_size, filters):
        for item in page.rows or []:
            yield item


class Subscriptions(_SubscriptionsBase[Result]):
    """Subscriptions for the sync client."""

    def iter(self, *, page_size: int = 100, type: str = _NG) -> Iterator[Any]:
        """Every subscription, across pages."""
        return _walk(self, page_size, {"type": type})


class Campaigns(_CampaignsBase[Result]):
    """Campaigns for the sync client."""

    def iter(self, *, page_size: int = 100, status: str = _NG, search: str = _NG) -> Iterator[Any]:
        """Every campaign, across pages."""
        return _walk(self, page_size, {"status": status, "search": search})


class Events(_EventsBase[Result]):
    """Events for the sync client."""

    def iter(
        self,
        *,
        page_size: int = 100,
        subscription_id: str = _NG,
        type: str = _NG,
        creator: str = _NG,
    ) -> Iterator[Any]:
        """Every event matching the filters, across pages."""
        return _walk(
            self,
            page_size,
            {"subscription_id": subscription_id, "type": type, "creator": creator},
        )


class AsyncSubscriptions(_SubscriptionsBase[Awaitable[Result]]):
    """Subscriptions for the async client."""

    def iter(self, *, page_size: int = 100, type: str = _NG) -> AsyncIterator[Any]:
        """Every subscription, across pages (``async for``)."""
        return _awalk(self, page_size, {"type": type})


class AsyncCampaigns(_CampaignsBase[Awaitable[Result]]):
    """Campaigns for the async client."""

    def iter(
        self, *, page_size: int = 100, status: str = _NG, search: str = _NG
    ) -> AsyncIterator[Any]:
        """Every campaign, across pages (``async for``)."""
        return _awalk(self, page_size, {"status": status, "search": search})


class AsyncEvents(_EventsBase[Awaitable[Result]]):
    """Events for the async client."""

    def iter(
        self,
        *,
        page_size: int = 100,
        subscription_id: str = _NG,
        type: str = _NG,
        creator: str = _NG,
    ) -> AsyncIterator[Any]:
        """Every event matching the filters, across pages (``async for``)."""
        return _awalk(
            self,
            page_size,
            {"subscription_id": subscription_id, "type": type, "creator": creator},
        )


class _ListeningBase(Resource[R]):
    def usage(self) -> R:
        """GET /public/v1/social/listening/usage/ — limits, active counts, what remains."""
        return self._op("social_listening_usage", "GET", _P + "usage/")


class Listening(_ListeningBase[Result]):
    """Social listening for the sync client: ``subscriptions``, ``campaigns``, ``events``."""

    def __init__(self, client: Any) -> None:
        super().__init__(client)
        self.subscriptions = Subscriptions(client)
        self.campaigns = Campaigns(client)
        self.events = Events(client)


class AsyncListening(_ListeningBase[Awaitable[Result]]):
    """Social listening for the async client."""

    def __init__(self, client: Any) -> None:
        super().__init__(client)
        self.subscriptions = AsyncSubscriptions(client)
        self.campaigns = AsyncCampaigns(client)
        self.events = AsyncEvents(client)
