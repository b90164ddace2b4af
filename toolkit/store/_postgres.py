"""The PostgreSQL store: one table shared by a team drawing on one credit pool.

Expiry is decided by the server's clock, so analysts whose laptops disagree about the time
still agree about what has expired. ``add`` is one ``INSERT ... ON CONFLICT``, atomic
between any number of clients. The table's comment holds the schema version; a table of
another version or layout is refused, and every psycopg failure (unreachable server,
refused write) leaves as a :class:`StoreError` naming host, port and database, never the
user or password. Needs psycopg 3 (``pip install 'influencers-club-toolkit[postgres]'``).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ._errors import SCHEMA_VERSION, StoreError, guard

_TABLE = "influencers_club_store"
_NOW = "extract(epoch from clock_timestamp())"
_LIVE = f"(expires_at IS NULL OR expires_at > {_NOW})"
_EXPIRY = f"CASE WHEN %s::float8 IS NULL THEN NULL ELSE {_NOW} + %s::float8 END"
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {_TABLE} (
    namespace  text   NOT NULL,
    key        text   NOT NULL,
    value      bytea  NOT NULL,
    expires_at float8,
    PRIMARY KEY (namespace, key)
)
"""
_COMMENT = f"influencers-club store, schema {SCHEMA_VERSION}"
_COLUMNS = ["namespace", "key", "value", "expires_at"]
# Serialises the first CREATE TABLE of several clients (it can race on the catalog).
_SCHEMA_LOCK = 0x1C5_70E


