"""The response cache: an identical paid request, asked again, is answered locally for free.

The API charges every call, identical repeats included, and notebooks
re-run cells all day. So a successful answer of a cacheable operation is kept in the store
(``toolkit.store``: SQLite under the user's cache dir, or the team's PostgreSQL) for a time
to live per operation, and the same request within that time is answered from it: the
ledger gets an entry with ``cached=True``, ``credits_cost`` 0 and the ``credits_saved``.

The key is a SHA-256 of the method, the path, the query, the body as canonical JSON
(sorted keys) and the *scope*: a fingerprint of server and credential (never the
credential itself), so one account's answers are never served to another's requests.
Why not hishel: its keys for POST requests hash the body alone (not the URL, not the
credential), so two endpoints or two accounts with the same body would share an entry; and
a cache below the client could not put hits in the ledger with the credits they saved.

Modes, per client (``Client(cache="off")``) or per block (``with client.cache.mode(m):``):

======================  ====================================================================
``"use"`` (default)     answer from the cache when fresh, else send and store the answer
``"refresh"``           always send, and store the fresh answer
``"only-cache"``        offline: answer from the cache or raise :class:`CacheMissError`;
                        nothing is ever sent, not even free calls
``"off"``               neither read nor write the cache
======================  ====================================================================

>>> import toolkit as ic
>>> client = ic.connect(quiet=True)
>>> with client.cache.mode("refresh"):
...     fresh = client.dictionary.languages()
>>> client.dictionary.languages().cached
True
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from toolkit import _operations
from toolkit._config import credential_fingerprint
from toolkit._exceptions import InfluencersClubError
from toolkit._format import number

if TYPE_CHECKING:  # pragma: no cover
    from toolkit._call import Call
    from toolkit._results import Result
    from toolkit.store import Store

__all__ = [
    "DEFAULT_TTLS",
    "MODES",
    "Cache",
    "CacheMissError",
    "CacheMode",
    "CacheStats",
]

CacheMode = Literal["use", "refresh", "only-cache", "off"]
MODES: tuple[str, ...] = ("use", "refresh", "only-cache", "off")
NAMESPACE = "response_cache"

#: Seconds an answer stays fresh, per operation (each row's ``ttl`` in
#: ``toolkit._operations``): a week for the reference lists, a day for the paid reads, whose
#: profiles and pages move daily. Only these are cached; balances, batch status, listening
#: state and every create/update/delete never are.
DEFAULT_TTLS: Mapping[str, float] = {
    op.name: op.ttl for op in _operations.BY_NAME.values() if op.ttl is not None
}


class CacheMissError(InfluencersClubError):
    """``only-cache`` mode and no fresh cached answer: nothing was sent."""

    def __init__(self, operation: str) -> None:
        self.operation = operation
        super().__init__(
            f"{operation}: no cached answer and the cache mode is 'only-cache', so nothing "
            "was sent (run it once with the cache in 'use' mode, or leave the block)"
        )


@dataclass(frozen=True)
class CacheStats:
    """What the cache did for this client, and what it holds for this client's credential."""

    mode: str
    hits: int
    misses: int
    stored: int
    credits_saved: float
    entries: int

    def __repr__(self) -> str:
        return (
            f"CacheStats(mode={self.mode!r}, hits={number(self.hits)}, "
            f"misses={number(self.misses)}, stored={number(self.stored)}, "
            f"credits_saved={number(self.credits_saved)}, entries={number(self.entries)})"
        )


