"""Social listening: events, usage, what it costs, and ``Listening`` over it all.

Paths are the project's seed (authoritative); bodies are this project's contract.
Lists are DRF pages (``{count, next, previous, results}``, ``page`` 1-based,
``page_size`` ≤ 100); each resource's ``iter(...)`` walks every page and yields items (its
``.to_polars()`` converts them all). Subscriptions are in
:mod:`toolkit.resources.listening_subscriptions`, campaigns in
:mod:`toolkit.resources.listening_campaigns`, costs in
:mod:`toolkit.resources.listening_costs`.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, cast

from toolkit._call import Call
from toolkit._checks import check_choice
from toolkit._config import NOT_GIVEN, NotGiven
from toolkit._core import BaseClient
from toolkit._facts import LISTENING_EVENT_TYPES
from toolkit._results import Result
from toolkit.resources._base import R, Resource
from toolkit.resources._rows import AsyncRows, Rows
from toolkit.resources.listening_campaigns import AsyncCampaigns, Campaigns
from toolkit.resources.listening_costs import Flow, ListeningSpend, spend_flow
from toolkit.resources.listening_subscriptions import (
    AsyncSubscriptions,
    ListeningResource,
    Subscriptions,
)

__all__ = [
    "AsyncCampaigns",
    "AsyncEvents",
    "AsyncListening",
    "AsyncSubscriptions",
    "Campaigns",
    "Events",
    "Listening",
    "ListeningSpend",
    "Subscriptions",
]


class _EventsBase(ListeningResource[R]):
    def _list_call(
        self,
        *,
        page: int | NotGiven = NOT_GIVEN,
        page_size: int | NotGiven = NOT_GIVEN,
        subscription_id: str | NotGiven = NOT_GIVEN,
        type: str | NotGiven = NOT_GIVEN,
        creator: str | NotGiven = NOT_GIVEN,
    ) -> Call:
        op = "social_listening_events_list"
        if not isinstance(type, NotGiven):
            type = check_choice(type, LISTENING_EVENT_TYPES, operation=op, argument="type")
        return self._call(
            op,
            query={
                "page": page,
                "page_size": page_size,
                "subscription_id": subscription_id,
                "type": type,
                "creator": creator,
            },
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
        return self._op("social_listening_events_get", path_params={"event_id": event_id})


class Events(_EventsBase[Result]):
    """Events for the sync client."""

    def iter(
        self,
        *,
        page_size: int = 100,
        subscription_id: str | NotGiven = NOT_GIVEN,
        type: str | NotGiven = NOT_GIVEN,
        creator: str | NotGiven = NOT_GIVEN,
    ) -> Rows:
        """Every event matching the filters, across pages; ``.to_polars().events`` is the
        table of all of them."""
        return Rows(
            self._drf_pages(
                self._list_call,
                page_size,
                subscription_id=subscription_id,
                type=type,
                creator=creator,
            )
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
    ) -> AsyncRows:
        """Every event matching the filters, across pages (``async for``)."""
        return AsyncRows(
            self._drf_pages(
                self._list_call,
                page_size,
                subscription_id=subscription_id,
                type=type,
                creator=creator,
            )
        )


class _ListeningBase(Resource[R]):
    def usage(self) -> R:
        """GET /public/v1/social/listening/usage/ — limits, active counts, what remains."""
        return self._op("social_listening_usage")

    def _spend_flow(self) -> Flow[ListeningSpend]:
        def campaigns(page: int) -> Call:
            return self._call(
                "social_listening_campaigns_list", query={"page": page, "page_size": 100}
            )

        def subscriptions(page: int) -> Call:
            return self._call(
                "social_listening_subscriptions_list", query={"page": page, "page_size": 100}
            )

        return spend_flow(self._client, campaigns, subscriptions)


class Listening(_ListeningBase[Result]):
    """Social listening for the sync client: ``subscriptions``, ``campaigns``, ``events``."""

    def __init__(self, client: BaseClient[Result]) -> None:
        super().__init__(client)
        self.subscriptions = Subscriptions(client)
        self.campaigns = Campaigns(client)
        self.events = Events(client)

    def spend(self) -> ListeningSpend:
        """What listening costs: one row per campaign and stand-alone subscription (daily
        cost, days running, accrued so far, projected to its end date or "open-ended"),
        ``.total``, ``.to_polars()``. Free: it lists them, which also writes what they
        accrued since last seen to ``client.ledger`` (kind ``accrual``)."""
        # the flow returns the table, not a Result: the driver hands back what it returns
        return cast(ListeningSpend, self._flow(cast(Any, self._spend_flow())))


class AsyncListening(_ListeningBase[Awaitable[Result]]):
    """Social listening for the async client."""

    def __init__(self, client: BaseClient[Awaitable[Result]]) -> None:
        super().__init__(client)
        self.subscriptions = AsyncSubscriptions(client)
        self.campaigns = AsyncCampaigns(client)
        self.events = AsyncEvents(client)

    async def spend(self) -> ListeningSpend:
        """What listening costs (see :meth:`Listening.spend`), awaited."""
        return cast(ListeningSpend, await self._flow(cast(Any, self._spend_flow())))
