"""The sandbox application: accounts, credentials, credits, rate limit, faults and dispatch.

:class:`Sandbox` is the I/O-free core: ``sb.handle(Request) -> Response``. The httpx
transports (``_transport``) and the loopback server (``_server``) only move bytes to and
from it, so both ways of running answer the same.

Order of a request through :meth:`Sandbox.handle` (each step may answer on its own):

1. route match: 404 ``{"detail": "Not found."}`` / 405 (wrong method);
2. faults that fire *before* processing (``rate_limit``, ``status``, ``drop`` with
   ``phase="before"``) — nothing is billed;
3. authentication (REFERENCE.md §1): ``Authorization: Bearer <API key or OAuth access
   token>``; 401 otherwise. A pasted ``Bearer Bearer x`` is *not* forgiven;
4. rate limit (§2): ``settings.rate_limit_per_minute`` per account over a sliding 60 s
   window; 429 with DRF's throttle wording and a ``Retry-After`` header;
5. the handler; :class:`Ctx` bills through :meth:`Ctx.charge` only when data returns;
6. faults that fire *after* processing (``slow``, ``malformed``, ``truncated``, ``drop``):
   the call was processed and billed, the client just does not learn it cleanly.

Rate-limit time: the window runs on ``time.monotonic()`` **plus** however far a fixed
sandbox clock was advanced. Real time always drains the window (a client that honours
``Retry-After`` recovers even when the sandbox clock is pinned), and a test can empty the
window at once with ``sb.clock.advance(seconds=60)``.

Trial accounts (§2): 10 credits in total, and ``trial_searches_left`` — a count of paid
calls left, starting at ``settings.trial_searches`` (50; the captures show it falling by
one per paid call) — in every paid response. Either running out answers 402.
"""

from __future__ import annotations

import hashlib
import importlib
import math
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from ._clock import Clock
from ._http import ApiError, Request, Response, Route, Router, field_error
from ._prices import TRIAL_CREDITS

if TYPE_CHECKING:  # pragma: no cover
    from contextlib import AbstractContextManager

    import httpx

    from ._faults import Faults

__all__ = [
    "Account",
    "ApiKey",
    "Ctx",
    "LogEntry",
    "RequestLog",
    "Sandbox",
    "Settings",
    "iso",
    "parse_datetime",
]

#: Handler modules whose ``router`` the sandbox serves. ``_creators`` belongs to the world
#: engineer; a module that cannot be imported yet simply leaves its routes answering 404.
HANDLER_MODULES = (
    "_creators",
    "_exclusion",
    "_keys",
    "_oauth",
    "_batch",
    "_listening",
)

NOT_FOUND = {"detail": "Not found."}
NO_CREDENTIALS = {"detail": "Authentication credentials were not provided."}
INVALID_TOKEN = {"detail": "Invalid token."}
CENT = Decimal("0.0001")


@dataclass(frozen=True)
class Settings:
    """Choices where the sources disagree (REFERENCE.md §15/§16) and the sandbox's knobs."""

    #: First discovery page: 0 (newest vendor code) or 1 (the FAQ) — §15 #1.
    page_base: int = 0
    #: ``credits_left`` as a string like ``"99.20"`` (docs) instead of a number (captures).
    credits_left_as_string: bool = False
    #: Requests per minute per account (§2).
    rate_limit_per_minute: int = 300
    #: Only the first results of a discovery query are reachable (§3.1).
    max_results: int = 10000
    #: Email enrichment price (§15 #3) and posts price per page (§15 #4).
    email_price: float = 0.05
    posts_price: float = 0.03
    #: Send ``Retry-After`` on 429 (DRF does; the vendor does not document it, §2).
    retry_after_header: bool = True
    #: Paid calls a trial account may make (``trial_searches_left`` starts here).
    trial_searches: int = 50
    #: Batch rows processed per second of sandbox clock (§11; drives the state machine).
    batch_rows_per_second: float = 5.0
    #: Lifetime of OAuth access tokens and refresh tokens, seconds (§13.3).
    oauth_access_ttl: int = 3600
    oauth_refresh_ttl: int = 30 * 86400
    #: Lifetime of a batch download link, seconds (§11.4 example: 3600).
    download_ttl: int = 3600