class Cache:
    """``client.cache``: the mode, the TTLs, statistics and clearing.

    Parameters
    ----------
    scope: the fingerprint naming the account (server + credential, or a team scope).
    mode: the client's default mode (see the module docstring).
    ttl: seconds per operation, overriding :data:`DEFAULT_TTLS` (0 or None: not cached).
    store: a :class:`toolkit.store.Store`, or None to open the default one when first needed.
    owns_store: close ``store`` with the client (it was opened for it, from a URL).
    """

    def __init__(
        self,
        scope: str,
        *,
        mode: str = "use",
        ttl: Mapping[str, float | None] | None = None,
        store: Store | None = None,
        owns_store: bool = False,
    ) -> None:
        self._scope = scope
        self.default_mode = _check_mode(mode)
        self.ttl: dict[str, float] = dict(DEFAULT_TTLS)
        for op, seconds in (ttl or {}).items():
            if seconds:
                self.ttl[op] = float(seconds)
            else:
                self.ttl.pop(op, None)
        self._store = store
        self._owns_store = owns_store or store is None  # opened here: closed here
        self._closed = False
        self._lock = threading.Lock()
        self._blocks: list[str] = []
        self._hits = self._misses = self._stored = 0
        self._saved = 0.0

    # ----------------------------------------------------------------- modes
    @property
    def current_mode(self) -> str:
        """The mode a call made now would use: the innermost open block's, else the default."""
        with self._lock:
            return self._blocks[-1] if self._blocks else self.default_mode

    @contextmanager
    def mode(self, mode: CacheMode) -> Iterator[Cache]:
        """Use ``mode`` for every call this client makes until the block closes.

        The block covers calls from any thread or task of this client, so an offline
        (``only-cache``) block can never be bypassed by a worker thread.
        """
        _check_mode(mode)
        with self._lock:
            self._blocks.append(mode)
        try:
            yield self
        finally:
            with self._lock:
                # remove this block's entry (blocks of several threads may close out of order)
                idx = len(self._blocks) - 1 - self._blocks[::-1].index(mode)
                del self._blocks[idx]

    # ----------------------------------------------------------------- the store
    @property
    def scope(self) -> str:
        """Whose answers this cache holds: the fingerprint its entries are filed under."""
        return self._scope

    @property
    def store(self) -> Store:
        """The store holding the answers, opened on first use (see ``toolkit.store``)."""
        if self._closed:
            raise InfluencersClubError("the client is closed: its cache store is too")
        if self._store is None:
            from toolkit.store import open_store

            with self._lock:
                if self._store is None:
                    self._store = open_store()
        return self._store

    def key(self, call: Call) -> str:
        """The entry's key: scope, operation and a hash of everything the request says."""
        files = {
            name: [fname, hashlib.sha256(content).hexdigest(), ctype]
            for name, (fname, content, ctype) in (call.files or {}).items()
        }
        described = {
            "method": call.method,
            "path": call.path,
            "query": {k: _jsonable(v) for k, v in call.query.items()},
            "json": None if not _given(call.json) else call.json,
            "form": call.form,
            "files": files,
        }
        canonical = json.dumps(
            described, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
        )
        digest = hashlib.sha256(canonical.encode()).hexdigest()
        return f"{self._scope}:{call.operation}:{digest}"

    def cacheable(self, call: Call) -> bool:
        return self.ttl.get(call.operation, 0.0) > 0

    def lookup(self, call: Call, key: str, *, count: bool = True) -> Result | None:
        """The cached result for ``call``, or None (counted as a hit or, with ``count``, a
        miss: a second look at the same request, after claiming it, is not a new miss)."""
        raw = self.store.get(NAMESPACE, key)
        if raw is None:
            if count:
                with self._lock:
                    self._misses += 1
            return None
        entry = json.loads(zlib.decompress(raw))
        from toolkit._results import result_class

        saved = float(entry.get("credits_cost") or 0.0)
        result = result_class(call.operation).from_body(
            entry["data"],
            call.operation,
            params=call.params,
            status_code=int(entry.get("status_code", 200)),
            attempts=0,
            request_id=entry.get("request_id"),
        )
        # nothing was spent now: the answer's own cost is what the cache saved
        result.credits_cost, result.credits_left = 0.0, None
        result.cached, result.credits_saved = True, saved
        result.cached_at = entry.get("stored_at")
        with self._lock:
            self._hits += 1
            self._saved += saved
        return result

    def save(self, call: Call, key: str, result: Result) -> None:
        """Keep a successful answer for the operation's TTL."""
        entry = {
            "data": result.data,
            "status_code": result.status_code,
            "credits_cost": result.credits_cost,
            "request_id": result.request_id,
            "stored_at": time.time(),
        }
        try:
            raw = zlib.compress(json.dumps(entry, separators=(",", ":")).encode(), 1)
        except (TypeError, ValueError):
            return  # not JSON (cannot happen for parsed bodies); simply not cached
        self.store.put(NAMESPACE, key, raw, ttl=self.ttl[call.operation])
        with self._lock:
            self._stored += 1

    # ----------------------------------------------------------------- for the user
    def stats(self) -> CacheStats:
        """Hits, misses and credits saved by this client; entries held for its credential."""
        entries = self.store.count(NAMESPACE, f"{self._scope}:")
        with self._lock:
            return CacheStats(
                mode=self._blocks[-1] if self._blocks else self.default_mode,
                hits=self._hits,
                misses=self._misses,
                stored=self._stored,
                credits_saved=round(self._saved, 4),
                entries=entries,
            )

    def clear(self, operation: str | None = None) -> int:
        """Forget this credential's cached answers (of one operation, or all); how many."""
        prefix = f"{self._scope}:" + (f"{operation}:" if operation else "")
        return self.store.delete_prefix(NAMESPACE, prefix)

    def close(self) -> None:
        """Close the store if this cache opened it (a store passed in stays open)."""
        with self._lock:
            store, self._store = (self._store, None) if self._owns_store else (None, self._store)
            self._closed = True
        if store is not None:
            store.close()

    def __repr__(self) -> str:
        s = self.stats()
        return (
            f"<Cache mode={s.mode!r} hits={number(s.hits)} misses={number(s.misses)} "
            f"credits_saved={number(s.credits_saved)} entries={number(s.entries)} "
            f"store={self.store!r}>"
        )


