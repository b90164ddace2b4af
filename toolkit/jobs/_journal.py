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
import os
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
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
    "spill_path",
    "store_identity",
]

NAMESPACE = "enrich_journal"
CLAIMS = "enrich_claims"
INTENTS = "enrich_intents"
DEFAULT_TTL = 30 * 86400.0

# Paid answers the store refused (full, read-only, gone), per (store, journal key): held
# in this process, and copied to a spill file (spill_path, owner-only)
# when it can be written, until a run of the same journal can store them (Journal.flush).
_UNSTORED: dict[tuple[str, str], bytes] = {}
_UNSTORED_LOCK = threading.Lock()


def spill_path(store: Any) -> Path:
    """The file holding answers ``store`` refused, for any later process: beside a SQLite
    file (in its private folder), else in the user's cache directory."""
    from toolkit.store import default_store_path

    path = getattr(store, "path", None)
    if isinstance(path, Path):
        return path.with_name(path.name + ".unstored.jsonl")
    name = hashlib.sha256(store_identity(store).encode()).hexdigest()[:16]
    return default_store_path().parent / "unstored" / f"{name}.jsonl"


def store_identity(store: Any) -> str:
    """What tells ``store`` from another (never a credential): a PostgreSQL store's whole
    URL without user or password (its query too: another ``search_path`` is another
    store), a SQLite store's path, else its name."""
    for attr in ("identity", "path", "name"):
        value = getattr(store, attr, None)
        if value:
            return str(value)
    return repr(store)


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
        self.where = str(getattr(store, "name", None) or repr(store))  # in messages
        self._held_in = store_identity(store)  # answers it refused: held per store

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

    def intent_at(self, value: str) -> float | None:
        """When ``value``'s open intent was recorded (epoch s), or None if there is none."""
        raw = self.store.get(INTENTS, self.key(value))
        if raw is None:
            return None
        try:
            return float(json.loads(raw).get("at") or 0.0)
        except (ValueError, AttributeError):
            return 0.0

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
    def hold(self, value: str, raw: bytes) -> Path | None:
        """Keep a paid answer the store refused, for :meth:`flush`: in this process, and in
        the spill file (its path; None if that could not be written either)."""
        key = self.key(value)
        with _UNSTORED_LOCK:
            _UNSTORED[(self._held_in, key)] = raw
        path = spill_path(self.store)
        line = json.dumps({"key": key, "raw": raw.decode()}) + "\n"
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line.encode())
            finally:
                os.close(fd)
        except OSError:
            return None
        return path

    def _spilled(self) -> dict[str, bytes]:
        """Journal key -> answer, from the spill file, for this journal."""
        out: dict[str, bytes] = {}
        try:
            lines = spill_path(self.store).read_text().splitlines()
        except OSError:
            return out
        for line in lines:
            try:
                doc = json.loads(line)
                key, raw = str(doc["key"]), str(doc["raw"]).encode()
            except (ValueError, KeyError, TypeError):
                continue  # a line cut short by a full disk
            if key.startswith(self.prefix):
                out[key] = raw
        return out

    def held(self) -> list[str]:
        """Canonical values whose paid answers are held (this process or the spill file)."""
        n = len(self.prefix)
        with _UNSTORED_LOCK:
            keys = {k for w, k in _UNSTORED if w == self._held_in and k.startswith(self.prefix)}
        return sorted(k[n:] for k in keys | set(self._spilled()))

    def flush(self) -> int:
        """Write the held answers to the store (their intents settled); how many.

        Raises :class:`~toolkit.store.StoreError` if the store still refuses them; what is
        not written stays held.
        """
        spilled = self._spilled()
        with _UNSTORED_LOCK:
            mine = {
                k: raw
                for (w, k), raw in _UNSTORED.items()
                if w == self._held_in and k.startswith(self.prefix)
            }
        pending = {**spilled, **mine}
        for key, raw in pending.items():
            value = key[len(self.prefix) :]
            self.write(value, raw)
            self.settle(value)
            with _UNSTORED_LOCK:
                _UNSTORED.pop((self._held_in, key), None)
        if spilled:
            self._drop_spilled(set(spilled))
        return len(pending)

    def _drop_spilled(self, keys: set[str]) -> None:
        """Remove stored answers from the spill file (the file goes when it is empty)."""
        path = spill_path(self.store)
        try:
            rest = [
                line
                for line in path.read_text().splitlines()
                if _spilled_key(line) not in keys and _spilled_key(line) is not None
            ]
            if rest:
                tmp = path.with_suffix(".tmp")
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                with os.fdopen(fd, "w") as f:
                    f.write("\n".join(rest) + "\n")
                os.replace(tmp, path)
            else:
                path.unlink(missing_ok=True)
        except OSError:
            pass  # written to the store already: a later flush writes them again, harmlessly


def _spilled_key(line: str) -> str | None:
    try:
        return str(json.loads(line)["key"])
    except (ValueError, KeyError, TypeError):
        return None
