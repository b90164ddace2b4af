"""The same store tests run on every backend: SQLite file, in-memory SQLite, PostgreSQL.

The PostgreSQL ones need a real server: ``.ci/run`` starts one on loopback and exports its
URL as ``INFLUENCERS_CLUB_TEST_POSTGRES_URL``; without that variable they are skipped. Each
test gets its own schema on that server, so tests never see each other's rows.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from toolkit.store import Store, open_store

PG_ENV = "INFLUENCERS_CLUB_TEST_POSTGRES_URL"
BACKENDS = ["sqlite", "memory", "postgresql"]


def _pg_url() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"{PG_ENV} is not set (.ci/run starts a PostgreSQL server and sets it)")
    return url


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A URL whose connections use a fresh schema of their own (dropped afterwards)."""
    import psycopg

    base = _pg_url()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in base else "?"
    yield f"{base}{sep}options={quote(f'-csearch_path={schema}')}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL for each backend (several handles may open it, as several processes would)."""
    if request.param == "sqlite":
        return str(tmp_path / "cache" / "store.sqlite3")
    if request.param == "memory":
        return "memory:"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    s = open_store(store_url)
    yield s
    s.close()