class PostgresStore:
    """A :class:`toolkit.store.Store` in a PostgreSQL table (``influencers_club_store``)."""

    def __init__(self, url: str) -> None:
        try:
            import psycopg
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise ImportError(
                "a postgresql:// store needs psycopg 3: "
                "pip install 'influencers-club-toolkit[postgres]'"
            ) from exc
        self._psycopg = psycopg
        self._url = url
        self._lock = threading.RLock()
        self._conn: Any = None
        try:  # both parsers: ours for the name, libpq's (psycopg's) for the connection
            parts = urlsplit(url)
            port = parts.port
            params = psycopg.conninfo.conninfo_to_dict(url)
        except (ValueError, psycopg.Error):  # their messages echo the URL: never show them
            raise StoreError(
                "postgresql://(URL not shown)",
                "the store URL cannot be parsed",
                "Percent-encode special characters in the password ('/' as %2F, '@' as "
                "%40, '%' as %25, ':' as %3A), then open it again.",
            ) from None
        #: The password as written and as decoded: masked out of every error message.
        self._secrets = tuple({str(p) for p in (parts.password, params.get("password")) if p})
        # Never the user name or password: only where the data lives.
        where = f"{parts.hostname or 'localhost'}{':' + str(port) if port else ''}"
        self.name = f"postgresql://{where}{parts.path or ''}"
        #: The whole URL (query included: another search_path is another store) without
        #: user or password: what tells two stores apart, e.g. for the journal's spill file.
        query = [(k, v) for k, v in parse_qsl(parts.query) if k.lower() != "password"]
        self.identity = urlunsplit(
            parts._replace(netloc=parts.netloc.rpartition("@")[2], query=urlencode(query))
        )
        with self._lock, self._guard():
            conn = self._connection()
            try:
                with conn.transaction():
                    conn.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
                    self._check_schema(conn)
                conn.execute(f"DELETE FROM {_TABLE} WHERE expires_at <= {_NOW}")
            except BaseException:
                conn.close()
                raise

    def _check_schema(self, conn: Any) -> None:
        """Create the table, or check the one there is: its columns and its version."""
        columns = [
            r[0]
            for r in conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE "
                "table_schema = current_schema() AND table_name = %s ORDER BY ordinal_position",
                (_TABLE,),
            )
        ]
        fix = "Point INFLUENCERS_CLUB_STORE_URL (or Client(store=...)) at another database."
        if columns and columns != _COLUMNS:
            raise StoreError(
                self.name,
                f"its table {_TABLE} has columns {columns}, not the store's {_COLUMNS}",
                f"The table belongs to something else. {fix}",
            )
        conn.execute(_SCHEMA)
        (comment,) = conn.execute(
            "SELECT obj_description(to_regclass(%s), 'pg_class')", (_TABLE,)
        ).fetchone()
        if comment is None:  # new, or made before the version was recorded: same layout
            conn.execute(f"COMMENT ON TABLE {_TABLE} IS '{_COMMENT}'")
        elif comment != _COMMENT:
            raise StoreError(
                self.name,
                f"its table {_TABLE} is marked {comment!r}, this toolkit reads {_COMMENT!r}",
                "Use the toolkit version that wrote it (pip install -U "
                f"influencers-club-toolkit), or another database or schema. {fix}",
            )

    def __repr__(self) -> str:
        return f"PostgresStore({self.name.removeprefix('postgresql://')})"

    def _guard(self) -> Any:
        return guard(self.name, self._psycopg.Error, secrets=self._secrets)

    def _connection(self) -> Any:
        if self._conn is None or self._conn.closed or self._conn.broken:
            self._conn = self._psycopg.connect(self._url, autocommit=True)
        return self._conn

    def _run(self, sql: str, args: tuple[object, ...] = ()) -> Any:
        with self._lock, self._guard():
            try:
                return self._connection().execute(sql, args)
            except self._psycopg.OperationalError:
                # One reconnect for a dropped connection. Every statement is idempotent except
                # add, whose repeat answers False if the first did land: the safe side.
                if self._conn is not None and not self._conn.broken:
                    raise
                return self._connection().execute(sql, args)

    def get(self, namespace: str, key: str) -> bytes | None:
        with self._lock, self._guard():
            row = self._run(
                f"SELECT value FROM {_TABLE} WHERE namespace = %s AND key = %s AND {_LIVE}",
                (namespace, key),
            ).fetchone()
        return None if row is None else bytes(row[0])

    def put(self, namespace: str, key: str, value: bytes, *, ttl: float | None = None) -> None:
        self._run(
            f"INSERT INTO {_TABLE} (namespace, key, value, expires_at) "
            f"VALUES (%s, %s, %s, {_EXPIRY}) ON CONFLICT (namespace, key) DO UPDATE SET "
            "value = excluded.value, expires_at = excluded.expires_at",
            (namespace, key, bytes(value), ttl, ttl),
        )

    def add(self, namespace: str, key: str, value: bytes, *, ttl: float | None = None) -> bool:
        with self._lock, self._guard():
            row = self._run(
                f"INSERT INTO {_TABLE} AS kv (namespace, key, value, expires_at) "
                f"VALUES (%s, %s, %s, {_EXPIRY}) ON CONFLICT (namespace, key) DO UPDATE SET "
                "value = excluded.value, expires_at = excluded.expires_at "
                f"WHERE kv.expires_at IS NOT NULL AND kv.expires_at <= {_NOW} RETURNING 1",
                (namespace, key, bytes(value), ttl, ttl),
            ).fetchone()
        return row is not None

    def delete(self, namespace: str, key: str) -> None:
        self._run(f"DELETE FROM {_TABLE} WHERE namespace = %s AND key = %s", (namespace, key))

    def items(self, namespace: str, prefix: str = "") -> Iterator[tuple[str, bytes]]:
        with self._lock, self._guard():
            rows = self._run(
                f"SELECT key, value FROM {_TABLE} WHERE namespace = %s AND {_LIVE} "
                'AND left(key, %s) = %s ORDER BY key COLLATE "C"',
                (namespace, len(prefix), prefix),
            ).fetchall()
        return iter([(k, bytes(v)) for k, v in rows])

    def count(self, namespace: str, prefix: str = "") -> int:
        with self._lock, self._guard():
            (n,) = self._run(
                f"SELECT count(*) FROM {_TABLE} WHERE namespace = %s AND {_LIVE} "
                "AND left(key, %s) = %s",
                (namespace, len(prefix), prefix),
            ).fetchone()
        return int(n)

    def delete_prefix(self, namespace: str, prefix: str) -> int:
        return int(
            self._run(
                f"DELETE FROM {_TABLE} WHERE namespace = %s AND left(key, %s) = %s",
                (namespace, len(prefix), prefix),
            ).rowcount
        )

    def clear(self, namespace: str | None = None) -> int:
        if namespace is None:
            return int(self._run(f"DELETE FROM {_TABLE}").rowcount)
        return int(self._run(f"DELETE FROM {_TABLE} WHERE namespace = %s", (namespace,)).rowcount)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
