"""A store that fails mid-run loses no paid answer: enrich_many stops sending, keeps what it
paid for (``err.partial``, and in memory for the next run of the process when the store
refused it) and raises one ``StoreError``; the same call after the store is fixed pays for
nothing it already delivered. Charges are counted from the sandbox's own charge log.

The store fails as real stores do: a file-size limit under SQLite (``RLIMIT_FSIZE`` in a
child process: "database or disk is full"), a read-only SQLite connection, a PostgreSQL
table that refuses writes. A single paid call whose cache write fails still returns.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import toolkit as ic
from toolkit._config import SANDBOX_BASE_URL
from toolkit._exceptions import CacheWarning
from toolkit.sandbox import Sandbox
from toolkit.store import STORE_URL_ENV, StoreError, open_store

N = 24


def _sandbox() -> tuple[Sandbox, list[str]]:
    sb = Sandbox(seed=5, creators=120)
    return sb, [c.username for c in sb.world.on("instagram")[:N]]


def _charged(sb: Sandbox) -> Counter[str]:
    """Creators the sandbox charged for, by username, with how many times."""
    return Counter(
        c.reference.split(":", 1)[1]
        for c in sb.charges
        if c.operation == "enrich_handle_raw" and c.reference
    )


def _client(sb: Sandbox, store: Any) -> ic.Client:
    return ic.Client(
        api_key=sb.api_key,
        base_url=SANDBOX_BASE_URL,
        transport=sb.transport(),
        store=store,
        cache="off",  # the journal alone must keep the answers
    )


def _after(n: int, act: Callable[[], None]) -> Callable[[str, Any], None]:
    seen = [0]

    def on_result(value: str, outcome: Any) -> None:
        seen[0] += 1
        if seen[0] == n:
            act()

    return on_result


def _fail_then_fix(
    sb: Sandbox, names: list[str], store: Any, break_it: Callable[[], None], fix: Callable[[], None]
) -> tuple[StoreError, ic.jobs.EnrichMany, Counter[str]]:
    with _client(sb, store) as client:
        with pytest.raises(StoreError) as info:
            client.creators.enrich_many(
                names,
                "instagram",
                mode="raw",
                concurrency=4,
                progress=False,
                on_result=_after(6, break_it),
            )
        first = _charged(sb)
        fix()
        again = client.creators.enrich_many(
            names, "instagram", mode="raw", concurrency=4, progress=False
        )
    return info.value, again, first


def _check(
    sb: Sandbox, names: list[str], err: StoreError, again: Any, first: Counter[str], where: str
) -> None:
    kept = err.partial
    assert isinstance(kept, ic.jobs.EnrichMany)
    assert where in str(err) and "kept every paid answer" in str(err)
    paid_first = set(first)
    delivered = set(kept.results["value"])
    assert paid_first <= delivered  # 0 paid answers lost
    assert 6 <= len(delivered) < N  # it stopped sending
    assert set(kept.failures["reason"]) <= {"not_attempted"}
    assert again.results.height == N and again.failures.height == 0
    charged = _charged(sb)
    assert set(charged) == set(names) and max(charged.values()) == 1  # the re-run paid 0 twice


def test_read_only_sqlite_mid_run_loses_nothing(tmp_path: Path) -> None:
    sb, names = _sandbox()
    store = open_store(str(tmp_path / "s.sqlite3"))
    db = store._db  # type: ignore[attr-defined]
    err, again, first = _fail_then_fix(
        sb,
        names,
        store,
        lambda: db.execute("PRAGMA query_only = 1"),  # what a read-only file answers
        lambda: db.execute("PRAGMA query_only = 0"),
    )
    store.close()
    assert "read-only" in str(err)
    assert err.partial.results["value"].len() > 0
    _check(sb, names, err, again, first, str(tmp_path / "s.sqlite3"))
    held = [v for v in again.results.filter(again.results["from_journal"])["value"]]
    assert set(held) == set(err.partial.results["value"])  # written at the re-run's start


def test_postgres_refusing_writes_mid_run_loses_nothing(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import psycopg

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))  # where refused answers are spilled

    sb, names = _sandbox()
    store = open_store(pg_url)
    admin = psycopg.connect(pg_url, autocommit=True)
    refuse = "ALTER TABLE influencers_club_store ADD CONSTRAINT refuse CHECK (false) NOT VALID"
    allow = "ALTER TABLE influencers_club_store DROP CONSTRAINT refuse"
    try:
        err, again, first = _fail_then_fix(
            sb, names, store, lambda: admin.execute(refuse), lambda: admin.execute(allow)
        )
    finally:
        admin.close()
        store.close()
    assert "127.0.0.1" in str(err) and "refuse" in str(err)
    _check(sb, names, err, again, first, "127.0.0.1")


@pytest.mark.anyio
async def test_the_async_twin_loses_nothing_either(tmp_path: Path) -> None:
    sb, names = _sandbox()
    store = open_store(str(tmp_path / "s.sqlite3"))
    db = store._db  # type: ignore[attr-defined]
    async with ic.AsyncClient(
        api_key=sb.api_key,
        base_url=SANDBOX_BASE_URL,
        transport=sb.async_transport(),
        store=store,
        cache="off",
    ) as client:
        with pytest.raises(StoreError) as info:
            await client.creators.enrich_many(
                names,
                "instagram",
                mode="raw",
                concurrency=4,
                progress=False,
                on_result=_after(6, lambda: db.execute("PRAGMA query_only = 1")),
            )
        first = _charged(sb)
        db.execute("PRAGMA query_only = 0")
        again = await client.creators.enrich_many(names, "instagram", mode="raw", progress=False)
    store.close()
    _check(sb, names, info.value, again, first, str(tmp_path / "s.sqlite3"))


def test_a_broken_store_sends_nothing(tmp_path: Path) -> None:
    sb, names = _sandbox()
    store = open_store(str(tmp_path / "s.sqlite3"))
    store._db.execute("PRAGMA query_only = 1")  # type: ignore[attr-defined]
    with _client(sb, store) as client, pytest.raises(StoreError, match="0 paid in this run"):
        client.creators.enrich_many(names, "instagram", mode="raw", progress=False)
    store.close()
    assert len(sb.charges) == 0


def test_a_single_call_whose_cache_write_fails_still_returns(tmp_path: Path) -> None:
    sb, names = _sandbox()
    store = open_store(str(tmp_path / "s.sqlite3"))
    store._db.execute("PRAGMA query_only = 1")  # type: ignore[attr-defined]
    with (
        ic.Client(
            api_key=sb.api_key, base_url=SANDBOX_BASE_URL, transport=sb.transport(), store=store
        ) as client,
        warnings.catch_warnings(record=True) as seen,
    ):
        warnings.simplefilter("always")
        result = client.creators.enrich_handle(names[0], "instagram", mode="raw")
    store.close()
    assert result.data["result"] and result.credits_cost and result.credits_cost > 0
    assert _charged(sb) == {names[0]: 1}
    said = [str(w.message) for w in seen if w.category is CacheWarning]
    assert any("could not claim" in m for m in said) and any("not cached" in m for m in said)


CHILD = """
import json, os, resource, signal, sys
import toolkit as ic
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)   # a write past the limit fails with EFBIG
names, path, step = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3]
soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
seen = []
def fill_the_disk(value, outcome):
    seen.append(value)
    if len(seen) == 6:   # from now on no store file may grow: "database or disk is full"
        size = max(os.path.getsize(p) for p in (path, path + "-wal") if os.path.exists(p))
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, hard))
client = ic.Client(cache="off")
report = {}
if step == "fill":
    try:
        client.creators.enrich_many(names, "instagram", mode="raw", concurrency=4,
                                    progress=False, on_result=fill_the_disk)
    except ic.StoreError as err:
        report["error"] = str(err)
        report["kept"] = err.partial.results["value"].to_list()
        report["spilled"] = os.path.exists(path + ".unstored.jsonl")
