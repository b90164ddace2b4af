"""One small key-value store behind the cache, the enrich_many journal and the batch registry.

SQLite under the user's cache directory by default; ``INFLUENCERS_CLUB_STORE_URL`` points
it elsewhere: a SQLite path (or ``sqlite:///path``), ``memory:`` for a store that lives as
long as the process, or ``postgresql://...`` so a team sharing one credit pool shares one
cache and journal and never pays twice for the same creator.

Every entry lives in a *namespace* (``"cache"``, ``"journal"``, ...) under a text key and
holds bytes, optionally with a time to live. ``add`` is an atomic insert-if-absent, safe
across threads and processes, which is what "claim this record before paying for it" needs.
Every failure of a backend (full disk, read-only or damaged file, unreachable server, a
store of another schema version) is a :class:`StoreError` naming the store and the fix.

>>> from toolkit.store import open_store
>>> store = open_store("memory:")
>>> store.add("demo", "k", b"v"), store.add("demo", "k", b"w"), store.get("demo", "k")
(True, False, b'v')
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol, runtime_checkable

from ._errors import SCHEMA_VERSION, StoreError

__all__ = [
    "SCHEMA_VERSION",
    "STORE_URL_ENV",
    "Store",
    "StoreError",
    "default_store_path",
    "open_store",
]

#: Environment variable naming the store: a SQLite path, ``memory:`` or ``postgresql://...``.
STORE_URL_ENV = "INFLUENCERS_CLUB_STORE_URL"

_APP_NAME = "influencers-club"


@runtime_checkable
class Store(Protocol):
    """Namespaced bytes by text key, with optional expiry; what every backend provides."""

    def get(self, namespace: str, key: str) -> bytes | None:
        """The value, or None if absent or expired."""
        ...

    def put(self, namespace: str, key: str, value: bytes, *, ttl: float | None = None) -> None:
        """Insert or overwrite; ``ttl`` seconds from now (None: never expires)."""
        ...

    def add(self, namespace: str, key: str, value: bytes, *, ttl: float | None = None) -> bool:
        """Atomically insert if absent (an expired entry counts as absent); False if present."""
        ...

    def delete(self, namespace: str, key: str) -> None:
        """Remove the entry if there is one."""
        ...

    def items(self, namespace: str, prefix: str = "") -> Iterator[tuple[str, bytes]]:
        """Live ``(key, value)`` pairs whose key starts with ``prefix`` (case-sensitive), by key."""
        ...

    def count(self, namespace: str, prefix: str = "") -> int:
        """How many live entries' keys start with ``prefix`` (without reading their values)."""
        ...

    def delete_prefix(self, namespace: str, prefix: str) -> int:
        """Delete every entry whose key starts with ``prefix``; how many were deleted."""
        ...

    def clear(self, namespace: str | None = None) -> int:
        """Delete a namespace's entries (every namespace's with None); how many were deleted."""
        ...

    def close(self) -> None:
        """Release connections; the store is unusable afterwards."""
        ...


def default_store_path() -> Path:
    """Where the default SQLite store lives: the user's cache directory (platformdirs)."""
    import platformdirs

    return Path(platformdirs.user_cache_dir(_APP_NAME, appauthor=False)) / "store.sqlite3"


def open_store(url: str | None = None) -> Store:
    """Open the store named by ``url``, else by ``INFLUENCERS_CLUB_STORE_URL``, else the default.

    Parameters
    ----------
    url:
        ``memory:``; ``postgresql://user@host:port/db`` (or ``postgres://``); a SQLite file as
        ``sqlite:///absolute/path``, ``sqlite:relative/path`` or a plain path (``~`` expands).
        Files are created readable by the user only (0600, directory 0700).
    """
    if url is None:
        url = os.environ.get(STORE_URL_ENV) or None
    if url is None:
        from ._sqlite import SQLiteStore

        return SQLiteStore(default_store_path())
    if url.strip() in ("memory:", ":memory:"):
        from ._sqlite import SQLiteStore

        return SQLiteStore(None)
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme in ("postgresql", "postgres"):
        from ._postgres import PostgresStore

        return PostgresStore(url)
    if scheme == "sqlite":
        path = url[len("sqlite:") :]
        if path.startswith("///"):
            path = path[2:]  # sqlite:///abs -> /abs
        elif path.startswith("//"):
            path = path[2:]  # sqlite://rel -> rel
        return _sqlite_at(path)
    if scheme and len(scheme) > 1 and "/" not in scheme and "\\" not in scheme:
        raise ValueError(
            f"unknown store URL scheme {scheme!r}: use a SQLite path, 'memory:' or "
            f"'postgresql://...' (see {STORE_URL_ENV} in the README)"
        )
    return _sqlite_at(url)


def _sqlite_at(path: str) -> Store:
    from ._sqlite import SQLiteStore

    if not path:
        raise ValueError("empty SQLite store path")
    return SQLiteStore(Path(path).expanduser())