@dataclass
class ApiKey:
    """An API key of an account (§13.2). The token never shows in a repr."""

    id: int
    name: str
    token: str = field(repr=False)
    created_at: datetime
    scopes: list[str] = field(default_factory=lambda: ["all"])
    active: bool = True
    expires_at: datetime | None = None
    last_used_at: datetime | None = None

    def usable(self, now: datetime) -> bool:
        return self.active and (self.expires_at is None or now < self.expires_at)


@dataclass
class Account:
    """One customer account: balance, credentials and everything it owns."""

    id: str
    name: str
    balance: Decimal
    trial: bool = False
    used: Decimal = Decimal(0)
    trial_searches_left: int = 0
    api_keys: list[ApiKey] = field(default_factory=list)
    #: exclusion lists by id (§7); the discovery handlers read these.
    exclusion_lists: dict[int, Any] = field(default_factory=dict)
    #: per-module state (batches, listening, ...), created on first use.
    state: dict[str, Any] = field(default_factory=dict, repr=False)
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False, compare=False)

    #: the key the sandbox handed out when it made the account
    primary_key: ApiKey | None = field(default=None, repr=False)

    @property
    def api_key(self) -> str:
        """The token of the key the sandbox handed out (``sb.api_key``)."""
        key = self.primary_key or self.api_keys[0]
        return key.token

    def debit(self, amount: Decimal) -> None:
        """Take ``amount`` off the balance unconditionally (callers check first)."""
        with self.lock:
            self.balance -= amount
            self.used += amount


@dataclass
class LogEntry:
    """One line of the request log. Holds no credential, query string or body."""

    time: datetime
    method: str
    path: str
    operation: str | None
    status: int | None  # None when the connection was dropped
    charged: float
    fault: str | None = None


class RequestLog:
    """What was asked and what was charged, oldest first (``sb.log``)."""

    def __init__(self, maxlen: int = 10000) -> None:
        self._entries: deque[LogEntry] = deque(maxlen=maxlen)
        self._lock = threading.Lock()
        self.listeners: list[Callable[[LogEntry], None]] = []

    def append(self, entry: LogEntry) -> None:
        with self._lock:
            self._entries.append(entry)
        for listener in self.listeners:
            listener(entry)

    def __iter__(self) -> Iterator[LogEntry]:
        with self._lock:
            return iter(list(self._entries))

    def __len__(self) -> int:
        return len(self._entries)

    def __getitem__(self, index: int) -> LogEntry:
        with self._lock:
            return list(self._entries)[index]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    @property
    def total_charged(self) -> float:
        return round(sum(e.charged for e in self), 4)

    def to_dicts(self) -> list[dict[str, Any]]:
        return [
            {
                "time": e.time.isoformat(),
                "method": e.method,
                "path": e.path,
                "operation": e.operation,
                "status": e.status,
                "charged": e.charged,
                "fault": e.fault,
            }
            for e in self
        ]


