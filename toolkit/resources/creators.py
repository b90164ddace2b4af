"""Creators: enrichment by handle or email, connected socials, audience overlap, content.

REFERENCE.md §6, §9, §10, §12. Every operation here is paid; the price of each is in
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

from collections.abc import AsyncIterator, Awaitable, Iterator, Sequence
from typing import Any, Literal

from toolkit._config import NOT_GIVEN
from toolkit._core import Call
from toolkit._results import Result, next_posts_token
from toolkit.planning import OverlapMatrix, ReachPlan, arun, prepare_matrix, prepare_plan, run
from toolkit.resources._base import R, Resource

__all__ = ["AsyncCreators", "Creators"]

_P = "/public/v1/creators/"
Mode = Literal["full", "raw", "profile", "analytics"]

#: Optional request fields each tier accepts (endpoints.json request_fields).
_MODE_FIELDS: dict[str, tuple[str, ...]] = {
    "full": ("email_required", "include_lookalikes", "include_audience_data"),
    "profile": ("email_required",),
    "analytics": ("include_lookalikes",),
    "raw": (),
}


class _CreatorsBase(Resource[R]):
    def enrich_handle(
        self,
        handle: str,
        platform: str,
        *,
        mode: Mode = "full",
        email_required: str = NOT_GIVEN,  # type: ignore[assignment]
        include_lookalikes: bool = NOT_GIVEN,  # type: ignore[assignment]
        include_audience_data: bool = NOT_GIVEN,  # type: ignore[assignment]
    ) -> R:
        """POST /public/v1/creators/enrich/handle/{mode}/ — one creator's profile, by tier.

        ``handle``: username (``@`` optional), profile URL or YouTube channel id (§3.4).
        Options a tier does not accept raise ``TypeError`` instead of being sent. The
        defaults of ``include_lookalikes``/``include_audience_data`` are disputed (§15 #5,
        #6): pass them explicitly when they matter.
        """
        if mode not in _MODE_FIELDS:
            raise ValueError(f"mode must be one of {', '.join(_MODE_FIELDS)}, got {mode!r}")
        options = {
            "email_required": email_required,
            "include_lookalikes": include_lookalikes,
            "include_audience_data": include_audience_data,
        }
        wrong = [
            k for k, v in options.items() if v is not NOT_GIVEN and k not in _MODE_FIELDS[mode]
        ]
        if wrong:
            raise TypeError(f"mode={mode!r} does not take {', '.join(wrong)}")
        body = {"handle": handle, "platform": platform, **options}
        return self._op(
            f"enrich_handle_{mode}",
            "POST",
            _P + f"enrich/handle/{mode}/",
            json=body,
            extra_params={"mode": mode},
        )

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
        """POST /public/v1/creators/enrich/email/ — the creator behind an email (0.05, §15 #3)."""
        return self._op("enrich_email", "POST", _P + "enrich/email/", json={"email": email.strip()})

    def socials(self, handle: str, platform: str) -> R:
        """POST /public/v1/creators/socials/ — the creator's verified linked accounts (0.5)."""
        return self._op(
            "connected_socials",
            "POST",
            _P + "socials/",
            json={"platform": platform, "handle": handle},
        )

    def overlap(self, platform: str, handles: Sequence[str]) -> R:
        """POST /public/v1/creators/audience/overlap/ — shared vs unique audience of 2-10 creators.

        1 credit per request whatever the number of creators; instagram, tiktok, youtube.
        """
        if isinstance(handles, str) or not 2 <= len(handles) <= 10:
            raise ValueError("overlap needs a list of 2 to 10 handles (REFERENCE.md §6)")
        return self._op(
            "audience_overlap",
            "POST",
            _P + "audience/overlap/",
            json={"platform": platform, "creators": list(handles)},
        )

    def _posts_call(self, handle: str, platform: str, count: Any, pagination_token: Any) -> Call:
        return self._client.make_call(
            "content_posts",
            "POST",
            _P + "content/posts/",
            json={
                "platform": platform,
                "handle": handle,
                "count": count,
                "pagination_token": pagination_token,
            },
        )

    def posts(
        self,
        handle: str,
        platform: str,
        *,
        count: int = NOT_GIVEN,  # type: ignore[assignment]
        pagination_token: str = NOT_GIVEN,  # type: ignore[assignment]
    ) -> R:
        """POST /public/v1/creators/content/posts/ — one page of a creator's recent posts.

        ``count``: Instagram is fixed at 12 (leave it out), TikTok max 35, YouTube max 50.
        Pass the previous page's ``result.next_token`` as ``pagination_token`` (or use
        :meth:`iter_posts`).
        """
        call = self._posts_call(handle, platform, count, pagination_token)
        return self._client.request(call)  # type: ignore[attr-defined, no-any-return]

    def post_details(
        self,
        post_id: str,
        platform: str,
        content_type: str = "data",
        *,
        pagination_token: str = NOT_GIVEN,  # type: ignore[assignment]
    ) -> R:
        """POST /public/v1/creators/content/details/ — data, comments, transcript or audio of a post.

        ``post_id`` is the platform id (IG: ``items[].pk``), not a URL. 0.03 per request.
        """
        return self._op(
            "content_details",
            "POST",
            _P + "content/details/",
            json={
                "platform": platform,
                "post_id": post_id,
                "content_type": content_type,
                "pagination_token": pagination_token,
            },
        )


class Creators(_CreatorsBase[Result]):
    """Creators for the sync client."""

    def iter_posts(
        self,
        handle: str,
        platform: str,
        *,
        count: int = NOT_GIVEN,  # type: ignore[assignment]
        max_pages: int | None = None,
    ) -> Iterator[Result]:
        """Yield pages of posts, following ``next_token`` until exhausted or ``max_pages``.

        Each page is paid as it is fetched (§12.1).
        """
        token: Any = NOT_GIVEN
        pages = 0
        while max_pages is None or pages < max_pages:
            result = self._client.request(self._posts_call(handle, platform, count, token))
            pages += 1
            yield result
            token = next_posts_token(result)
            if token is None:
                return

    def overlap_matrix(
        self, platform: str, handles: Sequence[str], *, confirm: bool = False
    ) -> OverlapMatrix:
        """Shared audience of every pair: one overlap call per pair (``toolkit.planning``)."""
        flow, _ = prepare_matrix(self._client, platform, handles, confirm)
        return run(flow, lambda group: self.overlap(platform, group))  # type: ignore[no-any-return]

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
        return run(flow, lambda group: self.overlap(platform, group))  # type: ignore[no-any-return]


class AsyncCreators(_CreatorsBase[Awaitable[Result]]):
    """Creators for the async client (methods are awaitable)."""

    async def iter_posts(
        self,
        handle: str,
        platform: str,
        *,
        count: int = NOT_GIVEN,  # type: ignore[assignment]
        max_pages: int | None = None,
    ) -> AsyncIterator[Result]:
        """``async for page in aclient.creators.iter_posts(...)``: see ``Creators.iter_posts``."""
        token: Any = NOT_GIVEN
        pages = 0
        while max_pages is None or pages < max_pages:
            result = await self._client.request(self._posts_call(handle, platform, count, token))
            pages += 1
            yield result
            token = next_posts_token(result)
            if token is None:
                return

    async def overlap_matrix(
        self, platform: str, handles: Sequence[str], *, confirm: bool = False
    ) -> OverlapMatrix:
        """``await aclient.creators.overlap_matrix(...)``: see ``Creators.overlap_matrix``."""
        flow, _ = prepare_matrix(self._client, platform, handles, confirm)
        return await arun(flow, lambda group: self.overlap(platform, group))  # type: ignore[no-any-return]

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
        return await arun(flow, lambda group: self.overlap(platform, group))  # type: ignore[no-any-return]
