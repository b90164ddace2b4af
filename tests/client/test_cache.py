"""The response cache: second runs cost nothing, keys keep accounts and requests apart,
modes per client and per block, hits in the ledger, nothing secret on disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit import CacheMissError, Client
from toolkit._config import SANDBOX_BASE_URL
from toolkit._exceptions import CacheWarning
from toolkit.cache import DEFAULT_TTLS, NAMESPACE
from toolkit.sandbox import Sandbox
from toolkit.store import open_store

from .client_support import Recorder, Sleeps, handles, make_async_client, make_client, top_creator


def _charges(sb: Sandbox) -> list[str]:
    """Operations the sandbox charged for, oldest first (its own log, not the client's)."""
    return [e.operation or "" for e in sb.log if e.charged > 0]


def _notebook(c: Client, sb: Sandbox) -> list[object]:
    """What an analyst's notebook does: search, enrich two creators, a dictionary, posts."""
    names = handles(sb, "instagram", 2)
    return [
        c.discovery.search("instagram", filters={"number_of_followers": {"min": 1000}}, limit=5),
        c.creators.enrich_handle(names[0], "instagram", mode="full"),
        c.creators.enrich_handle(names[1], "instagram", mode="profile"),
        c.dictionary.languages(),
        next(iter(c.creators.iter_posts(names[0], "instagram", max_pages=1))),
    ]


def test_second_run_costs_nothing(sb: Sandbox, recorder: Recorder, sleeps: Sleeps) -> None:
    with make_client(sb, recorder, sleeps) as first:
        before = _notebook(first, sb)
    paid = _charges(sb)
    assert len(paid) == 4 and first.ledger.total_spent > 0
    # a re-run notebook: a new client (a new kernel), the same store, the same calls
    recorder.clear()
    with make_client(sb, recorder, sleeps) as second:
        after = _notebook(second, sb)
    assert _charges(sb) == paid  # the sandbox charged nothing more
    assert recorder.sent == []  # nothing even went over the wire
    assert second.ledger.total_spent == 0.0
    assert second.ledger.total_saved == pytest.approx(first.ledger.total_spent)
    assert [r.data for r in after] == [r.data for r in before]  # type: ignore[attr-defined]
    assert all(e["cached"] and e["credits_cost"] == 0.0 for e in second.ledger.entries)


def test_a_hit_is_a_ledger_entry_with_the_credits_it_saved(client: Client, sb: Sandbox) -> None:
    name = top_creator(sb, "instagram").username
    paid = client.creators.enrich_handle(name, "instagram")
    hit = client.creators.enrich_handle(name, "instagram")
    assert (paid.cached, paid.credits_cost) == (False, 1.0)
    assert (hit.cached, hit.credits_cost, hit.credits_saved, hit.attempts) == (True, 0.0, 1.0, 0)
    assert "cached" in repr(hit)
    last = client.ledger.entries[-1]
    assert last["cached"] is True and last["credits_saved"] == 1.0 and last["credits_cost"] == 0.0
    frame = client.ledger.to_polars()
    assert frame["cached"].to_list() == [False, True]
    assert frame["credits_saved"].to_list() == [0.0, 1.0]
    assert client.cache.stats().hits == 1 and client.cache.stats().credits_saved == 1.0


def test_key_covers_path_body_and_query_but_not_key_order(
    client: Client, sb: Sandbox, recorder: Recorder
) -> None:
    name = top_creator(sb, "instagram").username
    client.creators.enrich_handle(name, "instagram", mode="full")
    client.creators.enrich_handle(name, "instagram", mode="profile")  # same body, other path
    client.creators.enrich_handle(top_creator(sb, "tiktok").username, "tiktok", mode="full")
    assert len(recorder.sent) == 3
    a = {"number_of_followers": {"min": 1000, "max": 900000}, "is_verified": False}
    b = {"is_verified": False, "number_of_followers": {"max": 900000, "min": 1000}}
    client.discovery.search("instagram", filters=a, limit=3)
    client.discovery.search("instagram", filters=b, limit=3)  # the same request: a hit
    client.discovery.search("instagram", filters=a, limit=4)  # another page size: sent
    assert len(recorder.sent) == 5


def test_another_account_never_gets_my_answers(sb: Sandbox) -> None:
    other = sb.add_account("Colleague", credits=50)
    name = top_creator(sb, "instagram").username
    kw = {"base_url": SANDBOX_BASE_URL, "transport": sb.transport()}
    with Client(api_key=sb.api_key, **kw) as mine, Client(api_key=other.api_key, **kw) as theirs:
        mine.creators.enrich_handle(name, "instagram")
        assert not theirs.creators.enrich_handle(name, "instagram").cached
    assert _charges(sb) == ["enrich_handle_full", "enrich_handle_full"]


def test_a_team_scope_shares_answers_between_keys(sb: Sandbox) -> None:
    other = sb.add_account("Colleague", credits=50)
    name = top_creator(sb, "instagram").username
    kw = {"base_url": SANDBOX_BASE_URL, "transport": sb.transport(), "cache_scope": "team-a"}
    with Client(api_key=sb.api_key, **kw) as mine, Client(api_key=other.api_key, **kw) as theirs:
        mine.creators.enrich_handle(name, "instagram")
        assert theirs.creators.enrich_handle(name, "instagram").cached


def test_sandboxes_with_different_worlds_do_not_share(recorder: Recorder) -> None:
    small, other_seed = Sandbox(seed=7, creators=200), Sandbox(seed=8, creators=200)
    for sb in (small, other_seed):
        with Client(api_key=sb.api_key, base_url=SANDBOX_BASE_URL, transport=sb.transport()) as c:
            assert not c.dictionary.brands().cached


def test_errors_are_not_cached(client: Client, recorder: Recorder) -> None:
    for _ in range(2):
        with pytest.raises(Exception, match="enrich_handle_full"):
            client.creators.enrich_handle("no_such_creator_zz", "instagram")
    assert len(recorder.sent) == 2


def test_state_and_mutations_are_never_cached(client: Client, recorder: Recorder) -> None:
    client.account.credits()
    client.account.credits()
    client.exclusion_lists.list()
    client.exclusion_lists.list()
    assert len(recorder.sent) == 4
    assert "account_credits" not in DEFAULT_TTLS and "batch_create" not in DEFAULT_TTLS
    assert DEFAULT_TTLS["dictionary_languages"] >= 3 * 86400  # dictionaries: days


def test_refresh_block_sends_and_replaces(client: Client, sb: Sandbox, recorder: Recorder) -> None:
    name = top_creator(sb, "instagram").username
    client.creators.enrich_raw(name, "instagram")
    with client.cache.mode("refresh"):
        assert client.cache.current_mode == "refresh"
        assert not client.creators.enrich_raw(name, "instagram").cached
    assert client.cache.current_mode == "use"
    assert client.creators.enrich_raw(name, "instagram").cached
    assert len(recorder.sent) == 2 and _charges(sb) == ["enrich_handle_raw"] * 2


def test_only_cache_is_offline(client: Client, sb: Sandbox, recorder: Recorder) -> None:
    name = top_creator(sb, "instagram").username
    client.creators.enrich_raw(name, "instagram")
    recorder.clear()
    with client.cache.mode("only-cache"):
        assert client.creators.enrich_raw(name, "instagram").cached
        with pytest.raises(CacheMissError, match="nothing was sent"):
            client.creators.enrich_raw(top_creator(sb, "tiktok").username, "tiktok")
        with pytest.raises(CacheMissError):
            client.account.credits()  # offline means offline, free calls included
    assert recorder.sent == []


def test_off_neither_reads_nor_writes(sb: Sandbox, recorder: Recorder, sleeps: Sleeps) -> None:
    name = top_creator(sb, "instagram").username
    with make_client(sb, recorder, sleeps, cache=False) as c:
        c.creators.enrich_raw(name, "instagram")
        c.creators.enrich_raw(name, "instagram")
        assert c.cache.stats().entries == 0
    with make_client(sb, recorder, sleeps) as c, c.cache.mode("off"):
        c.creators.enrich_raw(name, "instagram")
    assert len(recorder.sent) == 3


def test_ttl_per_operation_can_switch_caching_off(
    sb: Sandbox, recorder: Recorder, sleeps: Sleeps
) -> None:
    name = top_creator(sb, "instagram").username
    with make_client(sb, recorder, sleeps, cache_ttl={"enrich_handle_raw": None}) as c:
        c.creators.enrich_raw(name, "instagram")
        c.creators.enrich_raw(name, "instagram")
        c.dictionary.games()
        c.dictionary.games()
    assert [s.path.rstrip("/").rsplit("/", 1)[-1] for s in recorder.sent] == ["raw", "raw", "games"]


def test_unknown_mode_is_refused(client: Client) -> None:
    with pytest.raises(ValueError, match="cache mode"), client.cache.mode("sometimes"):  # type: ignore[arg-type]
        pass


def test_stats_and_clear(client: Client, sb: Sandbox) -> None:
    names = handles(sb, "instagram", 3)
    for n in names:
        client.creators.enrich_raw(n, "instagram")
    client.dictionary.languages()
    client.creators.enrich_raw(names[0], "instagram")
    s = client.cache.stats()
    assert (s.hits, s.misses, s.stored, s.entries) == (1, 4, 4, 4)
    assert "hits=1" in repr(client.cache)
    assert client.cache.clear("dictionary_languages") == 1
    assert client.cache.clear() == 3
    assert not client.creators.enrich_raw(names[0], "instagram").cached


def test_nothing_secret_in_the_store_file(client: Client, sb: Sandbox, tmp_path: Path) -> None:
    client.creators.enrich_handle(top_creator(sb, "instagram").username, "instagram")
    client.dictionary.languages()
    store_file = Path(client.cache.store.path)  # type: ignore[attr-defined]
    blob = b"".join(p.read_bytes() for p in store_file.parent.glob(store_file.name + "*"))
    assert blob and sb.api_key.encode() not in blob
    assert sb.api_key[-12:].encode() not in blob


def test_a_broken_store_warns_and_the_call_goes_on(
    sb: Sandbox, recorder: Recorder, sleeps: Sleeps
) -> None:
    broken = open_store("memory:")
    broken.close()  # every read and write now fails
    with make_client(sb, recorder, sleeps, store=broken) as c, pytest.warns(CacheWarning) as caught:
        result = c.creators.enrich_raw(top_creator(sb, "instagram").username, "instagram")
    messages = [str(w.message) for w in caught]
    assert any("unreadable" in m for m in messages) and any("not cached" in m for m in messages)
    assert result.credits_cost == pytest.approx(0.03)  # the paid answer is never lost


def test_store_url_and_namespace(
    sb: Sandbox, recorder: Recorder, sleeps: Sleeps, tmp_path: Path
) -> None:
    url = str(tmp_path / "team.sqlite3")
    with make_client(sb, recorder, sleeps, store=url) as c:
        c.dictionary.languages()
    keys = [k for k, _ in open_store(url).items(NAMESPACE)]
    assert len(keys) == 1 and ":dictionary_languages:" in keys[0]
    assert sb.api_key not in keys[0]


@pytest.mark.anyio
async def test_async_client_shares_the_cache(
    sb: Sandbox, recorder: Recorder, sleeps: Sleeps
) -> None:
    name = top_creator(sb, "instagram").username
    async with make_async_client(sb, recorder, sleeps) as ac:
        first = await ac.creators.enrich_handle(name, "instagram")
        again = await ac.creators.enrich_handle(name, "instagram")
        pages = [p async for p in ac.discovery.iter_pages("instagram", limit=5, max_results=10)]
    with make_client(sb, recorder, sleeps) as c:
        from_sync = c.creators.enrich_handle(name, "instagram")
        sync_pages = list(c.discovery.iter_pages("instagram", limit=5, max_results=10))
    assert (first.cached, again.cached, from_sync.cached) == (False, True, True)
    assert all(p.cached for p in sync_pages) and len(sync_pages) == len(pages) == 2
    assert _charges(sb) == ["enrich_handle_full", "discovery_search", "discovery_search"]
