"""open_store: which backend a URL names, where the default lives, and file permissions."""

from __future__ import annotations

import os
import stat
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest

from toolkit.store import STORE_URL_ENV, default_store_path, open_store
from toolkit.store._sqlite import SQLiteStore


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_sqlite_files_are_private_to_the_user(tmp_path: Path) -> None:
    path = tmp_path / "new" / "deeper" / "store.sqlite3"
    old = os.umask(0o022)  # the usual umask would give 0644 files
    try:
        s = open_store(str(path))
        s.put("ns", "k", b"v")
        assert s.get("ns", "k") == b"v"
        assert _mode(path) == 0o600
        assert _mode(path.parent) == 0o700
        wal = path.with_name(path.name + "-wal")
        assert wal.exists() and _mode(wal) == 0o600
        s.close()
    finally:
        os.umask(old)


def test_url_forms_for_sqlite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    a = open_store(f"sqlite:///{tmp_path}/a.db")
    b = open_store("sqlite:b.db")
    c = open_store("c.db")
    for s, name in [(a, "a.db"), (b, "b.db"), (c, "c.db")]:
        assert isinstance(s, SQLiteStore) and s.path is not None
        assert s.path.resolve() == (tmp_path / name).resolve()
        s.close()


def test_environment_variable_names_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "from-env.sqlite3"
    monkeypatch.setenv(STORE_URL_ENV, str(target))
    s = open_store()
    s.put("ns", "k", b"v")
    s.close()
    assert open_store(str(target)).get("ns", "k") == b"v"


def test_default_is_under_the_user_cache_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(STORE_URL_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_store_path() == tmp_path / "xdg" / "influencers-club" / "store.sqlite3"
    s = open_store()
    assert isinstance(s, SQLiteStore) and s.path == default_store_path()
    s.close()


def test_memory_store_is_private_to_its_handle() -> None:
    a, b = open_store("memory:"), open_store("memory:")
    a.put("ns", "k", b"v")
    assert (a.get("ns", "k"), b.get("ns", "k")) == (b"v", None)


def test_unknown_scheme_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown store URL scheme 'redis'"):
        open_store("redis://localhost/0")


def test_postgres_repr_never_shows_the_password(pg_url: str) -> None:
    user_pw = pg_url.replace("postgresql://postgres@", "postgresql://postgres:s3cret-pw@", 1)
    s = open_store(user_pw)  # the throwaway server trusts loopback, so any password works
    try:
        assert "s3cret" not in repr(s) and "postgres:" not in repr(s)
        assert repr(s).startswith("PostgresStore(127.0.0.1:")
    finally:
        s.close()


def test_postgres_stores_of_two_schemas_keep_apart_spill_files(pg_url: str) -> None:
    """The spill file (answers the store refused) is per store: a URL differing only in
    its ``search_path`` is another store; a password is never part of what is hashed."""
    import psycopg

    from toolkit.jobs._journal import spill_path

    base, _, _ = pg_url.partition("?")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    other_url = f"{base}?options={quote(f'-csearch_path={schema}')}"
    with_pw = pg_url.replace("postgresql://postgres@", "postgresql://postgres:s3cret-pw@", 1)
    one, other, same = (open_store(u) for u in (pg_url, other_url, f"{with_pw}&password=pw2"))
    try:
        assert one.name == other.name  # messages name the same server and database
        assert spill_path(one) != spill_path(other)
        assert spill_path(same) == spill_path(one)  # the password is not part of it
        ident = str(getattr(same, "identity", ""))
        assert "s3cret" not in ident and "pw2" not in ident and "search_path" in ident
    finally:
        for s in (one, other, same):
            s.close()
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def test_processes_opening_a_new_sqlite_store_at_once_all_open_it(tmp_path: Path) -> None:
    """Analysts' processes starting together on one new store file race to set its journal
    mode; SQLite answers the loser "locked" at once, which must not end its run."""
    import subprocess
    import sys

    path = tmp_path / "shared.sqlite3"
    script = (
        "import sys, time; from toolkit.store import open_store\n"
        "time.sleep(max(0.0, float(sys.argv[2]) - time.time()))\n"
        "s = open_store(sys.argv[1]); s.put('t', sys.argv[3], b'x'); s.close()\n"
    )
    start = str(time.time() + 2.0)  # every child opens the file at the same moment
    procs = [
        subprocess.Popen([sys.executable, "-c", script, str(path), start, str(i)]) for i in range(8)
    ]
    assert [p.wait(timeout=60) for p in procs] == [0] * 8
    store = open_store(str(path))
    assert len(list(store.items("t"))) == 8
    store.close()