else:   # a new process, once space is freed
    out = client.creators.enrich_many(names, "instagram", mode="raw", concurrency=4,
                                      progress=False)
    report["again"] = out.results["value"].to_list()
    report["from_journal"] = out.results.filter(out.results["from_journal"])["value"].to_list()
print(json.dumps(report))
"""


@pytest.mark.loopback
@pytest.mark.skipif(sys.platform == "win32", reason="a file-size limit needs resource (POSIX)")
def test_a_full_disk_mid_run_loses_nothing_and_the_rerun_pays_nothing_twice(
    tmp_path: Path,
) -> None:
    sb, names = _sandbox()
    path = str(tmp_path / "store.sqlite3")
    env = {**os.environ, "INFLUENCERS_CLUB_API_KEY": sb.api_key, STORE_URL_ENV: path}
    reports = []
    with sb.serve() as url:
        env["INFLUENCERS_CLUB_BASE_URL"] = url
        for step in ("fill", "again"):
            child = subprocess.run(
                [sys.executable, "-c", CHILD, json.dumps(names), path, step],
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert child.returncode == 0, child.stderr
            reports.append(json.loads(child.stdout.splitlines()[-1]))
    first, again = reports
    assert "error" in first, first  # the store did fail
    assert "the disk is full" in first["error"] and path in first["error"]
    assert "kept every paid answer" in first["error"]
    # The store may first refuse a journal write (an answer paid and held: spilled for any
    # process) or a claim or intent (nothing held): which one is up to the threads' timing.
    if first["spilled"]:
        assert "refused by the store and held" in first["error"]
        assert "in any process of yours on this machine" in first["error"]
        assert ".unstored.jsonl" in first["error"]
    else:
        assert "held" not in first["error"]
        assert "journaled answers are read back" in first["error"]
    assert 6 <= len(first["kept"]) < N
    assert sorted(again["again"]) == sorted(names)
    assert set(first["kept"]) <= set(again["from_journal"])  # none bought again
    charged = _charged(sb)
    assert set(charged) == set(names) and max(charged.values()) == 1
    assert not Path(path + ".unstored.jsonl").exists()  # stored, so no longer spilled
