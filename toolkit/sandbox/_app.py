"""The sandbox application: accounts, credentials, rate limit, faults and dispatch.

:class:`Sandbox` is the I/O-free core: ``sb.handle(Request) -> Response``. The httpx
transports (``_transport``) and the loopback server (``_server``) only move bytes to and
from it, so both ways of running answer the same. Where each endpoint's behaviour lives:
``routes/`` (one module per API area, listed in ``routes/__init__.py`` and docs/sandbox.md).

Order of a request through :meth:`Sandbox.handle` (each step may answer on its own):

1. route match: 404 ``{"detail": "Not found."}`` / 405 (wrong method);
2. faults that fire *before* processing (``rate_limit``, ``status``, ``drop`` with
   ``phase="before"``) — nothing is billed;
3. authentication: ``Authorization: Bearer <API key or OAuth access
   token>``; 401 otherwise. A pasted ``Bearer Bearer x`` is *not* forgiven;
4. rate limit (``_ratelimit``): ``settings.rate_limit_per_minute`` per account over a
   sliding 60 s window; 429 with DRF's throttle wording and a ``Retry-After`` header;
5. the handler; :class:`~._ctx.Ctx` bills through ``Ctx.charge`` only when data returns;
6. faults that fire *after* processing (``slow``, ``malformed``, ``truncated``, ``drop``):
   the call was processed and billed, the client just does not learn it cleanly.

Trial accounts: 10 credits in total, and ``trial_searches_left`` — a count of paid
calls left, starting at ``settings.trial_searches`` (50; the captures show it falling by
one per paid call) — in every paid response. Either running out answers 402.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from toolkit._facts import SANDBOX_KEY_PREFIX

from . import routes
from ._accounts import Account, ApiKey, ChargeLog, to_credits
from ._clock import Clock
from ._ctx import Ctx
from ._faults import FaultResponse, Faults
from ._http import ApiError, Request, Response, Route, Router
from ._log import LogEntry, RequestLog
from ._ratelimit import RateLimiter, throttled
from ._settings import Settings
from .world import DEFAULT_SIZE, World
from .world.cache import MIN_CACHED

if TYPE_CHECKING:  # pragma: no cover
    from contextlib import AbstractContextManager

    import httpx

__all__ = ["Sandbox", "Settings"]

#: Trial accounts get this many credits in total.
TRIAL_CREDITS = 10.0
NOT_FOUND = {"detail": "Not found."}
NO_CREDENTIALS = {"detail": "Authentication credentials were not provided."}
INVALID_TOKEN = {"detail": "Invalid token."}
_CHALLENGE = {"www-authenticate": 'Bearer realm="api"'}


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
        creators: int = DEFAULT_SIZE,
        clock: Clock | None = None,
        settings: Settings | None = None,
        credits: float = 1000.0,
        trial: bool = False,
    ) -> None:
        self.seed = seed
        self.size = creators
        self.clock = clock or Clock.fixed()
        self.settings = settings or Settings()
        self.faults = Faults(seed)
        self.log = RequestLog()
        self.charges = ChargeLog()
        self.accounts: list[Account] = []
        self.state: dict[str, Any] = {}  # per-area sandbox-wide state (OAuth clients, ...)
        self._world: World | None = None
        self._world_loader: threading.Thread | None = None
        if creators >= MIN_CACHED:  # big worlds start loading now, while the caller gets ready
            self._world_loader = threading.Thread(
                target=self._load_world, name="sandbox-world", daemon=True
            )
            self._world_loader.start()
        self._counters: dict[str, int] = {}
        #: mixed into ids when set: a sandbox kept in a store and continued by several
        #: processes gives each its own ids (empty: ids depend on the seed alone)
        self.id_salt = ""
        self._lock = threading.RLock()
        self._limiter = RateLimiter(self.clock)
        self.router = Router()
        routes.install(self)
        self.account = self.add_account("Sandbox account", credits=credits, trial=trial)

    # ----------------------------------------------------------------- public helpers
    @property
    def world(self) -> World:
        """The synthetic world, built (or loaded from the disk cache) on first use.

        A world of ``MIN_CACHED`` creators or more starts loading in a background thread
        when the sandbox is made, so the first call finds it ready or nearly so.
        """
        if self._world is None:
            loader = self._world_loader
            if loader is not None:
                loader.join()
            with self._lock:
                if self._world is None:  # small worlds, or the loader failed
                    self._world = World.load(seed=self.seed, size=self.size)
        return self._world

    def _load_world(self) -> None:
        world = World.load(seed=self.seed, size=self.size)
        self._world = world

    @property
    def api_key(self) -> str:
        """A valid API key of the default account (fake: ``sk_sandbox_`` + hex)."""
        return self.account.api_key

    @property
    def missing_modules(self) -> tuple[str, ...]:
        """Always empty: route modules are imported explicitly, so none can be missing."""
        return ()

    def __repr__(self) -> str:
        return (
            f"Sandbox(seed={self.seed}, creators={self.size}, "
            f"credits={float(self.account.balance)}, trial={self.account.trial})"
        )

    def add_account(
        self, name: str = "Other account", credits: float = 1000.0, *, trial: bool = False
    ) -> Account:
        """A further account with one API key (e.g. to test "not yours" answers)."""
        with self._lock:
            n = self.next_id("account")
            amount = min(credits, TRIAL_CREDITS) if trial else credits
            acct = Account(
                id=f"acc_{n}",
                name=name,
                balance=to_credits(amount),
                trial=trial,
                trial_searches_left=self.settings.trial_searches if trial else 0,
                charges=self.charges,
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
                token=SANDBOX_KEY_PREFIX + self.token_hex("api_key", n, 40),
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
            acct.balance += to_credits(amount)
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
        """Deterministic hex for ids and fake secrets, derived from the seed (and
        :attr:`id_salt` when set)."""
        salt = f"{self.id_salt}:" if self.id_salt else ""
        digest = hashlib.sha256(f"{self.seed}:{salt}{kind}:{n}".encode()).hexdigest()
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
            raise ApiError(401, NO_CREDENTIALS, _CHALLENGE)
        token = req.bearer()
        if token is None:
            raise ApiError(401, NO_CREDENTIALS, _CHALLENGE)
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
        raise ApiError(401, INVALID_TOKEN, _CHALLENGE)

    def handle(self, req: Request) -> Response:
        """Answer one request. I/O-free: delays and drops are *described* on the response
        (``resp.delay``, ``resp.drop``) for the transport or server to act out."""
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
                resp = before.respond(retry_after_header=self.settings.retry_after_header)
            else:
                account = self.authenticate(req) if route.auth else None
                if account is not None:
                    wait = self._limiter.hit(account.id, self.settings.rate_limit_per_minute)
                    if wait is not None:
                        raise throttled(wait, retry_after_header=self.settings.retry_after_header)
                    self.tick(account)
                ctx = Ctx(self, account, req, route.name)
                out = route.handler(ctx, req, **params)
                resp = out if isinstance(out, Response) else Response.json(out)
        except ApiError as err:
            resp = err.to_response()
        if route is not None and resp.status < 500 and fault_name is None:
            after = self.faults.pick(route.name, "after")
            if after is not None:
                fault_name = after.kind
                resp = after.apply(resp)
        dropped = isinstance(resp, FaultResponse) and resp.drop
        self.log.append(
            LogEntry(
                time=self.clock.now(),
                method=req.method,
                path=req.path,
                operation=route.name if route else None,
                status=None if dropped else resp.status,
                charged=float(ctx.charged) if ctx is not None else 0.0,
                fault=fault_name,
            )
        )
        return resp

    def tick(self, account: Account) -> None:
        """Let time-driven state (batch jobs, listening accruals) catch up with the clock."""
        for hook in list(self.state.get("tick_hooks", [])):
            hook(self, account)

    def register_tick(self, hook: Callable[[Sandbox, Account], None]) -> None:
        hooks = self.state.setdefault("tick_hooks", [])
        if hook not in hooks:
            hooks.append(hook)
