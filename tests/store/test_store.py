"""The Store contract, run unchanged on SQLite, in-memory SQLite and PostgreSQL."""

from __future__ import annotations

import multiprocessing
import threading

import pytest

from toolkit.store import Store, open_store


def test_absent_key_is_none(store: Store) -> None:
    assert store.get("ns", "missing") is None


def test_put_then_get_round_trips_bytes_exactly(store: Store) -> None:
    value = bytes(range(256)) * 3  # NUL bytes and every other byte value
    store.put("ns", "k", value)
    assert store.get("ns", "k") == value


def test_put_overwrites(store: Store) -> None:
    store.put("ns", "k", b"one")
    store.put("ns", "k", b"two")
    assert store.get("ns", "k") == b"two"


def test_namespaces_are_separate(store: Store) -> None:
    store.put("a", "k", b"in a")
    store.put("b", "k", b"in b")
    assert (store.get("a", "k"), store.get("b", "k")) == (b"in a", b"in b")
    store.delete("a", "k")
    assert (store.get("a", "k"), store.get("b", "k")) == (None, b"in b")


def test_expired_entry_is_absent_everywhere(store: Store) -> None:
    store.put("ns", "old", b"x", ttl=-1)
    store.put("ns", "new", b"y", ttl=3600)
    store.put("ns", "forever", b"z")
    assert store.get("ns", "old") is None
    assert store.get("ns", "new") == b"y"
    assert [k for k, _ in store.items("ns")] == ["forever", "new"]


def test_add_inserts_only_when_absent(store: Store) -> None:
    assert store.add("ns", "k", b"first") is True
    assert store.add("ns", "k", b"second") is False
    assert store.get("ns", "k") == b"first"


def test_add_over_an_expired_entry_inserts(store: Store) -> None:
    store.put("ns", "k", b"stale", ttl=-1)
    assert store.add("ns", "k", b"fresh", ttl=60) is True
    assert store.get("ns", "k") == b"fresh"
    assert store.add("ns", "k", b"again") is False


def test_add_with_ttl_counts_as_present_until_it_expires(store: Store) -> None:
    assert store.add("ns", "k", b"v", ttl=3600) is True
    assert store.add("ns", "k", b"w", ttl=3600) is False


def test_delete_missing_is_fine(store: Store) -> None:
    store.delete("ns", "nothing")
    assert store.get("ns", "nothing") is None


def test_items_by_prefix_is_literal_and_case_sensitive(store: Store) -> None:
    for key in ["job:1", "job:2", "Job:3", "jobs", "j%b:4", "j_b:5", "other"]:
        store.put("ns", key, key.encode())
    store.put("elsewhere", "job:9", b"no")
    assert list(store.items("ns", "job:")) == [("job:1", b"job:1"), ("job:2", b"job:2")]
    assert [k for k, _ in store.items("ns", "j%")] == ["j%b:4"]
    assert [k for k, _ in store.items("ns", "j_")] == ["j_b:5"]
    assert len(list(store.items("ns"))) == 7


def test_count_and_delete_by_prefix_are_literal_and_skip_the_expired(store: Store) -> None:
    for key in ["job:1", "job:2", "Job:3", "j%b:4", "other"]:
        store.put("ns", key, b"x" * 1000)
    store.put("ns", "job:old", b"", ttl=-1)  # already expired
    store.put("elsewhere", "job:9", b"")
    assert store.count("ns", "job:") == 2 and store.count("ns", "j%") == 1
    assert store.count("ns") == 5 and store.count("nowhere") == 0
    assert store.delete_prefix("ns", "job:") in (2, 3)  # the expired row may go too
    assert [k for k, _ in store.items("ns")] == ["Job:3", "j%b:4", "other"]
    assert store.get("elsewhere", "job:9") == b""


def test_items_keys_in_code_point_order(store: Store) -> None:
    keys = ["b", "a", "B", "é", "aa", "z"]
    for key in keys:
        store.put("ns", key, b"")
    assert [k for k, _ in store.items("ns")] == sorted(keys)


def test_items_can_be_consumed_while_writing(store: Store) -> None:
    for i in range(5):
        store.put("ns", f"k{i}", b"v")
    for key, _ in store.items("ns"):
        store.delete("ns", key)
    assert list(store.items("ns")) == []


def test_clear_one_namespace_or_all(store: Store) -> None:
    for i in range(3):
        store.put("a", str(i), b"")
    store.put("b", "x", b"")
    assert store.clear("a") == 3
    assert store.get("b", "x") == b""
    assert store.clear("a") == 0
    store.put("c", "y", b"")
    assert store.clear() == 2
    assert list(store.items("b")) == list(store.items("c")) == []


def test_add_from_many_threads_has_one_winner(store: Store) -> None:
    barrier = threading.Barrier(8)
    wins: list[bool] = []

    def claim(n: int) -> None:
        barrier.wait()
        wins.append(store.add("ns", "contested", str(n).encode()))

    threads = [threading.Thread(target=claim, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(wins) == [False] * 7 + [True]
    winner = store.get("ns", "contested")
    assert winner is not None and int(winner) in range(8)


def test_two_handles_see_each_others_writes(store: Store, store_url: str) -> None:
    if store_url == "memory:":
        pytest.skip("an in-memory store is private to its handle")
    other = open_store(store_url)
    try:
        store.put("ns", "k", b"from one")
        assert other.get("ns", "k") == b"from one"
        assert other.add("ns", "k", b"from two") is False
    finally:
        other.close()


def _claim_in_process(url: str, keys: list[str], name: str, out: multiprocessing.Queue) -> None:
    s = open_store(url)
    won = [k for k in keys if s.add("ns", k, name.encode())]
    s.close()
    out.put((name, won))


def test_add_from_several_processes_claims_each_key_once(store: Store, store_url: str) -> None:
    if store_url == "memory:":
        pytest.skip("an in-memory store is private to its process")
    keys = [f"creator:{i}" for i in range(40)]
    ctx = multiprocessing.get_context("spawn")
    out: multiprocessing.Queue = ctx.Queue()
    procs = [
        ctx.Process(target=_claim_in_process, args=(store_url, keys, f"p{n}", out))
        for n in range(3)
    ]
    for p in procs:
        p.start()
    results = dict(out.get(timeout=120) for _ in procs)
    for p in procs:
        p.join(timeout=60)
    claimed = sorted(k for won in results.values() for k in won)
    assert claimed == sorted(keys)  # every key exactly once, across all processes
    for name, won in results.items():
        assert all(store.get("ns", k) == name.encode() for k in won)
