"""The enrich_many journal: every paid result written to the store the moment it arrives.

A loop over 100 handles that dies at 60 (kernel restart, crash, Ctrl-C) has paid for 60
answers. Each of those answers is in the journal before the next request goes out, keyed
by what was asked (server and credential fingerprint, operation, platform, options,
canonical input) so the same call run again reads them back instead of paying again.

Entries live in the store namespace ``"enrich_journal"`` (SQLite by default, PostgreSQL
for a team; see ``toolkit.store``) for ``ttl`` seconds, 30 days unless told otherwise:
after that a profile is stale enough to be worth paying for again.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

__all__ = ["DEFAULT_TTL", "NAMESPACE", "Journal", "JournalEntry", "StoreLike", "client_store"]

NAMESPACE = "enrich_journal"
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
        doc = {"data": data, "credits_cost": credits_cost, "fetched_at": time.time()}
        self.store.put(
            NAMESPACE, self.key(value), json.dumps(doc, default=str).encode(), ttl=self.ttl
        )

    def forget(self, value: str) -> None:
        """Drop one answer so the next run fetches (and pays for) it again."""
        self.store.delete(NAMESPACE, self.key(value))
