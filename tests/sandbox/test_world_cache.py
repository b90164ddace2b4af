"""Built worlds on disk (world/cache.py): a loaded world is the built one, a damaged file is
rebuilt, and the cache can be switched off."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from toolkit.sandbox import Sandbox
from toolkit.sandbox.profiles import enrich_result
from toolkit.sandbox.world import World, cache


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TOOLKIT_SANDBOX_CACHE", str(tmp_path))
    monkeypatch.setattr(cache, "MIN_CACHED", 0)  # small worlds, so the test stays quick
    return tmp_path


def _fingerprint(world: World) -> str:
    c = world.on("instagram")[3]
    full = enrich_result(world, c, "full", now=world.epoch, include_lookalikes=True)
    people = [(p.index, p.full_name, p.country.code, p.niche.name) for p in world.persons]
    creators = [(c.index, c.platform, c.id, c.username, c.followers) for c in world.creators]
    return json.dumps([full, people, creators], sort_keys=True, default=str)


def test_a_loaded_world_is_the_built_world(folder: Path) -> None:
    built = World.load(seed=5, size=400)
    files = list(folder.glob("world-*.pickle"))
    assert len(files) == 1 and "-s5-n400-" in files[0].name
    loaded = World.load(seed=5, size=400)
    assert loaded is not built
    assert _fingerprint(loaded) == _fingerprint(World(seed=5, size=400))
    # static values are the module's own objects again, not copies
    assert loaded.persons[0].niche is built.persons[0].niche
    assert (
        loaded.lookup("instagram", loaded.on("instagram")[0].username) is loaded.on("instagram")[0]
    )


def test_a_damaged_file_is_rebuilt_and_replaced(folder: Path) -> None:
    World.load(seed=5, size=300)
    (path,) = folder.glob("world-*.pickle")
    path.write_bytes(b"not a pickle")
    world = World.load(seed=5, size=300)
    assert _fingerprint(world) == _fingerprint(World(seed=5, size=300))
    assert path.read_bytes() != b"not a pickle"


def test_the_key_holds_seed_size_and_code_version(folder: Path) -> None:
    a = cache.cache_path(5, 300, World(seed=5, size=1).epoch)
    assert a is not None and cache.code_version() in a.name
    assert a != cache.cache_path(6, 300, World(seed=5, size=1).epoch)
    assert a != cache.cache_path(5, 301, World(seed=5, size=1).epoch)


def test_the_cache_can_be_switched_off(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOOLKIT_SANDBOX_CACHE", "off")
    World.load(seed=5, size=200)
    assert list(folder.iterdir()) == []


def test_the_sandbox_builds_its_world_on_first_use(folder: Path) -> None:
    sb = Sandbox(seed=5, creators=250)
    assert sb._world is None  # nothing generated before a call needs it
    assert len(sb.world.creators) == 250 and sb.world is sb.world


def test_a_big_world_loads_in_the_background_from_creation(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from toolkit.sandbox import _app

    monkeypatch.setattr(_app, "MIN_CACHED", 100)  # "big" for the test's sake
    sb = Sandbox(seed=5, creators=300)
    assert sb._world_loader is not None
    sb._world_loader.join(timeout=30)
    assert sb._world is not None  # ready before any call asked for it
    assert _fingerprint(sb.world) == _fingerprint(World(seed=5, size=300))
    assert Sandbox(seed=5, creators=99)._world_loader is None


def test_a_packed_world_has_the_same_objects_links_and_lookups() -> None:
    import pickle

    built = World(seed=9, size=600)
    loaded = pickle.loads(pickle.dumps(built))
    assert [vars(c).keys() for c in loaded.creators] == [vars(c).keys() for c in built.creators]
    for a, b in zip(built.creators, loaded.creators, strict=True):
        assert {k: v for k, v in vars(a).items() if k != "person"} == {
            k: v for k, v in vars(b).items() if k != "person"
        }
        assert b.person is loaded.persons[a.person.index]
        assert [x.index for x in b.person.accounts] == [x.index for x in a.person.accounts]
        assert all(x.person is b.person for x in b.person.accounts)
    for p in ("instagram", "youtube", "onlyfans"):
        assert [c.index for c in loaded.on(p)] == [c.index for c in built.on(p)]
        for c in built.on(p)[:50]:
            for key in (c.username, c.id, c.uc_id):
                assert loaded.lookup(p, key) is loaded.creators[c.index]
    person = next(p for p in built.persons if p.email)
    assert loaded.by_email(person.email).index == built.by_email(person.email).index
    assert loaded.creators[5].stats == built.creators[5].stats  # lazy parts drawn alike


def test_files_are_private_and_replace_older_code_versions(folder: Path) -> None:
    import os

    World.load(seed=5, size=300)
    (path,) = folder.glob("world-*-s5-n300-*.pickle")
    stale = folder / path.name.replace(cache.code_version(), "0" * 16)
    recent = folder / path.name.replace(cache.code_version(), "1" * 16)
    other = folder / "world-0000000000000000-s6-n300-e0.pickle"
    for f in (stale, recent, other):
        f.write_bytes(b"another version or world")
    month_ago = path.stat().st_mtime - 30 * 86400
    os.utime(stale, (month_ago, month_ago))
    os.utime(other, (month_ago, month_ago))
    path.unlink()
    World.load(seed=5, size=300)
    assert path.exists() and not stale.exists()
    assert recent.exists() and other.exists()  # used lately / another world: kept
    assert path.stat().st_mode & 0o077 == 0
    assert not list(folder.glob("*.tmp"))


def test_a_loaded_world_packs_again_whether_or_not_its_handles_were_looked_up() -> None:
    import pickle

    built = World(seed=9, size=500)
    loaded = pickle.loads(pickle.dumps(built))
    c = built.on("tiktok")[4]
    assert loaded.lookup("tiktok", c.username) is loaded.creators[c.index]  # tiktok joined
    again = pickle.loads(pickle.dumps(loaded))
    for platform in ("tiktok", "instagram"):
        for c in built.on(platform):
            assert again.lookup(platform, c.uc_id) is again.creators[c.index]
