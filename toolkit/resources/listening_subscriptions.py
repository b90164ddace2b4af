"""Social listening subscriptions: the creators watched and what is delivered.

Paths are the project's seed (authoritative); bodies are this project's contract.
Lists are DRF pages (``{count, next, previous, results}``, ``page`` 1-based,
``page_size`` ≤ 100); ``iter(...)`` walks every page and yields items. Campaigns, events
and usage are in :mod:`toolkit.resources.listening`, which gathers them all.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Iterator, Mapping, Sequence
from typing import Any

from toolkit._checks import CONTENT_PLATFORMS, check_handles, check_name, check_platform
from toolkit._config import NOT_GIVEN, NotGiven
from toolkit._core import Call
from toolkit._reconcile import Match
from toolkit._results import Result, drf_advance
from toolkit.resources._base import FileInput, R, Resource, arows, csv_upload, rows

__all__ = ["LISTENING", "AsyncSubscriptions", "Subscriptions", "creators_payload"]

#: The root of every social listening path.
LISTENING = "/public/v1/social/listening/"
_SUB = LISTENING + "subscription/"


def creators_payload(
    handles: Sequence[str] | NotGiven,
    discovery_list_ids: Sequence[int] | NotGiven,
    file: FileInput | None,
    platform: str | NotGiven = NOT_GIVEN,
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


class _SubscriptionsBase(Resource[R]):
    def _list_call(
        self,
        *,
        page: int | NotGiven = NOT_GIVEN,
        page_size: int | NotGiven = NOT_GIVEN,
        type: str | NotGiven = NOT_GIVEN,
    ) -> Call:
        return self._call(
            "social_listening_subscriptions_list",
            "GET",
            _SUB,
            query={"page": page, "page_size": page_size, "type": type},
        )

    def list(
        self,
        *,
        page: int | NotGiven = NOT_GIVEN,
        page_size: int | NotGiven = NOT_GIVEN,
        type: str | NotGiven = NOT_GIVEN,
    ) -> R:
        """GET /public/v1/social/listening/subscription/ — a page of subscriptions plus ``summary``."""
        return self._send(self._list_call(page=page, page_size=page_size, type=type))

    def _pages_of(self, page_size: int, type: str | NotGiven) -> Any:
        return self._pages(
            lambda page: self._list_call(page=page, page_size=page_size, type=type),
            drf_advance,
            1,
        )

    def create(
        self,
        *,
        name: str,
        platform: str,
        handles: Sequence[str] | NotGiven = NOT_GIVEN,
        discovery_list_ids: Sequence[int] | NotGiven = NOT_GIVEN,
        endpoints: Sequence[Mapping[str, Any]] | NotGiven = NOT_GIVEN,
        event_types: Sequence[str] | NotGiven = NOT_GIVEN,
        follower_threshold: int | NotGiven | None = NOT_GIVEN,
    ) -> R:
        """POST /public/v1/social/listening/subscription/ — watch creators (handles and/or lists)."""
        op = "social_listening_subscriptions_create"
        name = check_name(name, op)
        platform = check_platform(platform, CONTENT_PLATFORMS, operation=op)
        if not isinstance(handles, NotGiven):
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
        match = Match(
            list_call=lambda page: self._list_call(page=page, page_size=100),
            fields={"name": name, "platform": platform},
            paged=True,
            exclude=lambda obj: obj.get("campaign_id") is not None,
        )
        return self._create(op, "POST", _SUB, json=body, match=match)

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
        name: str | NotGiven = NOT_GIVEN,
        endpoints: Sequence[Mapping[str, Any]] | NotGiven = NOT_GIVEN,
        handles: Sequence[str] | NotGiven = NOT_GIVEN,
        status: str | NotGiven = NOT_GIVEN,
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
        page: int | NotGiven = NOT_GIVEN,
        page_size: int | NotGiven = NOT_GIVEN,
        search: str | NotGiven = NOT_GIVEN,
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
        handles: Sequence[str] | NotGiven = NOT_GIVEN,
        discovery_list_ids: Sequence[int] | NotGiven = NOT_GIVEN,
        file: FileInput | None = None,
    ) -> R:
        """POST .../subscription/{subscription_id}/creators/ — add handles, lists or a CSV file."""
        return self._op(
            "social_listening_subscription_creators_add",
            "POST",
            _SUB + "{subscription_id}/creators/",
            path_params={"subscription_id": subscription_id},
            **creators_payload(handles, discovery_list_ids, file),
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


class Subscriptions(_SubscriptionsBase[Result]):
    """Subscriptions for the sync client."""

    def iter(self, *, page_size: int = 100, type: str | NotGiven = NOT_GIVEN) -> Iterator[Any]:
        """Every subscription, across pages."""
        return rows(self._pages_of(page_size, type))


class AsyncSubscriptions(_SubscriptionsBase[Awaitable[Result]]):
    """Subscriptions for the async client."""

    def iter(self, *, page_size: int = 100, type: str | NotGiven = NOT_GIVEN) -> AsyncIterator[Any]:
        """Every subscription, across pages (``async for``)."""
        return arows(self._pages_of(page_size, type))
