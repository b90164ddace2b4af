"""Social listening subscriptions: the creators watched and what is delivered.

Paths are the project's seed (authoritative); bodies are this project's contract.
Lists are DRF pages (``{count, next, previous, results}``, ``page`` 1-based,
``page_size`` ≤ 100); ``iter(...)`` walks every page and yields items. Campaigns, events
and usage are in :mod:`toolkit.resources.listening`, which gathers them all.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
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
from toolkit._facts import LISTENING_EVENT_TYPES, LISTENING_SUBSCRIPTION_TYPES
from toolkit._reconcile import Match, create_flow
from toolkit._results import Result, drf_advance
from toolkit.credits import creators_in
from toolkit.resources._base import FileInput, R, Resource, csv_upload
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

__all__ = ["AsyncSubscriptions", "ListeningResource", "Subscriptions", "creators_payload"]

#: The create: priced and guarded before it is sent (``listening_costs``).
_OP_CREATE = "social_listening_subscriptions_create"


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


class ListeningResource(Resource[R]):
    """A listening resource (subscriptions, campaigns, events): its lists are DRF pages."""

    def _drf_pages(self, build: Callable[..., Call], page_size: int, *args: Any, **kw: Any) -> Any:
        """Every page of the list ``build(*args, page=, page_size=, **kw)`` makes, from page 1
        until the answer has no ``next`` (an iterator, or an async one, as the client drives)."""
        return self._pages(
            lambda page: build(*args, page=page, page_size=page_size, **kw), drf_advance, 1
        )


class _SubscriptionsBase(ListeningResource[R]):
    def _list_call(
        self,
        *,
        page: int | NotGiven = NOT_GIVEN,
        page_size: int | NotGiven = NOT_GIVEN,
        type: str | NotGiven = NOT_GIVEN,
    ) -> Call:
        if not isinstance(type, NotGiven):
            type = check_choice(
                type,
                LISTENING_SUBSCRIPTION_TYPES,
                operation="social_listening_subscriptions_list",
                argument="type",
            )
        return self._call(
            "social_listening_subscriptions_list",
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

    def _create_flow(
        self,
        *,
        name: str,
        platform: str,
        handles: Sequence[str] | NotGiven,
        discovery_list_ids: Sequence[int] | NotGiven,
        endpoints: Sequence[Mapping[str, Any]] | NotGiven,
        event_types: Sequence[str] | NotGiven,
        follower_threshold: int | NotGiven | None,
    ) -> Flow[Result]:
        op = _OP_CREATE
        name = check_name(name, op)
        platform = check_platform(platform, CONTENT_PLATFORMS, operation=op)
        if not isinstance(handles, NotGiven):
            handles = check_handles(handles, operation=op)
        if not isinstance(event_types, NotGiven):
            if isinstance(event_types, str):
                event_types = [event_types]
            event_types = [
                check_choice(t, LISTENING_EVENT_TYPES, operation=op, argument="event_types")
                for t in event_types
            ]
        body = {
            "name": name,
            "platform": platform,
            "handles": handles,
            "discovery_list_ids": discovery_list_ids,
            "endpoints": endpoints,
            "event_types": event_types,
            "follower_threshold": follower_threshold,
        }
        lists = 0 if isinstance(discovery_list_ids, NotGiven) else len(discovery_list_ids)
        projection = yield from guard_flow(
            self._client,
            op,
            creators=creators_in(None if isinstance(handles, NotGiven) else handles),
            end_date=None,  # a subscription runs until paused or deleted
            more=f" and those of {lists} discovery list{'s' if lists != 1 else ''}"
            if lists
            else "",
            list_subs=lambda page: self._list_call(page=page, page_size=100),
        )
        match = Match(
            list_call=lambda page: self._list_call(page=page, page_size=100),
            fields={"name": name, "platform": platform},
            paged=True,
            exclude=lambda obj: obj.get("campaign_id") is not None,
        )
        call = self._call(op, json=body)
        result = yield from create_flow(call, match)
        commit(self._client, result, projection)
        return result

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
        """POST /public/v1/social/listening/subscription/ — watch creators (handles and/or lists).

        Free, but it starts a cost per creator and day with no end date: it warns with the
        daily cost, and under a budget it is refused (docs/api.md, "Recurring costs").
        """
        flow = self._create_flow(
            name=name,
            platform=platform,
            handles=handles,
            discovery_list_ids=discovery_list_ids,
            endpoints=endpoints,
            event_types=event_types,
            follower_threshold=follower_threshold,
        )
        return self._flow(flow)

    def ensure(
        self,
        name: str,
        *,
        platform: str,
        handles: Sequence[str] | NotGiven = NOT_GIVEN,
        discovery_list_ids: Sequence[int] | NotGiven = NOT_GIVEN,
        endpoints: Sequence[Mapping[str, Any]] | NotGiven = NOT_GIVEN,
        event_types: Sequence[str] | NotGiven = NOT_GIVEN,
        follower_threshold: int | NotGiven | None = NOT_GIVEN,
    ) -> R:
        """The subscription named ``name`` on ``platform`` (outside any campaign), else a new
        one (:meth:`create`).

        Safe to re-run: an existing one is returned as it is, with a warning naming each
        setting (event types, threshold, endpoints, creators) that differs from the
        arguments; nothing is changed. Several of that name: the newest, with a warning.
        A paused one is returned too, with a warning naming its status.
        """
        flow = self._ensure_flow(
            name,
            platform=platform,
            handles=handles,
            discovery_list_ids=discovery_list_ids,
            endpoints=endpoints,
            event_types=event_types,
            follower_threshold=follower_threshold,
        )
        return self._flow(flow)

    def _ensure_flow(
        self,
        name: str,
        *,
        platform: str,
        handles: Sequence[str] | NotGiven,
        discovery_list_ids: Sequence[int] | NotGiven,
        endpoints: Sequence[Mapping[str, Any]] | NotGiven,
        event_types: Sequence[str] | NotGiven,
        follower_threshold: int | NotGiven | None,
    ) -> Flow[Result]:
        wanted = check_name(name, _OP_CREATE)
        where = check_platform(platform, CONTENT_PLATFORMS, operation=_OP_CREATE)
        listed = yield from every_row(lambda page: self._list_call(page=page, page_size=100))
        same = [
            s
            for s in listed
            if str(s.get("name", "")).strip().casefold() == wanted.casefold()
            and s.get("platform") == where
            and s.get("campaign_id") is None
        ]
        found = pick_live("subscription", wanted, same)
        if found is None:
            return (
                yield from self._create_flow(
                    name=wanted,
                    platform=where,
                    handles=handles,
                    discovery_list_ids=discovery_list_ids,
                    endpoints=endpoints,
                    event_types=event_types,
                    follower_threshold=follower_threshold,
                )
            )
        have = dict(found)
        have["endpoints"] = [
            e.get("url") for e in found.get("endpoints") or [] if isinstance(e, Mapping)
        ]
        asked: dict[str, Any] = {
            "event_types": event_types,
            "follower_threshold": follower_threshold,
            "endpoints": endpoints
            if isinstance(endpoints, NotGiven)
            else [e.get("url") if isinstance(e, Mapping) else e for e in endpoints],
        }
        if not isinstance(handles, NotGiven):
            sid = str(found["id"])
            creators = yield from every_row(
                lambda page: self._creators_call(sid, page=page, page_size=100)
            )
            have["handles"] = [c.get("handle") for c in creators]
            asked["handles"] = list(handles)
        warn_differences("subscription", found, differences(have, asked))
        resume = f"client.listening.subscriptions.update({str(found['id'])!r}, status='active')"
        warn_not_running("subscription", found, resume)
        return (yield self._get_call(str(found["id"])))

    def _get_call(self, subscription_id: str) -> Call:
        return self._call(
            "social_listening_subscriptions_get", path_params={"subscription_id": subscription_id}
        )

    def get(self, subscription_id: str) -> R:
        """GET /public/v1/social/listening/subscription/{subscription_id}/ — full detail."""
        return self._send(self._get_call(subscription_id))

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
            path_params={"subscription_id": subscription_id},
            json=body,
        )

    def delete(self, subscription_id: str) -> R:
        """DELETE /public/v1/social/listening/subscription/{subscription_id}/ — stop and remove it."""
        return self._op(
            "social_listening_subscriptions_delete",
            path_params={"subscription_id": subscription_id},
        )

    def _creators_call(
        self,
        subscription_id: str,
        *,
        page: int | NotGiven = NOT_GIVEN,
        page_size: int | NotGiven = NOT_GIVEN,
        search: str | NotGiven = NOT_GIVEN,
    ) -> Call:
        return self._call(
            "social_listening_subscription_creators_list",
            path_params={"subscription_id": subscription_id},
            query={"page": page, "page_size": page_size, "search": search},
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
        call = self._creators_call(subscription_id, page=page, page_size=page_size, search=search)
        return self._send(call)

    def add_creators(
        self,
        subscription_id: str,
        *,
        handles: Sequence[str] | NotGiven = NOT_GIVEN,
        discovery_list_ids: Sequence[int] | NotGiven = NOT_GIVEN,
        file: FileInput | None = None,
    ) -> R:
        """POST .../subscription/{subscription_id}/creators/ — add handles, lists or a CSV file.

        Each adds to the subscription's daily cost with no end date, so while a budget is
        open it is refused, nothing sent (for a campaign's creators use
        ``campaigns.add_creators``, which prices them to the campaign's end date).
        """
        budgets = self._client._budgets
        if budgets.open:
            raise RecurringCostError(
                "social_listening_subscription_creators_add",
                "more creators raise a subscription's daily cost with no end date, which no "
                "budget can hold; add a campaign's creators with "
                "client.listening.campaigns.add_creators(campaign_id, platform=...), or add "
                "these outside the budget",
                float("inf"),
                max(budgets.left or 0.0, 0.0),
            )
        return self._op(
            "social_listening_subscription_creators_add",
            path_params={"subscription_id": subscription_id},
            **creators_payload(handles, discovery_list_ids, file),
        )

    def details(self, subscription_id: str) -> R:
        """GET .../subscription/{subscription_id}/details/ — delivery stats (totals, daily)."""
        return self._op(
            "social_listening_subscription_details",
            path_params={"subscription_id": subscription_id},
        )

    def export(self, subscription_id: str) -> R:
        """GET .../subscription/{subscription_id}/details/export/ — the same stats as CSV text."""
        return self._op(
            "social_listening_subscription_details_export",
            path_params={"subscription_id": subscription_id},
            expect="text",
        )


class Subscriptions(_SubscriptionsBase[Result]):
    """Subscriptions for the sync client."""

    def iter(self, *, page_size: int = 100, type: str | NotGiven = NOT_GIVEN) -> Rows:
        """Every subscription, across pages (``.to_polars()`` converts them all)."""
        return Rows(self._drf_pages(self._list_call, page_size, type=type))


class AsyncSubscriptions(_SubscriptionsBase[Awaitable[Result]]):
    """Subscriptions for the async client."""

    def iter(self, *, page_size: int = 100, type: str | NotGiven = NOT_GIVEN) -> AsyncRows:
        """Every subscription, across pages (``async for``)."""
        return AsyncRows(self._drf_pages(self._list_call, page_size, type=type))