def client_cache(
    base_url: str,
    identity: str,
    *,
    mode: str | bool,
    ttl: Mapping[str, float | None] | None,
    scope: str | None,
    store: Store | str | None,
    transport: Any,
) -> Cache:
    """A client's cache from its ``cache=``, ``cache_ttl=``, ``cache_scope=`` and ``store=``
    (a Store, a URL for :func:`toolkit.store.open_store`, or None: opened when first needed)."""
    if isinstance(store, str):
        from toolkit.store import open_store

        opened: Store | None = open_store(store)
    else:
        opened = store
    return Cache(
        _client_scope(base_url, identity, scope, transport),
        mode="off" if mode is False else "use" if mode is True else mode,
        ttl=ttl,
        store=opened,
        owns_store=isinstance(store, str),
    )


def _client_scope(base_url: str, credential: str, scope: str | None, transport: Any) -> str:
    """Whose answers a cache entry holds: a hash of server and credential (never the
    credential), or of an explicit team ``scope``. The sandbox adds its world's identity,
    so two sandboxes with different seeds or sizes never share answers."""
    if scope is not None:
        return credential_fingerprint(base_url, f"scope:{scope}")
    sb = getattr(transport, "sandbox", None)
    if sb is not None:
        world = f"{getattr(sb, 'seed', '')}:{len(getattr(sb.world, 'creators', []))}"
        credential = f"{credential}\0sandbox:{world}:{getattr(sb, 'settings', '')!r}"
    return credential_fingerprint(base_url, credential)


def _check_mode(mode: str) -> str:
    if mode not in MODES:
        raise ValueError(f"cache mode must be one of {', '.join(map(repr, MODES))}, got {mode!r}")
    return mode


def _given(value: Any) -> bool:
    from toolkit._config import NOT_GIVEN

    return value is not NOT_GIVEN


def _jsonable(value: Any) -> Any:
    return value if isinstance(value, str | int | float | bool) or value is None else str(value)
