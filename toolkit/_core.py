"""The I/O-free request core both clients share: every decision, no sending.

What lives here (and is unit-tested without a network): turning a :class:`~toolkit._call.Call`
into an ``httpx.Request`` (URL, query, JSON/form/multipart body, auth and idempotency
headers), what one attempt's answer means (the result, or the exception it stands for: the
status and error body are read in :mod:`toolkit._status`), and whether and how long to wait
before a retry (429, 5xx, connection errors; exponential backoff with jitter;
``Retry-After`` capped). The client holds the call's begin and finish as a component,
``self._lifecycle`` (:mod:`toolkit._lifecycle`: cache, budgets, ledger), made here of the
client's cache, budgets and ledger. ``toolkit._client`` adds the two thin loops that send
and sleep: begin, attempts, finish.

Safety rule for money (credits are charged when data returns): a *paid* request whose
answer is lost after it was sent (read timeout, dropped connection, unreadable 200) is
never retried — it raises :class:`~toolkit.OutcomeUnknownError` /
:class:`~toolkit.MalformedResponseError` saying credits may have been charged. Error
answers (4xx/5xx) carry no data, so 429 and 5xx are retried for every operation but a
create the API does not deduplicate: a gateway may answer 5xx after the server made it, so
``toolkit._reconcile`` looks for it before sending it again.
"""

from __future__ import annotations

import json
import random
import time
import uuid
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypedDict, TypeVar
from urllib.parse import parse_qs, urlsplit

import httpx
import msgspec

from toolkit._budget import Block, Budgets
from toolkit._call import Call, Expect, compact
from toolkit._config import (
    NOT_GIVEN,
    SANDBOX_BASE_URL,
    ClientConfig,
    credential_fingerprint,
    is_served_sandbox,
    mask_secret,
    resolve_base_url,
    resolve_credential,
    shield_credentials,
)
from toolkit._exceptions import (
    APIConnectionError,
    APITimeoutError,
    BudgetExceededError,
    InfluencersClubError,
    MalformedResponseError,
    OutcomeUnknownError,
    RateLimitError,
    ServerError,
    finish_error,
)
from toolkit._lifecycle import Lifecycle
from toolkit._operations import operation as operation_row
from toolkit._ratelimit import RateLimiter, shared_limiter
from toolkit._reconcile import what_to_check
from toolkit._results import Result, result_class
from toolkit._status import error_for_status, request_id
from toolkit._version import __version__
from toolkit.cache import client_cache
from toolkit.credits import PRICES, Ledger, Prices, request_cost

if TYPE_CHECKING:  # pragma: no cover
    from toolkit._lifecycle import Flight
    from toolkit._reconcile import CreateFlow
    from toolkit._results import PageFlow

__all__ = ["BODY_ERRORS", "AnswerTooLarge", "BaseClient", "BodyReader", "Outcome"]

# Transport errors raised before the request left the machine: always safe to retry.
_NOT_SENT = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.UnsupportedProtocol,
    httpx.ProxyError,
    httpx.LocalProtocolError,
)


#: What can break off an answer while its body arrives, besides the transport: the cap
#: (:class:`AnswerTooLarge`) and a body that does not decode (bad gzip).
BODY_ERRORS = (httpx.TransportError, httpx.DecodingError)


class AnswerTooLarge(httpx.DecodingError):
    """An answer passed the client's size cap while it arrived (counted decoded, so a
    decompression bomb stops at the cap too). Raised by :class:`BodyReader`."""

    def __init__(self, limit: int, setting: str) -> None:
        self.limit = limit
        self.setting = setting
        super().__init__(f"the answer passed {limit:,} bytes (ClientConfig.{setting})")