class Ctx:
    """What a handler sees: the world, the clock, the settings and the caller's account."""

    def __init__(self, sandbox: Sandbox, account: Account | None, req: Request) -> None:
        self.sandbox = sandbox
        self.world = sandbox.world
        self.clock = sandbox.clock
        self.settings = sandbox.settings
        self.account: Account = account  # type: ignore[assignment]  # None on open routes
        self.request = req
        self.charged = Decimal(0)
        self._searches_taken = 0

    @property
    def base_url(self) -> str:
        """``scheme://host`` the caller used, for absolute URLs (download links, paging)."""
        proto = self.request.headers.get("x-forwarded-proto", "http")
        host = self.request.headers.get("host", "sandbox.invalid")
        return f"{proto}://{host}"

    def now(self) -> datetime:
        return self.clock.now()

    def charge(self, amount: float) -> None:
        """Bill the account ``amount`` credits; 402 and nothing billed when it is short (§2)."""
        cost = _dec(amount)
        if cost <= 0:
            return
        acct = self.account
        with acct.lock:
            if acct.trial and acct.trial_searches_left - self._searches_taken <= 0:
                raise ApiError(
                    402, {"detail": "Insufficient credits. The trial's searches are used up."}
                )
            if acct.balance < cost:
                raise ApiError(
                    402,
                    {
                        "detail": f"Insufficient credits. This request needs {float(cost)} "
                        f"credits and {float(acct.balance)} are left."
                    },
                )
            acct.debit(cost)
            self.charged += cost
            if acct.trial and self._searches_taken == 0:
                self._searches_taken = 1
                acct.trial_searches_left -= 1

    def envelope(self, cost: float) -> dict[str, Any]:
        """``credits_cost``/``credits_left`` (+ ``trial_searches_left``) after a charge (§3.2)."""
        left = self.account.balance
        out: dict[str, Any] = {
            "credits_cost": cost,
            "credits_left": f"{left:.2f}" if self.settings.credits_left_as_string else _num(left),
        }
        if self.account.trial:
            out["trial_searches_left"] = self.account.trial_searches_left
        return out

    def page_url(self, page: int | None) -> str | None:
        """This request's absolute URL with ``page`` replaced (DRF ``next``/``previous``)."""
        if page is None:
            return None
        from urllib.parse import urlencode

        query = {k: v[0] for k, v in self.request.query.items() if k != "page"}
        query["page"] = str(page)
        return f"{self.base_url}{self.request.path}?{urlencode(query)}"


def iso(when: datetime | None) -> str | None:
    """ISO 8601 in UTC with a ``Z``, as DRF writes datetimes (``None`` stays ``None``)."""
    if when is None:
        return None
    return when.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def parse_datetime(value: Any, field_name: str) -> datetime | None:
    """An ISO 8601 request value (``None`` allowed) or DRF's 400 field error."""
    if value is None:
        return None
    try:
        when = datetime.fromisoformat(str(value))
    except ValueError:
        raise field_error(
            field_name,
            "Datetime has wrong format. Use one of these formats instead: "
            "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].",
        ) from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _dec(amount: float | Decimal | str) -> Decimal:
    return Decimal(str(amount)).quantize(CENT, rounding=ROUND_HALF_UP)


def _num(value: Decimal) -> float | int:
    """A JSON number for a balance: ``5.23``, never ``5.2299999``."""
    return float(value.quantize(CENT).normalize()) if value else 0.0


class _RateLimiter:
    """Sliding 60-second window per account (REFERENCE.md §2, §16)."""

    WINDOW = 60.0

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._clock0 = clock.now()
        self._mono0 = time.monotonic()
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _time(self) -> float:
        real = time.monotonic() - self._mono0
        # a fixed clock adds only what tests advanced; a real clock already follows real time
        advanced = (self._clock.now() - self._clock0).total_seconds()
        frozen = self._clock.frozen
        return real + advanced if frozen else max(real, advanced)

    def hit(self, key: str, limit: int) -> float | None:
        """Record a request; ``None`` if allowed, else seconds until the window has room."""
        now = self._time()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - self.WINDOW:
                hits.popleft()
            if len(hits) >= limit:
                return max(hits[0] + self.WINDOW - now, 0.001)
            hits.append(now)
            return None


