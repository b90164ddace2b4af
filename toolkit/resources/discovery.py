"""Discovery: search creators by filters, find similar creators, crawl pages.

Filters are validated against ``toolkit.filters`` *before* sending: the real API silently
ignores unknown keys and charges for the unfiltered result, so a typo must cost
nothing. Paid per creator returned (0.01 each).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from dataclasses import replace
from typing import Any, Generic, TypeVar, cast

from toolkit import _facts
from toolkit._call import Call
from toolkit._checks import DISCOVERY_PLATFORMS, check_handle, check_int, check_platform
from toolkit._config import NOT_GIVEN, NotGiven
from toolkit._exceptions import ArgumentError, ArgumentTypeError, CostNotConfirmedError
from toolkit._results import MAX_REACHABLE, Page, Result, discovery_advance
from toolkit.credits import crawl_page_size, crawl_reach
from toolkit.filters import (
    SIMILAR_PLATFORMS,
    FilterError,
    dictionary_refs,
    validate_filters,
    validate_sort,
)
from toolkit.filters._values import Checked, ValueRef, acheck_values, apply_fixes, check_values
from toolkit.resources._base import R, Resource

__all__ = ["AsyncDiscovery", "Discovery"]

MAX_LIMIT = _facts.DISCOVERY_MAX_LIMIT
#: what search and similar return: a Page (sync client) or an awaitable of one (async)
P = TypeVar("P")


class _DiscoveryBase(Resource[R], Generic[R, P]):
    # ----------------------------------------------------------------- call builders
    def _page(self, page: int | None, limit: int) -> dict[str, int]:
        base = self._client.config.page_base
        page = base if page is None else check_int(page, "page")
        limit = check_int(limit, "limit")
        if not 1 <= limit <= MAX_LIMIT:
            raise ArgumentError(f"limit must be 1-{MAX_LIMIT}, got {limit}")
        if page < base:
            raise ArgumentError(f"page must be >= {base} (page_base={base})")
        if (page - base) * limit >= MAX_REACHABLE:
            raise ArgumentError(
                f"page {page} starts past result {MAX_REACHABLE}, which the API refuses"
            )
        return {"limit": limit, "page": page}

    def _search_call(
        self,
        platform: str,
        filters: Mapping[str, Any] | None,
        sort_by: Any,
        sort_order: Any,
        limit: int,
        page: int | None,
    ) -> Call:
        platform = check_platform(platform, DISCOVERY_PLATFORMS, operation="discovery_search")
        wire_filters = validate_filters(platform, filters)
        body: dict[str, Any] = {"platform": platform, "paging": self._page(page, limit)}
        if sort_by is not NOT_GIVEN or sort_order is not NOT_GIVEN:
            by = "relevancy" if sort_by is NOT_GIVEN else sort_by
            order = "desc" if sort_order is NOT_GIVEN else sort_order
            validate_sort(platform, by, order)
            body["sort"] = {"sort_by": by, "sort_order": order}
        if wire_filters:
            body["filters"] = wire_filters
        return self._call("discovery_search", json=body, estimate_params={"limit": limit})

    def _similar_call(
        self,
        platform: str,
        username: Any,
        url: Any,
        id: Any,
        filters: Mapping[str, Any] | None,
        limit: int,
        page: int | None,
    ) -> Call:
        given = {
            k: v
            for k, v in (("username", username), ("url", url), ("id", id))
            if v is not NOT_GIVEN
        }
        if len(given) != 1:
            raise ArgumentTypeError("similar() needs exactly one of username=, url= or id=")
        platform = check_platform(
            platform, SIMILAR_PLATFORMS, operation="discovery_similar_creators"
        )
        ((key, value),) = given.items()
        if key != "id" or not isinstance(value, int):
            value = check_handle(value, operation="discovery_similar_creators", argument=key)
        body: dict[str, Any] = {
            "platform": platform,
            "filter_key": key,
            "filter_value": str(value),
            "paging": self._page(page, limit),
        }
        wire_filters = validate_filters(platform, filters)
        if wire_filters:
            body["filters"] = wire_filters
        return self._call("discovery_similar_creators", json=body, estimate_params={"limit": limit})

    def _value_refs(self, call: Call) -> tuple[str, list[ValueRef]]:
        """The platform and the dictionary-backed filter values of a built call."""
        body = call.json if isinstance(call.json, Mapping) else {}
        if not self._client.config.check_filter_values:
            return body.get("platform", ""), []
        return body["platform"], dictionary_refs(body["platform"], body.get("filters") or {})

    @staticmethod
    def _checked_call(call: Call, platform: str, checked: Checked) -> Call:
        """``call`` once its values passed: :class:`FilterError` if some did not, and the
        dictionary's spelling sent for a value that differed in case or spacing only."""
        if checked.problems:
            raise FilterError(platform, checked.problems)
        body = call.json if isinstance(call.json, Mapping) else {}
        if not checked.fixes or not isinstance(body.get("filters"), Mapping):
            return call
        return replace(call, json={**body, "filters": apply_fixes(body["filters"], checked.fixes)})

    @staticmethod
    def _fixing(build: Callable[[int, int], Call], fixes: Checked) -> Callable[[int, int], Call]:
        """``build`` whose calls carry the spellings ``fixes`` holds (filled before page 1)."""

        def fixed(page: int, size: int) -> Call:
            return _DiscoveryBase._checked_call(build(page, size), "", fixes)

        return fixed

    def _crawl_plan(self, limit: int, max_results: int | None) -> int:
        """Page size of a crawl (:func:`~toolkit.credits.crawl_page_size`)."""
        if max_results is None:
            return limit
        if max_results < 1:
            raise ArgumentError("max_results must be >= 1")
        return crawl_page_size(limit, max_results)

    def _precheck(self, operation: str, limit: int, max_results: int | None, confirm: bool) -> None:
        """Before the first page: a crawl bounded by ``max_results`` must fit the budget, and
        one whose worst case is over ``config.confirm_over`` needs ``confirm=True`` or a
        budget that covers that worst case (a smaller one would stop the crawl midway, its
        pages paid and the merged result lost). The worst case counts whole pages."""
        reach = MAX_REACHABLE if max_results is None else crawl_reach(limit, max_results)
        probe = self._call(operation, estimate_params={"limit": reach})
        if max_results is not None:
            self._client._check_budget(probe)
        over = self._client.config.confirm_over
        left = self._client.budget_left
        covered = left is not None and left + 1e-9 >= probe.estimate
        if confirm or covered or over is None or probe.estimate <= over:
            return
        bound = "no max_results" if max_results is None else f"max_results={max_results:,}"
        raise CostNotConfirmedError(
            f"{operation}: a crawl of up to {reach:,} creators ({bound})",
            probe.estimate,
            left,
            hint="Pass max_results= to ask for fewer (a budget that covers them lets the "
            "crawl go), or confirm=True to spend it; ClientConfig(confirm_over=) sets the "
            "threshold.",
        )

    def _crawl(
        self,
        build: Callable[[int, int], Call],
        operation: str,
        limit: int,
        max_results: int | None,
        start: int | None,
        confirm: bool = False,
    ) -> Any:
        """The pages of a discovery crawl (sync or async iterator, as the client drives it)."""
        size = self._crawl_plan(limit, max_results)  # refuses max_results < 1
        self._precheck(operation, limit, max_results, confirm)
        base = self._client.config.page_base
        advance = discovery_advance(limit=size, page_base=base, max_results=max_results)
        return self._pages(
            lambda page: build(page, size), advance, base if start is None else start
        )

    # ----------------------------------------------------------------- single calls
    def search(
        self,
        platform: str,
        *,
        filters: Mapping[str, Any] | None = None,
        sort_by: str | NotGiven = NOT_GIVEN,
        sort_order: str | NotGiven = NOT_GIVEN,
        limit: int = 20,
        page: int | None = None,
    ) -> P:
        """POST /public/v1/discovery/ — one page of creators matching platform filters.

        Costs 0.01 per creator returned. ``page`` defaults to the client's ``page_base``
        (0: see docs/api.md, "Choices where the sources disagree"). Raises ``FilterError`` (nothing sent) on a filter the API would ignore.

        >>> client.discovery.search("instagram", filters={"number_of_followers": {"min": 50000}},
        ...                         sort_by="engagement_rate", limit=10)  # doctest: +SKIP
        """
        call = self._search_call(platform, filters, sort_by, sort_order, limit, page)
        return cast(P, self._send(call))  # a paged operation: the client answers a Page

    def similar(
        self,
        platform: str,
        *,
        username: str | NotGiven = NOT_GIVEN,
        url: str | NotGiven = NOT_GIVEN,
        id: str | NotGiven = NOT_GIVEN,
        filters: Mapping[str, Any] | None = None,
        limit: int = 20,
        page: int | None = None,
    ) -> P:
        """POST /public/v1/discovery/creators/similar/ — lookalikes of one creator.

        Identify the creator by exactly one of ``username=``, ``url=`` or ``id=`` (sent as
        ``filter_key``/``filter_value``). 0.01 per creator returned; relevance order.
        """
        call = self._similar_call(platform, username, url, id, filters, limit, page)
        return cast(P, self._send(call))  # a paged operation: the client answers a Page


