"""The SQLite store: one file under the user's cache dir, shared by threads and processes.

WAL lets readers and one writer work at once across processes; a busy timeout makes a
second writer wait instead of failing; every statement is its own transaction, so ``add``
(one ``INSERT ... ON CONFLICT``) is atomic. In-process threads share one connection behind a
lock. Expiry times are wall-clock seconds, since several processes compare them.

The file says what it is: ``PRAGMA application_id`` marks it as this toolkit's store and
``PRAGMA user_version`` holds the schema version; a file of another application, another
version or with a ``kv`` table of another layout is refused with a :class:`StoreError`, as
is any failure of SQLite or the disk (full, read-only, damaged), naming the file.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path

from ._errors import SCHEMA_VERSION, StoreError, guard

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
_APPLICATION_ID = 0x49434C42  # "ICLB": this file is an influencers-club store
_COLUMNS = ["namespace", "key", "value", "expires_at"]


def _wal(db: sqlite3.Connection) -> None:
    """WAL mode (readers never wait for a writer), set once per file. Processes opening a
    new file at once race to set it, and SQLite answers the loser "locked" without waiting
    for its busy timeout: it looks again (the winner's WAL is then there) until the timeout."""
    deadline = time.monotonic() + _BUSY_TIMEOUT_MS / 1000
    while True:
        (mode,) = db.execute("PRAGMA journal_mode").fetchone()
        if str(mode).lower() == "wal":
            return
        try:
            db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


class SQLiteStore:
    """A :class:`toolkit.store.Store` in a SQLite file (or in memory when ``path`` is None)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.name = str(path) if path is not None else "memory:"
        self._lock = threading.RLock()
        with self._guard():
            if path is None:
                target = ":memory:"
            else:
                _create_private(path)
                target = str(path)
            self._db = sqlite3.connect(
                target,
                timeout=_BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,
                check_same_thread=False,
            )
            try:
                self._open(path is not None)
            except BaseException:
                self._db.close()
                raise

    def _open(self, on_disk: bool) -> None:
        """Settings, the schema check (refusing a foreign or other-version file), expiry."""
        db = self._db
        db.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
        (app_id,) = db.execute("PRAGMA application_id").fetchone()
        (version,) = db.execute("PRAGMA user_version").fetchone()
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        fix = "Point INFLUENCERS_CLUB_STORE_URL (or Client(store=...)) at another file."
        if app_id not in (0, _APPLICATION_ID) or (app_id == 0 and tables - {"kv"}):
            raise StoreError(self.name, "the file is a database of another application", fix)
        if version not in (0, SCHEMA_VERSION):
            raise StoreError(
                self.name,
                f"the store has schema version {version}, this toolkit reads version "
                f"{SCHEMA_VERSION} (it was written by another version of the toolkit)",
                "Use the toolkit version that wrote it (pip install -U "
                f"influencers-club-toolkit), or another store. {fix}",
            )
        if "kv" in tables:
            columns = [r[1] for r in db.execute("PRAGMA table_info(kv)")]
            if columns != _COLUMNS:
                raise StoreError(
                    self.name,
                    f"its table kv has columns {columns}, not the store's {_COLUMNS}",
                    f"The file belongs to something else. {fix}",
                )
        if on_disk:
            _wal(db)
            db.execute("PRAGMA synchronous = NORMAL")
        db.execute(_SCHEMA)
        if (app_id, version) != (_APPLICATION_ID, SCHEMA_VERSION):  # new (or older) file
            db.execute(f"PRAGMA application_id = {_APPLICATION_ID}")
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        db.execute("DELETE FROM kv WHERE expires_at <= ?", (time.time(),))

    def __repr__(self) -> str:
        return f"SQLiteStore({self.name})"

    def _guard(self) -> AbstractContextManager[None]:
        return guard(self.name, sqlite3.Error)

    def _run(self, sql: str, args: tuple[object, ...] = ()) -> sqlite3.Cursor:
        with self._lock, self._guard():
            return self._db.execute(sql, args)

    def get(self, namespace: str, key: str) -> bytes | None:
        with self._lock, self._guard():
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
        with self._lock, self._guard():
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
        with self._lock, self._guard():
            rows = self._db.execute(
                f"SELECT key, value FROM kv WHERE namespace = ? AND {_LIVE} "
                "AND substr(key, 1, ?) = ? ORDER BY key",
                (namespace, time.time(), len(prefix), prefix),
            ).fetchall()
        return iter([(k, bytes(v)) for k, v in rows])

    def count(self, namespace: str, prefix: str = "") -> int:
        with self._lock, self._guard():
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