class BodyReader:
    """Collects one attempt's answer chunk by chunk, within the call's deadline and size cap.

    Both send loops stream the body through :meth:`take` and hand the response to
    :meth:`into` when it is whole: a server trickling one byte at a time cannot hold a call
    past its deadline, nor a huge or bomb answer take all the memory.
    """

    def __init__(self, request: httpx.Request, deadline: float, limit: int, setting: str) -> None:
        self.request = request
        self.deadline = deadline
        self.limit = limit
        self.setting = setting
        self.started = time.monotonic()
        self.size = 0
        self._chunks: list[bytes] = []

    def headers_arrived(self) -> None:
        """The body phase starts: its reads may wait only what is left of the deadline."""
        timeouts = self.request.extensions.get("timeout")
        if isinstance(timeouts, dict):
            timeouts["read"] = self.left()
        self.check_deadline()

    def left(self) -> float:
        return max(self.deadline - time.monotonic(), 1e-3)

    def check_deadline(self) -> None:
        if time.monotonic() > self.deadline:
            raise httpx.ReadTimeout(
                "the call's deadline passed while its answer was arriving", request=self.request
            )

    def take(self, chunk: bytes) -> None:
        """One decoded chunk of the body; raises past the cap or the deadline."""
        self.size += len(chunk)
        if self.size > self.limit:
            raise AnswerTooLarge(self.limit, self.setting)
        self._chunks.append(chunk)
        self.check_deadline()

    def into(self, response: httpx.Response) -> httpx.Response:
        """``response`` with the collected body as its content (what ``.read()`` would set)."""
        response._content = b"".join(self._chunks)
        return response

    def elapsed(self) -> float:
        return time.monotonic() - self.started


class _AnswerMeta(TypedDict):
    """What every :class:`~toolkit.Result` of a response carries besides its data."""

    params: dict[str, Any]
    status_code: int
    attempts: int
    request_id: str | None
    headers: dict[str, str]


#: What sending a call gives: a Result (``Client``), an awaitable of one (``AsyncClient``).
R = TypeVar("R")
#: One attempt's outcome, kept as precise as it was given (``_scrub``).
Outcome = TypeVar("Outcome", bound=Result | Exception)