class Discovery(_DiscoveryBase[Result, Page]):
    """Discovery for the sync :class:`~toolkit.Client`."""

    def _check_values(self, call: Call, into: Checked | None = None) -> Call:
        """Refuse, before paying, filter values their dictionaries do not hold; the call
        with the dictionaries' spellings (kept in ``into`` for a crawl's later pages)."""
        platform, refs = self._value_refs(call)
        checked = check_values(self._client, platform, refs)
        if into is not None:
            into.fixes.update(checked.fixes)
        return self._checked_call(call, platform, checked)

    def _send(self, call: Call) -> Result:
        return super()._send(self._check_values(call))

    def iter_pages(
        self,
        platform: str,
        *,
        filters: Mapping[str, Any] | None = None,
        sort_by: str | NotGiven = NOT_GIVEN,
        sort_order: str | NotGiven = NOT_GIVEN,
        limit: int = MAX_LIMIT,
        max_results: int | None = None,
        start_page: int | None = None,
        confirm: bool = False,
    ) -> Iterator[Page]:
        """Yield discovery pages until ``max_results``, ``total``, the 10,000 cap or a short page.

        Each page is paid as it is fetched; stop iterating to stop paying.
        """

        def build(page: int, size: int) -> Call:
            return self._search_call(platform, filters, sort_by, sort_order, size, page)

        fixes = Checked()
        pages: Iterator[Page] = self._crawl(  # refuses an unconfirmed cost before any lookup
            self._fixing(build, fixes), "discovery_search", limit, max_results, start_page, confirm
        )
        self._check_values(build(self._client.config.page_base, 1), fixes)  # before page 1
        return pages

    def search_all(self, platform: str, *, max_results: int | None = None, **kw: Any) -> Page:
        """Every page of a search (see :meth:`iter_pages`) merged into one :class:`Page`."""
        return _merge(list(self.iter_pages(platform, max_results=max_results, **kw)), max_results)

    def iter_similar_pages(
        self,
        platform: str,
        *,
        limit: int = MAX_LIMIT,
        max_results: int | None = None,
        start_page: int | None = None,
        filters: Mapping[str, Any] | None = None,
        confirm: bool = False,
        **who: Any,
    ) -> Iterator[Page]:
        """Pages of :meth:`similar` (pass ``username=``/``url=``/``id=``), bounded like search."""

        def build(page: int, size: int) -> Call:
            return self._similar_call(
                platform,
                who.get("username", NOT_GIVEN),
                who.get("url", NOT_GIVEN),
                who.get("id", NOT_GIVEN),
                filters,
                size,
                page,
            )

        fixes = Checked()
        pages: Iterator[Page] = self._crawl(  # refuses an unconfirmed cost before any lookup
            self._fixing(build, fixes),
            "discovery_similar_creators",
            limit,
            max_results,
            start_page,
            confirm,
        )
        self._check_values(build(self._client.config.page_base, 1), fixes)  # before paying
        return pages

    def similar_all(self, platform: str, *, max_results: int | None = None, **kw: Any) -> Page:
        """Every page of :meth:`similar` merged into one :class:`Page`."""
        return _merge(
            list(self.iter_similar_pages(platform, max_results=max_results, **kw)), max_results
        )


