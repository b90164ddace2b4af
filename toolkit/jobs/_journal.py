"""The enrich_many journal: every paid result written to the store the moment it arrives.

A loop over 100 handles that dies at 60 (kernel restart, crash, Ctrl-C) has paid for 60
answers. Each of those answers is in the journal before the next request goes out, keyed
by what was asked (server and credential fingerprint, operation, platform, options,
canonical input) so the same call run again reads them back instead of paying again.

Entries live in the store namespace ``"enrich_journal"`` (SQLite by default, PostgreSQL
for a team; see ``toolkit.store``) for ``ttl`` seconds, 30 days unless told otherwise:
after that a profile is stale enough to be worth paying for again.

Around each paid send two more records (same key): a *claim* (``"enrich_claims"``,
``toolkit.store._claims``) so that processes sharing the store never pay twice for one
creator, and an *intent* (``"enrich_intents"``), written before the send and removed once
its outcome is filed. An intent still there when no one holds the claim is a request that
was in flight when its run stopped (a crash, a kill): it may have been charged, and the
next run says so instead of silently buying it again.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from toolkit.store._claims import Claims, owner

__all__ = [
    "CLAIMS",
    "DEFAULT_TTL",
    "INTENTS",
    "NAMESPACE",
    "Journal",
    "JournalEntry",
    "StoreLike",
    "client_store",
]

NAMESPACE = "enrich_journal"
CLAIMS = "enrich_claims"
INTENTS = "enrich_intents"

# Paid answers the store refused (full, read-only, gone), per (store, journal key): held
# in this process until a run of the same journal can write them (Journal.flush).
_UNSTORED: dict[tuple[str, str], bytes] = {}
_UNSTORED_LOCK = threading.Lock()
DEFAULT_TTL = 30 * 86400.0


class StoreLike(Protocol):
    """The part of ``toolkit.store.Store`` the jobs use."""

    def get(self, ns: str, key: str) -> bytes | None: ...
    def put(self, ns: str, key: str, value: bytes, *, ttl: float | None = None) -> None: ...
    def add(self, ns: str, key: str, value: bytes, *, ttl: float | None = None) -> bool: ...
    def delete(self, ns: str, key: str) -> None: ...
    def items(self, ns: str, prefix: str = "") -> Any: ...


def client_store(client: Any) -> StoreLike:
    """The store a client already uses for its response cache (``Client(store=...)``), so the
    cache, the journal and the registry of one client live in one place."""
    cache = getattr(client, "cache", None)
    store = getattr(cache, "store", None)
    if store is None:
        from toolkit.store import open_store

        store = open_store()
    return store


@dataclass(frozen=True)
class JournalEntry:
    """One journaled answer: the ``result`` object, what it cost, when it was fetched."""

    data: Any
    credits_cost: float | None
    fetched_at: float


class Journal:
    """Journaled answers of one kind of request (operation, platform, options) for one scope.

    ``scope``: a fingerprint of server and credential (never the credential itself), so
    one account's paid answers are never served to another's requests.
    """

    def __init__(
        self,
        store: StoreLike,
        *,
        scope: str,
        operation: str,
        platform: str | None,
        options: Mapping[str, Any] | None = None,
        ttl: float | None = DEFAULT_TTL,
    ) -> None:
        self.store = store
        self.ttl = ttl
        opts = json.dumps(dict(options or {}), sort_keys=True, default=str)
        digest = hashlib.sha256(opts.encode()).hexdigest()[:12]
        self.prefix = f"{scope}/{operation}/{platform or '-'}/{digest}/"
        self.claims = Claims(store, CLAIMS)
        self.where = str(getattr(store, "name", None) or repr(store))

    def key(self, value: str) -> str:
        return self.prefix + value

    def get(self, value: str) -> JournalEntry | None:
        """The journaled answer for ``value``, or ``None`` (never fetched, or expired)."""
        raw = self.store.get(NAMESPACE, self.key(value))
        if raw is None:
            return None
        doc = json.loads(raw)
        return JournalEntry(doc.get("data"), doc.get("credits_cost"), doc.get("fetched_at", 0.0))

    def record(self, value: str, data: Any, credits_cost: float | None) -> None:
        """Write one answer; called before the next request of the same worker is sent."""
        self.write(value, self.document(data, credits_cost))

    def forget(self, value: str) -> None:
        """Drop one answer so the next run fetches (and pays for) it again."""
        self.store.delete(NAMESPACE, self.key(value))

    def document(self, data: Any, credits_cost: float | None) -> bytes:
        """One answer as the journal stores it (also what is kept in memory if it fails)."""
        doc = {"data": data, "credits_cost": credits_cost, "fetched_at": time.time()}
        return json.dumps(doc, default=str).encode()

    def write(self, value: str, raw: bytes) -> None:
        """Store one answer already made into a document (:meth:`document`)."""
        self.store.put(NAMESPACE, self.key(value), raw, ttl=self.ttl)

    # ------------------------------------------------------------ claims and intents
    def claim(self, value: str) -> bool:
        """Claim ``value`` before paying for it: False if a live process holds it."""
        return self.claims.take(self.key(value))

    def held_elsewhere(self, value: str) -> bool:
        """Whether a live process (or another run of this one) is paying for ``value``."""
        return self.claims.holder(self.key(value)) is not None

    def release(self, value: str) -> None:
        self.claims.release(self.key(value))

    def intend(self, value: str) -> None:
        """Record that ``value`` is about to be sent (and may be charged from now on)."""
        doc = {**owner(), "at": time.time()}
        self.store.put(INTENTS, self.key(value), json.dumps(doc).encode(), ttl=self.ttl)

    def settle(self, value: str) -> None:
        """The outcome of ``value``'s request is filed: its intent is no longer open."""
        self.store.delete(INTENTS, self.key(value))

    def intents(self) -> dict[str, float]:
        """Open intents of this journal: canonical value -> when it was sent (epoch s)."""
        out: dict[str, float] = {}
        for key, raw in self.store.items(INTENTS, self.prefix):
            try:
                at = float(json.loads(raw).get("at") or 0.0)
            except (ValueError, AttributeError):
                at = 0.0
            out[key[len(self.prefix) :]] = at
        return out

    # ------------------------------------------------------------ answers the store refused
    def hold(self, value: str, raw: bytes) -> None:
        """Keep a paid answer the store refused, in this process, for :meth:`flush`."""
        with _UNSTORED_LOCK:
            _UNSTORED[(self.where, self.key(value))] = raw

    def held(self) -> list[str]:
        """Canonical values whose paid answers this process holds for this journal."""
        n = len(self.prefix)
        with _UNSTORED_LOCK:
            return [k[n:] for w, k in _UNSTORED if w == self.where and k.startswith(self.prefix)]

    def flush(self) -> int:
        """Write the held answers to the store (their intents settled); how many.

        Raises :class:`~toolkit.store.StoreError` if the store still refuses them; what is
        not written stays held.
        """
        done = 0
        for value in self.held():
            key = self.key(value)
            with _UNSTORED_LOCK:
                raw = _UNSTORED.get((self.where, key))
            if raw is None:
                continue
            self.write(value, raw)
            self.settle(value)
            with _UNSTORED_LOCK:
                _UNSTORED.pop((self.where, key), None)
            done += 1
        return done