class BaseClient(Generic[R]):
    """State and decisions shared by :class:`~toolkit.Client` and :class:`~toolkit.AsyncClient`.

    Generic over what ``request`` returns, so a resource written once for both clients
    (``toolkit.resources._base.Resource``) is typed for each.
    """

    #: how the send loop waits between attempts (``time.sleep``, ``anyio.sleep``)
    _sleep: Callable[[float], Any]

    def __init__(
        self,
        *,
        api_key: str | None = None,
        access_token: str | None = None,
        base_url: str | None = None,
        config: ClientConfig | None = None,
        budget: float | None = None,
        prices: Prices | None = None,
        rate_limiter: RateLimiter | None = None,
        transport_given: bool = False,
        cache: str | bool = "use",
        cache_ttl: Mapping[str, float | None] | None = None,
        cache_scope: str | None = None,
        store: Any = None,
        transport: Any = None,
        identity: str | None = None,
        **settings: Any,
    ) -> None:
        if config is not None and settings:
            raise InfluencersClubError("pass either config= or individual settings, not both")
        self.config = config or ClientConfig(**settings)
        self._credential = resolve_credential(api_key, access_token)
        self._credential_kind = "access token" if access_token is not None else "API key"
        # who the client acts as, for what outlives one token (cache, journal, job registry,
        # the shared rate window): the credential, or a login's id when the token rotates
        self._identity = identity or self._credential
        self.base_url = resolve_base_url(base_url)
        self.prices = prices or PRICES
        # what every call is begun and finished with (toolkit._lifecycle): the same objects
        # the user reads as client.ledger, client.cache and client.budget(...)
        self.ledger = Ledger()
        self._budgets = Budgets(budget)
        self.cache = client_cache(
            self.base_url,
            self._identity,
            mode=cache,
            ttl=cache_ttl,
            scope=cache_scope,
            store=store,
            transport=transport,
        )
        self._lifecycle = Lifecycle(cache=self.cache, budgets=self._budgets, ledger=self.ledger)
        self.sandbox: Any = None  # set by toolkit.connect() when it runs on the sandbox
        self._random = random.Random()
        if rate_limiter is not None:
            self._limiter = rate_limiter
        elif transport_given:
            # a custom transport is another server (the sandbox): its own window
            self._limiter = RateLimiter(
                self.config.rate_limit_per_minute, notice_after=self.config.rate_limit_notice_after
            )
        else:
            self._limiter = shared_limiter(
                self.identity_fingerprint,
                self.config.rate_limit_per_minute,
                self.config.rate_limit_notice_after,
            )

    # ----------------------------------------------------------------- presentation
    @property
    def identity_fingerprint(self) -> str:
        """A stable, irreversible name of whom this client acts as on its server: the key
        its cache entries, ``enrich_many`` journal and batch jobs are filed under."""
        return credential_fingerprint(self.base_url, self._identity)

    @property
    def is_sandbox(self) -> bool:
        """True when this client talks to the offline sandbox, not the real API."""
        return (
            self.sandbox is not None
            or self.base_url == SANDBOX_BASE_URL
            or is_served_sandbox(self.base_url, self._credential)
        )

    @property
    def rate_limiter(self) -> RateLimiter:
        return self._limiter

    @property
    def budget_left(self) -> float | None:
        """What the tightest open budget has left after spent, lost-answer worst cases and
        calls in flight; ``None`` without a budget."""
        left = self._budgets.left
        return None if left is None else round(left, 4)

    def budget(self, credits: float) -> Block:
        """``with client.budget(5): ...`` (or ``async with``) refuses, before sending, any
        call made while the block is open (from any thread or task) whose worst case would
        overrun 5 credits.

        Calls in flight hold their worst case until they settle, so concurrent calls can
        never jointly overrun it. Cache hits cost nothing and always pass. The block yields
        the :class:`~toolkit.Budget` (``.spent``, ``.left``).

        >>> with client.budget(2) as b:                                  # doctest: +SKIP
        ...     client.creators.enrich_handle("nike", "instagram")       # 1 credit: fits
        ...     client.creators.enrich_handle("adidas", "instagram")     # fits (2 in all)
        ...     client.creators.enrich_handle("puma", "instagram")       # BudgetExceededError
        """
        return self._budgets.block(credits)

    def __repr__(self) -> str:
        where = "sandbox" if self.is_sandbox else "live API"
        return (
            f"{type(self).__name__}({where}, base_url={self.base_url!r}, "
            f"{'key' if self._credential_kind == 'API key' else 'access_token'}="
            f"{mask_secret(self._credential)!r})"
        )

    # ----------------------------------------------------------------- the send loops
    # Each client's thin loop (toolkit._client) overrides these three.
    def request(self, call: Call) -> R:
        """Send ``call``: the result, or the error it ended with."""
        raise NotImplementedError

    def paginate(self, flow: PageFlow) -> Any:
        """Drive a page crawl (``toolkit._results.crawl``): its pages, sync or async."""
        raise NotImplementedError

    def run_create(self, flow: CreateFlow) -> R:
        """Drive a create that must not happen twice (``toolkit._reconcile.create_flow``)."""
        raise NotImplementedError

    # ----------------------------------------------------------------- building
    def _timeout(self) -> httpx.Timeout:
        return httpx.Timeout(self.config.timeout, connect=self.config.connect_timeout)

    def _default_headers(self) -> dict[str, str]:
        return {
            "User-Agent": f"{self.config.user_agent}/{__version__}",
            "Accept": "application/json",
        }

    def make_call(
        self,
        operation: str,
        *,
        path_params: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        json: Any = NOT_GIVEN,
        form: Mapping[str, Any] | None = None,
        files: dict[str, tuple[str, bytes, str]] | None = None,
        expect: Expect = "json",
        extra_params: Mapping[str, Any] | None = None,
        estimate_params: Mapping[str, Any] | None = None,
    ) -> Call:
        """The :class:`Call` of ``operation`` with its price: method, path, credential and
        create rule from its row (``toolkit._operations``), unpassed arguments dropped."""
        row = operation_row(operation)
        q = {k: v for k, v in (query or {}).items() if v is not NOT_GIVEN and v is not None}
        body = compact(json) if isinstance(json, Mapping) else json
        return Call(
            operation=operation,
            method=row.method,
            template=row.path,
            path_params=dict(path_params or {}),
            query=q,
            json=body,
            form=compact(form) if form is not None else None,
            files=files,
            auth=row.auth,
            expect=expect,
            paid=row.paid,
            estimate=request_cost(operation, prices=self.prices, **(estimate_params or {})),
            extra_params=dict(extra_params or {}),
            idempotent=not row.creates,
        )

    def _headers_for(self, call: Call) -> dict[str, str]:
        headers: dict[str, str] = {}
        if call.auth:
            headers["Authorization"] = f"Bearer {self._credential}"
        if call.method in ("POST", "PATCH", "DELETE"):
            # one key for all retries of this call (STYLE §2); harmless if the API ignores it
            headers["Idempotency-Key"] = str(uuid.uuid4())
        return headers

    def _build_request(
        self, http: httpx.Client | httpx.AsyncClient, call: Call, headers: dict[str, str]
    ) -> httpx.Request:
        kw: dict[str, Any] = {"params": call.query or None, "headers": headers}
        if call.files is not None:
            kw["files"] = call.files
            kw["data"] = {k: _form_value(v) for k, v in (call.form or {}).items()}
        elif call.form is not None:
            kw["data"] = {k: _form_value(v) for k, v in call.form.items()}
        elif call.json is not NOT_GIVEN:
            kw["json"] = call.json
        return http.build_request(call.method, call.path, **kw)

    def _check_budget(self, call: Call) -> None:
        """Raise if ``call``'s worst case does not fit every open budget (reserves nothing)."""
        try:
            self._budgets.check(call.operation, call.estimate)
        except BudgetExceededError as err:
            raise err.at(call.method, call.path) from None

    def _prepare(
        self, http: httpx.Client | httpx.AsyncClient, flight: Flight
    ) -> tuple[httpx.Request, BodyReader]:
        """One attempt's request, and the reader of its answer: the attempt gets what is left
        of the call's deadline (``ClientConfig.timeout`` counts the time on the wire over all
        attempts) and the answer's size cap. The first attempt makes the call's headers,
        which its retries send again (one ``Idempotency-Key`` per call)."""
        if flight.attempts <= 1:
            flight.headers = self._headers_for(flight.call)
            flight.wire_left = self.config.timeout
        request = self._build_request(http, flight.call, flight.headers)
        flight.sent_at = time.monotonic()
        left = max(flight.wire_left, 1e-3)
        request.extensions["timeout"] = {
            "connect": min(self.config.connect_timeout, left),
            "read": left,
            "write": left,
            "pool": left,
        }
        setting = (
            "max_download_bytes"
            if flight.call.operation == "batch_results"
            else "max_response_bytes"
        )
        limit: int = getattr(self.config, setting)
        return request, BodyReader(request, time.monotonic() + left, limit, setting)

    # ----------------------------------------------------------------- one attempt's outcome
    # What an attempt ended with, as the send loop hands it over: an answer read whole, no
    # answer at all, or an answer cut off. An error comes back naming its request line and
    # holding no credential (``_scrub``), whether or not it is retried.
    def _answered(self, flight: Flight, response: httpx.Response) -> Result | Exception:
        """One attempt's whole answer: the result or the error it stands for."""
        flight.status = response.status_code
        return self._scrub(flight.call, self._outcome(flight.call, response, flight.attempts))

    def _failed(self, flight: Flight, exc: httpx.TransportError) -> Exception:
        """One attempt that got no answer."""
        flight.status = None
        return self._scrub(flight.call, self._transport_error(flight.call, exc))

    def _unread(
        self, flight: Flight, response: httpx.Response, exc: Exception
    ) -> Result | Exception:
        """An answer whose status arrived but whose body could not be read whole: cut off
        at the deadline, dropped, past the size cap or not decodable (bad gzip)."""
        return self._scrub(flight.call, self._cut_off(flight, response, exc))

    def _cut_off(
        self, flight: Flight, response: httpx.Response, exc: Exception
    ) -> Result | Exception:
        """What a cut-off answer stands for: its status if it is an error, else a lost
        answer (outcome unknown for a paid or non-idempotent call) or an unreadable one."""
        call = flight.call
        flight.status = status = response.status_code
        if not 200 <= status < 300:  # an error answer carries no data: its status says it all
            response._content = b""
            return self._outcome(call, response, flight.attempts)
        if isinstance(exc, httpx.TransportError):
            return self._transport_error(call, exc)
        if isinstance(exc, AnswerTooLarge):
            reason, retry = f"answer was larger than {exc.limit:,} bytes ({exc.setting})", False
        else:
            reason, retry = f"answer could not be decoded ({exc})", True
        err: Exception
        if call.paid or not call.idempotent:
            err = OutcomeUnknownError(
                call.operation,
                f"the {reason} and was dropped",
                paid=call.paid,
                check=what_to_check(call.operation),
            )
        else:
            err = MalformedResponseError(
                call.operation, status, paid=False, reason=reason, retry=retry
            )
        err.__cause__ = exc
        return err

    def _outcome(self, call: Call, response: httpx.Response, attempts: int) -> Result | Exception:
        """The result of a response, or the exception it stands for (not raised here)."""
        status = response.status_code
        headers = {k: v for k, v in response.headers.items() if k.lower() != "set-cookie"}
        common: _AnswerMeta = {
            "params": call.params,
            "status_code": status,
            "attempts": attempts,
            "request_id": request_id(response.headers),
            "headers": headers,
        }
        if call.expect == "redirect" and 300 <= status < 400:
            location = response.headers.get("location", "")
            query = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
            data = {"location": location, **query}
            return Result(data=data, operation=call.operation, **common)
        if not 200 <= status < 300:
            return error_for_status(call.operation, response)
        content = response.content
        if status == 204 or not content.strip():
            return result_class(call.operation)(data=None, operation=call.operation, **common)
        is_json = "json" in response.headers.get("content-type", "")
        if call.expect == "text" and not is_json:
            return Result(data=response.text, operation=call.operation, **common)
        try:
            data = _loads(content)
        except (ValueError, UnicodeDecodeError):
            snippet = content[:40].decode("utf-8", "replace")
            return MalformedResponseError(call.operation, status, paid=call.paid, snippet=snippet)
        except RecursionError:  # msgspec and the stdlib both refuse absurd nesting this way
            return MalformedResponseError(
                call.operation,
                status,
                paid=call.paid,
                reason="response body is nested too deeply to read",
                retry=False,
            )
        data = shield_credentials(call.operation, data)
        return result_class(call.operation).from_body(data, call.operation, **common)

    def _transport_error(self, call: Call, exc: httpx.TransportError) -> APIConnectionError:
        """Map an httpx transport error; a paid call lost after sending is outcome-unknown."""
        timed_out = isinstance(exc, httpx.TimeoutException)
        err: APIConnectionError
        if (call.paid or not call.idempotent) and not isinstance(exc, _NOT_SENT):
            reason = "timed out waiting for the answer" if timed_out else "the connection dropped"
            err = OutcomeUnknownError(
                call.operation, reason, paid=call.paid, check=what_to_check(call.operation)
            )
        elif timed_out:
            err = APITimeoutError(call.operation, f"request timed out ({type(exc).__name__})")
        else:
            err = APIConnectionError(call.operation, f"connection failed ({type(exc).__name__})")
        err.__cause__ = exc
        return err

    def _scrub(self, call: Call, outcome: Outcome) -> Outcome:
        """An error outcome names its request line and holds no credential of this client
        (``SessionClient`` also scrubs the tokens it rotated to)."""
        if isinstance(outcome, InfluencersClubError):
            finish_error(outcome, call.method, call.path, secret=self._credential)
        return outcome

    # ----------------------------------------------------------------- retry decisions
    def _next_delay(self, flight: Flight, outcome: Result | Exception) -> float | None:
        """Seconds to wait before trying again, or ``None`` when the call is over (an
        answer, an error not worth retrying, or the call's deadline spent)."""
        flight.wire_left -= time.monotonic() - flight.sent_at
        if isinstance(outcome, Result):
            return None
        delay = self._retry_delay(flight.call, flight.attempts, outcome)
        return None if delay is not None and flight.wire_left <= 0 else delay

    def _retry_delay(self, call: Call, attempts: int, error: Exception) -> float | None:
        """Seconds to wait before attempt ``attempts + 1``, or ``None`` to give up."""
        if isinstance(error, RateLimitError):
            self._limiter.learn(error.retry_after)  # the server's pace, for every later call
        if attempts > self.config.max_retries:
            return None
        if isinstance(error, OutcomeUnknownError):
            return None
        if isinstance(error, MalformedResponseError):
            if error.credits_may_have_been_charged or not call.idempotent or not error.retry:
                return None
        elif not isinstance(error, RateLimitError | ServerError | APIConnectionError):
            return None
        elif isinstance(error, ServerError) and not call.idempotent:
            # a gateway's 5xx may come after the server made the object: a create the API
            # does not deduplicate is looked for before it is sent again (toolkit._reconcile)
            return None
        hint = getattr(error, "retry_after", None)
        if hint is not None:
            # a wait longer than the cap ends the call (the error says when to come back)
            return float(hint) if hint <= self.config.max_retry_after else None
        return self._backoff(attempts)

    def _backoff(self, attempts: int) -> float:
        """Exponential backoff with jitter: ``base * 2**(n-1)``, capped, minus up to 25 %."""
        delay = min(self.config.backoff_max, self.config.backoff_base * 2.0 ** (attempts - 1))
        return delay * (1 - 0.25 * self._random.random())


_JSON = msgspec.json.Decoder()


def _loads(content: bytes) -> Any:
    """An answer's JSON: msgspec (2-4x the stdlib on enrichments, exact on big integers,
    unlike orjson); whatever it refuses goes to ``json.loads``, so what the stdlib accepts
    (a BOM, NaN, UTF-16) still parses and what it refuses raises as before."""
    try:
        return _JSON.decode(content)
    except (msgspec.DecodeError, UnicodeDecodeError):
        return json.loads(content)


def _form_value(value: Any) -> str:
    """Form fields travel as strings; booleans as ``"true"``/``"false"``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping | list):
        return json.dumps(value)
    return str(value)