class AsyncDiscovery(_DiscoveryBase[Awaitable[Result], Awaitable[Page]]):
    """Discovery for the :class:`~toolkit.AsyncClient` (methods are awaitable)."""

    async def _check_values(self, call: Call, into: Checked | None = None) -> Call:
        """Refuse, before paying, filter values their dictionaries do not hold; the call
        with the dictionaries' spellings (kept in ``into`` for a crawl's later pages)."""
        platform, refs = self._value_refs(call)
        checked = await acheck_values(self._client, platform, refs)
        if into is not None:
            into.fixes.update(checked.fixes)
        return self._checked_call(call, platform, checked)

    async def _send(self, call: Call) -> Result:
        return await super()._send(await self._check_values(call))

    def _checked(
        self, first: Call, pages: AsyncIterator[Page], fixes: Checked
    ) -> AsyncIterator[Page]:
        """``pages``, with the filter values of ``first`` checked before the first page."""

        async def checked() -> AsyncIterator[Page]:
            await self._check_values(first, fixes)
            async for page in pages:
                yield page

        return checked()

    def iter_pages(
        self,
        platform: str,
        *,
        filters: Mapping[str, Any] | None = None,
        sort_by: str | NotGiven = NOT_GIVEN,
        sort_order: str | NotGiven = NOT_GIVEN,
        limit: int = MAX_LIMIT,
        max_results: int | None = None,
        start_page: int | None = None,
        confirm: bool = False,
    ) -> AsyncIterator[Page]:
        """``async for page in aclient.discovery.iter_pages(...)``: see ``Discovery.iter_pages``."""

        def build(page: int, size: int) -> Call:
            return self._search_call(platform, filters, sort_by, sort_order, size, page)

        first = build(self._client.config.page_base, 1)  # bad arguments raise here
        fixes = Checked()
        crawl = self._crawl(
            self._fixing(build, fixes), "discovery_search", limit, max_results, start_page, confirm
        )
        return self._checked(first, crawl, fixes)

    async def search_all(self, platform: str, *, max_results: int | None = None, **kw: Any) -> Page:
        """Every page of a search merged into one :class:`Page`."""
        pages = [p async for p in self.iter_pages(platform, max_results=max_results, **kw)]
        return _merge(pages, max_results)

    def iter_similar_pages(
        self,
        platform: str,
        *,
        limit: int = MAX_LIMIT,
        max_results: int | None = None,
        start_page: int | None = None,
        filters: Mapping[str, Any] | None = None,
        confirm: bool = False,
        **who: Any,
    ) -> AsyncIterator[Page]:
        """Pages of :meth:`similar`, bounded like search."""

        def build(page: int, size: int) -> Call:
            return self._similar_call(
                platform,
                who.get("username", NOT_GIVEN),
                who.get("url", NOT_GIVEN),
                who.get("id", NOT_GIVEN),
                filters,
                size,
                page,
            )

        first = build(self._client.config.page_base, 1)  # bad arguments raise here
        fixes = Checked()
        crawl = self._crawl(
            self._fixing(build, fixes),
            "discovery_similar_creators",
            limit,
            max_results,
            start_page,
            confirm,
        )
        return self._checked(first, crawl, fixes)

    async def similar_all(
        self, platform: str, *, max_results: int | None = None, **kw: Any
    ) -> Page:
        """Every page of :meth:`similar` merged into one :class:`Page`."""
        pages = [p async for p in self.iter_similar_pages(platform, max_results=max_results, **kw)]
        return _merge(pages, max_results)


