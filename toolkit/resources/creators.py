"""Creators: enrichment by handle or email, connected socials, audience overlap, content.

Every operation here is paid; the price of each is in
``toolkit.credits``. Handle enrichment comes in four tiers, chosen with ``mode=``:

=========  ======  ===============================================================
mode       price   what comes back
=========  ======  ===============================================================
full       1       identity, email, every platform block, audience (IG/TT/YT)
profile    0.2     identity and contact subset (email, counts, bio, links)
analytics  0.8     audience, medians, brand affinity, growth, lookalikes
raw        0.03    the platform block as scraped
=========  ======  ===============================================================
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Literal

from toolkit._call import Call
from toolkit._checks import (
    ANALYTICS_PLATFORMS,
    CONTENT_PLATFORMS,
    FULL_PLATFORMS,
    PROFILE_PLATFORMS,
    check_email,
    check_handle,
    check_handles,
    check_int,
    check_platform,
)
from toolkit._config import NOT_GIVEN, NotGiven
from toolkit._exceptions import ArgumentError, ArgumentTypeError
from toolkit._results import Result, no_pages, posts_advance
from toolkit.planning import OverlapMatrix, ReachPlan, arun, prepare_matrix, prepare_plan, run
from toolkit.resources._base import R, Resource

if TYPE_CHECKING:  # pragma: no cover
    from toolkit.jobs import EnrichMany

__all__ = ["MODE_PLATFORMS", "AsyncCreators", "Creators"]

Mode = Literal["full", "raw", "profile", "analytics"]

#: Optional request fields each tier accepts (endpoints.json request_fields).
_MODE_FIELDS: dict[str, tuple[str, ...]] = {
    "full": ("email_required", "include_lookalikes", "include_audience_data"),
    "profile": ("email_required",),
    "analytics": ("include_lookalikes",),
    "raw": (),
}
#: Platforms each tier takes; others would answer 400.
MODE_PLATFORMS = {
    "full": FULL_PLATFORMS,
    "profile": PROFILE_PLATFORMS,
    "analytics": ANALYTICS_PLATFORMS,
    "raw": PROFILE_PLATFORMS,
}


def _many_args(mode: str, options: dict[str, Any], kw: dict[str, Any]) -> dict[str, Any]:
    """Arguments of ``toolkit.jobs._many.start``, options checked against the tier first.

    The same rule as :meth:`enrich_handle` (``_MODE_FIELDS``), applied once for the whole
    list rather than failing in every worker.
    """
    allowed = () if mode == "email" else _MODE_FIELDS.get(mode, ())
    wrong = [k for k in options if k not in allowed]
    if wrong:
        raise ArgumentTypeError(f"mode={mode!r} does not take {', '.join(wrong)}")
    return {"mode": mode, "options": options, **kw}


class _CreatorsBase(Resource[R]):
    def enrich_handle(
        self,
        handle: str,
        platform: str,
        *,
        mode: Mode = "full",
        email_required: str | NotGiven = NOT_GIVEN,
        include_lookalikes: bool | NotGiven = NOT_GIVEN,
        include_audience_data: bool | NotGiven = NOT_GIVEN,
    ) -> R:
        """POST /public/v1/creators/enrich/handle/{mode}/ — one creator's profile, by tier.

        ``handle``: username (``@`` optional), profile URL or YouTube channel id.
        Options a tier does not accept raise ``TypeError`` instead of being sent. The
        defaults of ``include_lookalikes``/``include_audience_data`` are disputed (#5,
        #6): pass them explicitly when they matter.
        """
        if mode not in _MODE_FIELDS:
            raise ArgumentError(f"mode must be one of {', '.join(_MODE_FIELDS)}, got {mode!r}")
        options = {
            "email_required": email_required,
            "include_lookalikes": include_lookalikes,
            "include_audience_data": include_audience_data,
        }
        wrong = [
            k for k, v in options.items() if v is not NOT_GIVEN and k not in _MODE_FIELDS[mode]
        ]
        if wrong:
            raise ArgumentTypeError(f"mode={mode!r} does not take {', '.join(wrong)}")
        op = f"enrich_handle_{mode}"
        handle = check_handle(handle, operation=op)
        platform = check_platform(platform, MODE_PLATFORMS[mode], operation=op)
        body = {"handle": handle, "platform": platform, **options}
        return self._op(f"enrich_handle_{mode}", json=body, extra_params={"mode": mode})

    def enrich_full(self, handle: str, platform: str, **options: Any) -> R:
        """POST /public/v1/creators/enrich/handle/full/ — ``enrich_handle(mode="full")`` (1 credit)."""
        return self.enrich_handle(handle, platform, mode="full", **options)

    def enrich_profile(self, handle: str, platform: str, **options: Any) -> R:
        """POST /public/v1/creators/enrich/handle/profile/ — identity and contact (0.2 credits)."""
        return self.enrich_handle(handle, platform, mode="profile", **options)

    def enrich_analytics(self, handle: str, platform: str, **options: Any) -> R:
        """POST /public/v1/creators/enrich/handle/analytics/ — audience and performance (0.8)."""
        return self.enrich_handle(handle, platform, mode="analytics", **options)

    def enrich_raw(self, handle: str, platform: str) -> R:
        """POST /public/v1/creators/enrich/handle/raw/ — the scraped platform block (0.03)."""
        return self.enrich_handle(handle, platform, mode="raw")

    def enrich_email(self, email: str) -> R:
        """POST /public/v1/creators/enrich/email/ — the creator behind an email (0.05)."""
        email = check_email(email, operation="enrich_email")
        return self._op("enrich_email", json={"email": email})

    def socials(self, handle: str, platform: str) -> R:
        """POST /public/v1/creators/socials/ — the creator's verified linked accounts (0.5)."""
        handle = check_handle(handle, operation="connected_socials")
        platform = check_platform(platform, PROFILE_PLATFORMS, operation="connected_socials")
        return self._op("connected_socials", json={"platform": platform, "handle": handle})

    def overlap(self, platform: str, handles: Sequence[str]) -> R:
        """POST /public/v1/creators/audience/overlap/ — shared vs unique audience of 2-10 creators.

        1 credit per request whatever the number of creators; instagram, tiktok, youtube.
        """
        platform = check_platform(platform, CONTENT_PLATFORMS, operation="audience_overlap")
        handles = check_handles(handles, lo=2, hi=10, operation="audience_overlap")
        return self._op("audience_overlap", json={"platform": platform, "creators": list(handles)})

    def _posts_call(self, handle: str, platform: str, count: Any, pagination_token: Any) -> Call:
        handle = check_handle(handle, operation="content_posts")
        platform = check_platform(platform, CONTENT_PLATFORMS, operation="content_posts")
        if not isinstance(count, NotGiven):
            count = check_int(count, "count", lo=1, hi=50, operation="content_posts")
        return self._call(
            "content_posts",
            json={
                "platform": platform,
                "handle": handle,
                "count": count,
                "pagination_token": pagination_token,
            },
        )

    def _posts_pages(self, handle: str, platform: str, count: Any, max_pages: int | None) -> Any:
        """The crawl of a creator's posts pages, written once for both clients."""
        if max_pages is not None and max_pages < 1:
            return self._paginate(no_pages())
        return self._pages(
            lambda token: self._posts_call(handle, platform, count, token),
            posts_advance(max_pages),
            NOT_GIVEN,
        )

    def posts(
        self,
        handle: str,
        platform: str,
        *,
        count: int | NotGiven = NOT_GIVEN,
        pagination_token: str | NotGiven = NOT_GIVEN,
    ) -> R:
        """POST /public/v1/creators/content/posts/ — one page of a creator's recent posts.

        ``count``: Instagram is fixed at 12 (leave it out), TikTok max 35, YouTube max 50.
        Pass the previous page's ``result.next_token`` as ``pagination_token`` (or use
        :meth:`iter_posts`).
        """
        call = self._posts_call(handle, platform, count, pagination_token)
        return self._send(call)

    def post_details(
        self,
        post_id: str,
        platform: str,
        content_type: str = "data",
        *,
        pagination_token: str | NotGiven = NOT_GIVEN,
    ) -> R:
        """POST /public/v1/creators/content/details/ — data, comments, transcript or audio of a post.

        ``post_id`` is the platform id (IG: ``items[].pk``), not a URL. 0.03 per request.
        """
        platform = check_platform(platform, CONTENT_PLATFORMS, operation="content_details")
        post_id = check_handle(post_id, operation="content_details", argument="post_id")
        return self._op(
            "content_details",
            json={
                "platform": platform,
                "post_id": post_id,
                "content_type": content_type,
                "pagination_token": pagination_token,
            },
        )


class Creators(_CreatorsBase[Result]):
    """Creators for the sync client."""

    def enrich_many(
        self,
        inputs: Iterable[Any] | str | os.PathLike[str],
        platform: str | None = None,
        *,
        mode: Mode | Literal["email"] = "full",
        concurrency: int = 10,
        progress: bool = True,
        journal: bool = True,
        store: Any = None,
        journal_ttl: float | None = None,
        on_result: Callable[[str, Any], None] | None = None,
        column: str | None = None,
        sheet: str | int | None = None,
        encoding: str = "utf-8",
        retry_unknown: bool = False,
        **options: Any,
    ) -> EnrichMany:
        """Enrich many creators by handle (or email, ``mode="email"``), concurrently and resumably.

        ``inputs``: a list, tuple, or pandas/polars column of handles (``@``, profile URLs,
        YouTube channel ids accepted) or emails, or the path of a CSV or ``.xlsx`` file of
        them (read as ``client.batch.run`` reads one; ``column=`` picks the column of a file
        or a frame, ``sheet=`` a workbook's sheet, ``encoding=`` a CSV's text encoding). They are normalised and de-duplicated
        first (``result.merged`` counts what was merged: each would be billed). Requests
        run ``concurrency`` at a time under the client's rate limiter, with a ``tqdm``
        progress bar (``progress=False`` for none). Each answer is journaled in the store
        (``store=``, default: the client's store, the one its cache uses) as it arrives, so the same call
        after a crash or a kernel restart pays only for what is missing
        (``journal=False`` to always fetch). Each value is claimed in the store before it
        is paid for, so processes sharing the store pay for it once (the others wait and
        read it back). A request that was in flight when an earlier run stopped (a crash)
        may have been charged: it is listed (``InFlightWarning``, ``.in_flight``) and sent
        again only with ``retry_unknown=True`` (default False, on the sandbox too). A store
        that fails mid-run stops the sending and raises one ``StoreError`` whose
        ``partial`` keeps every paid answer. ``options``: the tier's request fields, as
        for :meth:`enrich_handle`. A client budget smaller than the worst case of what is
        left to fetch refuses the call before anything is sent.

        Returns an :class:`~toolkit.jobs.EnrichMany`: ``.results`` and ``.failures``
        (polars; every input in exactly one), ``.tables()``, ``.credits_spent``.
        See docs/jobs.md.

        >>> out = client.creators.enrich_many(["@a", "b"], "instagram", mode="raw")  # doctest: +SKIP
        """
        from toolkit.jobs._many import run_sync, start

        kw = _many_args(
            mode,
            options,
            {
                "concurrency": concurrency,
                "progress": progress,
                "store": store,
                "journal": journal,
                "journal_ttl": journal_ttl,
                "on_result": on_result,
                "column": column,
                "sheet": sheet,
                "encoding": encoding,
                "retry_unknown": retry_unknown,
            },
        )
        return run_sync(start(self._client, inputs, platform, **kw))

    def iter_posts(
        self,
        handle: str,
        platform: str,
        *,
        count: int | NotGiven = NOT_GIVEN,
        max_pages: int | None = None,
    ) -> Iterator[Result]:
        """Yield pages of posts, following ``next_token`` until exhausted or ``max_pages``.

        Each page is paid as it is fetched.
        """
        pages: Iterator[Result] = self._posts_pages(handle, platform, count, max_pages)
        return pages

    def overlap_matrix(
        self, platform: str, handles: Sequence[str], *, confirm: bool = False
    ) -> OverlapMatrix:
        """Shared audience of every pair: one overlap call per pair (``toolkit.planning``)."""
        flow, _ = prepare_matrix(self._client, platform, handles, confirm)
        return run(flow, lambda group: self.overlap(platform, group))

    def plan_reach(
        self,
        platform: str,
        candidates: Sequence[str],
        k: int,
        *,
        budget: float,
        confirm: bool = False,
    ) -> ReachPlan:
        """The k candidates with the most unique reach, greedily, within ``budget`` credits."""
        flow = prepare_plan(self._client, platform, candidates, k, budget, confirm)
        return run(flow, lambda group: self.overlap(platform, group))


class AsyncCreators(_CreatorsBase[Awaitable[Result]]):
    """Creators for the async client (methods are awaitable)."""

    async def enrich_many(
        self,
        inputs: Iterable[Any] | str | os.PathLike[str],
        platform: str | None = None,
        *,
        mode: Mode | Literal["email"] = "full",
        concurrency: int = 10,
        progress: bool = True,
        journal: bool = True,
        store: Any = None,
        journal_ttl: float | None = None,
        on_result: Callable[[str, Any], None] | None = None,
        column: str | None = None,
        sheet: str | int | None = None,
        encoding: str = "utf-8",
        retry_unknown: bool = False,
        **options: Any,
    ) -> EnrichMany:
        """``await aclient.creators.enrich_many(...)``: see ``Creators.enrich_many``.

        The same work as the sync twin, driven by an anyio task group; a cancel waits for
        requests already sent (they are paid) and journals them before it propagates.
        """
        from toolkit.jobs._many import run_async, start

        kw = _many_args(
            mode,
            options,
            {
                "concurrency": concurrency,
                "progress": progress,
                "store": store,
                "journal": journal,
                "journal_ttl": journal_ttl,
                "on_result": on_result,
                "column": column,
                "sheet": sheet,
                "encoding": encoding,
                "retry_unknown": retry_unknown,
            },
        )
        return await run_async(start(self._client, inputs, platform, **kw))

    def iter_posts(
        self,
        handle: str,
        platform: str,
        *,
        count: int | NotGiven = NOT_GIVEN,
        max_pages: int | None = None,
    ) -> AsyncIterator[Result]:
        """``async for page in aclient.creators.iter_posts(...)``: see ``Creators.iter_posts``."""
        pages: AsyncIterator[Result] = self._posts_pages(handle, platform, count, max_pages)
        return pages

    async def overlap_matrix(
        self, platform: str, handles: Sequence[str], *, confirm: bool = False
    ) -> OverlapMatrix:
        """``await aclient.creators.overlap_matrix(...)``: see ``Creators.overlap_matrix``."""
        flow, _ = prepare_matrix(self._client, platform, handles, confirm)
        return await arun(flow, lambda group: self.overlap(platform, group))

    async def plan_reach(
        self,
        platform: str,
        candidates: Sequence[str],
        k: int,
        *,
        budget: float,
        confirm: bool = False,
    ) -> ReachPlan:
        """``await aclient.creators.plan_reach(...)``: see ``Creators.plan_reach``."""
        flow = prepare_plan(self._client, platform, candidates, k, budget, confirm)
        return await arun(flow, lambda group: self.overlap(platform, group))