class Sandbox:
    """An offline, deterministic stand-in for the Influencers Club API.

    >>> sb = Sandbox(creators=200)
    >>> import httpx
    >>> with httpx.Client(transport=sb.transport(), base_url="http://sandbox") as http:
    ...     r = http.get("/public/v1/accounts/credits/",
    ...                  headers={"Authorization": f"Bearer {sb.api_key}"})
    >>> r.json()
    {'credits_available': 1000.0, 'credits_used': 0.0}
    """

    def __init__(
        self,
        seed: int = 7,
        creators: int = 5000,
        clock: Clock | None = None,
        settings: Settings | None = None,
        credits: float = 1000.0,
        trial: bool = False,
    ) -> None:
        from ._faults import Faults

        self.seed = seed
        self.clock = clock or Clock.fixed()
        self.settings = settings or Settings()
        self.world = _make_world(seed, creators)
        self.faults: Faults = Faults(seed)
        self.log = RequestLog()
        self.accounts: list[Account] = []
        self.state: dict[str, Any] = {}  # per-module sandbox-wide state (OAuth clients, ...)
        self._counters: dict[str, int] = {}
        self._lock = threading.RLock()
        self._limiter = _RateLimiter(self.clock)
        self.router = Router()
        self.missing_modules: list[str] = []
        for name in HANDLER_MODULES:
            try:
                module = importlib.import_module(f"{__package__}.{name}")
            except ImportError:
                self.missing_modules.append(name)
                continue
            self.router.routes.extend(module.router.routes)
            install = getattr(module, "install", None)
            if install is not None:  # modules with time-driven state hook into tick()
                install(self)
        self.account = self.add_account("Sandbox account", credits=credits, trial=trial)

    # ----------------------------------------------------------------- public helpers
    @property
    def api_key(self) -> str:
        """A valid API key of the default account (fake: ``sk_sandbox_`` + hex)."""
        return self.account.api_key

    def __repr__(self) -> str:
        return (
            f"Sandbox(seed={self.seed}, creators={len(getattr(self.world, 'creators', []))}, "
            f"credits={float(self.account.balance)}, trial={self.account.trial})"
        )

    def add_account(
        self, name: str = "Other account", credits: float = 1000.0, *, trial: bool = False
    ) -> Account:
        """A further account with one API key (e.g. to test "not yours" answers)."""
        with self._lock:
            n = self.next_id("account")
            balance = min(_dec(credits), _dec(TRIAL_CREDITS)) if trial else _dec(credits)
            acct = Account(
                id=f"acc_{n}",
                name=name,
                balance=balance,
                trial=trial,
                trial_searches_left=self.settings.trial_searches if trial else 0,
            )
            acct.primary_key = self.new_api_key(acct, "Default key")
            self.accounts.append(acct)
            return acct

    def new_api_key(
        self,
        account: Account,
        name: str,
        *,
        expires_at: datetime | None = None,
        scopes: list[str] | None = None,
    ) -> ApiKey:
        """Mint a key for ``account``; deterministic for the seed (ids and tokens)."""
        with self._lock:
            n = self.next_id("api_key")
            key = ApiKey(
                id=n,
                name=name,
                token="sk_sandbox_" + self.token_hex("api_key", n, 40),
                created_at=self.clock.now(),
                scopes=list(scopes or ["all"]),
                expires_at=expires_at,
            )
            account.api_keys.append(key)
            return key

    def add_credits(self, amount: float, account: Account | None = None) -> float:
        """Top up an account (default: the sandbox's own); returns the new balance."""
        acct = account or self.account
        with acct.lock:
            acct.balance += _dec(amount)
            return float(acct.balance)

    @property
    def credits(self) -> float:
        """The default account's balance."""
        return float(self.account.balance)

    def next_id(self, kind: str) -> int:
        """1, 2, 3... per kind: deterministic ids for everything the sandbox creates."""
        with self._lock:
            self._counters[kind] = self._counters.get(kind, 0) + 1
            return self._counters[kind]

    def token_hex(self, kind: str, n: int | str, length: int = 32) -> str:
        """Deterministic hex for ids and fake secrets, derived from the seed."""
        digest = hashlib.sha256(f"{self.seed}:{kind}:{n}".encode()).hexdigest()
        while len(digest) < length:
            digest += hashlib.sha256(digest.encode()).hexdigest()
        return digest[:length]

    def operation_names(self) -> set[str]:
        """The endpoints.json operation names this sandbox routes."""
        return {r.name for r in self.router.routes}

    # ----------------------------------------------------------------- runners
    def transport(self) -> httpx.BaseTransport:
        """An httpx transport answering in-process (no port)."""
        from ._transport import SandboxTransport

        return SandboxTransport(self)

    def async_transport(self) -> httpx.AsyncBaseTransport:
        """The async twin of :meth:`transport` (never blocks the event loop)."""
        from ._transport import AsyncSandboxTransport

        return AsyncSandboxTransport(self)

    def serve(self, port: int = 0, host: str = "127.0.0.1") -> AbstractContextManager[str]:
        """Run a real HTTP server on loopback in a thread; yields its base URL."""
        from ._server import serve

        return serve(self, port=port, host=host)

    # ----------------------------------------------------------------- dispatch
    def authenticate(self, req: Request) -> Account:
        """The account behind the request's bearer credential, or a 401."""
        if not req.headers.get("authorization", "").strip():
            raise ApiError(401, NO_CREDENTIALS, {"www-authenticate": 'Bearer realm="api"'})
        token = req.bearer()
        if token is None:
            raise ApiError(401, NO_CREDENTIALS, {"www-authenticate": 'Bearer realm="api"'})
        now = self.clock.now()
        for acct in self.accounts:
            for key in acct.api_keys:
                if key.token == token:
                    if not key.usable(now):
                        break
                    key.last_used_at = now
                    return acct
        resolver = self.state.get("oauth_resolver")
        if resolver is not None:
            acct = resolver(token, now)
            if acct is not None:
                return acct
        raise ApiError(401, INVALID_TOKEN, {"www-authenticate": 'Bearer realm="api"'})

    def handle(self, req: Request) -> Response:
        """Answer one request. I/O-free: delays and drops are *described* on the response
        (``resp.delay``, ``resp.drop``) for the transport or server to act out."""
        from ._faults import FaultResponse

        route: Route | None = None
        ctx: Ctx | None = None
        fault_name: str | None = None
        try:
            matched = self.router.match(req.method, req.path)
            if matched is None:
                raise ApiError(404, NOT_FOUND)
            route, params = matched
            before = self.faults.pick(route.name, "before")
            if before is not None:
                fault_name = before.kind
                resp = before.respond(self.settings)
            else:
                account = self.authenticate(req) if route.auth else None
                if account is not None:
                    wait = self._limiter.hit(account.id, self.settings.rate_limit_per_minute)
                    if wait is not None:
                        raise throttled(wait, self.settings)
                    self.tick(account)
                ctx = Ctx(self, account, req)
                resp = self._call(route, ctx, params)
        except ApiError as err:
            resp = err.to_response()
        if route is not None and resp.status < 500 and fault_name is None:
            after = self.faults.pick(route.name, "after")
            if after is not None:
                fault_name = after.kind
                resp = after.apply(resp)
        charged = float(ctx.charged) if ctx is not None else 0.0
        dropped = isinstance(resp, FaultResponse) and resp.drop
        self.log.append(
            LogEntry(
                time=self.clock.now(),
                method=req.method,
                path=req.path,
                operation=route.name if route else None,
                status=None if dropped else resp.status,
                charged=charged,
                fault=fault_name,
            )
        )
        return resp

    def _call(self, route: Route, ctx: Ctx, params: dict[str, str]) -> Response:
        try:
            out = route.handler(ctx, ctx.request, **params)
        except ApiError:
            raise
        if isinstance(out, Response):
            return out
        return Response.json(out)

    def tick(self, account: Account) -> None:
        """Let time-driven state (batch jobs, listening accruals) catch up with the clock."""
        for hook in list(self.state.get("tick_hooks", [])):
            hook(self, account)

    def register_tick(self, hook: Callable[[Sandbox, Account], None]) -> None:
        hooks = self.state.setdefault("tick_hooks", [])
        if hook not in hooks:
            hooks.append(hook)


def throttled(wait: float, settings: Settings) -> ApiError:
    """DRF's throttle answer (§16): 429, ``Expected available in N seconds.``"""
    seconds = max(1, math.ceil(wait))
    headers = {"retry-after": str(seconds)} if settings.retry_after_header else {}
    return ApiError(
        429,
        {"detail": f"Request was throttled. Expected available in {seconds} seconds."},
        headers,
    )


def _make_world(seed: int, size: int) -> Any:
    """The synthetic world of the world engineer's ``_world`` module (None until it exists)."""
    try:
        from ._world import World
    except ImportError:
        return None
    return World(seed=seed, size=size)