def _merge(pages: list[Page], max_results: int | None) -> Page:
    """One result holding the accounts of every page (costs summed, last balance kept).

    Rows past ``max_results`` (at most one per page, see ``_crawl_plan``) are dropped from
    ``accounts`` but the cost of every page stays counted in ``credits_cost``; pages the
    cache answered count 0 there and their original cost in ``credits_saved``.
    """
    first, last = pages[0], pages[-1]
    accounts: list[Any] = []
    for p in pages:
        accounts.extend((p.data or {}).get("accounts") or [])
    if max_results is not None:
        accounts = accounts[:max_results]
    data = dict(last.data or {})
    data["accounts"] = accounts
    costs = [p.credits_cost for p in pages if p.credits_cost is not None]
    data["credits_cost"] = round(sum(costs), 4) if costs else data.get("credits_cost")
    return Page(
        data=data,
        operation=first.operation,
        params={**first.params, "pages": len(pages)},
        status_code=last.status_code,
        attempts=sum(p.attempts for p in pages),
        credits_cost=data["credits_cost"] if costs else None,
        credits_left=last.credits_left,
        trial_searches_left=last.trial_searches_left,
        request_id=last.request_id,
        cached=all(p.cached for p in pages),
        credits_saved=round(sum(p.credits_saved for p in pages), 4),
    )
