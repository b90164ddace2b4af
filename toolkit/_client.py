"""``Client`` and ``AsyncClient``: the two thin send loops over the shared core.

Everything that decides is below: the call's begin and finish (cache, budget, ledger) in
``toolkit._lifecycle``, what to send, what an answer means and whether to retry in
``toolkit._core``. This module only sends, sleeps and loops, and drives the one page crawl
(``toolkit._results.crawl``) with each client's way of sending. The sync client never touches
asyncio, so it works inside a running Jupyter kernel; the async client works with
top-level ``await`` in a notebook.

>>> import toolkit as ic
>>> client = ic.connect()                          # doctest: +SKIP
>>> client.discovery.search("instagram", filters={"ai_search": "retro gaming"}, limit=10)
... # doctest: +SKIP
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import TYPE_CHECKING, Any

import anyio
import httpx

from toolkit._call import Call
from toolkit._config import ClientConfig
from toolkit._core import BODY_ERRORS, BaseClient
from toolkit._lifecycle import Waiting
from toolkit._ratelimit import RateLimiter
from toolkit._reconcile import CreateFlow, adrive_create, drive_create
from toolkit._results import PageFlow, Result
from toolkit.credits import Prices

if TYPE_CHECKING:  # pragma: no cover
    from toolkit._lifecycle import Flight
    from toolkit._tokens import OAuthSession

__all__ = ["AsyncClient", "Client"]


class Client(BaseClient[Result]):
    """Synchronous client for every Influencers Club API operation.

    Parameters
    ----------
    api_key: an API key; default ``$INFLUENCERS_CLUB_API_KEY`` (a pasted ``Bearer `` is stripped).
    access_token: an OAuth access token instead of a key (sent the same way).
    base_url: default ``$INFLUENCERS_CLUB_BASE_URL`` or https://api-dashboard.influencers.club.
    transport: an ``httpx`` transport (the sandbox plugs in here: ``sb.transport()``).
    budget: credits this client may spend; a call whose worst case exceeds what is left
        raises :class:`~toolkit.BudgetExceededError` before anything is sent (for a block
        of calls: ``with client.budget(5): ...``).
    cache: the response cache's mode, ``"use"`` (default), ``"refresh"``, ``"only-cache"``
        or ``"off"`` (``False``); see :mod:`toolkit.cache`. ``cache_ttl``: seconds per
        operation. ``cache_scope``: share answers between the keys of one team account.
    store: where cached answers live: a :class:`toolkit.store.Store` or its URL; default
        ``$INFLUENCERS_CLUB_STORE_URL`` or SQLite under the user's cache directory.
    config: a :class:`~toolkit.ClientConfig`, or its fields as keywords
        (``max_retries=``, ``timeout=``, ``rate_limit_per_minute=``, ``page_base=`` ...).
    sleep: how to wait between retries (injectable for tests); default ``time.sleep``.
    rate_limiter: share an explicit limiter; default: one per credential per process.

    Resources: ``discovery``, ``dictionary``, ``creators``, ``batch``, ``exclusion_lists``,
    ``listening``, ``account``, ``oauth``; every call returns a :class:`~toolkit.Result`
    and is recorded in ``client.ledger``.

    >>> from toolkit.sandbox import Sandbox
    >>> sb = Sandbox(creators=50)
    >>> client = Client(api_key=sb.api_key, base_url="https://sandbox.influencers.club.invalid",
    ...                 transport=sb.transport())
    >>> client.account.credits().data["credits_available"]
    1000.0
    """

    #: the OAuth session of a client made by ``ic.login()`` (it refreshes the token)
    oauth_session: OAuthSession | None = None

    def __init__(
        self,
        *,
        api_key: str | None = None,
        access_token: str | None = None,
        base_url: str | None = None,
        transport: httpx.BaseTransport | None = None,
        budget: float | None = None,
        cache: str | bool = "use",
        cache_ttl: dict[str, float | None] | None = None,
        cache_scope: str | None = None,
        store: Any = None,
        config: ClientConfig | None = None,
        prices: Prices | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rate_limiter: RateLimiter | None = None,
        **settings: Any,
    ) -> None:
        super().__init__(
            api_key=api_key,
            access_token=access_token,
            base_url=base_url,
            config=config,
            budget=budget,
            prices=prices,
            rate_limiter=rate_limiter,
            transport_given=transport is not None,
            cache=cache,
            cache_ttl=cache_ttl,
            cache_scope=cache_scope,
            store=store,
            transport=transport,
            **settings,
        )
        self._sleep = sleep
        self._http = httpx.Client(
            base_url=self.base_url,
            transport=transport,
            timeout=self._timeout(),
            headers=self._default_headers(),
            follow_redirects=False,
        )
        from toolkit import resources as r

        self.discovery = r.Discovery(self)
        self.dictionary = r.Dictionary(self)
        self.creators = r.Creators(self)
        self.batch = r.Batch(self)
        self.exclusion_lists = r.ExclusionLists(self)
        self.listening = r.Listening(self)
        self.account = r.Account(self)
        self.oauth = r.OAuth(self)

    def request(self, call: Call) -> Result:
        """Send ``call`` (cache, budget, rate limit, retries, ledger); the result or an error."""
        flight = self._lifecycle.begin(call)
        while isinstance(flight, Waiting):  # another process is paying for it: its answer
            time.sleep(flight.seconds)
            flight = self._lifecycle.begin(call, flight)
        if isinstance(flight, Result):
            return flight  # answered by the cache
        outcome: Result | Exception
        try:
            while True:
                flight.attempts += 1
                self._limiter.acquire()
                try:
                    outcome = self._attempt(flight)
                finally:
                    self._limiter.release()  # the slot frees a window after the answer
                delay = self._next_delay(flight, outcome)
                if delay is None:
                    break
                self._sleep(delay)
        except BaseException:
            self._lifecycle.abandon(flight)
            raise
        return self._lifecycle.finish(flight, outcome)

    def _attempt(self, flight: Flight) -> Result | Exception:
        """Send once and read the whole answer within the deadline and the size cap."""
        request, reader = self._prepare(self._http, flight)
        try:
            response = self._http.send(request, stream=True)
        except httpx.TransportError as exc:
            return self._failed(flight, exc)
        try:
            reader.headers_arrived()
            for chunk in response.iter_bytes():
                reader.take(chunk)
        except BODY_ERRORS as exc:
            return self._unread(flight, response, exc)
        finally:
            response.close()
        return self._answered(flight, reader.into(response))

    def paginate(self, flow: PageFlow) -> Iterator[Result]:
        """Drive a page crawl (``toolkit._results.crawl``): send each call, yield its page."""
        try:
            call = next(flow)
        except StopIteration:
            return
        while True:
            page = self.request(call)
            yield page
            try:
                call = flow.send(page)
            except StopIteration:
                return

    def run_create(self, flow: CreateFlow) -> Result:
        """Send a create that must not happen twice, reconciling a lost answer."""
        return drive_create(self.request, flow)

    def close(self) -> None:
        """Close the connection pool (and the cache's store, if the client opened it)."""
        self._http.close()
        self.cache.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncClient(BaseClient[Awaitable[Result]]):
    """The asynchronous twin of :class:`Client`: the same resources, awaitable.

    >>> aclient = AsyncClient(api_key=..., transport=sb.async_transport())  # doctest: +SKIP
    >>> (await aclient.account.credits()).data                              # doctest: +SKIP

    Its rate limiter is shared by all tasks (and threads) using the client. ``sleep``
    defaults to ``anyio.sleep``.
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        access_token: str | None = None,
        base_url: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        budget: float | None = None,
        cache: str | bool = "use",
        cache_ttl: dict[str, float | None] | None = None,
        cache_scope: str | None = None,
        store: Any = None,
        config: ClientConfig | None = None,
        prices: Prices | None = None,
        sleep: Callable[[float], Awaitable[Any]] = anyio.sleep,
        rate_limiter: RateLimiter | None = None,
        **settings: Any,
    ) -> None:
        super().__init__(
            api_key=api_key,
            access_token=access_token,
            base_url=base_url,
            config=config,
            budget=budget,
            prices=prices,
            rate_limiter=rate_limiter,
            transport_given=transport is not None,
            cache=cache,
            cache_ttl=cache_ttl,
            cache_scope=cache_scope,
            store=store,
            transport=transport,
            **settings,
        )
        self._sleep = sleep
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            transport=transport,
            timeout=self._timeout(),
            headers=self._default_headers(),
            follow_redirects=False,
        )
        from toolkit import resources as r

        self.discovery = r.AsyncDiscovery(self)
        self.dictionary = r.AsyncDictionary(self)
        self.creators = r.AsyncCreators(self)
        self.batch = r.AsyncBatch(self)
        self.exclusion_lists = r.AsyncExclusionLists(self)
        self.listening = r.AsyncListening(self)
        self.account = r.AsyncAccount(self)
        self.oauth = r.AsyncOAuth(self)

    async def request(self, call: Call) -> Result:
        """Send ``call`` (cache, budget, rate limit, retries, ledger); the result or an error."""
        flight = self._lifecycle.begin(call)
        while isinstance(flight, Waiting):  # another process is paying for it: its answer
            await anyio.sleep(flight.seconds)
            flight = self._lifecycle.begin(call, flight)
        if isinstance(flight, Result):
            return flight  # answered by the cache
        outcome: Result | Exception
        try:
            while True:
                flight.attempts += 1
                await self._limiter.acquire_async(self._sleep)
                try:
                    outcome = await self._attempt(flight)
                finally:
                    self._limiter.release()  # the slot frees a window after the answer
                delay = self._next_delay(flight, outcome)
                if delay is None:
                    break
                await self._sleep(delay)
        except BaseException:  # a cancelled task included
            self._lifecycle.abandon(flight)
            raise
        return self._lifecycle.finish(flight, outcome)

    async def _attempt(self, flight: Flight) -> Result | Exception:
        """Send once and read the whole answer within the deadline and the size cap."""
        request, reader = self._prepare(self._http, flight)
        try:
            response = await self._http.send(request, stream=True)
        except httpx.TransportError as exc:
            return self._failed(flight, exc)
        try:
            reader.headers_arrived()
            async for chunk in response.aiter_bytes():
                reader.take(chunk)
        except BODY_ERRORS as exc:
            return self._unread(flight, response, exc)
        finally:
            await response.aclose()
        return self._answered(flight, reader.into(response))

    async def paginate(self, flow: PageFlow) -> AsyncIterator[Result]:
        """Drive a page crawl (``toolkit._results.crawl``): send each call, yield its page."""
        try:
            call = next(flow)
        except StopIteration:
            return
        while True:
            page = await self.request(call)
            yield page
            try:
                call = flow.send(page)
            except StopIteration:
                return

    async def run_create(self, flow: CreateFlow) -> Result:
        """Send a create that must not happen twice, reconciling a lost answer."""
        return await adrive_create(self.request, flow)

    async def aclose(self) -> None:
        """Close the connection pool (and the cache's store, if the client opened it)."""
        await self._http.aclose()
        self.cache.close()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
