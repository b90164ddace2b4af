"""The SQLite store: one file under the user's cache dir, shared by threads and processes.

WAL lets readers and one writer work at once across processes; a busy timeout makes a
second writer wait instead of failing; every statement is its own transaction, so ``add``
(one ``INSERT ... ON CONFLICT``) is atomic. In-process threads share one connection behind a
lock. Expiry times are wall-clock seconds, since several processes compare them.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS kv (
    namespace  TEXT NOT NULL,
    key        TEXT NOT NULL,
    value      BLOB NOT NULL,
    expires_at REAL,
    PRIMARY KEY (namespace, key)
) WITHOUT ROWID
"""
_LIVE = "(expires_at IS NULL OR expires_at > ?)"
_BUSY_TIMEOUT_MS = 30_000


class SQLiteStore:
    """A :class:`toolkit.store.Store` in a SQLite file (or in memory when ``path`` is None)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        if path is None:
            target = ":memory:"
        else:
            _create_private(path)
            target = str(path)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(
            target, timeout=_BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
        )
        self._db.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
        if path is not None:
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")
        self._db.execute(_SCHEMA)
        self._db.execute("DELETE FROM kv WHERE expires_at <= ?", (time.time(),))

    def __repr__(self) -> str:
        return f"SQLiteStore({str(self.path) if self.path else 'memory:'})"

    def _run(self, sql: str, args: tuple[object, ...] = ()) -> sqlite3.Cursor:
        with self._lock:
            return self._db.execute(sql, args)

    def get(self, namespace: str, key: str) -> bytes | None:
        with self._lock:
            row = self._db.execute(
                f"SELECT value FROM kv WHERE namespace = ? AND key = ? AND {_LIVE}",
                (namespace, key, time.time()),
            ).fetchone()
        return None if row is None else bytes(row[0])

    def put(self, namespace: str, key: str, value: bytes, *, ttl: float | None = None) -> None:
        self._run(
            "INSERT OR REPLACE INTO kv (namespace, key, value, expires_at) VALUES (?, ?, ?, ?)",
            (namespace, key, bytes(value), _expiry(ttl)),
        )

    def add(self, namespace: str, key: str, value: bytes, *, ttl: float | None = None) -> bool:
        # An expired row is overwritten as if absent; a live one is left alone (0 changes).
        with self._lock:
            cur = self._db.execute(
                "INSERT INTO kv (namespace, key, value, expires_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (namespace, key) DO UPDATE SET "
                "value = excluded.value, expires_at = excluded.expires_at "
                "WHERE kv.expires_at IS NOT NULL AND kv.expires_at <= ?",
                (namespace, key, bytes(value), _expiry(ttl), time.time()),
            )
            return cur.rowcount == 1

    def delete(self, namespace: str, key: str) -> None:
        self._run("DELETE FROM kv WHERE namespace = ? AND key = ?", (namespace, key))

    def items(self, namespace: str, prefix: str = "") -> Iterator[tuple[str, bytes]]:
        # substr, not LIKE: SQLite's LIKE ignores ASCII case and treats % and _ as wildcards.
        with self._lock:
            rows = self._db.execute(
                f"SELECT key, value FROM kv WHERE namespace = ? AND {_LIVE} "
                "AND substr(key, 1, ?) = ? ORDER BY key",
                (namespace, time.time(), len(prefix), prefix),
            ).fetchall()
        return iter([(k, bytes(v)) for k, v in rows])

    def count(self, namespace: str, prefix: str = "") -> int:
        with self._lock:
            (n,) = self._db.execute(
                f"SELECT count(*) FROM kv WHERE namespace = ? AND {_LIVE} "
                "AND substr(key, 1, ?) = ?",
                (namespace, time.time(), len(prefix), prefix),
            ).fetchone()
        return int(n)

    def delete_prefix(self, namespace: str, prefix: str) -> int:
        return self._run(
            "DELETE FROM kv WHERE namespace = ? AND substr(key, 1, ?) = ?",
            (namespace, len(prefix), prefix),
        ).rowcount

    def clear(self, namespace: str | None = None) -> int:
        if namespace is None:
            return self._run("DELETE FROM kv").rowcount
        return self._run("DELETE FROM kv WHERE namespace = ?", (namespace,)).rowcount

    def close(self) -> None:
        with self._lock:
            self._db.close()


def _expiry(ttl: float | None) -> float | None:
    return None if ttl is None else time.time() + ttl


def _create_private(path: Path) -> None:
    """Create the directory (0700) and the database file (0600) before SQLite opens it.

    SQLite gives its -wal and -shm files the database file's permissions, so they are
    private too. An existing directory of the user's own (e.g. ~/.cache) is left as it is.
    """
    parent = path.parent
    if not parent.exists():
        parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(parent, 0o700)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)
