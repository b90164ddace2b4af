"""A store that cannot be used says so as one ``StoreError`` naming the store and the fix:
a damaged file, a database of another application, another schema version, a read-only
store, an unreachable PostgreSQL server (never its password)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import toolkit as ic
from toolkit.store import SCHEMA_VERSION, StoreError, open_store


def _refused(url: str) -> StoreError:
    with pytest.raises(StoreError) as info:
        open_store(url)
    err = info.value
    assert isinstance(err, ic.InfluencersClubError)
    assert "INFLUENCERS_CLUB_STORE_URL" in str(err)  # the way out
    return err


def test_a_damaged_file_is_refused_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    path.write_bytes(b"this is not a database, just text " * 200)
    err = _refused(str(path))
    assert str(path) in str(err) and "not a readable store" in str(err)
    assert isinstance(err.__cause__, sqlite3.DatabaseError)


def test_a_database_of_another_application_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "app.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE orders (id INTEGER)")
    err = _refused(str(path))
    assert "another application" in str(err) and str(path) in str(err)
    with sqlite3.connect(path) as db:  # and it was left as it was
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master")]
    assert tables == ["orders"]


def test_a_kv_table_of_another_layout_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "kv.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT)")
    err = _refused(str(path))
    assert "columns ['k', 'v']" in str(err)


def test_another_schema_version_is_refused_and_ours_is_recorded(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    open_store(str(path)).close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    err = _refused(str(path))
    assert f"schema version {SCHEMA_VERSION + 1}" in str(err)


def test_a_store_made_before_versions_is_adopted(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as db:  # the layout every earlier toolkit wrote, unversioned
        db.execute(
            "CREATE TABLE kv (namespace TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL,"
            " expires_at REAL, PRIMARY KEY (namespace, key)) WITHOUT ROWID"
        )
        db.execute("INSERT INTO kv VALUES ('ns', 'k', x'76', NULL)")
    s = open_store(str(path))
    assert s.get("ns", "k") == b"v"
    s.close()


def test_a_read_only_store_says_so(tmp_path: Path) -> None:
    path = tmp_path / "ro.sqlite3"
    s = open_store(str(path))
    s._db.execute("PRAGMA query_only = 1")  # type: ignore[attr-defined]  # as a read-only file
    with pytest.raises(StoreError) as info:
        s.put("ns", "k", b"v")
    assert "read-only" in str(info.value) and str(path) in str(info.value)
    assert s.get("ns", "k") is None  # reads still work
    s.close()


def test_an_unreachable_postgres_names_the_host_not_the_password() -> None:
    pytest.importorskip("psycopg")
    err = _refused("postgresql://analyst:s3cret-pw@127.0.0.1:1/team?connect_timeout=2")
    assert "127.0.0.1:1/team" in str(err) and "unreachable" in str(err)
    assert "s3cret" not in str(err) and "analyst" not in str(err)
    assert "s3cret" not in repr(err.__cause__)  # psycopg's own text holds no password


def test_a_postgres_table_of_another_schema_is_refused(pg_url: str) -> None:
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE influencers_club_store (id int)")
    err = _refused(pg_url)
    assert "columns ['id']" in str(err)
    assert "127.0.0.1" in str(err)


def test_a_postgres_table_of_another_version_is_refused(pg_url: str) -> None:
    import psycopg

    open_store(pg_url).close()
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(
            "COMMENT ON TABLE influencers_club_store IS 'influencers-club store, schema 9'"
        )
    err = _refused(pg_url)
    assert "schema 9" in str(err)


@pytest.mark.parametrize(
    ("url", "secret"),
    [
        ("postgresql://alice:s3cr3t/pw@127.0.0.1:1/db", "s3cr3t"),  # '/' not encoded
        ("postgresql://alice:p%zzsecret@127.0.0.1:1/db", "zzsecret"),  # a bad %-escape
        ("postgresql://alice@127.0.0.1:1/db?password=p%zzsecret", "zzsecret"),
    ],
)
def test_a_store_url_that_cannot_be_parsed_never_shows_its_password(url: str, secret: str) -> None:
    pytest.importorskip("psycopg")
    with pytest.raises(StoreError) as info:
        open_store(url)
    err = info.value
    assert "cannot be parsed" in str(err) and "percent-encode" in str(err).lower()
    chain: BaseException | None = err
    while chain is not None:  # nothing a traceback prints holds the password
        assert secret not in str(chain) and secret not in repr(chain)
        chain = chain.__cause__ or (None if chain.__suppress_context__ else chain.__context__)


def test_a_backend_message_holding_the_password_is_masked() -> None:
    from toolkit.store._errors import translate

    class BackendError(Exception):
        pass

    raw = BackendError('bad option "p@ss/word" near password = p@ss/word, PASSWORD=hunter2')
    err = translate("postgresql://db:5432/team", raw, secrets=("p@ss/word",))
    assert "p@ss" not in str(err) and "hunter2" not in str(err)
    assert err.__cause__ is None and err.__suppress_context__  # the raw text stays hidden
    plain = translate("postgresql://db:5432/team", BackendError("server closed"), ("p@ss",))
    assert plain.__cause__ is not None  # a message without the password keeps its cause


def test_a_backend_message_echoing_part_of_the_password_is_masked() -> None:
    """A server that echoes a cut piece of the password (a truncated log line) shows none
    of it: any run of eight of its characters is masked, as in the client's errors."""
    from toolkit.store._errors import translate

    secret = "correct-horse-battery-staple"
    raw = RuntimeError("auth failed for token 'orse-battery-sta' (truncated)")
    err = translate("postgresql://db:5432/team", raw, secrets=(secret,))
    assert "battery" not in str(err) and "***" in str(err)
